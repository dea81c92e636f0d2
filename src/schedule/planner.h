#pragma once
// The on-call planner (pure, behind `plinth oncall plan`): given a team and a policy, proposes a
// Schedule that meets the policy, or says how many people it would take. CheckPlan is the
// verifier; the planner sizes every rotation with it, so the minimum it states is measured by the
// same definition it is checked against.
//
// Definitions (those of the fairness report, fairness.h):
//   weeks on call   distinct Monday 00:00 to Monday 00:00 calendar weeks, in the person's own
//                   zone, in which the person holds any on-call time inside the quarter; the
//                   quarter is the calendar quarter in the person's zone. A quarter touches 13
//                   or 14 such weeks (a week partly inside counts); Q3 and Q4 always touch 14.
//   checked span    from the rotation start to the end of the fourth quarter (in the schedule
//                   zone), the first quarter being the one the rotation starts in.
//
// Shapes the planner builds:
//   follow-the-sun  people grouped into 2 or 3 regions by UTC offset (zones within 3 h of each
//                   other stay together); the 24 hours are split at the middle of the overlap
//                   (or gap) between neighbouring regions' working hours; one layer per region,
//                   "follow-the-sun-<americas|emea|apac>", restricted to its daily window, with
//                   a weekly rotation handed over in the middle of the region's night from
//                   Sunday to Monday (a schedule-zone wall time, so it moves by an hour while
//                   the zones' DST differs; the night has room), so each turn is one calendar
//                   week of every member. Used when every member's window is at least half
//                   inside their working hours and keeps an hour away from their midnight.
//   plain           one layer "weekly", around the clock, handed over on Monday at handoff_s
//                   (default 00:00) in the schedule zone: a turn is one calendar week of people
//                   whose wall clock is the schedule zone's, and touches two of everyone else's
//                   (so it needs max_weeks_per_quarter >= 2 turns' weeks). When the team has
//                   both, a second plain shape holds only the people on the schedule's clock.
// Sizes: a rotation needs at least ceil(14 / max_weeks_per_quarter) people (each of a quarter's
// 14 weeks held by somebody, none more than max); the planner searches upwards from
// ceil(13 / max), checking the rotation alone with CheckPlan. The minimum team size is the
// smallest team in the team's mix of zones (ScaledTeam) that staffs every rotation of some shape:
// with it the planner finds a feasible plan, and with one person fewer it does not.
//
// Pure and thread-compatible: no I/O, no clock reads; time zones come from the tz database.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "schedule/fairness.h"
#include "schedule/model.h"

namespace plinth::schedule {

struct PlanPolicy {
  enum class Coverage {
    k24x7,  // someone on call at every instant
    // kBusinessHours would restrict the layers to working hours and ignore gaps outside them.
  };
  Coverage coverage = Coverage::k24x7;
  int max_weeks_per_quarter = 1;     // >= 1
  bool follow_the_sun = true;        // use it where the team's time zones allow
  int64_t turn_s = kWeek;            // a whole number of weeks
  std::optional<int64_t> handoff_s;  // plain shape: Monday handoff time of day; unset: 00:00,
                                     // not 09:00, which splits every turn over two weeks
  int64_t start_local_s = 0;         // Monday 00:00 the rotation starts, in time_zone
  std::string time_zone = "UTC";     // the schedule's zone
  std::string name = "on-call";      // the schedule's name
};

// One person's load over the checked span, from the resolved schedule.
struct PlanLoad {
  std::string person;
  std::string time_zone;
  std::vector<int> weeks;    // weeks on call in each checked quarter (see above)
  int64_t on_call_ms = 0;    // over the checked span
  int64_t off_hours_ms = 0;  // the part outside the person's working hours (weekends too)
};

struct PlanViolation {
  enum Kind { kTooManyWeeks, kGap, kUnknownPerson };
  Kind kind = kTooManyWeeks;
  std::string person;    // empty for a gap
  int quarter = -1;      // index into PlanCheck::quarters; -1 for kUnknownPerson
  int64_t start_ms = 0;  // kGap: the gap; otherwise the person's quarter
  int64_t end_ms = 0;
  std::string message;  // e.g. "ana: 2 weeks on call in 2026Q3 (policy: at most 1)"
};

struct PlanCheck {
  std::vector<std::string> quarter_names;  // "2026Q1" ...
  std::vector<Period> quarters;            // in the schedule zone; [0] starts at the rotation start
  std::vector<PlanLoad> load;              // the team in its order
  std::vector<PlanViolation> violations;   // weeks in quarter order, then gaps in time order

  bool ok() const { return violations.empty(); }
};

// Resolves `schedule` over the checked span of `policy` and measures it: weeks on call of every
// team member in each quarter against max_weeks_per_quarter, gaps, and participants who are not
// in `team`. kInvalid for an unknown time zone or a schedule Resolve rejects.
Result<PlanCheck> CheckPlan(const Schedule& schedule, const std::vector<Person>& team,
                            const PlanPolicy& policy);

// One layer of a plan and how many people it needs.
struct PlanRotation {
  std::string layer;                // its name in Plan::schedule
  std::string window;               // e.g. "08:30-18:15 America/Los_Angeles"; "" around the clock
  std::vector<std::string> people;  // its participants, in turn order
  int needed = 0;                   // fewest participants in its mix of zones that keep the
                                    // weeks within the policy; 0: no number does
};

struct Plan {
  bool feasible = false;  // CheckPlan finds nothing wrong with `schedule` and the team
  bool follow_the_sun = false;
  int minimum_team_size = 0;            // over all shapes (see above); 0: no size is enough
  Schedule schedule;                    // the proposal, also when infeasible
  std::vector<PlanRotation> rotations;  // one per layer of `schedule`, in order
  std::vector<PlanLoad> load;           // expected load of each team member (CheckPlan)
  std::vector<std::string> notes;       // the reasoning, for people
};

// The plan for `team` under `policy`. Proposes, in order of preference: a feasible
// follow-the-sun plan (more regions first), a feasible plain plan (everyone, then only the
// schedule zone's people); when none is feasible, the follow-the-sun shape that needs the fewest
// people, else the first plain shape some size staffs. kInvalid for an empty team,
// duplicate or empty names, an unknown zone, a start that is not Monday 00:00, a turn that is
// not a whole number of weeks, or max_weeks_per_quarter < 1.
Result<Plan> PlanOnCall(const std::vector<Person>& team, const PlanPolicy& policy);

// `team` resized to `size` people with the same mix of zones: each zone gets its share of
// `size` (largest remainder; the earlier zone in `team` on a tie), filled with its members in
// order and then with copies of them, round-robin, named "ana-2", "ana-3", ...
std::vector<Person> ScaledTeam(const std::vector<Person>& team, int size);

}  // namespace plinth::schedule
