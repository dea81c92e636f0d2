#include "schedule/fairness.h"

#include <date/date.h>

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include "schedule/zone.h"

namespace plinth::schedule {

namespace {

struct Interval {
  int64_t start = 0;
  int64_t end = 0;
};

int64_t Overlap(const Interval& iv, int64_t start, int64_t end) {
  return std::max<int64_t>(0, std::min(iv.end, end) - std::max(iv.start, start));
}

// One person while the report is built.
struct Tally {
  std::string name;
  std::string time_zone;
  const date::time_zone* zone = nullptr;
  WorkingHours hours;
  bool unknown = false;
  std::vector<Interval> intervals;  // clipped shifts of every schedule, unordered
  int shifts = 0;
};

// Sorts `v` and merges overlapping or touching intervals.
void MergeIntervals(std::vector<Interval>& v) {
  std::sort(v.begin(), v.end(),
            [](const Interval& a, const Interval& b) { return a.start < b.start; });
  size_t n = 0;
  for (const Interval& iv : v) {
    if (n > 0 && iv.start <= v[n - 1].end) {
      v[n - 1].end = std::max(v[n - 1].end, iv.end);
    } else {
      v[n++] = iv;
    }
  }
  v.resize(n);
}

// Local day number (days since 1970-01-01 on the wall clock) -> Monday-start week number.
int64_t WeekOfDay(int64_t day) { return FloorDiv(day + 3, 7); }  // 1970-01-01 was a Thursday

std::string Plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

PersonLoad Measure(Tally& tally, const FairnessPolicy& policy) {
  PersonLoad load;
  load.name = tally.name;
  load.time_zone = tally.time_zone;
  load.unknown = tally.unknown;
  load.shifts = tally.shifts;

  std::array<bool, 7> working_day{};
  for (int d : tally.hours.days) {
    if (d >= 0 && d < 7) working_day[d] = true;
  }
  MergeIntervals(tally.intervals);
  const date::time_zone* zone = tally.zone;
  int64_t working_ms = 0;
  std::map<int64_t, int64_t> week_ms;
  for (const Interval& iv : tally.intervals) {
    load.on_call_ms += iv.end - iv.start;
    // Walk the local days the interval touches; each day is [its midnight, the next midnight).
    for (int64_t day = FloorDiv(UtcToLocalS(zone, iv.start), kDay);; ++day) {
      int64_t midnight = day * kDay;
      int64_t day_begin = LocalToUtcMs(zone, midnight);
      if (day_begin >= iv.end) break;
      int64_t part = Overlap(iv, day_begin, LocalToUtcMs(zone, midnight + kDay));
      if (part > 0) week_ms[WeekOfDay(day)] += part;
      if (working_day[WeekdayOf(midnight)]) {
        working_ms += Overlap(iv, LocalToUtcMs(zone, midnight + tally.hours.start_s),
                              LocalToUtcMs(zone, midnight + tally.hours.end_s));
      }
    }
  }
  load.off_hours_ms = load.on_call_ms - working_ms;
  for (const auto& [week, ms] : week_ms) {
    if (ms > policy.week_min_ms) ++load.weeks_on_call;
  }

  std::vector<std::string> reasons;
  if (load.weeks_on_call > policy.max_weeks_per_quarter) {
    reasons.push_back(Plural(load.weeks_on_call, "week", "weeks") +
                      " on call this quarter (policy: at most " +
                      std::to_string(policy.max_weeks_per_quarter) + ")");
  }
  if (policy.max_off_hours_ms > 0 && load.off_hours_ms > policy.max_off_hours_ms) {
    reasons.push_back(FormatHours(load.off_hours_ms) +
                      " hours on call outside working hours (policy: at most " +
                      FormatHours(policy.max_off_hours_ms) + ")");
  }
  load.over_policy = !reasons.empty();
  for (const std::string& r : reasons) {
    if (!load.reason.empty()) load.reason += "; ";
    load.reason += r;
  }
  return load;
}

}  // namespace

Period QuarterOf(int64_t utc_ms, const date::time_zone* zone) {
  int64_t day = FloorDiv(UtcToLocalS(zone, utc_ms), kDay);
  date::year_month_day ymd{date::sys_days{date::days{day}}};
  unsigned first_month = (static_cast<unsigned>(ymd.month()) - 1) / 3 * 3 + 1;
  date::year_month_day start = ymd.year() / date::month{first_month} / 1;
  date::year_month_day end = start + date::months{3};
  auto midnight_s = [](date::year_month_day d) {
    return static_cast<int64_t>(date::sys_days{d}.time_since_epoch().count()) * kDay;
  };
  return {LocalToUtcMs(zone, midnight_s(start)), LocalToUtcMs(zone, midnight_s(end))};
}

Result<Period> ParseQuarter(std::string_view text, const date::time_zone* zone) {
  auto invalid = [&] {
    return Error::Invalid("invalid quarter \"" + std::string(text) +
                          "\" (expected YEARQn, e.g. 2026Q4)");
  };
  std::string_view rest = text;
  if (rest.size() < 6) return invalid();
  int year = 0;
  for (int i = 0; i < 4; ++i) {
    if (rest[i] < '0' || rest[i] > '9') return invalid();
    year = year * 10 + (rest[i] - '0');
  }
  rest.remove_prefix(4);
  if (rest.front() == '-') rest.remove_prefix(1);
  if (rest.size() != 2 || (rest[0] != 'Q' && rest[0] != 'q') || rest[1] < '1' || rest[1] > '4') {
    return invalid();
  }
  unsigned month = static_cast<unsigned>(rest[1] - '1') * 3 + 1;
  date::year_month_day start = date::year{year} / date::month{month} / 1;
  int64_t start_s = static_cast<int64_t>(date::sys_days{start}.time_since_epoch().count()) * kDay;
  return QuarterOf(LocalToUtcMs(zone, start_s), zone);
}

Result<FairnessReport> BuildFairnessReport(const Period& period, const std::vector<Person>& people,
                                           const std::vector<ScheduleShifts>& schedules,
                                           const FairnessPolicy& policy) {
  if (period.from_ms >= period.to_ms) {
    return Error::Invalid("the report period is empty: from must be before to");
  }
  std::vector<Tally> known;
  std::unordered_map<std::string, size_t> index;  // name -> position in `known`
  for (const Person& p : people) {
    if (index.count(p.name)) continue;  // the first entry of a name wins
    Result<const date::time_zone*> zone = FindZone(p.time_zone);
    if (!zone.ok()) return Error::Invalid("person \"" + p.name + "\": " + zone.error().message);
    index.emplace(p.name, known.size());
    known.push_back({p.name, p.time_zone, *zone, p.working_hours, false, {}, 0});
  }
  const date::time_zone* utc = *FindZone("UTC");
  std::map<std::string, Tally> unknown;  // ordered by name

  FairnessReport report;
  report.period = period;
  for (const ScheduleShifts& s : schedules) {
    ScheduleHealth health;
    health.schedule = s.schedule;
    std::map<std::string, int64_t> load;
    for (const Shift& shift : s.shifts) {
      Interval iv{std::max(shift.start_ms, period.from_ms), std::min(shift.end_ms, period.to_ms)};
      if (iv.start >= iv.end) continue;
      int64_t ms = iv.end - iv.start;
      if (shift.person.empty()) {
        health.gaps.push_back({iv.start, iv.end, ms});
        health.gap_ms += ms;
        continue;
      }
      health.on_call_ms += ms;
      load[shift.person] += ms;
      Tally* tally = nullptr;
      if (auto it = index.find(shift.person); it != index.end()) {
        tally = &known[it->second];
      } else {
        auto [u, inserted] = unknown.try_emplace(shift.person);
        if (inserted) u->second = {shift.person, "UTC", utc, WorkingHours{}, true, {}, 0};
        tally = &u->second;
      }
      tally->intervals.push_back(iv);
      ++tally->shifts;
    }
    std::vector<int64_t> values;
    for (const auto& [name, ms] : load) {
      health.load_ms.emplace_back(name, ms);
      values.push_back(ms);
    }
    health.balance = BalanceScore(values);
    report.schedules.push_back(std::move(health));
  }
  for (Tally& t : known) report.people.push_back(Measure(t, policy));
  for (auto& [name, t] : unknown) report.people.push_back(Measure(t, policy));
  return report;
}

double BalanceScore(const std::vector<int64_t>& values) {
  size_t n = values.size();
  if (n < 2) return 1;
  std::vector<int64_t> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  // Sum over ordered pairs |xi - xj| = 2 * sum_i (2i - n + 1) * x(i) for ascending x.
  double weighted = 0;
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    weighted += (2.0 * static_cast<double>(i) - static_cast<double>(n) + 1) *
                static_cast<double>(sorted[i]);
    total += static_cast<double>(sorted[i]);
  }
  if (total <= 0) return 1;
  double normalised_gini = weighted / ((static_cast<double>(n) - 1) * total);
  return std::clamp(1 - normalised_gini, 0.0, 1.0);
}

std::string FormatHours(int64_t ms) {
  int64_t tenths = (ms + kHourMs / 20) / (kHourMs / 10);  // rounded half up
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10 != 0) out += "." + std::to_string(tenths % 10);
  return out;
}

}  // namespace plinth::schedule
