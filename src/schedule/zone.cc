#include "schedule/zone.h"

#include <date/tz.h>

#include <chrono>
#include <string>

namespace plinth::schedule {

Result<const date::time_zone*> FindZone(std::string_view name) {
  try {
    if (!name.empty()) return date::locate_zone(name);
  } catch (const std::exception&) {
  }
  return Error::Invalid("unknown time zone \"" + std::string(name) +
                        "\" (expected an IANA zone such as Europe/Berlin)");
}

int64_t LocalToUtcMs(const date::time_zone* zone, int64_t local_s) {
  date::local_seconds local{std::chrono::seconds(local_s)};
  date::local_info info = zone->get_info(local);
  std::chrono::seconds offset = info.first.offset;
  if (info.result == date::local_info::nonexistent) {
    // The clocks jump at info.second.begin; every wall time in the gap maps to it.
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               info.second.begin.time_since_epoch())
        .count();
  }
  // unique or ambiguous: the first occurrence uses the earlier offset (info.first).
  return (local_s - offset.count()) * 1000;
}

int64_t UtcToLocalS(const date::time_zone* zone, int64_t utc_ms) {
  date::sys_seconds sys{std::chrono::seconds(FloorDiv(utc_ms, 1000))};
  return zone->to_local(sys).time_since_epoch().count();
}

bool IsNonexistent(const date::time_zone* zone, int64_t local_s) {
  date::local_seconds local{std::chrono::seconds(local_s)};
  return zone->get_info(local).result == date::local_info::nonexistent;
}

int WeekdayOf(int64_t local_s) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  int64_t days = FloorDiv(local_s, 86400);
  return static_cast<int>(((days + 3) % 7 + 7) % 7);
}

}  // namespace plinth::schedule
