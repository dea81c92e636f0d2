#pragma once
// On-call schedules of the demo organisation (catalog kind Schedule), derived deterministically
// from its people and teams:
//   - incident-commander: follow the sun in UTC, one layer per region (APAC, Europe, Americas),
//     each on call during an 8-hour daily window inside that region's working day, weekly turns;
//   - payments-primary: a 24x7 weekly rotation of the payments team in a European zone, with a
//     business-hours layer (weekdays 09:00-17:00 local) that takes over in office hours;
//   - <team>-primary: a 24x7 weekly rotation for every other team.
// Rotations start on a Monday at 09:00 local, a few months before the demo's date (2026-11-22).

#include <vector>

#include "base/json.h"

namespace plinth::cli {

// The Schedule documents for `teams` (Team documents) and `people` (Person documents). Also
// sets spec.workingHours on the people whose day is not 09:00-17:00 Monday to Friday: those on
// the follow-the-sun rotation, and a part-timer. The same input always gives the same output.
std::vector<Json> DemoSchedules(std::vector<Json>& people, const std::vector<Json>& teams);

}  // namespace plinth::cli
