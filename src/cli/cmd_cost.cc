// `plinth cost ...`: billing imports and cost queries on the database directly, like the other
// commands (a running server sees an import as soon as it is applied).

#include <unistd.h>

#include <chrono>
#include <algorithm>
#include <cstdio>
#include <fstream>

#include "cli/commands.h"
#include "cost/showback.h"
#include "finops/allocation.h"
#include "finops/cost_data.h"
#include "finops/line_items.h"
#include "finops/query_params.h"

namespace plinth::cli {

namespace {

std::string Bytes(int64_t n) {
  char buf[32];
  if (n >= (int64_t{1} << 30)) {
    std::snprintf(buf, sizeof buf, "%.2f GB", double(n) / (1 << 30));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f MB", double(n) / (1 << 20));
  }
  return buf;
}

// A progress bar on a terminal (redrawn in place), a line every few seconds otherwise.
class ProgressBar {
 public:
  ProgressBar() : tty_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()) {}
  void Update(const cost::IngestProgress& p) {
    auto now = std::chrono::steady_clock::now();
    double secs = std::chrono::duration<double>(now - start_).count();
    if (!tty_ && secs - last_line_ < 5) return;
    last_line_ = secs;
    double done = p.file_bytes > 0 ? double(p.bytes_read) / double(p.file_bytes) : 0;
    if (done > 1) done = 1;
    int filled = int(done * 30);
    std::string bar(size_t(filled), '=');
    if (filled < 30) bar += '>' + std::string(size_t(29 - filled), ' ');
    std::fprintf(stderr, "%s%.*s (%zu/%zu) [%s] %3d%%  %s / %s  %lld rows  %.0f rows/s%s",
                 tty_ ? "\r" : "", int(p.path.size()), p.path.data(), p.file_index + 1,
                 p.file_count, bar.c_str(), int(done * 100), Bytes(p.bytes_read).c_str(),
                 Bytes(p.file_bytes).c_str(), static_cast<long long>(p.rows_read),
                 secs > 0 ? double(p.rows_read) / secs : 0.0, tty_ ? "\033[K" : "\n");
    drawn_ = true;
  }
  void Done() {
    if (tty_ && drawn_) std::fprintf(stderr, "\n");
  }

 private:
  const bool tty_;
  const std::chrono::steady_clock::time_point start_;
  double last_line_ = -10;
  bool drawn_ = false;
};

// The result as aligned columns: keys, then period, currency and cost right-aligned.
void PrintTable(const cost::CostQuery& query, const cost::CostResult& result) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (const auto& d : query.group_by) header.push_back(d.name);
  bool periods = query.granularity != cost::Granularity::kTotal;
  if (periods) header.push_back("period");
  header.push_back("currency");
  header.push_back("cost");
  rows.push_back(header);
  for (const auto& r : result.rows) {
    std::vector<std::string> row;
    for (const auto& k : r.keys) row.push_back(k.empty() ? "(none)" : k);
    if (periods) row.push_back(finops::DayString(r.period_start_s));
    row.push_back(r.currency);
    row.push_back(r.cost.ToString(2));
    rows.push_back(std::move(row));
  }
  std::vector<size_t> width(header.size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      bool last = i + 1 == row.size();
      std::printf(last ? "%*s\n" : "%-*s  ", int(width[i]), row[i].c_str());
    }
  }
}

}  // namespace

Status RunCostImport(const Flags& flags) {
  if (flags.positional().empty()) return Error::Invalid("expected one or more FILEs");
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  finops::ImportOptions options{CliActor(), flags.Has("skip-invalid")};
  ProgressBar bar;
  auto outcome = finops::ImportFiles(*store, SystemClock(), flags.positional(), options,
                                     [&](const cost::IngestProgress& p) { bar.Update(p); });
  bar.Done();
  if (!outcome.ok()) return std::move(outcome).error();
  bool json = flags.GetOr("format", "text") == "json";
  if (json) {
    Json out = finops::ReportJson(outcome->report);
    out["applied"] = outcome->applied;
    out["importId"] = outcome->import_id;
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("%s", cost::FormatReport(outcome->report).c_str());
    for (const auto& p : outcome->partitions) {
      std::printf("%s billing account %s, period from %s: %lld rows\n",
                  p.replaced ? "replaced" : "added", p.billing_account_id.c_str(),
                  finops::DayString(p.billing_period_start_s).c_str(),
                  static_cast<long long>(p.rows));
    }
  }
  if (!outcome->applied) {
    return Error::Invalid(std::to_string(outcome->report.rows_rejected) +
                          " rows rejected: nothing was imported (see the report above; "
                          "--skip-invalid imports the valid rows)");
  }
  return {};
}

Status RunCostQuery(const Flags& flags) {
  auto params = [&](std::string_view name) {
    static const std::map<std::string, std::string, std::less<>> kFlag = {
        {"groupBy", "group-by"}};
    auto it = kFlag.find(name);
    return flags.All(it == kFlag.end() ? std::string(name) : it->second);
  };
  PLINTH_ASSIGN_OR_RETURN(auto query,
                          finops::ParseCostQuery(params, SystemClock().NowMs() / 1000));
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  finops::CostData data(*store);
  PLINTH_ASSIGN_OR_RETURN(auto result, data.Query(query));
  std::string format = flags.GetOr("format", "table");
  if (format == "json") {
    std::printf("%s\n", finops::CostResultJson(query, result).dump(2).c_str());
  } else if (format == "csv") {
    std::printf("%s", finops::CostResultCsv(query, result).c_str());
  } else {
    PrintTable(query, result);
  }
  return {};
}

Status RunCostShowback(const Flags& flags) {
  if (flags.positional().size() != 1) return Error::Invalid("expected a MONTH such as 2026-10");
  PLINTH_ASSIGN_OR_RETURN(auto month, finops::ParseMonth(flags.positional()[0], "MONTH"));
  std::string metric_name = flags.GetOr("metric", "effective");
  auto metric = cost::ParseMetric(metric_name);
  if (!metric) {
    return Error::Invalid("--metric: expected effective, billed, list or contracted (got \"" +
                          metric_name + "\")");
  }
  std::string format = flags.GetOr("format", "text");
  bool chargeback = flags.Has("chargeback");
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  finops::CostData data(*store);
  PLINTH_ASSIGN_OR_RETURN(auto report, finops::AllocateRange(*store, data, month.first,
                                                             month.second, *metric));
  std::string out;
  if (format == "text") {
    out = cost::ShowbackText(report);
  } else if (format == "csv") {
    out = chargeback ? cost::ChargebackCsv(report) : cost::ShowbackCsv(report);
  } else if (format == "xlsx") {
    out = chargeback ? cost::ChargebackXlsx(report) : cost::ShowbackXlsx(report);
  } else if (format == "json") {
    out = cost::ShowbackJson(report).dump(2) + "\n";
  } else {
    return Error::Invalid("--format: expected text, csv, xlsx or json (got \"" + format + "\")");
  }
  if (auto path = flags.Get("out")) {
    std::ofstream file(*path, std::ios::binary);
    if (!(file << out)) return Error::Invalid(*path + ": cannot write the file");
    std::printf("wrote %s\n", path->c_str());
    return {};
  }
  if (format == "xlsx") return Error::Invalid("--format xlsx needs --out FILE");
  std::fwrite(out.data(), 1, out.size(), stdout);
  return {};
}

}  // namespace plinth::cli
