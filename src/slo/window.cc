#include "slo/window.h"

#include <cctype>

namespace plinth::slo {

Status ValidateWindow(const TimeWindow& window, std::string_view pointer) {
  std::string p(pointer);
  if (window.calendar) return ValidateCalendar(*window.calendar, p + "/calendar");
  if (window.rolling_minutes < 1 || window.rolling_minutes > 3660 * kMinutesPerDay) {
    return Error::Field(p + "/rolling_minutes", "expected a duration from 1m to 3660d");
  }
  return {};
}

WindowBounds BoundsAt(const TimeWindow& window, int64_t at_ms) {
  int64_t at_minute = FloorDiv(at_ms, kMinuteMs);
  if (!window.calendar) {
    return {at_minute - window.rolling_minutes, at_minute, at_minute};
  }
  const date::time_zone* zone = *FindZone(window.calendar->zone);
  Period p = PeriodContaining(*window.calendar, zone, at_ms);
  int64_t start = FloorDiv(p.start_ms, kMinuteMs);
  int64_t end = FloorDiv(p.end_ms, kMinuteMs);
  return {start, at_minute < end ? at_minute : end, end};
}

int64_t NominalMinutes(const TimeWindow& window) {
  return window.calendar ? NominalMinutes(*window.calendar) : window.rolling_minutes;
}

std::string Describe(const TimeWindow& window) {
  if (window.calendar) return "calendar " + Describe(*window.calendar);
  return "rolling " + FormatMinutes(window.rolling_minutes);
}

Result<int64_t> ParseMinutes(std::string_view text) {
  auto bad = [&] {
    return Error::Invalid("invalid duration \"" + std::string(text) +
                          "\" (expected whole minutes such as 5m, 1h, 28d, 2w or 1h30m)");
  };
  if (text.empty()) return bad();
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    int64_t n = 0;
    size_t digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      n = n * 10 + (text[i++] - '0');
      if (++digits > 9) return bad();
    }
    if (digits == 0 || i == text.size()) return bad();
    switch (text[i++]) {
      case 'm':
        total += n;
        break;
      case 'h':
        total += n * 60;
        break;
      case 'd':
        total += n * kMinutesPerDay;
        break;
      case 'w':
        total += n * 7 * kMinutesPerDay;
        break;
      default:
        return bad();
    }
  }
  return total;
}

std::string FormatMinutes(int64_t minutes) {
  if (minutes == 0) return "0m";
  std::string out = minutes < 0 ? "-" : "";
  int64_t m = minutes < 0 ? -minutes : minutes;
  if (m >= kMinutesPerDay) out += std::to_string(m / kMinutesPerDay) + "d";
  m %= kMinutesPerDay;
  if (m >= 60) out += std::to_string(m / 60) + "h";
  if (m % 60 != 0) out += std::to_string(m % 60) + "m";
  return out;
}

}  // namespace plinth::slo
