#include "cli/demo_oncall.h"

#include <algorithm>
#include <map>
#include <string>

namespace plinth::cli {

namespace {

// Consecutive Mondays from 2026-08-03: rotation starts, one per schedule, so handoffs differ.
constexpr const char* kMondays[] = {"2026-08-03", "2026-08-10", "2026-08-17", "2026-08-24",
                                    "2026-08-31", "2026-09-07", "2026-09-14", "2026-09-21"};

// A follow-the-sun region: its people live in the first of `zones` that has some (more zones
// are added until it has two); it is on call daily from `window_start` UTC for 8 hours.
struct Region {
  const char* layer;
  const char* zones[3];
  const char* window_start;  // UTC
  const char* rotation_start;  // UTC wall time: Monday 09:00 or 10:00 in the region
};

// 23:00-07:00 UTC is 10:00-18:00 in Sydney (09:00-17:00 in its winter), 07:00-15:00 UTC is
// 08:00-16:00 in Berlin (09:00-17:00 in summer), 15:00-23:00 UTC is 10:00-18:00 in New York.
constexpr Region kRegions[] = {
    {"apac", {"Australia/Sydney", "Asia/Kolkata", "Asia/Singapore"}, "23:00",
     "2026-08-02T23:00"},
    {"europe", {"Europe/Berlin", "Europe/London", "Europe/Paris"}, "07:00", "2026-08-03T07:00"},
    {"americas", {"America/New_York", "America/Los_Angeles", "America/Chicago"}, "15:00",
     "2026-08-03T15:00"},
};
constexpr size_t kMaxPerRegion = 4;

// The working day (local time, Monday to Friday) of people on the follow-the-sun rotation,
// matching their region's window in November.
struct ShiftedDay {
  const char* zone;
  const char* start;
  const char* end;
};
constexpr ShiftedDay kShiftedDays[] = {
    {"Australia/Sydney", "10:00", "18:00"},
    {"Europe/Berlin", "08:00", "16:00"},
    {"America/New_York", "10:00", "18:00"},
};

constexpr const char* kWeekdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday"};

// The team with the business-hours schedule.
constexpr const char* kBusinessHoursTeam = "payments";

std::string NameOf(const Json& doc) { return doc["metadata"]["name"].get<std::string>(); }

std::string ZoneOf(const Json& person) { return person["spec"].value("timeZone", "UTC"); }

Json Members(const Json& team) {
  return team["spec"].contains("members") ? team["spec"]["members"] : Json::array();
}

Json ScheduleDoc(const std::string& name, const std::string& title, const std::string& team,
                 const std::string& zone, Json layers) {
  return {{"apiVersion", "plinth/v1"},
          {"kind", "Schedule"},
          {"metadata", {{"name", name}, {"title", title}}},
          {"spec", {{"team", team}, {"timeZone", zone}, {"layers", std::move(layers)}}}};
}

Json WeeklyLayer(const std::string& name, Json participants, const std::string& start) {
  return {{"name", name}, {"participants", std::move(participants)}, {"turn", "1w"},
          {"start", start}};
}

// The zone most of `members` live in; ties go to the zone named first alphabetically.
std::string CommonZone(const Json& members, const std::map<std::string, Json*>& by_name) {
  std::map<std::string, int> count;
  for (const auto& m : members) {
    auto p = by_name.find(m.get<std::string>());
    if (p != by_name.end()) ++count[ZoneOf(*p->second)];
  }
  std::string best = "UTC";
  int most = 0;
  for (const auto& [zone, n] : count) {
    if (n > most) best = zone, most = n;
  }
  return best;
}

// The business-hours turns for one cycle of `members`' weekly turns: in week k someone of
// `office` other than members[k] (when there is one), fewest turns first, then whoever's own
// week comes soonest (so they are not needed again right after it).
Json OfficeTurns(const Json& members, const Json& office) {
  size_t n = members.size();
  std::map<std::string, int> uses;
  Json turns = Json::array();
  for (size_t k = 0; k < n; ++k) {
    const Json* best = nullptr;
    std::pair<int, size_t> best_key;
    for (const auto& o : office) {
      if (o == members[k] && office.size() > 1) continue;
      size_t next = 1;
      while (next <= n && members[(k + next) % n] != o) ++next;
      std::pair<int, size_t> key = {uses[o.get<std::string>()], next};
      if (!best || key < best_key) best = &o, best_key = key;
    }
    ++uses[best->get<std::string>()];
    turns.push_back(*best);
  }
  return turns;
}

}  // namespace

std::vector<Json> DemoSchedules(std::vector<Json>& people, const std::vector<Json>& teams) {
  std::map<std::string, Json*> by_name;
  for (auto& p : people) by_name[NameOf(p)] = &p;
  // People in team order, so regions mix teams the same way every time.
  std::vector<Json*> ordered;
  for (const auto& t : teams) {
    for (const auto& m : Members(t)) {
      auto p = by_name.find(m.get<std::string>());
      if (p != by_name.end()) ordered.push_back(p->second);
    }
  }

  std::vector<Json> schedules;

  // Follow the sun: the platform team runs the incident process; commanders come from every team.
  Json layers = Json::array();
  for (const auto& region : kRegions) {
    Json participants = Json::array();
    for (const char* zone : region.zones) {
      if (participants.size() >= 2) break;
      for (Json* p : ordered) {
        if (ZoneOf(*p) != zone || participants.size() >= kMaxPerRegion) continue;
        participants.push_back(NameOf(*p));
        for (const auto& day : kShiftedDays) {
          if (day.zone != ZoneOf(*p)) continue;
          (*p)["spec"]["workingHours"] = {{"start", day.start}, {"end", day.end},
                                          {"days", Json(kWeekdays)}};
        }
      }
    }
    if (participants.empty()) continue;
    Json layer = WeeklyLayer(region.layer, participants, region.rotation_start);
    layer["restrictions"] =
        Json::array({{{"type", "daily"}, {"start", region.window_start}, {"duration", "8h"}}});
    layers.push_back(std::move(layer));
  }
  if (!layers.empty()) {
    schedules.push_back(ScheduleDoc("incident-commander", "Incident commander (follow the sun)",
                                    "platform", "UTC", std::move(layers)));
  }

  size_t next_monday = 0;
  for (const auto& team : teams) {
    std::string name = NameOf(team);
    Json members = Members(team);
    if (members.empty()) continue;
    std::string title = team["metadata"].value("title", name);
    std::string start = std::string(kMondays[next_monday++ % std::size(kMondays)]) + "T09:00";
    if (name != kBusinessHoursTeam) {
      schedules.push_back(ScheduleDoc(name + "-primary", title + " primary", name,
                                      CommonZone(members, by_name),
                                      Json::array({WeeklyLayer("primary", members, start)})));
      continue;
    }
    // Business hours: the members in the European office take the weekdays in turn, never in
    // their own week of nights and weekends, which the whole team shares.
    std::string zone = "Europe/Berlin";
    Json office = Json::array();
    for (const auto& m : members) {
      const Json& p = *by_name.at(m.get<std::string>());
      if (ZoneOf(p).starts_with("Europe/")) {
        if (office.empty()) zone = ZoneOf(p);
        if (ZoneOf(p) == zone) office.push_back(m);
      }
    }
    if (office.empty()) office.push_back(members[0]);
    Json weekdays = Json::array();
    for (const char* day : kWeekdays) {
      weekdays.push_back(
          {{"type", "weekly"}, {"startDay", day}, {"start", "09:00"}, {"duration", "8h"}});
    }
    Json business = WeeklyLayer("business-hours", OfficeTurns(members, office), start);
    business["restrictions"] = std::move(weekdays);
    schedules.push_back(ScheduleDoc(
        name + "-primary", title + " primary", name, zone,
        Json::array({WeeklyLayer("around-the-clock", members, start), std::move(business)})));
  }

  // A part-timer: the last member of the first team whose people keep the default day.
  for (const auto& team : teams) {
    Json members = Members(team);
    if (members.empty()) continue;
    Json& p = *by_name.at(members.back().get<std::string>());
    if (p["spec"].contains("workingHours")) continue;
    p["spec"]["workingHours"] = {
        {"start", "08:00"}, {"end", "14:00"},
        {"days", Json::array({"monday", "tuesday", "wednesday", "thursday"})}};
    break;
  }
  return schedules;
}

}  // namespace plinth::cli
