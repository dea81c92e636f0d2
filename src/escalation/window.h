#pragma once
// A recurring local-time window ("weekdays 09:00-18:00 in Europe/Berlin"): the `when` of an
// escalation level and a service's support hours. Pure; reads the OS tz database through
// schedule/zone.h. Thread-safe.

#include <cstdint>
#include <string>
#include <vector>

namespace plinth::escalation {

// The window opens at start_s on each listed day, on the zone's wall clock, and closes at end_s.
// When end_s <= start_s it runs past midnight into the next day and belongs to the day it opens
// on: {days: [friday], 18:00-09:00} is Friday 18:00 to Saturday 09:00; end_s == start_s is 24
// hours from start_s. Wall-clock semantics across DST: on a spring-forward day a window inside
// the gap (02:00-03:00 in Europe/Berlin) does not occur and one around it is an hour shorter; on
// a fall-back day the repeated hour counts twice, so such a window is an hour longer.
struct Window {
  std::string zone;       // IANA time zone, e.g. "Europe/Berlin"
  std::vector<int> days;  // 0 = Sunday ... 6 = Saturday, sorted, unique; empty = every day
  int64_t start_s = 0;    // seconds after local midnight, [0, 86400)
  int64_t end_s = 86400;  // seconds after local midnight, (0, 86400]; 86400 is "24:00"

  bool operator==(const Window&) const = default;
};

// True when the instant `at_ms` is inside the window. A zone the tz database does not know
// counts as always inside (policies and paging settings are validated before they are stored,
// and paging someone beats paging nobody).
bool Inside(const Window& w, int64_t at_ms);

// 0 = Sunday ... 6 = Saturday from schedule's 0 = Monday ... 6 = Sunday, and back.
inline int SundayBased(int monday_based) { return (monday_based + 1) % 7; }
inline int MondayBased(int sunday_based) { return (sunday_based + 6) % 7; }

}  // namespace plinth::escalation
