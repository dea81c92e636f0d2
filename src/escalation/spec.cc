#include "escalation/spec.h"

#include <algorithm>
#include <set>

#include "schedule/spec.h"
#include "schedule/zone.h"

namespace plinth::escalation {

std::optional<int64_t> ParseDurationMs(std::string_view text, bool allow_zero) {
  if (auto s = schedule::ParseDuration(text)) return *s * 1000;
  // ParseDuration rejects zero; accept "0", "0s", "0m", "0h" ... when zero is allowed.
  if (!allow_zero || text.empty()) return std::nullopt;
  size_t digits = text.find_first_not_of('0');
  if (digits == 0) return std::nullopt;
  if (digits == std::string_view::npos) return 0;
  std::string_view unit = text.substr(digits);
  if (unit.size() == 1 && std::string_view("wdhms").find(unit[0]) != std::string_view::npos) {
    return 0;
  }
  return std::nullopt;
}

std::string FormatDurationMs(int64_t ms) { return schedule::FormatDuration(ms / 1000); }

Result<Window> WindowFromSpec(const Json& spec, const std::string& pointer) {
  if (!spec.is_object()) return Error::Field(pointer, "must be a mapping");
  auto text = [&](const char* key) -> std::string {
    auto it = spec.find(key);
    return it != spec.end() && it->is_string() ? it->get<std::string>() : "";
  };
  Window w;
  w.zone = text("timeZone");
  if (auto zone = schedule::FindZone(w.zone); !zone.ok()) {
    return Error::Field(pointer + "/timeZone", zone.error().message);
  }
  auto start = schedule::ParseTimeOfDay(text("start"));
  if (!start) return Error::Field(pointer + "/start", "must be a time of day such as 09:00");
  auto end = schedule::ParseTimeOfDay(text("end"), true);
  if (!end) return Error::Field(pointer + "/end", "must be a time of day such as 18:00 or 24:00");
  w.start_s = *start;
  w.end_s = *end;
  if (auto it = spec.find("days"); it != spec.end() && !it->is_null()) {
    if (!it->is_array()) return Error::Field(pointer + "/days", "must be a list of days");
    std::set<int> days;
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& d = (*it)[i];
      auto day = d.is_string() ? schedule::ParseWeekday(d.get<std::string>()) : std::nullopt;
      if (!day) {
        return Error::Field(pointer + "/days/" + std::to_string(i), "must be a day such as monday");
      }
      days.insert(SundayBased(*day));
    }
    w.days.assign(days.begin(), days.end());
  }
  return w;
}

Json WindowToSpec(const Window& w) {
  Json out = {{"timeZone", w.zone},
              {"start", schedule::FormatTimeOfDay(w.start_s)},
              {"end", schedule::FormatTimeOfDay(w.end_s)}};
  if (!w.days.empty()) {
    std::vector<int> monday_first;
    for (int d : w.days) monday_first.push_back(MondayBased(d));
    std::sort(monday_first.begin(), monday_first.end());
    Json days = Json::array();
    for (int d : monday_first) days.push_back(schedule::WeekdayName(d));
    out["days"] = std::move(days);
  }
  return out;
}

}  // namespace plinth::escalation
