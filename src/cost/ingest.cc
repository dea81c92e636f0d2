#include "cost/ingest.h"

#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "base/time.h"
#include "cost/csv.h"
#include "cost/cur.h"
#include "cost/focus_schema.h"
#include "cost/ingest_row.h"

namespace plinth::cost {
namespace {

constexpr size_t kBillingAccountId = FocusIndex("BillingAccountId");
constexpr size_t kBillingAccountName = FocusIndex("BillingAccountName");
constexpr size_t kBillingCurrency = FocusIndex("BillingCurrency");
constexpr size_t kBillingPeriodStart = FocusIndex("BillingPeriodStart");
constexpr size_t kBillingPeriodEnd = FocusIndex("BillingPeriodEnd");
constexpr size_t kChargePeriodStart = FocusIndex("ChargePeriodStart");
constexpr size_t kChargePeriodEnd = FocusIndex("ChargePeriodEnd");

std::string Timestamp(int64_t seconds) { return FormatRfc3339(seconds * 1000); }

std::string Rows(int64_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

// Ingests files one after the other into one report; see IngestFiles.
class Ingester {
 public:
  Ingester(IngestSink& sink, const ProgressFn& progress, const IngestOptions& options)
      : sink_(sink), progress_(progress), options_(options) {}

  Status File(const std::string& path, size_t index, size_t count);
  IngestReport Finish() &&;

 private:
  struct Partition {
    std::string currency;
    std::string file;  // where the partition was first seen
    int64_t line = 0;
    int64_t end_s = 0;
    int64_t rows = 0;
    AccountTotal* total = nullptr;
  };
  // The partition of the rows being read, cached: rows come in runs.
  struct Current {
    PartitionKey key;
    Partition* partition = nullptr;
    SegmentBuilder* builder = nullptr;
  };

  Status AcceptRow(const RowParser& row, const std::string& path, int64_t line);
  void Select(const RowParser& row, const std::string& path, int64_t line);
  Status Flush(const PartitionKey& key, SegmentBuilder& builder);
  Status FlushLargest();
  Status FlushAll();
  void Reject(FileSummary& file, int64_t line, std::string reason);

  IngestSink& sink_;
  const ProgressFn& progress_;
  const IngestOptions options_;

  IngestReport report_;
  std::map<PartitionKey, Partition> partitions_;
  std::map<std::pair<std::string, std::string>, AccountTotal> totals_;  // (account, currency)

  // Per file
  std::vector<ColumnSpec> columns_;
  std::map<PartitionKey, std::unique_ptr<SegmentBuilder>> builders_;
  std::optional<Current> current_;
  size_t buffered_rows_ = 0;
};

void Ingester::Reject(FileSummary& file, int64_t line, std::string reason) {
  ++report_.rows_rejected;
  ++file.rows_rejected;
  if (report_.rejected.size() < options_.max_rejected_listed) {
    report_.rejected.push_back({file.path, line, std::move(reason)});
  }
}

void Ingester::Select(const RowParser& row, const std::string& path, int64_t line) {
  PartitionKey key{std::string(row.text(kBillingAccountId)), row.time(kBillingPeriodStart)};
  auto [it, created] = partitions_.try_emplace(key);
  Partition& partition = it->second;
  if (created) {
    partition.currency = row.text(kBillingCurrency);
    partition.file = path;
    partition.line = line;
    partition.end_s = row.time(kBillingPeriodEnd);
    AccountTotal& total = totals_[{key.billing_account_id, partition.currency}];
    total.billing_account_id = key.billing_account_id;
    total.currency = partition.currency;
    partition.total = &total;
  }
  std::unique_ptr<SegmentBuilder>& builder = builders_[key];
  if (!builder) builder = std::make_unique<SegmentBuilder>(columns_);
  current_ = Current{std::move(key), &partition, builder.get()};
}

Status Ingester::AcceptRow(const RowParser& row, const std::string& path, int64_t line) {
  if (!current_ || current_->key.billing_period_start_s != row.time(kBillingPeriodStart) ||
      current_->key.billing_account_id != row.text(kBillingAccountId)) {
    Select(row, path, line);
  }
  Partition& partition = *current_->partition;
  if (row.text(kBillingCurrency) != partition.currency) {
    return Error::Invalid(path + ":" + std::to_string(line) + ": billing account " +
                          current_->key.billing_account_id + ", billing period " +
                          Timestamp(current_->key.billing_period_start_s) + ": currency " +
                          std::string(row.text(kBillingCurrency)) + " differs from " +
                          partition.currency + " (" + partition.file + ":" +
                          std::to_string(partition.line) +
                          "); one billing account and period must have one currency");
  }
  ++partition.rows;
  AccountTotal& total = *partition.total;
  ++total.rows;
  total.billed += row.amount(FocusIndex("BilledCost"));
  total.effective += row.amount(FocusIndex("EffectiveCost"));
  total.list += row.amount(FocusIndex("ListCost"));
  total.contracted += row.amount(FocusIndex("ContractedCost"));
  if (total.billing_account_name.empty())
    total.billing_account_name = row.text(kBillingAccountName);

  SegmentBuilder& builder = *current_->builder;
  row.Write(builder);
  ++buffered_rows_;
  if (builder.rows() >= kMaxSegmentRows) return Flush(current_->key, builder);
  if (buffered_rows_ > options_.max_buffered_rows) return FlushLargest();
  return {};
}

Status Ingester::Flush(const PartitionKey& key, SegmentBuilder& builder) {
  Segment segment = builder.Finish();
  buffered_rows_ -= segment.rows();
  if (segment.rows() == 0) return {};
  return sink_.Accept(key, std::move(segment));
}

Status Ingester::FlushLargest() {
  auto largest = builders_.end();
  for (auto it = builders_.begin(); it != builders_.end(); ++it) {
    if (largest == builders_.end() || it->second->rows() > largest->second->rows()) largest = it;
  }
  if (largest == builders_.end()) return {};
  return Flush(largest->first, *largest->second);
}

Status Ingester::FlushAll() {
  for (auto& [key, builder] : builders_) {
    PLINTH_RETURN_IF_ERROR(Flush(key, *builder));
    report_.rounded_values += builder->rounded_values();
  }
  builders_.clear();
  current_.reset();
  return {};
}

Status Ingester::File(const std::string& path, size_t index, size_t count) {
  PLINTH_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::Open(path));
  report_.files.push_back({path, "", false, reader->file_bytes(), 0, 0});
  const size_t file_index = report_.files.size() - 1;
  auto file = [&]() -> FileSummary& { return report_.files[file_index]; };
  IngestProgress progress{path, index, count, 0, reader->file_bytes(), report_.rows_read};
  if (progress_) progress_(progress);

  PLINTH_ASSIGN_OR_RETURN(bool has_header, reader->Next());
  if (!has_header) return Error::Invalid(path + ": empty file; expected a CSV header line");
  file().gzip = reader->gzip();
  std::vector<std::string> names(reader->fields().begin(), reader->fields().end());
  std::vector<std::string_view> header(names.begin(), names.end());

  std::optional<CurMapper> cur;
  std::vector<size_t> field_column;
  std::vector<std::string> labels;
  if (IsCurHeader(header)) {
    PLINTH_ASSIGN_OR_RETURN(CurMapper mapper, CurMapper::Create(header, path));
    cur.emplace(std::move(mapper));
    columns_ = cur->columns();
    labels = cur->labels();
    file().format = "AWS CUR 2.0";
  } else {
    PLINTH_ASSIGN_OR_RETURN(FocusHeader focus, MapFocusHeader(header, path));
    columns_ = std::move(focus.columns);
    field_column = std::move(focus.field_column);
    file().format = FocusVersionName(focus.version);
    for (std::string& w : focus.warnings) report_.warnings.push_back(std::move(w));
  }

  RowParser row(columns_, std::move(labels));
  std::vector<std::string_view> values(columns_.size());
  std::string reason;
  int64_t outside_period = 0, outside_first_line = 0;
  for (;;) {
    PLINTH_ASSIGN_OR_RETURN(bool more, reader->Next());
    if (!more) break;
    const std::vector<std::string_view>& fields = reader->fields();
    const int64_t line = reader->line();
    ++report_.rows_read;
    ++file().rows_read;
    if (progress_ && reader->input_bytes() != progress.bytes_read) {
      progress.bytes_read = reader->input_bytes();
      progress.rows_read = report_.rows_read;
      progress_(progress);
    }
    if (fields.size() != header.size()) {
      Reject(file(), line,
             "expected " + std::to_string(header.size()) + " fields, got " +
                 std::to_string(fields.size()));
      continue;
    }
    bool mapped = true;
    if (cur) {
      mapped = cur->Map(fields, values, &reason);
    } else {
      std::fill(values.begin(), values.end(), std::string_view());
      for (size_t i = 0; i < fields.size(); ++i) values[field_column[i]] = fields[i];
    }
    if (!mapped || !row.Parse(values, line, &reason)) {
      Reject(file(), line, std::move(reason));
      continue;
    }
    if (row.time(kChargePeriodStart) < row.time(kBillingPeriodStart) ||
        row.time(kChargePeriodEnd) > row.time(kBillingPeriodEnd)) {
      if (outside_period++ == 0) outside_first_line = line;
    }
    PLINTH_RETURN_IF_ERROR(AcceptRow(row, path, line));
  }
  PLINTH_RETURN_IF_ERROR(FlushAll());

  if (outside_period > 0) {
    report_.warnings.push_back(path + ": charge period outside the billing period in " +
                               Rows(outside_period) + " (first at line " +
                               std::to_string(outside_first_line) + ")");
  }
  for (std::string& note : row.Notes(path)) report_.warnings.push_back(std::move(note));
  if (cur) {
    for (const std::string& type : cur->unknown_line_item_types()) {
      report_.warnings.push_back(path + ": line_item_line_item_type \"" + type +
                                 "\" is not known; mapped to ChargeCategory Adjustment");
    }
  }
  progress.bytes_read = reader->file_bytes();
  progress.rows_read = report_.rows_read;
  if (progress_) progress_(progress);
  return {};
}

IngestReport Ingester::Finish() && {
  report_.rows_accepted = report_.rows_read - report_.rows_rejected;
  for (auto& [key, total] : totals_) report_.totals.push_back(std::move(total));
  for (auto& [key, p] : partitions_) {
    report_.partitions.push_back({key, p.end_s, p.currency, p.rows});
  }
  for (const FileSummary& f : report_.files) {
    if (report_.format.find(f.format) == std::string::npos) {
      report_.format += (report_.format.empty() ? "" : ", ") + f.format;
    }
  }
  return std::move(report_);
}

}  // namespace

Result<IngestReport> IngestFiles(std::span<const std::string> paths, IngestSink& sink,
                                 const ProgressFn& progress, const IngestOptions& options) {
  Ingester ingester(sink, progress, options);
  for (size_t i = 0; i < paths.size(); ++i) {
    PLINTH_RETURN_IF_ERROR(ingester.File(paths[i], i, paths.size()));
  }
  return std::move(ingester).Finish();
}

}  // namespace plinth::cost
