#pragma once
// Time-zone arithmetic for the schedule engines, on the OS tz database through Howard Hinnant's
// date/tz library (date::date-tz, built by Debian to read /usr/share/zoneinfo).

#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace date {
class time_zone;
}

namespace plinth::schedule {

// The zone named `name`, or kInvalid "unknown time zone "X" (expected an IANA zone such as
// Europe/Berlin)". The pointer stays valid for the life of the process.
Result<const date::time_zone*> FindZone(std::string_view name);

// The instant of the wall time `local_s` in `zone`. A wall time that occurs twice (fall back)
// means its first occurrence; one that does not occur (spring forward) maps to the instant the
// clocks jump.
int64_t LocalToUtcMs(const date::time_zone* zone, int64_t local_s);

// The wall time of the instant `utc_ms` in `zone`, in local seconds (milliseconds dropped,
// rounding towards the past).
int64_t UtcToLocalS(const date::time_zone* zone, int64_t utc_ms);

// True when the wall time `local_s` does not occur in `zone` (a spring-forward gap).
bool IsNonexistent(const date::time_zone* zone, int64_t local_s);

// Day of the week of a local-seconds value: 0 = Monday ... 6 = Sunday.
int WeekdayOf(int64_t local_s);

// Floor division that rounds towards negative infinity.
inline int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace plinth::schedule
