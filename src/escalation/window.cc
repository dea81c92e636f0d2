#include "escalation/window.h"

#include <algorithm>

#include "schedule/model.h"
#include "schedule/zone.h"

namespace plinth::escalation {

namespace {

bool HasDay(const Window& w, int sunday_based) {
  return w.days.empty() || std::find(w.days.begin(), w.days.end(), sunday_based) != w.days.end();
}

}  // namespace

bool Inside(const Window& w, int64_t at_ms) {
  auto zone = schedule::FindZone(w.zone);
  if (!zone.ok()) return true;
  int64_t local = schedule::UtcToLocalS(*zone, at_ms);
  int64_t day = schedule::FloorDiv(local, schedule::kDay);
  int64_t tod = local - day * schedule::kDay;
  int today = SundayBased(schedule::WeekdayOf(local));
  int yesterday = (today + 6) % 7;
  if (w.end_s > w.start_s) return HasDay(w, today) && tod >= w.start_s && tod < w.end_s;
  // Past midnight: the evening part belongs to today, the morning part to yesterday's window.
  if (tod >= w.start_s) return HasDay(w, today);
  return tod < w.end_s && HasDay(w, yesterday);
}

}  // namespace plinth::escalation
