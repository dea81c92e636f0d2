// plinth_cost_gen: writes the demo organisation's FOCUS 1.2 bill as CSV for the cost benchmark
// (bench/cost.sh) and prints one JSON line: rows, bytes, generation time and the exact totals
// an import must reproduce.
//
//   plinth_cost_gen --out FILE [--rows N] [--months M] [--start YYYY-MM] [--hourly] [--seed S]
//
// --rows aims at N rows in all (resource counts scaled; costs unchanged); without it the demo's
// own fleet sizes. --start defaults to 2025-01, --months to 12.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "cost/generate.h"

namespace {

int Usage() {
  std::cerr << "usage: plinth_cost_gen --out FILE [--rows N] [--months M] [--start YYYY-MM] "
               "[--hourly] [--seed S]\n";
  return 2;
}

int64_t MonthStart(int year, int month) {  // days_from_civil for the first of a month
  int y = year - (month <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int64_t(era) * 146097 + doe - 719468) * 86400;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_path;
  int64_t rows = 0;
  int months = 12, year = 2025, month = 1;
  bool hourly = false;
  uint64_t seed = 0;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--hourly") {
      hourly = true;
    } else if (a == "--out" && (v = next())) {
      out_path = v;
    } else if (a == "--rows" && (v = next())) {
      rows = std::atoll(v);
    } else if (a == "--months" && (v = next())) {
      months = std::atoi(v);
    } else if (a == "--seed" && (v = next())) {
      seed = std::strtoull(v, nullptr, 10);
    } else if (a == "--start" && (v = next()) && std::sscanf(v, "%d-%d", &year, &month) == 2) {
    } else {
      return Usage();
    }
  }
  if (out_path.empty() || months < 1 || month < 1 || month > 12) return Usage();

  plinth::cost::OrgSpec spec = plinth::cost::DemoOrgSpec(MonthStart(year, month), months);
  spec.hourly = hourly;
  if (seed != 0) spec.seed = seed;
  if (rows > 0) {
    int64_t days = (MonthStart(year + (month - 1 + months) / 12, (month - 1 + months) % 12 + 1) -
                    spec.start_s) /
                   86400;
    spec.rows_per_day = std::max<int64_t>(1, (rows + days / 2) / days);
  }

  std::ofstream file;
  std::ostream* out = &std::cout;
  if (out_path != "-") {
    file.open(out_path, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "plinth_cost_gen: cannot write " << out_path << "\n";
      return 1;
    }
    out = &file;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto stats = plinth::cost::GenerateFocus(spec, *out);
  out->flush();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!stats.ok()) {
    std::cerr << "plinth_cost_gen: " << stats.error().message << "\n";
    return 1;
  }
  if (!*out) {
    std::cerr << "plinth_cost_gen: writing " << out_path << " failed\n";
    return 1;
  }
  long long bytes = out_path == "-" ? -1 : static_cast<long long>(file.tellp());
  const auto& t = stats->totals.front();
  auto anomaly = plinth::cost::AnomalyWindow(spec);
  std::printf(
      "{\"tool\":\"plinth_cost_gen\",\"rows\":%lld,\"bytes\":%lld,\"days\":%lld,"
      "\"resources\":%lld,\"seconds\":%.3f,\"rows_per_s\":%.0f,\"billed\":\"%s\","
      "\"effective\":\"%s\",\"list\":\"%s\",\"contracted\":\"%s\",\"anomaly_from_s\":%lld}\n",
      static_cast<long long>(stats->rows), bytes, static_cast<long long>(stats->days),
      static_cast<long long>(stats->resources), secs, double(stats->rows) / secs,
      t.billed.ToExactString().c_str(), t.effective.ToExactString().c_str(),
      t.list.ToExactString().c_str(), t.contracted.ToExactString().c_str(),
      static_cast<long long>(anomaly ? anomaly->from_s : 0));
  return 0;
}
