// The on-call schedule benchmark (bench/oncall.sh runs it): 1,000 generated schedules, the
// final schedule of the calendar year 2026 for all of them, and "who is on call" lookups three
// ways. Generation is deterministic (its own PRNG, no std distributions), so every run and the
// Python peer (bench/schedule_peer.py, fed by --dump) see the same schedules.
//
//   plinth_schedule_bench [--schedules N] [--lookups N] [--repeat N] [--dump FILE]

#include <date/date.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "schedule/model.h"
#include "schedule/resolve.h"
#include "schedule/spec.h"

namespace plinth::schedule::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kYearFromMs = 1767225600000;  // 2026-01-01T00:00:00Z
constexpr int64_t kYearToMs = 1798761600000;    // 2027-01-01T00:00:00Z
constexpr int64_t kHourMs = kHour * 1000;
constexpr int64_t kDayMs = kDay * 1000;

constexpr std::array<const char*, 6> kZones = {"Europe/Berlin",       "America/New_York",
                                               "America/Los_Angeles", "Asia/Kolkata",
                                               "Australia/Sydney",    "UTC"};

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
  // Uniform in [0, n). REQUIRES: n > 0.
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  int64_t Between(int64_t lo, int64_t hi) { return lo + Below(hi - lo + 1); }  // [lo, hi]
  bool Chance(int percent) { return Below(100) < percent; }

 private:
  uint64_t state_;
};

struct Case {
  Schedule schedule;
  std::vector<Override> overrides;
};

int64_t LocalDayS(int y, unsigned m, unsigned d) {
  date::local_days day{date::year{y} / date::month{m} / date::day{d}};
  return static_cast<int64_t>(day.time_since_epoch().count()) * kDay;
}

std::string PersonName(int64_t i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "person-%04d", static_cast<int>(i));
  return buf;
}

// Restriction sets a team would really configure.
std::vector<Restriction> PickRestrictions(Rng& rng) {
  switch (rng.Below(6)) {
    case 0:  // business hours every day
      return {{Restriction::kDaily, 0, 9 * kHour, 8 * kHour}};
    case 1: {  // business hours on weekdays, one window per day
      std::vector<Restriction> rs;
      for (int d = 0; d < 5; ++d) rs.push_back({Restriction::kWeekly, d, 9 * kHour, 8 * kHour});
      return rs;
    }
    case 2:  // Monday 09:00 to Friday 17:00 as one window
      return {{Restriction::kWeekly, 0, 9 * kHour, 4 * kDay + 8 * kHour}};
    case 3:  // nights, past midnight
      return {{Restriction::kDaily, 0, 17 * kHour, 16 * kHour}};
    case 4:  // the weekend, Friday 17:00 to Monday 09:00
      return {{Restriction::kWeekly, 4, 17 * kHour, 2 * kDay + 16 * kHour}};
    default:  // follow the sun: a 12-hour local day
      return {{Restriction::kDaily, 0, 8 * kHour, 12 * kHour}};
  }
}

Layer MakeLayer(Rng& rng, int index, const std::vector<std::string>& team) {
  Layer layer;
  layer.name = "layer-" + std::to_string(index + 1);
  int64_t turn_pick = rng.Below(100);
  layer.turn_s = turn_pick < 45 ? kWeek : turn_pick < 75 ? kDay : 12 * kHour;
  // Handoff time of day; a few at 01:30 and 02:30, inside DST gaps and repeated hours.
  static constexpr std::array<int64_t, 8> kHandoffs = {
      9 * kHour, 9 * kHour, 10 * kHour, 8 * kHour, 0, 17 * kHour, 12 * kHour, 9 * kHour};
  int64_t tod = layer.turn_s == 12 * kHour ? (7 + rng.Below(3)) * kHour
                                           : kHandoffs[static_cast<size_t>(rng.Below(8))];
  if (rng.Chance(4)) tod = rng.Chance(50) ? kHour + 30 * kMinute : 2 * kHour + 30 * kMinute;
  // Rotation start: a day from 2025-01-06 (a Monday) to 2026-07-04; weekly ones mostly on Monday.
  int64_t day = rng.Below(545);
  if (layer.turn_s == kWeek && rng.Chance(80)) day -= day % 7;
  layer.start_local_s = LocalDayS(2025, 1, 6) + day * kDay + tod;
  // Participants: the whole team on the first layer, a rotated subset (at least 2) above it.
  auto m = static_cast<int64_t>(team.size());
  int64_t count = index == 0 ? m : rng.Between(2, m);
  int64_t first = rng.Below(m);
  for (int64_t i = 0; i < count; ++i) {
    layer.participants.push_back(team[static_cast<size_t>((first + i) % m)]);
  }
  if (rng.Chance(index == 0 ? 10 : 60)) layer.restrictions = PickRestrictions(rng);
  if (rng.Chance(5)) layer.end_ms = kYearFromMs + rng.Below(365) * kDayMs + rng.Below(24) * kHourMs;
  return layer;
}

Case MakeCase(Rng& rng, int index) {
  Case c;
  char name[32];
  std::snprintf(name, sizeof name, "schedule-%04d", index);
  c.schedule.name = name;
  c.schedule.time_zone = kZones[static_cast<size_t>(rng.Below(kZones.size()))];
  std::vector<std::string> team;
  int64_t size = rng.Between(2, 10);
  while (static_cast<int64_t>(team.size()) < size) {
    std::string p = PersonName(rng.Below(3000));
    if (std::find(team.begin(), team.end(), p) == team.end()) team.push_back(p);
  }
  int64_t pick = rng.Below(100);
  int layers = pick < 50 ? 1 : pick < 85 ? 2 : 3;
  for (int i = 0; i < layers; ++i) c.schedule.layers.push_back(MakeLayer(rng, i, team));
  // A few overrides, disjoint, inside the year.
  static constexpr std::array<int64_t, 7> kLengths = {2, 4, 8, 12, 24, 48, 72};
  int64_t want = rng.Below(5);
  for (int attempt = 0; attempt < 20 && static_cast<int64_t>(c.overrides.size()) < want;
       ++attempt) {
    int64_t len = kLengths[static_cast<size_t>(rng.Below(kLengths.size()))] * kHourMs;
    int64_t start = kYearFromMs + rng.Below((kYearToMs - kYearFromMs - len) / kHourMs) * kHourMs;
    bool overlaps = false;
    for (const Override& o : c.overrides) overlaps |= start < o.end_ms && o.start_ms < start + len;
    if (overlaps) continue;
    std::string person =
        rng.Chance(80) ? team[static_cast<size_t>(rng.Below(size))] : PersonName(rng.Below(3000));
    c.overrides.push_back(
        {"o" + std::to_string(c.overrides.size() + 1), person, start, start + len});
  }
  return c;
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

template <typename T>
T Unwrap(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

// The entry of a final schedule in effect at `at_ms`, or null outside it.
const Shift* EntryAt(const std::vector<Shift>& final, int64_t at_ms) {
  auto it = std::upper_bound(final.begin(), final.end(), at_ms,
                             [](int64_t t, const Shift& s) { return t < s.end_ms; });
  return it == final.end() || it->start_ms > at_ms ? nullptr : &*it;
}

// True when `got`, resolved over [from_ms, to_ms), is the year's entry `year` seen through that
// window: same person and source, and each end that both know matches.
bool Agrees(const Shift& got, const Shift& year, int64_t from_ms, int64_t to_ms) {
  if (got.person != year.person || got.source != year.source) return false;
  if ((year.start_ms > kYearFromMs || from_ms >= kYearFromMs) &&
      got.start_ms != std::max(year.start_ms, from_ms)) {
    return false;
  }
  if ((year.end_ms < kYearToMs || to_ms <= kYearToMs) &&
      got.end_ms != std::min(year.end_ms, to_ms)) {
    return false;
  }
  return true;
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

Json DumpCase(const Case& c, const std::vector<Shift>& final) {
  Json layers = Json::array();
  for (const Layer& l : c.schedule.layers) {
    Json rs = Json::array();
    for (const Restriction& r : l.restrictions) {
      rs.push_back({{"kind", r.kind == Restriction::kDaily ? "daily" : "weekly"},
                    {"start_day", r.start_day},
                    {"start_s", r.start_s},
                    {"duration_s", r.duration_s}});
    }
    layers.push_back({{"name", l.name},
                      {"participants", l.participants},
                      {"turn_s", l.turn_s},
                      {"start_local_s", l.start_local_s},
                      {"start", FormatLocalTime(l.start_local_s)},
                      {"end_ms", l.end_ms ? Json(*l.end_ms) : Json(nullptr)},
                      {"restrictions", rs}});
  }
  Json overrides = Json::array();
  for (const Override& o : c.overrides) {
    overrides.push_back(
        {{"id", o.id}, {"person", o.person}, {"start_ms", o.start_ms}, {"end_ms", o.end_ms}});
  }
  std::map<std::string, int64_t> by_person;
  int64_t on_call = 0;
  for (const Shift& s : final) {
    if (s.person.empty()) continue;
    by_person[s.person] += s.end_ms - s.start_ms;
    on_call += s.end_ms - s.start_ms;
  }
  return {
      {"name", c.schedule.name},
      {"time_zone", c.schedule.time_zone},
      {"layers", layers},
      {"overrides", overrides},
      {"engine",
       {{"final_entries", final.size()}, {"on_call_ms", on_call}, {"by_person_ms", by_person}}}};
}

void PrintWorkload(const std::vector<Case>& cases) {
  std::map<std::string, int> zones;
  std::map<int64_t, int> turns;
  int64_t layers = 0, restricted = 0, overrides = 0;
  for (const Case& c : cases) {
    ++zones[c.schedule.time_zone];
    overrides += static_cast<int64_t>(c.overrides.size());
    for (const Layer& l : c.schedule.layers) {
      ++layers;
      restricted += !l.restrictions.empty();
      ++turns[l.turn_s];
    }
  }
  std::printf(
      "%s schedules, %s layers (%d weekly, %d daily, %d 12-hour turns; %s with restrictions), "
      "%s overrides\n",
      Thousands(static_cast<int64_t>(cases.size())).c_str(), Thousands(layers).c_str(),
      turns[kWeek], turns[kDay], turns[12 * kHour], Thousands(restricted).c_str(),
      Thousands(overrides).c_str());
  std::printf("zones:");
  for (const auto& [zone, count] : zones) std::printf(" %s %d", zone.c_str(), count);
  std::printf("\n\n");
}

// (1) The final schedule of 2026 for every schedule, `repeat` times.
struct YearFigures {
  std::vector<std::vector<Shift>> finals;  // finals[i]: the year of cases[i] (first run)
  double best_ms = 0;
  double median_ms = 0;
  int64_t entries = 0;  // final entries, all schedules
};

YearFigures ResolveYear(const std::vector<Case>& cases, int repeat) {
  YearFigures y;
  y.finals.resize(cases.size());
  std::vector<double> runs_ms;
  std::vector<double> one_us(cases.size());  // per schedule, last run
  int64_t layer_shifts = 0;
  for (int r = 0; r < repeat; ++r) {
    y.entries = layer_shifts = 0;
    auto start = Clock::now();
    for (size_t i = 0; i < cases.size(); ++i) {
      auto t0 = Clock::now();
      Resolution res =
          Unwrap(Resolve(cases[i].schedule, cases[i].overrides, kYearFromMs, kYearToMs),
                 cases[i].schedule.name.c_str());
      one_us[i] = Ms(Clock::now() - t0) * 1000;
      y.entries += static_cast<int64_t>(res.final.size());
      for (const auto& l : res.layers) layer_shifts += static_cast<int64_t>(l.size());
      if (r == 0) y.finals[i] = std::move(res.final);
    }
    runs_ms.push_back(Ms(Clock::now() - start));
  }
  std::sort(runs_ms.begin(), runs_ms.end());
  y.best_ms = runs_ms.front();
  y.median_ms = runs_ms[runs_ms.size() / 2];
  std::sort(one_us.begin(), one_us.end());
  auto pct = [&](double p) {
    return one_us[static_cast<size_t>(p * static_cast<double>(one_us.size() - 1))];
  };
  auto n = static_cast<double>(cases.size());
  std::printf("Resolve: final schedule of 2026 (UTC year) for all %s schedules, %d runs\n",
              Thousands(static_cast<int64_t>(cases.size())).c_str(), repeat);
  std::printf("  %-28s %10.1f ms   (%.1f us per schedule)\n", "best", y.best_ms,
              y.best_ms * 1000 / n);
  std::printf("  %-28s %10.1f ms   (%.1f us per schedule)\n", "median", y.median_ms,
              y.median_ms * 1000 / n);
  std::printf("  %-28s %10.1f us p50, %.1f us p99, %.1f us max\n", "one schedule (last run)",
              pct(0.5), pct(0.99), one_us.back());
  std::printf("  %-28s %10s final entries, %s layer shifts\n\n", "produced",
              Thousands(y.entries).c_str(), Thousands(layer_shifts).c_str());
  return y;
}

// (2) Who is on call at `lookups` random instants of 2026 on random schedules, three ways; each
// answer is checked against the resolved year. Returns false on any disagreement.
bool Lookups(const std::vector<Case>& cases, const YearFigures& year, int64_t lookups, Rng& rng) {
  struct Lookup {
    size_t schedule;
    int64_t at_ms;
  };
  std::vector<Lookup> targets;
  targets.reserve(static_cast<size_t>(lookups));
  for (int64_t i = 0; i < lookups; ++i) {
    targets.push_back({static_cast<size_t>(rng.Below(static_cast<int64_t>(cases.size()))),
                       kYearFromMs + rng.Below(kYearToMs - kYearFromMs)});
  }
  struct Strategy {
    const char* name;
    double ms = 0;
    int64_t disagree = 0;
  };
  std::vector<Strategy> strategies = {
      {"OnCallAt (+-35 d horizon)"}, {"Resolve of a 1-day window"}, {"search the resolved year"}};

  std::vector<const Shift*> year_answer(targets.size());
  auto start = Clock::now();
  for (size_t i = 0; i < targets.size(); ++i) {
    year_answer[i] = EntryAt(year.finals[targets[i].schedule], targets[i].at_ms);
  }
  strategies[2].ms = Ms(Clock::now() - start);

  std::vector<Shift> got(targets.size());
  auto check = [&](Strategy& s, int64_t half_ms) {
    for (size_t i = 0; i < targets.size(); ++i) {
      const Lookup& t = targets[i];
      const Shift* y = year_answer[i];
      if (y && Agrees(got[i], *y, t.at_ms - half_ms, t.at_ms + half_ms)) continue;
      if (s.disagree++ >= 5) continue;
      std::fprintf(stderr,
                   "%s: %s at %lld: got %s [%lld, %lld) %s, the year has %s [%lld, %lld) %s\n",
                   s.name, cases[t.schedule].schedule.name.c_str(), static_cast<long long>(t.at_ms),
                   got[i].person.c_str(), static_cast<long long>(got[i].start_ms),
                   static_cast<long long>(got[i].end_ms), got[i].source.c_str(),
                   y ? y->person.c_str() : "?", static_cast<long long>(y ? y->start_ms : 0),
                   static_cast<long long>(y ? y->end_ms : 0), y ? y->source.c_str() : "?");
    }
  };

  start = Clock::now();
  for (size_t i = 0; i < targets.size(); ++i) {
    const Case& c = cases[targets[i].schedule];
    got[i] = Unwrap(OnCallAt(c.schedule, c.overrides, targets[i].at_ms), "OnCallAt");
  }
  strategies[0].ms = Ms(Clock::now() - start);
  check(strategies[0], 35 * kDayMs);

  start = Clock::now();
  for (size_t i = 0; i < targets.size(); ++i) {
    const Case& c = cases[targets[i].schedule];
    int64_t at = targets[i].at_ms;
    Resolution res =
        Unwrap(Resolve(c.schedule, c.overrides, at - kDayMs / 2, at + kDayMs / 2), "Resolve");
    const Shift* s = EntryAt(res.final, at);
    got[i] = s ? *s : Shift{};
  }
  strategies[1].ms = Ms(Clock::now() - start);
  check(strategies[1], kDayMs / 2);

  std::printf("Who is on call: %s lookups at random instants of 2026 on random schedules\n",
              Thousands(lookups).c_str());
  std::printf("  %-28s %14s %12s   %s\n", "strategy", "lookups/s", "us/lookup",
              "agrees with the year");
  for (const Strategy& s : strategies) {
    double per_s = static_cast<double>(lookups) / (s.ms / 1000);
    std::string agree = &s == &strategies[2] ? "(the reference)"
                        : s.disagree == 0    ? "all " + Thousands(lookups)
                                             : Thousands(s.disagree) + " DISAGREE";
    std::printf("  %-28s %14s %12.2f   %s\n", s.name,
                Thousands(static_cast<int64_t>(per_s)).c_str(),
                s.ms * 1000 / static_cast<double>(lookups), agree.c_str());
  }
  std::printf("\n");
  return strategies[0].disagree == 0 && strategies[1].disagree == 0;
}

bool Dump(const std::string& path, const std::vector<Case>& cases, const YearFigures& year) {
  Json out = {{"from_ms", kYearFromMs},
              {"to_ms", kYearToMs},
              {"engine_year_best_ms", year.best_ms},
              {"schedules", Json::array()}};
  for (size_t i = 0; i < cases.size(); ++i) {
    out["schedules"].push_back(DumpCase(cases[i], year.finals[i]));
  }
  std::ofstream f(path, std::ios::binary);
  f << out.dump() << "\n";
  return static_cast<bool>(f);
}

int Run(int argc, char** argv) {
  int64_t n = 1000;
  int64_t lookups = 200000;
  int repeat = 3;
  std::string dump;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--schedules" && has_value) {
      n = std::atoll(argv[++i]);
    } else if (arg == "--lookups" && has_value) {
      lookups = std::atoll(argv[++i]);
    } else if (arg == "--repeat" && has_value) {
      repeat = std::atoi(argv[++i]);
    } else if (arg == "--dump" && has_value) {
      dump = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: plinth_schedule_bench [--schedules N] [--lookups N] [--repeat N] "
                   "[--dump FILE]\n");
      return 2;
    }
  }
  if (n < 1 || lookups < 1 || repeat < 1) {
    std::fprintf(stderr, "--schedules, --lookups and --repeat must be positive\n");
    return 2;
  }

  Rng rng(20261122);
  std::vector<Case> cases;
  cases.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) cases.push_back(MakeCase(rng, static_cast<int>(i)));
  PrintWorkload(cases);
  const double rss_generated = PeakRssMiB();
  YearFigures year = ResolveYear(cases, repeat);
  const double rss_resolved = PeakRssMiB();
  bool agree = Lookups(cases, year, lookups, rng);

  // (3) Memory, as the peak resident set size after each step.
  std::printf("Peak RSS\n");
  std::printf("  %-28s %10.1f MiB\n", "schedules generated", rss_generated);
  std::printf("  %-28s %10.1f MiB   (%s final entries held)\n", "years resolved", rss_resolved,
              Thousands(year.entries).c_str());
  std::printf("  %-28s %10.1f MiB   (and %s answers held)\n", "lookups done", PeakRssMiB(),
              Thousands(lookups).c_str());

  if (!dump.empty() && !Dump(dump, cases, year)) {
    std::fprintf(stderr, "cannot write %s\n", dump.c_str());
    return 1;
  }
  return agree ? 0 : 1;
}

}  // namespace
}  // namespace plinth::schedule::bench

int main(int argc, char** argv) { return plinth::schedule::bench::Run(argc, argv); }
