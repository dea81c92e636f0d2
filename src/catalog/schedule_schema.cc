// The schema of the Schedule kind (see schedule/spec.h for the YAML form).

#include <set>

#include "catalog/spec_context.h"
#include "schedule/model.h"
#include "schedule/spec.h"
#include "schedule/zone.h"

namespace plinth::catalog {

namespace {

// One restriction of a schedule layer: a daily or weekly local-time window.
Json RestrictionSpec(FieldReader& r) {
  Json out = Json::object();
  auto type = r.Enum("type", {"daily", "weekly"});
  if (!r.Get("type")) r.Fail("type", "is required");
  if (!type) return nullptr;
  bool weekly = *type == "weekly";
  out["type"] = *type;
  std::optional<int> start_day;
  if (weekly) {
    if (auto d = r.Text("startDay", true)) {
      start_day = schedule::ParseWeekday(*d);
      if (!start_day) r.Fail("startDay", "must be a day such as monday (got \"" + *d + "\")");
    }
  }
  auto start = TimeOfDay(r, "start", false);
  bool has_end = r.Get("end") != nullptr, has_duration = r.Get("duration") != nullptr;
  if (has_end == has_duration) {
    r.Fail(has_end ? "duration" : "end", has_end ? "give either end or duration, not both"
                                                  : "is required (or give duration)");
  }
  int64_t period = weekly ? schedule::kWeek : schedule::kDay;
  if (has_duration) {
    auto text = r.Text("duration");
    auto d = text ? schedule::ParseDuration(*text) : std::nullopt;
    if (!d) {
      r.Fail("duration", "must be a duration such as 8h or 1d12h");
    } else if (*d > period) {
      r.Fail("duration", std::string("a ") + *type + " restriction cannot last longer than " +
                             (weekly ? "1w" : "24h") + " (got " + *text + ")");
    } else {
      out["duration"] = schedule::FormatDuration(*d);
    }
  } else if (has_end) {
    if (auto end = TimeOfDay(r, "end", true)) out["end"] = schedule::FormatTimeOfDay(*end);
    if (weekly) {
      if (auto d = r.Text("endDay", true)) {
        auto day = schedule::ParseWeekday(*d);
        if (day) {
          out["endDay"] = schedule::WeekdayName(*day);
        } else {
          r.Fail("endDay", "must be a day such as friday (got \"" + *d + "\")");
        }
      }
    }
  }
  if (!weekly && r.Get("startDay")) r.Fail("startDay", "only weekly restrictions have days");
  if (start) out["start"] = schedule::FormatTimeOfDay(*start);
  if (start_day) out["startDay"] = schedule::WeekdayName(*start_day);
  return out;
}

}  // namespace

std::optional<int64_t> TimeOfDay(FieldReader& r, std::string_view key, bool end) {
  auto text = r.Text(key, true);
  if (!text) return std::nullopt;
  auto v = schedule::ParseTimeOfDay(*text, end);
  if (!v) r.Fail(key, "must be a time of day such as 09:00 (got \"" + *text + "\")");
  return v;
}

void ScheduleSpec(SpecContext& c) {
  if (auto team = c.in.Name("team")) {
    c.out["team"] = *team;
    c.Ref(kOwnedBy, "Team", *team, c.in.Pointer("team"));
  }
  const date::time_zone* zone = nullptr;
  if (auto tz = c.in.Text("timeZone", true)) {
    auto z = schedule::FindZone(*tz);
    if (z.ok()) {
      zone = *z;
      c.out["timeZone"] = *tz;
    } else {
      c.in.Fail("timeZone", z.error().message);
    }
  }
  const Json* layers = c.in.Array("layers");
  if (!c.in.Get("layers")) c.in.Fail("layers", "is required");
  if (!layers) return;
  if (layers->empty()) c.in.Fail("layers", "must list at least one layer");
  std::set<std::string> names;
  Json out = Json::array();
  for (size_t i = 0; i < layers->size(); ++i) {
    std::string p = c.in.Pointer("layers") + "/" + std::to_string(i);
    if (!(*layers)[i].is_object()) {
      c.in.FailAt(p, "must be a mapping with name, participants, turn and start");
      continue;
    }
    FieldReader r((*layers)[i], p, c.in.errors());
    Json layer = Json::object();
    if (auto name = r.Name("name", true)) {
      if (!names.insert(*name).second) r.Fail("name", "another layer is already named \"" + *name + "\"");
      layer["name"] = *name;
    }
    const Json* people = r.Array("participants");
    if (!r.Get("participants") || (people && people->empty())) {
      r.Fail("participants", "must list at least one person");
    }
    if (people) {
      layer["participants"] = Json::array();
      for (size_t k = 0; k < people->size(); ++k) {
        std::string pp = r.Pointer("participants") + "/" + std::to_string(k);
        const Json& v = (*people)[k];
        std::string name = v.is_string() ? Trim(v.get<std::string>()) : "";
        if (!IsValidName(name)) {
          r.FailAt(pp, v.is_string() ? BadNameMessage(name) : "must be a person's name");
          continue;
        }
        layer["participants"].push_back(name);
        c.Ref(kOnCall, "Person", name, pp);
      }
    }
    if (auto turn = r.Text("turn", true)) {
      auto d = schedule::ParseDuration(*turn);
      if (!d || *d < schedule::kMinute || *d > 52 * schedule::kWeek) {
        r.Fail("turn", "must be a duration from 1m to 52w such as 1w, 1d or 12h (got \"" + *turn +
                           "\")");
      } else {
        layer["turn"] = schedule::FormatDuration(*d);
      }
    }
    std::optional<int64_t> start;
    for (const char* key : {"start", "end"}) {
      auto text = r.Text(key, key == std::string_view("start"));
      if (!text || !zone) continue;
      auto t = schedule::ParseLocalTime(*text, zone);
      if (!t.ok()) {
        r.Fail(key, t.error().message);
      } else if (key == std::string_view("start")) {
        start = *t;
        layer[key] = schedule::FormatLocalTime(*t);
      } else if (start && *t <= *start) {
        r.Fail(key, "must be after start");
      } else {
        layer[key] = schedule::FormatLocalTime(*t);
      }
    }
    if (const Json* rs = r.Array("restrictions")) {
      Json list = Json::array();
      for (size_t k = 0; k < rs->size(); ++k) {
        std::string rp = r.Pointer("restrictions") + "/" + std::to_string(k);
        if (!(*rs)[k].is_object()) {
          r.FailAt(rp, "must be a mapping with type, start and end");
          continue;
        }
        FieldReader rr((*rs)[k], rp, r.errors());
        Json restriction = RestrictionSpec(rr);
        rr.Finish();
        if (!restriction.is_null()) list.push_back(std::move(restriction));
      }
      if (!list.empty()) layer["restrictions"] = std::move(list);
    }
    r.Finish();
    out.push_back(std::move(layer));
  }
  c.out["layers"] = std::move(out);
}

}  // namespace plinth::catalog
