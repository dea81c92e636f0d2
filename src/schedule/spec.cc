#include "schedule/spec.h"

#include <date/date.h>
#include <date/tz.h>

#include <cctype>
#include <cstdio>

#include "schedule/zone.h"

namespace plinth::schedule {

namespace {

constexpr const char* kWeekdays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                     "friday", "saturday", "sunday"};

// Reads exactly `n` digits at `pos`.
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const Json* Find(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::string Str(const Json& obj, const char* key) {
  const Json* v = Find(obj, key);
  return v && v->is_string() ? v->get<std::string>() : "";
}

Restriction RestrictionFromSpec(const Json& r) {
  Restriction out;
  out.kind = Str(r, "type") == "weekly" ? Restriction::kWeekly : Restriction::kDaily;
  out.start_s = ParseTimeOfDay(Str(r, "start")).value_or(0);
  if (out.kind == Restriction::kWeekly) out.start_day = ParseWeekday(Str(r, "startDay")).value_or(0);
  if (Find(r, "duration")) {
    out.duration_s = ParseDuration(Str(r, "duration")).value_or(kDay);
    return out;
  }
  int64_t end = ParseTimeOfDay(Str(r, "end"), true).value_or(0);
  if (out.kind == Restriction::kDaily) {
    out.duration_s = end > out.start_s ? end - out.start_s : end + kDay - out.start_s;
  } else {
    int end_day = ParseWeekday(Str(r, "endDay")).value_or(out.start_day);
    int64_t start = out.start_day * kDay + out.start_s;
    int64_t stop = end_day * kDay + end;
    out.duration_s = stop > start ? stop - start : stop + kWeek - start;
  }
  return out;
}

Json RestrictionToSpec(const Restriction& r) {
  Json out = {{"type", r.kind == Restriction::kDaily ? "daily" : "weekly"},
              {"start", FormatTimeOfDay(r.start_s)}};
  int64_t period = r.kind == Restriction::kDaily ? kDay : kWeek;
  if (r.duration_s >= period) {
    out["duration"] = FormatDuration(r.duration_s);
    if (r.kind == Restriction::kWeekly) out["startDay"] = WeekdayName(r.start_day);
    return out;
  }
  if (r.kind == Restriction::kDaily) {
    out["end"] = FormatTimeOfDay((r.start_s + r.duration_s) % kDay);
  } else {
    int64_t stop = (r.start_day * kDay + r.start_s + r.duration_s) % kWeek;
    out["startDay"] = WeekdayName(r.start_day);
    out["endDay"] = WeekdayName(static_cast<int>(stop / kDay));
    out["end"] = FormatTimeOfDay(stop % kDay);
  }
  return out;
}

}  // namespace

std::optional<int64_t> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t total = 0;
  size_t i = 0;
  int last_rank = -1;  // units must come in order w, d, h, m, s
  while (i < text.size()) {
    size_t start = i;
    int64_t n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      n = n * 10 + (text[i] - '0');
      if (n > 100000) return std::nullopt;
      ++i;
    }
    if (i == start || i == text.size()) return std::nullopt;
    static constexpr std::pair<char, int64_t> kUnits[] = {
        {'w', kWeek}, {'d', kDay}, {'h', kHour}, {'m', kMinute}, {'s', 1}};
    int rank = -1;
    for (int u = 0; u < 5; ++u) {
      if (kUnits[u].first == text[i]) rank = u;
    }
    if (rank < 0 || rank <= last_rank) return std::nullopt;
    last_rank = rank;
    total += n * kUnits[rank].second;
    ++i;
  }
  if (total <= 0) return std::nullopt;
  return total;
}

std::string FormatDuration(int64_t seconds) {
  if (seconds <= 0) return "0s";
  std::string out;
  static constexpr std::pair<char, int64_t> kUnits[] = {
      {'w', kWeek}, {'d', kDay}, {'h', kHour}, {'m', kMinute}, {'s', 1}};
  for (const auto& [unit, size] : kUnits) {
    if (seconds >= size) {
      out += std::to_string(seconds / size) + unit;
      seconds %= size;
    }
  }
  return out;
}

std::optional<int64_t> ParseTimeOfDay(std::string_view text, bool allow_24) {
  int h = 0, m = 0, s = 0;
  if (!Digits(text, 0, 2, &h) || text.size() < 5 || text[2] != ':' || !Digits(text, 3, 2, &m)) {
    return std::nullopt;
  }
  if (text.size() == 8) {
    if (text[5] != ':' || !Digits(text, 6, 2, &s)) return std::nullopt;
  } else if (text.size() != 5) {
    return std::nullopt;
  }
  if (m > 59 || s > 59) return std::nullopt;
  int64_t v = h * kHour + m * kMinute + s;
  if (v < kDay || (allow_24 && v == kDay)) return v;
  return std::nullopt;
}

std::string FormatTimeOfDay(int64_t seconds) {
  char buf[64];
  int64_t h = seconds / kHour, m = seconds / kMinute % 60, s = seconds % 60;
  if (s) {
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(h),
                  static_cast<long long>(m), static_cast<long long>(s));
  } else {
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(h),
                  static_cast<long long>(m));
  }
  return buf;
}

std::optional<int> ParseWeekday(std::string_view text) {
  std::string t = Lower(text);
  for (int d = 0; d < 7; ++d) {
    std::string_view full = kWeekdays[d];
    if (t == full || t == full.substr(0, 3)) return d;
  }
  return std::nullopt;
}

const char* WeekdayName(int day) { return kWeekdays[((day % 7) + 7) % 7]; }

Result<int64_t> ParseLocalTime(std::string_view text, const date::time_zone* zone) {
  auto bad = [&] {
    return Error::Invalid("must be a date and time such as 2026-01-05T09:00 (got \"" +
                          std::string(text) + "\")");
  };
  int y = 0, mo = 0, d = 0;
  if (!Digits(text, 0, 4, &y) || text.size() < 16 || text[4] != '-' || !Digits(text, 5, 2, &mo) ||
      text[7] != '-' || !Digits(text, 8, 2, &d) || (text[10] != 'T' && text[10] != ' ')) {
    return bad();
  }
  size_t pos = 11;
  size_t end = pos;
  while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) ||
                               text[end] == ':')) {
    ++end;
  }
  auto tod = ParseTimeOfDay(text.substr(pos, end - pos));
  date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(mo)),
                           date::day(static_cast<unsigned>(d))};
  if (!tod || !ymd.ok()) return bad();
  int64_t days = date::sys_days(ymd).time_since_epoch().count();
  int64_t wall = days * kDay + *tod;
  std::string_view suffix = text.substr(end);
  if (suffix.empty()) {
    if (IsNonexistent(zone, wall)) {
      return Error::Invalid("\"" + std::string(text) + "\" does not exist in " +
                            std::string(zone->name()) +
                            " (the clocks jump forward then); pick a time outside the gap");
    }
    return wall;
  }
  int64_t offset = 0;
  if (suffix == "Z" || suffix == "z") {
    offset = 0;
  } else {
    int oh = 0, om = 0;
    if (suffix.size() != 6 || (suffix[0] != '+' && suffix[0] != '-') || !Digits(suffix, 1, 2, &oh) ||
        suffix[3] != ':' || !Digits(suffix, 4, 2, &om) || oh > 23 || om > 59) {
      return bad();
    }
    offset = (suffix[0] == '-' ? -1 : 1) * (oh * kHour + om * kMinute);
  }
  return UtcToLocalS(zone, (wall - offset) * 1000);
}

std::string FormatLocalTime(int64_t local_s) {
  int64_t days = FloorDiv(local_s, kDay);
  int64_t tod = local_s - days * kDay;
  date::year_month_day ymd{date::sys_days(date::days(days))};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf + FormatTimeOfDay(tod);
}

Schedule FromSpec(std::string_view name, const Json& spec) {
  Schedule s;
  s.name = std::string(name);
  s.time_zone = Str(spec, "timeZone");
  auto zone = FindZone(s.time_zone);
  const Json* layers = Find(spec, "layers");
  if (!layers || !layers->is_array()) return s;
  for (const Json& l : *layers) {
    Layer layer;
    layer.name = Str(l, "name");
    if (const Json* p = Find(l, "participants"); p && p->is_array()) {
      for (const Json& n : *p) {
        if (n.is_string()) layer.participants.push_back(n.get<std::string>());
      }
    }
    layer.turn_s = ParseDuration(Str(l, "turn")).value_or(kWeek);
    if (zone.ok()) {
      auto start = ParseLocalTime(Str(l, "start"), *zone);
      if (start.ok()) layer.start_local_s = *start;
      if (Find(l, "end")) {
        auto end = ParseLocalTime(Str(l, "end"), *zone);
        if (end.ok()) layer.end_ms = LocalToUtcMs(*zone, *end);
      }
    }
    if (const Json* rs = Find(l, "restrictions"); rs && rs->is_array()) {
      for (const Json& r : *rs) layer.restrictions.push_back(RestrictionFromSpec(r));
    }
    s.layers.push_back(std::move(layer));
  }
  return s;
}

Json ToSpec(const Schedule& schedule, std::string_view team) {
  Json spec = Json::object();
  if (!team.empty()) spec["team"] = std::string(team);
  spec["timeZone"] = schedule.time_zone;
  auto zone = FindZone(schedule.time_zone);
  Json layers = Json::array();
  for (const Layer& l : schedule.layers) {
    Json out = {{"name", l.name},
                {"participants", l.participants},
                {"turn", FormatDuration(l.turn_s)},
                {"start", FormatLocalTime(l.start_local_s)}};
    if (l.end_ms && zone.ok()) out["end"] = FormatLocalTime(UtcToLocalS(*zone, *l.end_ms));
    if (!l.restrictions.empty()) {
      Json rs = Json::array();
      for (const Restriction& r : l.restrictions) rs.push_back(RestrictionToSpec(r));
      out["restrictions"] = std::move(rs);
    }
    layers.push_back(std::move(out));
  }
  spec["layers"] = std::move(layers);
  return spec;
}

}  // namespace plinth::schedule
