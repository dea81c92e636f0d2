#pragma once
// An SLO's time window: rolling (the last d minutes) or calendar-aligned (the current period of
// a CalendarSpec), and the minutes it covers at an instant. The engines count whole UTC minutes:
// minute m is the instant range [m * 60000, (m + 1) * 60000) ms.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "slo/calendar.h"

namespace plinth::slo {

inline constexpr int64_t kMinuteMs = 60000;
inline constexpr int64_t kMinutesPerDay = 1440;

struct TimeWindow {
  // Rolling when calendar is empty: [at - rolling_minutes, at).
  int64_t rolling_minutes = 30 * kMinutesPerDay;  // >= 1
  std::optional<CalendarSpec> calendar;

  static TimeWindow Rolling(int64_t minutes) { return {minutes, std::nullopt}; }
  static TimeWindow Calendar(CalendarSpec spec) { return {0, std::move(spec)}; }
  bool rolling() const { return !calendar.has_value(); }

  bool operator==(const TimeWindow&) const = default;
};

// The minutes a window covers at an instant. The minute in progress at `at` is never counted:
// at_ms is rounded down to the minute (end_minute).
struct WindowBounds {
  int64_t start_minute = 0;       // first minute of the window (period start for calendar)
  int64_t end_minute = 0;         // evaluated minutes are [start_minute, end_minute)
  int64_t period_end_minute = 0;  // rolling: end_minute; calendar: the period's end
  // The window's full length: rolling_minutes, or the period's real length (DST-aware: March
  // in Europe/Berlin is 31 days less an hour).
  int64_t length_minutes() const { return period_end_minute - start_minute; }
};

// Checks the window; a field error names pointer + "/rolling_minutes", "/calendar/zone", ...
Status ValidateWindow(const TimeWindow& window, std::string_view pointer = "");

// The window at the instant at_ms. Calendar boundaries that are not whole minutes (only local
// mean time before ~1900 has such offsets) are rounded down to the minute.
// REQUIRES: ValidateWindow(window).
WindowBounds BoundsAt(const TimeWindow& window, int64_t at_ms);

// The window's nominal length for scaling alert windows: rolling_minutes, or the calendar
// period's NominalMinutes (a month counts 30 days).
int64_t NominalMinutes(const TimeWindow& window);

// "rolling 30d" or "calendar 1 month in Europe/Berlin".
std::string Describe(const TimeWindow& window);

// "5m", "1h", "28d", "2w", "1h30m" -> minutes; kInvalid otherwise. Units: m, h, d, w.
Result<int64_t> ParseMinutes(std::string_view text);

// Minutes in days, hours and minutes: 43200 -> "30d", 10080 -> "7d", 90 -> "1h30m", 0 -> "0m".
std::string FormatMinutes(int64_t minutes);

}  // namespace plinth::slo
