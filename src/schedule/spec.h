#pragma once
// The YAML/JSON form of a schedule (the `spec` of the catalog kind Schedule) and back. The
// catalog validates documents field by field (catalog/schema.cc) with the parsers below, then
// stores the canonical spec; FromSpec turns a canonical spec into the engine model.
//
//   spec:
//     team: payments                 # optional: the owning team
//     timeZone: Europe/Berlin        # required
//     layers:                        # required, at least one; a later layer wins
//       - name: primary              # required, unique in the schedule
//         participants: [ana, ben]   # required, person names in turn order
//         turn: 1w                   # required: 1w, 1d, 12h, 90m, 1d12h, ...
//         start: "2026-01-05T09:00"  # required: local wall time in timeZone (an offset or Z
//                                    #   is converted to it); also the handoff time of day
//         end: "2026-12-31T00:00"    # optional, same form
//         restrictions:              # optional: on call only inside these local windows
//           - {type: daily, start: "09:00", end: "17:00"}      # end <= start: past midnight
//           - {type: weekly, startDay: monday, start: "09:00", endDay: friday, end: "17:00"}
//           - {type: daily, start: "22:00", duration: 10h}     # duration instead of end

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "schedule/model.h"

namespace date {
class time_zone;
}

namespace plinth::schedule {

// "1w", "2d", "12h", "90m", "1d12h", "1w2d" -> seconds; nullopt when malformed or zero.
std::optional<int64_t> ParseDuration(std::string_view text);
// The shortest form ParseDuration reads back: 604800 -> "1w", 129600 -> "1d12h".
std::string FormatDuration(int64_t seconds);

// "09:00" or "09:00:30" -> seconds after midnight; "24:00" only when allow_24 (a window end).
std::optional<int64_t> ParseTimeOfDay(std::string_view text, bool allow_24 = false);
std::string FormatTimeOfDay(int64_t seconds);  // "09:00", "09:00:30"

// "monday" .. "sunday" (also "mon".."sun", any case) -> 0..6.
std::optional<int> ParseWeekday(std::string_view text);
const char* WeekdayName(int day);  // 0 -> "monday"

// A rotation start or end: "2026-01-05T09:00[:SS]" is a wall time in `zone`; with "Z" or an
// offset it is an instant, converted to the zone's wall time. Returns local seconds. kInvalid
// for malformed text, and for a wall time inside a spring-forward gap (it does not exist).
Result<int64_t> ParseLocalTime(std::string_view text, const date::time_zone* zone);
// Local seconds -> "2026-01-05T09:00" (seconds shown when not zero).
std::string FormatLocalTime(int64_t local_s);

// The engine model of a canonical spec (as stored by the catalog). Assumes it is valid.
Schedule FromSpec(std::string_view name, const Json& spec);

// The canonical spec of a schedule, e.g. for `plinth oncall plan` and the PagerDuty import.
// `team` is written when not empty. FromSpec(name, ToSpec(s)) == s for every valid s whose
// layers end on a whole second.
Json ToSpec(const Schedule& schedule, std::string_view team = "");

}  // namespace plinth::schedule
