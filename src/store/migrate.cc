#include "store/migrate.h"

#include <algorithm>
#include <charconv>
#include <string>

namespace plinth::store {

namespace {

struct Migration {
  int64_t version;
  std::string name;
  std::string_view sql;
};

Result<std::vector<Migration>> Parse(const std::vector<EmbeddedFile>& files) {
  std::vector<Migration> out;
  for (const auto& f : files) {
    int64_t version = 0;
    auto [p, ec] = std::from_chars(f.name.data(), f.name.data() + f.name.size(), version);
    if (ec != std::errc() || p == f.name.data() || *p != '_' || !f.name.ends_with(".sql")) {
      return Error::Internal("migration " + std::string(f.name) +
                             ": expected a name like 0001_description.sql");
    }
    out.push_back({version, std::string(f.name), f.data});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      return Error::Internal("migrations " + out[i - 1].name + " and " + out[i].name +
                             " share a number");
    }
  }
  return out;
}

}  // namespace

Result<MigrationReport> Migrate(Store& store, const std::vector<EmbeddedFile>& files,
                                int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(auto migrations, Parse(files));
  return store.Write([&](Tx& tx) -> Result<MigrationReport> {
    if (tx.dialect() == Dialect::kPostgres) {
      PLINTH_RETURN_IF_ERROR(tx.Query("SELECT pg_advisory_xact_lock(7275846)"));
    }
    PLINTH_RETURN_IF_ERROR(tx.ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)"));
    PLINTH_ASSIGN_OR_RETURN(auto row,
                            tx.QueryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    MigrationReport report;
    report.from_version = report.to_version = row->Int(0);
    for (const auto& m : migrations) {
      if (m.version <= report.from_version) continue;
      if (auto s = tx.ExecScript(m.sql); !s.ok()) {
        return Error::Internal("migration " + m.name + " failed: " + s.error().message);
      }
      PLINTH_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)",
                  {m.version, m.name, now_ms}));
      report.to_version = m.version;
    }
    return report;
  });
}

}  // namespace plinth::store
