#pragma once
// Calendar periods of SLO windows (a day, a week from Monday, a month, a quarter, a year, or
// several of them) on the wall clock of an IANA time zone, on the OS tz database through
// Howard Hinnant's date/tz library. Pure: no I/O beyond the tz database, no clock reads.
//
// Times: instants are UTC milliseconds since the epoch (`_ms`). Wall-clock times are "local
// seconds" (`_local_s`): seconds since 1970-01-01T00:00 on the zone's wall clock, i.e.
// date::local_seconds.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace date {
class time_zone;
}

namespace plinth::slo {

// The zone named `name`, or kInvalid "unknown time zone "X" (expected an IANA zone such as
// Europe/Berlin)". The pointer stays valid for the life of the process.
Result<const date::time_zone*> FindZone(std::string_view name);

// The instant of the wall time `local_s` in `zone`. A wall time that occurs twice (fall back)
// means its first occurrence; one that does not occur (spring forward) maps to the instant the
// clocks jump.
int64_t LocalToUtcMs(const date::time_zone* zone, int64_t local_s);

// The wall time of the instant `utc_ms` in `zone`, in local seconds (rounding towards the past).
int64_t UtcToLocalS(const date::time_zone* zone, int64_t utc_ms);

enum class CalendarUnit { kDay, kWeek, kMonth, kQuarter, kYear };

// "day", "week", "month", "quarter", "year".
const char* UnitName(CalendarUnit unit);
std::optional<CalendarUnit> ParseUnit(std::string_view name);

// Calendar periods: `count` units each, laid end to end on the wall clock of `zone` from the
// anchor. Period k starts at the wall time anchor + k * count units (k any integer), so a month
// in Europe/Berlin starts at local midnight of the 1st whatever the UTC offset, and a period
// holds 23- or 25-hour days across DST changes.
struct CalendarSpec {
  CalendarUnit unit = CalendarUnit::kMonth;
  int count = 1;     // >= 1
  std::string zone;  // IANA zone, e.g. "Europe/Berlin"
  // The wall time one period starts at. Default: midnight of 1970-01-01 (a Thursday) for days,
  // months, quarters and years (so quarters start in January, April, July and October), and of
  // Monday 1970-01-05 for weeks. For months, quarters and years its day of the month is <= 28
  // (every month has that day); its time of day is kept. OpenSLO's calendar.startTime.
  std::optional<int64_t> anchor_local_s;

  bool operator==(const CalendarSpec&) const = default;
};

// One period [start_ms, end_ms).
struct Period {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
};

// Checks count, zone and anchor; a field error names `pointer` + "/count" and so on.
Status ValidateCalendar(const CalendarSpec& spec, std::string_view pointer = "");

// The period that holds the instant `at_ms`. REQUIRES: ValidateCalendar(spec) and zone is
// the zone spec.zone names. Boundaries are wall times turned into instants by LocalToUtcMs.
Period PeriodContaining(const CalendarSpec& spec, const date::time_zone* zone, int64_t at_ms);

// The nominal length of one period in minutes, for scaling alert windows: a day 1440, a week
// 7 days, a month 30 days, a quarter 90 days, a year 365 days; times count.
int64_t NominalMinutes(const CalendarSpec& spec);

// "month", "2 weeks", "quarter in Europe/Berlin" style: "<count> <unit>[s] in <zone>".
std::string Describe(const CalendarSpec& spec);

// Floor division that rounds towards negative infinity. REQUIRES: b > 0.
inline int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

}  // namespace plinth::slo
