#pragma once
// Test support: fresh, migrated stores on every backend, so one test corpus runs on each.
// PostgreSQL is used when PLINTH_TEST_PG_URL_FILE names a file holding a server URL (the CTest
// fixture scripts/pg-test-server writes it); otherwise PostgreSQL cases skip with that reason.

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace plinth::store::testing {

enum class Backend { kSqliteMemory, kSqliteFile, kPostgres };

const char* BackendName(Backend b);  // "SqliteMemory", "SqliteFile", "Postgres"
// Lets GoogleTest print a backend parameter by name in test names and messages.
inline void PrintTo(Backend b, std::ostream* os) { *os << BackendName(b); }
std::vector<Backend> AllBackends();

// The base URL of the test PostgreSQL server, or "" when none is configured.
std::string PostgresUrl();

// A new empty database on `backend` with every embedded migration applied. Each call gets its
// own database (a temporary file for SQLite, a new database for PostgreSQL). On PostgreSQL
// without a configured server, returns kUnavailable with the reason to skip.
Result<std::unique_ptr<Store>> OpenFreshStore(Backend backend);

}  // namespace plinth::store::testing
