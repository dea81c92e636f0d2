#pragma once
// Numbered SQL migrations ("0001_foundation.sql", ...) applied at start and recorded in the
// schema_migrations table. All pending migrations run in one transaction: a failure leaves the
// database exactly as it was. On PostgreSQL an advisory lock keeps replicas that start
// together from applying the same migration twice.

#include <cstdint>
#include <vector>

#include "base/embedded.h"
#include "base/result.h"
#include "store/store.h"

namespace plinth::store {

struct MigrationReport {
  int64_t from_version = 0;
  int64_t to_version = 0;
};

Result<MigrationReport> Migrate(Store& store, const std::vector<EmbeddedFile>& migrations,
                                int64_t now_ms);

}  // namespace plinth::store
