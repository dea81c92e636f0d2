// `plinth cost ...`: billing imports and cost queries on the database directly, like the other
// commands (a running server sees an import as soon as it is applied).

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "cli/commands.h"
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
    std::string csv = finops::CostResultCsv(query, result);
    for (char& c : csv) {
      if (c == ',') c = '\t';
    }
    std::printf("%s", csv.c_str());
  }
  return {};
}

}  // namespace plinth::cli
