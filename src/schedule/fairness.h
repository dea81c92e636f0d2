#pragma once
// On-call fairness and health (the schedule quality report), pure: how much on-call time each
// person carried in a period, how much of it fell outside their working hours, in how many
// calendar weeks, whether that breaks the policy; and per schedule its gaps and how evenly its
// time was spread. All local-time arithmetic is in each person's own zone (zone.h, DST-correct).
//
// Definitions:
//   on-call time   the union of the person's shifts over all schedules, clipped to the period:
//                  being on call for two schedules at once counts once.
//   off-hours      on-call time outside the person's working hours: on each local day whose
//                  weekday is in WorkingHours::days, the window [start_s, end_s) of local time;
//                  every other instant is off-hours.
//   weeks on call  distinct calendar weeks (Monday 00:00 to Monday 00:00 local time in the
//                  person's zone) in which the person held more than policy.week_min_ms of
//                  on-call time (default 0: any on-call time at all). Note that a weekly turn
//                  handed over on Monday 09:00 touches two calendar weeks.
//   balance        1 - G * n / (n - 1), G the Gini coefficient of the on-call time of the n
//                  people who held time in the schedule: 1 when all carried the same, 0 when
//                  one carried everything; 1 with fewer than two people. For two people it is
//                  2 * min / (a + b); 100 h and 60 h give 0.75.
// Linear in the number of shifts (plus sorting), and in the number of local days on call.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "schedule/model.h"

namespace date {
class time_zone;
}

namespace plinth::schedule {

inline constexpr int64_t kHourMs = kHour * 1000;

// [from_ms, to_ms) in UTC milliseconds.
struct Period {
  int64_t from_ms = 0;
  int64_t to_ms = 0;

  bool operator==(const Period&) const = default;
};

// The calendar quarter (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec, local midnight to local midnight in
// `zone`) containing `utc_ms`.
Period QuarterOf(int64_t utc_ms, const date::time_zone* zone);

// "2026Q4" (also "2026-Q4", lower-case q) -> that quarter in `zone`; kInvalid "invalid quarter
// "X" (expected YEARQn, e.g. 2026Q4)" otherwise.
Result<Period> ParseQuarter(std::string_view text, const date::time_zone* zone);

// The resolved final shifts of one schedule (Resolution::final); gaps have an empty person.
struct ScheduleShifts {
  std::string schedule;
  std::vector<Shift> shifts;
};

struct FairnessPolicy {
  int max_weeks_per_quarter = 1;  // over policy above this many weeks on call in the period
  int64_t max_off_hours_ms = 0;   // over policy above this much off-hours time; 0: no limit
  int64_t week_min_ms = 0;        // a week counts when on-call time in it exceeds this
};

// One person's load in the period.
struct PersonLoad {
  std::string name;
  std::string time_zone;     // the zone the figures were computed in
  bool unknown = false;      // in the shifts but not in the people list: UTC, default hours
  int64_t on_call_ms = 0;    // see "on-call time" above
  int64_t off_hours_ms = 0;  // <= on_call_ms
  int weeks_on_call = 0;
  int shifts = 0;          // shift entries (of every schedule) overlapping the period
  int pages_received = 0;  // filled in by the caller; the engine leaves it 0
  bool over_policy = false;
  std::string reason;  // e.g. "3 weeks on call this quarter (policy: at most 1)"; "; " joined
};

struct CoverageGap {
  int64_t start_ms = 0;  // clipped to the period
  int64_t end_ms = 0;
  int64_t duration_ms = 0;  // end_ms - start_ms

  bool operator==(const CoverageGap&) const = default;
};

struct ScheduleHealth {
  std::string schedule;
  int64_t on_call_ms = 0;  // time with someone on call, in the period
  int64_t gap_ms = 0;      // sum of gaps[i].duration_ms
  std::vector<CoverageGap> gaps;
  // On-call time of each person who held some in this schedule, by name.
  std::vector<std::pair<std::string, int64_t>> load_ms;
  double balance = 1;  // see "balance" above, in [0, 1]
};

struct FairnessReport {
  Period period;
  // The people list in its order (with zero figures for those never on call), then the
  // unknown people by name.
  std::vector<PersonLoad> people;
  std::vector<ScheduleHealth> schedules;  // in input order
};

// kInvalid when period.from_ms >= period.to_ms or a person's time zone is unknown.
// REQUIRES: every person's working_hours.end_s > start_s, both in [0, 86400].
Result<FairnessReport> BuildFairnessReport(const Period& period, const std::vector<Person>& people,
                                           const std::vector<ScheduleShifts>& schedules,
                                           const FairnessPolicy& policy = {});

// 1 - normalised Gini of `values` (see "balance" above).
double BalanceScore(const std::vector<int64_t>& values);

// 130 * kHourMs -> "130", 90 * 60000 -> "1.5": hours rounded to at most one decimal.
// REQUIRES: ms >= 0.
std::string FormatHours(int64_t ms);

}  // namespace plinth::schedule
