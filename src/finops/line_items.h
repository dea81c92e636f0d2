#pragma once
// Cost line items in the SQL store: imports stage their partitions (one billing account's
// billing period) segment by segment in short transactions, then make them visible and drop
// the partitions they replace in one transaction. A failed or abandoned import leaves what was
// visible untouched, whatever it had staged is deleted.
//
// Thread-safety: free functions over a Store; safe from any thread and replica.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "base/result.h"
#include "cost/ingest.h"
#include "store/store.h"

namespace plinth::finops {

struct ImportOptions {
  std::string actor;          // who imports, for the record ("cli", a user name)
  bool skip_invalid = false;  // apply the valid rows even when some rows were rejected
};

// A partition an import made visible.
struct ImportedPartition {
  std::string billing_account_id;
  int64_t billing_period_start_s = 0;
  int64_t rows = 0;
  bool replaced = false;  // a previous import of this period was dropped
};

struct ImportOutcome {
  std::string import_id;
  bool applied = false;  // false: rows were rejected and skip_invalid was off; nothing changed
  cost::IngestReport report;
  std::vector<ImportedPartition> partitions;
};

// Imports FOCUS / CUR files (see cost/ingest.h). A file-level problem (missing column, a
// truncated gzip, mixed currencies) is an Error, and nothing visible changes.
Result<ImportOutcome> ImportFiles(store::Store& store, const Clock& clock,
                                  std::span<const std::string> paths, const ImportOptions& options,
                                  const cost::ProgressFn& progress);

// Deletes what abandoned imports staged (no heartbeat for 10 minutes). Returns how many.
Result<int64_t> CleanAbandonedImports(store::Store& store, const Clock& clock);

// The recent imports, newest first, as JSON objects (id, state, files, format, rows, report).
Result<Json> ListImports(store::Store& store, int limit);

// The version of the visible line items; moves with every applied import.
Result<int64_t> LineItemsVersion(store::Tx& tx);

// JSON of an IngestReport (totals as exact decimal strings).
Json ReportJson(const cost::IngestReport& report);

}  // namespace plinth::finops
