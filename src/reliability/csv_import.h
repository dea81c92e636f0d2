#pragma once
// Backfills an SLO's minutes from CSV: a header `timestamp,good,total`, then one row per minute.
// timestamp is RFC 3339 (2026-11-22T10:00:00Z) or integer epoch seconds, and must be the start of
// a UTC minute; good and total are counts with 0 <= good <= total. A minute given twice: the last
// row wins. The file is streamed (parsed and written in batches inside one transaction), and
// nothing is written when any row is bad: errors name FILE:LINE and the column.

#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <string_view>

#include "base/result.h"
#include "reliability/slos.h"
#include "store/store.h"

namespace plinth::reliability {

struct ImportResult {
  int64_t rows = 0;     // data rows read
  int64_t written = 0;  // distinct minutes written
  int64_t version = 0;  // the SLO's data version afterwards
};

// Called every `progress_every` rows with the rows read so far.
using ImportProgress = std::function<void(int64_t rows)>;

// Imports `in` (named `file` in errors) into the minutes of SLO `slo`, which must exist.
Result<ImportResult> ImportCsv(store::Store& store, std::string_view slo, std::istream& in,
                               std::string_view file, const ImportProgress& progress = nullptr,
                               int64_t progress_every = 100000);

}  // namespace plinth::reliability
