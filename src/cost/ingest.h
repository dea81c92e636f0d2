#pragma once
// Billing file ingest: streams FOCUS 1.0/1.1/1.2 and AWS CUR 2.0 CSV files (plain or gzip) into
// columnar segments, one partition per billing account and billing period, in constant memory,
// and reports what it read: rows read, accepted and rejected (with file:line and reason), totals
// per billing account and currency to check against the invoice, warnings. docs/cost-formats.md
// lists the formats, the CUR mapping and the validation rules.
//
// A file-level problem (unreadable or truncated file, missing mandatory columns, two currencies
// in one billing account and period) is an Error naming the file and line; a row-level problem
// rejects that row only. Pure: reads only the files it is given, no clock.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cost/decimal.h"
#include "cost/segment.h"

namespace plinth::cost {

// The partition a line item belongs to. Re-importing a partition replaces it.
struct PartitionKey {
  std::string billing_account_id;
  int64_t billing_period_start_s = 0;
  friend auto operator<=>(const PartitionKey&, const PartitionKey&) = default;
};

struct RejectedRow {
  std::string file;
  int64_t line = 0;    // the physical line the record starts on
  std::string reason;  // names the column: "BilledCost: expected a decimal number, got \"abc\""
};

// Accepted rows of one billing account in one currency. NULL costs count as 0.
struct AccountTotal {
  std::string billing_account_id;
  std::string billing_account_name;  // the first non-NULL name seen
  std::string currency;
  Amount billed, effective, list, contracted;
  int64_t rows = 0;
};

// Accepted rows of one partition: what an import of these files replaces.
struct PartitionSummary {
  PartitionKey key;
  int64_t billing_period_end_s = 0;
  std::string currency;
  int64_t rows = 0;
};

struct FileSummary {
  std::string path;
  std::string format;  // "FOCUS 1.0", "FOCUS 1.1", "FOCUS 1.2" or "AWS CUR 2.0"
  bool gzip = false;
  int64_t bytes = 0;  // file size
  int64_t rows_read = 0;
  int64_t rows_rejected = 0;
};

struct IngestReport {
  int64_t rows_read = 0;
  int64_t rows_accepted = 0;
  int64_t rows_rejected = 0;
  std::vector<RejectedRow> rejected;         // the first IngestOptions::max_rejected_listed
  std::vector<AccountTotal> totals;          // by billing account id, then currency
  std::vector<PartitionSummary> partitions;  // by key
  std::vector<FileSummary> files;            // in the order given
  std::vector<std::string> warnings;
  std::string format;          // the files' formats, distinct, comma-separated
  int64_t rounded_values = 0;  // decimals rounded to fit a segment column's scale
};

// Receives the segments. Abstract so tests and the import job can each keep them their way.
class IngestSink {
 public:
  virtual ~IngestSink() = default;
  // A full segment (kMaxSegmentRows rows) as soon as it is built, the rest when buffered rows
  // pass the memory bound and at the end of each file. A partition may get several segments.
  // An error aborts the ingest and is returned by IngestFiles.
  virtual Status Accept(const PartitionKey& key, Segment segment) = 0;
};

struct IngestProgress {
  std::string_view path;
  size_t file_index = 0;  // 0-based, of file_count
  size_t file_count = 0;
  int64_t bytes_read = 0;  // of this file; compressed bytes for gzip
  int64_t file_bytes = 0;
  int64_t rows_read = 0;  // over all files so far
};
// Called at the start of each file, after each buffer fill (every few MB) and at its end.
using ProgressFn = std::function<void(const IngestProgress&)>;

struct IngestOptions {
  // Rows held in unfinished segments over all partitions; past it the largest is handed on.
  // About 400 bytes a row while buffered, so the default bounds a file of any size to ~0.5 GB.
  size_t max_buffered_rows = kMaxSegmentRows;
  size_t max_rejected_listed = 1000;
};

// Ingests `paths` in order into `sink`. The report covers every file; an Error (file-level
// problem, or the sink's) stops at that file, after the sink got that file's earlier segments.
Result<IngestReport> IngestFiles(std::span<const std::string> paths, IngestSink& sink,
                                 const ProgressFn& progress = {},
                                 const IngestOptions& options = {});

// The report as text for a person (the CLI): files, counts, totals per billing account and
// currency rounded to cents and with every decimal, warnings, the rejected rows.
std::string FormatReport(const IngestReport& report);

}  // namespace plinth::cost
