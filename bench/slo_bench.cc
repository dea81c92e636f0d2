// The SLO engine benchmark (bench/slo.sh runs it): 10,000 generated SLOs with 30 days of
// per-minute data each; the full recompute of every series from its raw minutes
// (MinuteSeries::Build), one evaluation tick (Evaluate + EvaluateAlerts of every SLO at one
// instant, the server's per-minute work), the alert history over the 30 days for a sample, and
// peak RSS. Generation is deterministic (its own PRNG, no std distributions): SLO i's data
// depends on i alone, so batches and the sample see the same SLOs in every run.
//
// 10,000 resident series take about 7 GB, so by default SLOs are built, ticked and freed in
// batches (--batch N, 0 = all at once); the figures are summed over the batches and the memory
// of all 10,000 is the sum of MinuteSeries::MemoryBytes().
//
// --rules N FILE writes Sloth's Prometheus rules (slo::GenerateRules) for the first N SLOs and
// --openmetrics FILE their counters (OpenMetrics text, one sample per minute) for the
// Prometheus peer (bench/slo.sh).
//
//   plinth_slo_bench [--slos N] [--days N] [--batch N] [--history N] [--rules N FILE]
//                    [--openmetrics FILE] [--om-days N] [--om-end-ms MS]

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "slo/budget.h"
#include "slo/burn.h"
#include "slo/calendar.h"
#include "slo/rules.h"
#include "slo/series.h"
#include "slo/window.h"

namespace plinth::slo::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kAtMs = 1795867200000;  // 2026-11-22T12:00:00Z, the evaluation instant
constexpr int64_t kAtMinute = kAtMs / kMinuteMs;

// splitmix64: the same sequence on every platform and standard library.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  int64_t Between(int64_t lo, int64_t hi) { return lo + Below(hi - lo + 1); }  // [lo, hi]
  bool Chance(int percent) { return Below(100) < percent; }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)

 private:
  uint64_t state_;
};

// A stretch of elevated errors or of missing data, in minutes [start, end).
struct Stretch {
  int64_t start = 0;
  int64_t end = 0;
  double error_ratio = 0;  // incidents: the error ratio during the stretch
};

// One generated SLO: its parameters and how its traffic looks.
struct Case {
  std::string name;
  SloParams params;
  std::optional<SliceSpec> index;  // the slices MinuteSeries::Build indexes
  double rate = 0;                 // mean events per minute at the daily peak
  int64_t utc_offset_minutes = 0;  // where the users are: shifts the daily curve
  double base_error = 0;           // error ratio outside incidents
  std::vector<Stretch> incidents;
  std::vector<Stretch> gaps;  // minutes without data (a collector down)
};

constexpr std::array<const char*, 5> kZones = {"Europe/Berlin", "America/New_York",
                                               "Asia/Tokyo", "Australia/Sydney", "UTC"};
constexpr std::array<int64_t, 5> kZoneOffsets = {60, -300, 540, 660, 0};  // November

Case MakeCase(int64_t index, int64_t days) {
  Rng rng(0x5107ULL * 1000003 + static_cast<uint64_t>(index));
  Case c;
  char name[32];
  std::snprintf(name, sizeof name, "slo-%05d", static_cast<int>(index));
  c.name = name;
  static constexpr std::array<double, 6> kObjectives = {0.99, 0.995, 0.999, 0.999, 0.9995, 0.9999};
  c.params.objective = kObjectives[static_cast<size_t>(rng.Below(kObjectives.size()))];
  int64_t method = rng.Below(100);
  if (method < 80) {
    c.params.method = BudgetingMethod::kOccurrences;
  } else {
    c.params.method =
        method < 95 ? BudgetingMethod::kTimeslices : BudgetingMethod::kRatioTimeslices;
    c.params.slice.minutes = rng.Chance(50) ? 1 : 5;
    static constexpr std::array<double, 3> kTargets = {0.95, 0.99, 0.999};
    c.params.slice.target = kTargets[static_cast<size_t>(rng.Below(kTargets.size()))];
    c.index = c.params.slice;
  }
  // Windows: mostly rolling 30d, a few 28d and 7d, 20% calendar months in several zones.
  int64_t zone = rng.Below(kZones.size());
  int64_t window = rng.Below(100);
  if (window < 20) {
    c.params.window = TimeWindow::Calendar({CalendarUnit::kMonth, 1, kZones[zone], {}});
  } else if (window < 25) {
    c.params.window = TimeWindow::Rolling(28 * kMinutesPerDay);
  } else if (window < 30) {
    c.params.window = TimeWindow::Rolling(7 * kMinutesPerDay);
  } else {
    c.params.window = TimeWindow::Rolling(30 * kMinutesPerDay);
  }
  // Traffic: peak events per minute log-uniform from 0.5 (a cron endpoint) to 200,000.
  c.rate = 0.5 * std::pow(400000.0, rng.Unit());
  c.utc_offset_minutes = kZoneOffsets[zone];
  // Errors: a baseline of 1% to 50% of the budget, and incidents.
  c.base_error = (1 - c.params.objective) * (0.01 + 0.49 * rng.Unit());
  const int64_t first = kAtMinute - days * kMinutesPerDay;
  int64_t incidents = rng.Below(4);  // 0 to 3 in 30 days
  for (int64_t i = 0; i < incidents; ++i) {
    static constexpr std::array<int64_t, 6> kLengths = {3, 5, 10, 30, 60, 180};
    int64_t len = kLengths[static_cast<size_t>(rng.Below(kLengths.size()))];
    int64_t start = first + rng.Below(days * kMinutesPerDay - len);
    // From a minor slowdown (burn rate 2) to an outage (burn rate 256, or 100% errors).
    double burn = std::pow(2.0, 1 + 7 * rng.Unit());
    double ratio = std::min(1.0, burn * (1 - c.params.objective));
    c.incidents.push_back({start, start + len, ratio});
  }
  if (rng.Chance(10)) {  // a collector outage of 5 minutes to 3 hours
    int64_t len = rng.Between(5, 180);
    int64_t start = first + rng.Below(days * kMinutesPerDay - len);
    c.gaps.push_back({start, start + len, 0});
  }
  return c;
}

// The daily and weekly shape: 1 at the local peak (14:00), 0.15 at 03:00, weekends at 60%.
double Shape(int64_t local_minute) {
  constexpr double kPi = 3.14159265358979323846;
  int64_t minute_of_day = ((local_minute % kMinutesPerDay) + kMinutesPerDay) % kMinutesPerDay;
  double phase = 2 * kPi * static_cast<double>(minute_of_day - 14 * 60) / kMinutesPerDay;
  double daily = 0.575 + 0.425 * std::cos(phase);
  int64_t day = FloorDiv(local_minute, kMinutesPerDay);
  int64_t weekday = ((day + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday (3, Monday = 0)
  return weekday >= 5 ? 0.6 * daily : daily;
}

// A count with mean `mean`: Poisson-like noise, integral.
double Count(Rng& rng, double mean) {
  if (mean <= 0) return 0;
  if (mean < 20) {  // Poisson by inversion
    double l = std::exp(-mean), p = rng.Unit();
    double k = 0;
    while (p > l) {
      p *= rng.Unit();
      k += 1;
    }
    return k;
  }
  // Normal approximation (sum of 4 uniforms, variance 1/3) scaled to variance = mean.
  double z = (rng.Unit() + rng.Unit() + rng.Unit() + rng.Unit() - 2) * std::sqrt(3.0);
  return std::max(0.0, std::round(mean + z * std::sqrt(mean)));
}

// The raw minutes of `c` over the `days` before the evaluation instant, into `out`.
void Generate(const Case& c, int64_t index, int64_t days, std::vector<MinutePoint>& out) {
  Rng rng(0xda7aULL * 1000003 + static_cast<uint64_t>(index));
  out.clear();
  const int64_t first = kAtMinute - days * kMinutesPerDay;
  for (int64_t m = first; m < kAtMinute; ++m) {
    bool gap = false;
    for (const Stretch& g : c.gaps) gap |= m >= g.start && m < g.end;
    if (gap) continue;
    double total = Count(rng, c.rate * Shape(m + c.utc_offset_minutes));
    double ratio = c.base_error;
    for (const Stretch& s : c.incidents) {
      if (m >= s.start && m < s.end) ratio = std::max(ratio, s.error_ratio);
    }
    double bad = std::min(total, Count(rng, total * ratio));
    out.push_back({m, total - bad, total});
  }
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CPU time of this thread in ms: on a shared machine wall time also counts other processes.
double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

template <typename T>
T Unwrap(Result<T> r, const std::string& what) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", what.c_str(), r.error().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024;  // ru_maxrss is in KiB on Linux
}

std::string Thousands(int64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string KindOf(const Case& c) {
  std::string s = MethodName(c.params.method);
  if (c.params.timeslices()) s += " " + FormatMinutes(c.params.slice.minutes);
  return s;
}

void PrintWorkload(int64_t n, int64_t days, const std::vector<Case>& cases) {
  std::map<std::string, int> kinds, windows;
  double points_per_minute = 0;
  int64_t incidents = 0, gaps = 0;
  for (const Case& c : cases) {
    ++kinds[KindOf(c)];
    ++windows[Describe(c.params.window)];
    incidents += static_cast<int64_t>(c.incidents.size());
    gaps += static_cast<int64_t>(c.gaps.size());
    points_per_minute += c.rate;
  }
  std::printf("%s SLOs x %" PRId64 " days of per-minute data (%s minutes each), evaluated at "
              "2026-11-22T12:00:00Z\n",
              Thousands(n).c_str(), days, Thousands(days * kMinutesPerDay).c_str());
  std::printf("methods:");
  for (const auto& [k, count] : kinds) std::printf(" %s %d;", k.c_str(), count);
  std::printf("\nwindows:");
  for (const auto& [k, count] : windows) std::printf(" %s %d;", k.c_str(), count);
  std::printf("\n%s incidents, %s collector gaps; peak traffic 0.5 to 200,000 events/minute "
              "(log-uniform), daily curve in the users' zone, weekends at 60%%\n\n",
              Thousands(incidents).c_str(), Thousands(gaps).c_str());
}

struct Figures {
  int64_t points = 0;
  double generate_ms = 0;
  double build_ms = 0;
  double build_cpu_ms = 0;
  double tick_ms = 0;
  double tick_cpu_ms = 0;
  double history_cpu_ms = 0;
  double evaluate_ms = 0;  // Evaluate alone, within tick_ms
  size_t memory_bytes = 0;
  size_t max_memory_bytes = 0;
  std::map<std::string, std::pair<int64_t, size_t>> memory_by_kind;  // count, bytes
  std::map<std::string, int64_t> conditions;                         // active at the tick
  int64_t no_data = 0, exhausted = 0;
  std::vector<double> tick_us;  // per SLO
  std::map<std::string, std::pair<int64_t, double>> tick_by_kind;  // count, ms
  std::map<std::string, std::pair<int64_t, double>> build_by_kind;
  std::string slowest;  // the SLO of the slowest tick
  double slowest_us = 0;
  // AlertHistory over the data's span for the sample.
  int64_t history_slos = 0;
  double history_ms = 0;
  int64_t history_intervals = 0;
  std::map<std::string, int64_t> history_by_kind;
};

void RunBatch(const std::vector<Case>& cases, int64_t begin, int64_t end, int64_t days,
              int64_t history_every, Figures& f) {
  std::vector<MinuteSeries> series(static_cast<size_t>(end - begin));
  std::vector<MinutePoint> raw;
  raw.reserve(static_cast<size_t>(days * kMinutesPerDay));
  // (1) The full recompute: every series from its raw minutes. Generation is timed apart.
  for (int64_t i = begin; i < end; ++i) {
    const Case& c = cases[static_cast<size_t>(i)];
    auto t0 = Clock::now();
    Generate(c, i, days, raw);
    auto t1 = Clock::now();
    double cpu = CpuMs();
    series[static_cast<size_t>(i - begin)] = Unwrap(MinuteSeries::Build(raw, c.index), c.name);
    f.build_cpu_ms += CpuMs() - cpu;
    auto t2 = Clock::now();
    f.generate_ms += Ms(t1 - t0);
    f.build_ms += Ms(t2 - t1);
    auto& [built, build_ms] = f.build_by_kind[KindOf(c)];
    ++built;
    build_ms += Ms(t2 - t1);
    f.points += static_cast<int64_t>(raw.size());
    size_t bytes = series[static_cast<size_t>(i - begin)].MemoryBytes();
    f.memory_bytes += bytes;
    f.max_memory_bytes = std::max(f.max_memory_bytes, bytes);
    auto& [count, sum] = f.memory_by_kind[KindOf(c)];
    ++count;
    sum += bytes;
  }
  // (2) One tick: the status and the alert conditions of every SLO at the same instant.
  AlertPolicy policy;
  double cpu = CpuMs();
  auto start = Clock::now();
  for (int64_t i = begin; i < end; ++i) {
    const Case& c = cases[static_cast<size_t>(i)];
    const MinuteSeries& s = series[static_cast<size_t>(i - begin)];
    auto t0 = Clock::now();
    BudgetStatus status = Unwrap(Evaluate(c.params, s, kAtMs), c.name);
    auto t1 = Clock::now();
    std::vector<ActiveCondition> active =
        Unwrap(EvaluateAlerts(c.params, policy, s, kAtMs), c.name);
    auto t2 = Clock::now();
    f.evaluate_ms += Ms(t1 - t0);
    if (Ms(t2 - t0) * 1000 > f.slowest_us) {
      f.slowest_us = Ms(t2 - t0) * 1000;
      f.slowest = c.name + " (" + KindOf(c) + ", " + Describe(c.params.window) + ")";
    }
    f.tick_us.push_back(Ms(t2 - t0) * 1000);
    for (const std::string& k : {KindOf(c), Describe(c.params.window)}) {
      auto& [ticked, tick_ms] = f.tick_by_kind[k];
      ++ticked;
      tick_ms += Ms(t2 - t0);
    }
    f.no_data += status.no_data;
    f.exhausted += status.exhausted();
    for (const ActiveCondition& a : active) ++f.conditions[ConditionName(a.kind)];
  }
  f.tick_ms += Ms(Clock::now() - start);
  f.tick_cpu_ms += CpuMs() - cpu;
  // (3) The alert history over the data's span, every minute, for every history_every-th SLO.
  for (int64_t i = begin; i < end; ++i) {
    if (history_every == 0 || i % history_every != 0) continue;
    const Case& c = cases[static_cast<size_t>(i)];
    auto t0 = Clock::now();
    double history_cpu = CpuMs();
    std::vector<AlertInterval> intervals =
        Unwrap(AlertHistory(c.params, policy, series[static_cast<size_t>(i - begin)],
                            kAtMs - days * kMinutesPerDay * kMinuteMs, kAtMs),
               c.name);
    f.history_ms += Ms(Clock::now() - t0);
    f.history_cpu_ms += CpuMs() - history_cpu;
    ++f.history_slos;
    f.history_intervals += static_cast<int64_t>(intervals.size());
    for (const AlertInterval& a : intervals) ++f.history_by_kind[ConditionName(a.kind)];
  }
}

void PrintFigures(const Figures& f, int64_t n, int64_t batch, int64_t days) {
  auto nd = static_cast<double>(n);
  const double mib = 1024.0 * 1024.0;
  std::printf("(1) Full recompute: MinuteSeries::Build from the raw minutes, all %s SLOs "
              "(%s points; generating them took %.1f s more)\n",
              Thousands(n).c_str(), Thousands(f.points).c_str(), f.generate_ms / 1000);
  std::printf("  %-34s %10.2f s   (%.0f us per SLO, %.1f ns per minute)\n", "build, wall time",
              f.build_ms / 1000, f.build_ms * 1000 / nd,
              f.build_ms * 1e6 / static_cast<double>(f.points));
  std::printf("  %-34s %10.2f s   (%.0f us per SLO, %.1f ns per minute)\n", "build, CPU time",
              f.build_cpu_ms / 1000, f.build_cpu_ms * 1000 / nd,
              f.build_cpu_ms * 1e6 / static_cast<double>(f.points));
  std::printf("  by method (wall time):\n");
  for (const auto& [k, v] : f.build_by_kind) {
    std::printf("    %-32s %10.0f us per SLO (%d)\n", k.c_str(), v.second * 1000 / static_cast<double>(v.first),
                static_cast<int>(v.first));
  }
  std::vector<double> us = f.tick_us;
  std::sort(us.begin(), us.end());
  auto pct = [&](double p) { return us[static_cast<size_t>(p * static_cast<double>(us.size() - 1))]; };
  std::printf("\n(2) One tick: Evaluate + EvaluateAlerts of every SLO at 2026-11-22T12:00:00Z\n");
  std::printf("  %-34s %10.2f ms  (%.2f us per SLO; Evaluate alone %.2f ms)\n",
              "all SLOs, wall time", f.tick_ms, f.tick_ms * 1000 / nd, f.evaluate_ms);
  std::printf("  %-34s %10.2f ms  (%.2f us per SLO)\n", "all SLOs, CPU time", f.tick_cpu_ms,
              f.tick_cpu_ms * 1000 / nd);
  std::printf("  %-34s %10.2f us p50, %.2f us p99, %.2f us max\n", "one SLO", pct(0.5), pct(0.99),
              us.back());
  std::printf("  %-34s %s\n", "slowest", f.slowest.c_str());
  for (const auto& [k, v] : f.tick_by_kind) {
    std::printf("    %-32s %10.2f us per SLO (%d)\n", k.c_str(), v.second * 1000 / static_cast<double>(v.first),
                static_cast<int>(v.first));
  }
  std::printf("  %-34s %10s no data, %s budgets exhausted\n", "found", Thousands(f.no_data).c_str(),
              Thousands(f.exhausted).c_str());
  std::printf("  %-34s", "active conditions");
  for (const auto& [k, count] : f.conditions) std::printf(" %s %s;", k.c_str(), Thousands(count).c_str());
  std::printf("\n");
  if (f.history_slos > 0) {
    double per = f.history_ms / static_cast<double>(f.history_slos);
    std::printf("\n(3) AlertHistory over the %" PRId64 " days (%s minute boundaries), a sample of "
                "%s SLOs\n",
                days, Thousands(days * kMinutesPerDay).c_str(), Thousands(f.history_slos).c_str());
    std::printf("  %-34s %10.2f s   (%.1f ms per SLO, %.0f ns per minute)\n", "sample, wall time",
                f.history_ms / 1000, per, per * 1e6 / static_cast<double>(days * kMinutesPerDay));
    std::printf("  %-34s %10.2f s   (%.1f ms per SLO)\n", "sample, CPU time",
                f.history_cpu_ms / 1000, f.history_cpu_ms / static_cast<double>(f.history_slos));
    std::printf("  %-34s %10.1f s   (extrapolated from the wall time; %.1f s CPU)\n",
                ("all " + Thousands(n) + " SLOs").c_str(), per * nd / 1000,
                f.history_cpu_ms / static_cast<double>(f.history_slos) * nd / 1000);
    std::printf("  %-34s %10s;", "intervals found", Thousands(f.history_intervals).c_str());
    for (const auto& [k, count] : f.history_by_kind) std::printf(" %s %s;", k.c_str(), Thousands(count).c_str());
    std::printf("\n");
  }
  std::printf("\n(4) Memory\n");
  std::printf("  %-34s %10.1f MiB  (%.0f KiB per SLO on average, %.0f KiB at most)\n",
              "series of all SLOs (MemoryBytes)", static_cast<double>(f.memory_bytes) / mib,
              static_cast<double>(f.memory_bytes) / nd / 1024,
              static_cast<double>(f.max_memory_bytes) / 1024);
  for (const auto& [k, v] : f.memory_by_kind) {
    std::printf("    %-32s %10.0f KiB per SLO (%d)\n", k.c_str(),
                static_cast<double>(v.second) / static_cast<double>(v.first) / 1024,
                static_cast<int>(v.first));
  }
  std::printf("  %-34s %10.1f MiB  (%s)\n", "peak RSS", PeakRssMiB(),
              batch >= n ? "all series resident at once"
                         : ("batches of " + Thousands(batch) + " series resident at a time").c_str());
}

// Sloth's rules for the first `count` SLOs: events SLIs on the counters WriteOpenMetrics writes.
bool WriteRules(const std::vector<Case>& cases, int64_t count, const std::string& path) {
  std::vector<RuleSlo> slos;
  for (int64_t i = 0; i < count && i < static_cast<int64_t>(cases.size()); ++i) {
    const Case& c = cases[static_cast<size_t>(i)];
    RuleSlo r;
    r.service = "bench";
    r.name = c.name;
    r.objective = c.params.objective * 100;
    r.period_ms = 30 * kRuleDayMs;
    r.events = EventsSli{
        "sum(rate(bench_requests_total{slo=\"" + c.name + "\",result=\"bad\"}[{{.window}}]))",
        "sum(rate(bench_requests_total{slo=\"" + c.name + "\"}[{{.window}}]))"};
    r.alerting.name = "SloBurn" + c.name.substr(4);  // "SloBurn00042"
    slos.push_back(std::move(r));
  }
  std::string rules = Unwrap(GenerateRules(slos, RuleOptions{}), "GenerateRules");
  std::ofstream out(path, std::ios::binary);
  out << rules;
  return static_cast<bool>(out);
}

// The counters of the first `count` SLOs over the last `om_days` days, one sample per minute,
// as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`; and the two series
// Sloth's rules record from them every minute, slo:sli_error_events:rate5m and
// slo:sli_total_events:rate5m (exact 5-minute rates), which the period's rule sums over 30
// days: without them backfilled it would read only what Prometheus recorded since it started.
// Timestamps are shifted so that the data ends at the minute of `end_ms` (a live Prometheus
// evaluates its rules at the present).
bool WriteOpenMetrics(const std::vector<Case>& cases, int64_t count, int64_t days,
                      int64_t om_days, int64_t end_ms, const std::string& path) {
  const int64_t shift = FloorDiv(end_ms, kMinuteMs) - kAtMinute;
  const int64_t from = kAtMinute - om_days * kMinutesPerDay;
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (!out) return false;
  std::vector<MinutePoint> raw;
  // family 0: the counters; 1: error events per second over 5m; 2: all events per second.
  for (int family = 0; family < 3; ++family) {
    const char* name = family == 0   ? "bench_requests_total"
                       : family == 1 ? "slo:sli_error_events:rate5m"
                                     : "slo:sli_total_events:rate5m";
    std::fprintf(out, "# TYPE %s %s\n", family == 0 ? "bench_requests" : name,
                 family == 0 ? "counter" : "gauge");
    for (int64_t i = 0; i < count && i < static_cast<int64_t>(cases.size()); ++i) {
      const Case& c = cases[static_cast<size_t>(i)];
      Generate(c, i, days, raw);
      // Cumulative counts at the end of every minute of the span (gaps keep the last value).
      const int64_t first = kAtMinute - days * kMinutesPerDay;
      std::vector<double> good(static_cast<size_t>(days * kMinutesPerDay) + 1, 0);
      std::vector<double> bad(good.size(), 0);
      size_t next = 0;
      for (size_t m = 1; m < good.size(); ++m) {
        good[m] = good[m - 1];
        bad[m] = bad[m - 1];
        if (next < raw.size() && raw[next].minute == first + static_cast<int64_t>(m) - 1) {
          good[m] += raw[next].good;
          bad[m] += raw[next].total - raw[next].good;
          ++next;
        }
      }
      for (size_t m = 1; m < good.size(); ++m) {
        int64_t minute = first + static_cast<int64_t>(m) - 1;  // the sample ends this minute
        if (minute < from) continue;
        long long ts = static_cast<long long>((minute + 1 + shift) * 60);
        if (family == 0) {
          std::fprintf(out, "%s{slo=\"%s\",result=\"good\"} %.0f %lld\n", name, c.name.c_str(),
                       good[m], ts);
          std::fprintf(out, "%s{slo=\"%s\",result=\"bad\"} %.0f %lld\n", name, c.name.c_str(),
                       bad[m], ts);
          continue;
        }
        if (m < 5) continue;
        double value = family == 1 ? (bad[m] - bad[m - 5]) / 300
                                   : (good[m] + bad[m] - good[m - 5] - bad[m - 5]) / 300;
        std::fprintf(out,
                     "%s{sloth_id=\"bench-%s\",sloth_service=\"bench\",sloth_slo=\"%s\","
                     "sloth_window=\"5m\"} %.6g %lld\n",
                     name, c.name.c_str(), c.name.c_str(), value, ts);
      }
    }
  }
  std::fprintf(out, "# EOF\n");
  return std::fclose(out) == 0;
}

int Run(int argc, char** argv) {
  int64_t n = 10000, days = 30, batch = 1000, history = 100, rules_count = 0, om_days = 0;
  int64_t om_end_ms = kAtMs;
  std::string rules_path, om_path;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--slos" && has_value) {
      n = std::atoll(argv[++i]);
    } else if (arg == "--days" && has_value) {
      days = std::atoll(argv[++i]);
    } else if (arg == "--batch" && has_value) {
      batch = std::atoll(argv[++i]);
    } else if (arg == "--history" && has_value) {
      history = std::atoll(argv[++i]);
    } else if (arg == "--rules" && i + 2 < argc) {
      rules_count = std::atoll(argv[++i]);
      rules_path = argv[++i];
    } else if (arg == "--openmetrics" && has_value) {
      om_path = argv[++i];
    } else if (arg == "--om-days" && has_value) {
      om_days = std::atoll(argv[++i]);
    } else if (arg == "--om-end-ms" && has_value) {
      om_end_ms = std::atoll(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: plinth_slo_bench [--slos N] [--days N] [--batch N (0: all)] "
                   "[--history N] [--rules N FILE] [--openmetrics FILE] [--om-days N] [--om-end-ms MS]\n");
      return 2;
    }
  }
  if (om_days == 0) om_days = days;
  if (n < 1 || days < 1 || days > 365 || batch < 0 || history < 0 || om_days < 1 ||
      om_days > days || (!om_path.empty() && rules_count < 1)) {
    std::fprintf(stderr, "bad arguments (--openmetrics needs --rules)\n");
    return 2;
  }
  if (batch == 0 || batch > n) batch = n;
  std::vector<Case> cases;
  cases.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) cases.push_back(MakeCase(i, days));
  PrintWorkload(n, days, cases);

  // The tz database loads on the first look-up of a zone (a server has done that long before
  // its first tick); timed here apart from the tick.
  auto tz_start = Clock::now();
  for (const char* zone : kZones) Unwrap(FindZone(zone), zone);
  std::printf("tz database loaded and %d zones found in %.1f ms (once per process)\n\n",
              static_cast<int>(kZones.size()), Ms(Clock::now() - tz_start));

  Figures f;
  const int64_t history_every = history == 0 ? 0 : std::max<int64_t>(1, n / history);
  for (int64_t begin = 0; begin < n; begin += batch) {
    RunBatch(cases, begin, std::min(n, begin + batch), days, history_every, f);
  }
  PrintFigures(f, n, batch, days);

  if (!rules_path.empty() && !WriteRules(cases, rules_count, rules_path)) {
    std::fprintf(stderr, "cannot write %s\n", rules_path.c_str());
    return 1;
  }
  if (!om_path.empty() && !WriteOpenMetrics(cases, rules_count, days, om_days, om_end_ms, om_path)) {
    std::fprintf(stderr, "cannot write %s\n", om_path.c_str());
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace plinth::slo::bench

int main(int argc, char** argv) { return plinth::slo::bench::Run(argc, argv); }
