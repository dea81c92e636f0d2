// FormatReport: the ingest report as text for a person.

#include <algorithm>

#include "base/time.h"
#include "cost/ingest.h"

namespace plinth::cost {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Rows as a table: columns separated by two spaces, numeric columns (from `right_from` on)
// right-aligned, each line indented by two spaces.
std::string Table(const Rows& rows, size_t right_from) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = "  ";
    for (size_t i = 0; i < row.size(); ++i) {
      std::string pad(width[i] - row[i].size(), ' ');
      line += i >= right_from ? pad + row[i] : row[i] + pad;
      if (i + 1 < row.size()) line += "  ";
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

std::string Date(int64_t seconds) { return FormatRfc3339(seconds * 1000); }

}  // namespace

std::string FormatReport(const IngestReport& r) {
  std::string out = "Format: " + (r.format.empty() ? std::string("none") : r.format) + "\n";
  out += "Rows: " + std::to_string(r.rows_read) + " read, " + std::to_string(r.rows_accepted) +
         " accepted, " + std::to_string(r.rows_rejected) + " rejected\n";

  out += "\nFiles:\n";
  Rows files = {{"File", "Format", "Bytes", "Rows", "Rejected"}};
  for (const FileSummary& f : r.files) {
    files.push_back({f.path, f.format + (f.gzip ? " (gzip)" : ""), std::to_string(f.bytes),
                     std::to_string(f.rows_read), std::to_string(f.rows_rejected)});
  }
  out += Table(files, 2);

  out += "\nTotals per billing account and currency, rounded to cents:\n";
  Rows rounded = {{"BillingAccountId", "BillingAccountName", "Currency", "Rows", "BilledCost",
                   "EffectiveCost", "ListCost", "ContractedCost"}};
  Rows exact = {{"BillingAccountId", "Currency", "BilledCost", "EffectiveCost", "ListCost",
                 "ContractedCost"}};
  for (const AccountTotal& t : r.totals) {
    rounded.push_back({t.billing_account_id, t.billing_account_name, t.currency,
                       std::to_string(t.rows), t.billed.ToString(), t.effective.ToString(),
                       t.list.ToString(), t.contracted.ToString()});
    exact.push_back({t.billing_account_id, t.currency, t.billed.ToExactString(),
                     t.effective.ToExactString(), t.list.ToExactString(),
                     t.contracted.ToExactString()});
  }
  out += Table(rounded, 3);
  out += "\nTotals per billing account and currency, exact:\n";
  out += Table(exact, 2);

  out += "\nBilling periods imported:\n";
  Rows periods = {
      {"BillingAccountId", "BillingPeriodStart", "BillingPeriodEnd", "Currency", "Rows"}};
  for (const PartitionSummary& p : r.partitions) {
    periods.push_back({p.key.billing_account_id, Date(p.key.billing_period_start_s),
                       Date(p.billing_period_end_s), p.currency, std::to_string(p.rows)});
  }
  out += Table(periods, 4);

  if (r.rounded_values > 0) {
    out += "\n" + std::to_string(r.rounded_values) +
           " decimal values were rounded to fit their column's scale\n";
  }
  if (!r.warnings.empty()) {
    out += "\nWarnings:\n";
    for (const std::string& w : r.warnings) out += "  " + w + "\n";
  }
  if (r.rows_rejected > 0) {
    out += "\nRejected rows";
    if (static_cast<int64_t>(r.rejected.size()) < r.rows_rejected) {
      out += " (the first " + std::to_string(r.rejected.size()) + " of " +
             std::to_string(r.rows_rejected) + ")";
    }
    out += ":\n";
    for (const RejectedRow& row : r.rejected) {
      out += "  " + row.file + ":" + std::to_string(row.line) + ": " + row.reason + "\n";
    }
  }
  return out;
}

}  // namespace plinth::cost
