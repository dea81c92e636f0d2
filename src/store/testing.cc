#include "store/testing.h"

#include <libpq-fe.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>

#include "base/embedded.h"
#include "store/migrate.h"

namespace plinth::store::testing {

const char* BackendName(Backend b) {
  switch (b) {
    case Backend::kSqliteMemory:
      return "SqliteMemory";
    case Backend::kSqliteFile:
      return "SqliteFile";
    case Backend::kPostgres:
      return "Postgres";
  }
  return "?";
}

std::vector<Backend> AllBackends() {
  return {Backend::kSqliteMemory, Backend::kSqliteFile, Backend::kPostgres};
}

std::string PostgresUrl() {
  const char* file = std::getenv("PLINTH_TEST_PG_URL_FILE");
  if (!file) return "";
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  return url;
}

namespace {

Result<std::unique_ptr<Store>> Migrated(Result<std::unique_ptr<Store>> store) {
  if (!store.ok()) return store;
  auto report = Migrate(**store, embedded::Migrations(), 0);
  if (!report.ok()) return std::move(report).error();
  return store;
}

constexpr std::string_view kPgPrefix = "plinth_t_";

// `url` with its database name replaced by `db`.
std::string WithDatabase(const std::string& url, const std::string& db) {
  size_t host = url.find("://");
  size_t slash = url.find('/', host == std::string::npos ? 0 : host + 3);
  size_t query = url.find('?');
  if (slash == std::string::npos || (query != std::string::npos && query < slash)) slash = query;
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return url.substr(0, slash == std::string::npos ? url.size() : slash) + "/" + db + rest;
}

// Runs one statement outside a transaction (CREATE/DROP DATABASE cannot run inside one).
Status AdminExec(PGconn* pg, const std::string& sql) {
  PGresult* r = PQexec(pg, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  std::string msg = ok ? "" : PQerrorMessage(pg);
  PQclear(r);
  if (!ok) return Error::Unavailable(sql + ": " + msg);
  return {};
}

// Drops the test databases of test processes that have exited, so a long test run does not
// fill the disk. Databases of live processes (this one included) are left alone.
void DropStaleDatabases(PGconn* pg) {
  PGresult* r =
      PQexec(pg, "SELECT datname FROM pg_database WHERE datname LIKE 'plinth\\_t\\_%'");
  std::vector<std::string> stale;
  for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); ++i) {
    std::string name = PQgetvalue(r, i, 0);
    long pid = std::atol(name.c_str() + kPgPrefix.size());
    if (pid > 0 && kill(pid_t(pid), 0) != 0 && errno == ESRCH) stale.push_back(name);
  }
  PQclear(r);
  for (const auto& name : stale) (void)AdminExec(pg, "DROP DATABASE IF EXISTS " + name);
}

Result<std::unique_ptr<Store>> FreshPostgres(const std::string& base_url) {
  static std::atomic<int> counter{0};
  static std::once_flag cleaned;
  std::string db = std::string(kPgPrefix) + std::to_string(getpid()) + "_" +
                   std::to_string(counter++) + "_" +
                   std::to_string(std::random_device()() % 100000);
  PGconn* pg = PQconnectdb(base_url.c_str());
  Status created = PQstatus(pg) == CONNECTION_OK
                       ? Status()
                       : Error::Unavailable("cannot connect to the test PostgreSQL " + base_url +
                                            ": " + PQerrorMessage(pg));
  if (created.ok()) {
    std::call_once(cleaned, [&] { DropStaleDatabases(pg); });
    created = AdminExec(pg, "CREATE DATABASE " + db);
  }
  PQfinish(pg);
  if (!created.ok()) return std::move(created).error();
  return Migrated(Store::Open(WithDatabase(base_url, db)));
}

}  // namespace

Result<std::unique_ptr<Store>> OpenFreshStore(Backend backend) {
  static std::atomic<int> counter{0};
  switch (backend) {
    case Backend::kSqliteMemory:
      return Migrated(Store::Open("sqlite::memory:"));
    case Backend::kSqliteFile: {
      auto dir = std::filesystem::temp_directory_path() / "plinth-test";
      std::filesystem::create_directories(dir);
      auto path = dir / ("db-" + std::to_string(getpid()) + "-" + std::to_string(counter++) +
                         ".db");
      for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path.string() + suffix);
      }
      return Migrated(Store::Open("sqlite:" + path.string()));
    }
    case Backend::kPostgres: {
      std::string url = PostgresUrl();
      if (url.empty()) {
        return Error::Unavailable("PostgreSQL not configured: set PLINTH_TEST_PG_URL_FILE "
                                  "(ctest starts one with scripts/pg-test-server)");
      }
      return FreshPostgres(url);
    }
  }
  return Error::Internal("unknown backend");
}

}  // namespace plinth::store::testing
