#include "store/testing.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>

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
      return Error::Unavailable("PostgreSQL test databases are not implemented yet");
    }
  }
  return Error::Internal("unknown backend");
}

}  // namespace plinth::store::testing
