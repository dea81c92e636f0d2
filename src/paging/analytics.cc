#include "paging/analytics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "base/time.h"
#include "catalog/repository.h"
#include "oncall/oncall.h"
#include "schedule/zone.h"

namespace plinth::paging {

namespace {

constexpr int64_t kDayMs = 86400LL * 1000;

Json Nullable(const std::string& s) { return s.empty() ? Json() : Json(s); }

int64_t RoundSeconds(double ms) { return static_cast<int64_t>(std::floor(ms / 1000 + 0.5)); }

// {"meanSeconds", "medianSeconds"} of durations in milliseconds.
Json MeanMedian(std::vector<int64_t> ms) {
  if (ms.empty()) return {{"meanSeconds", nullptr}, {"medianSeconds", nullptr}};
  std::sort(ms.begin(), ms.end());
  double sum = 0;
  for (int64_t v : ms) sum += double(v);
  size_t n = ms.size();
  double median = n % 2 ? double(ms[n / 2]) : (double(ms[n / 2 - 1]) + double(ms[n / 2])) / 2;
  return {{"meanSeconds", RoundSeconds(sum / double(n))}, {"medianSeconds", RoundSeconds(median)}};
}

Json Share(int64_t part, int64_t whole) {
  if (whole == 0) return nullptr;
  return std::round(double(part) * 1000 / double(whole)) / 1000;
}

bool AutoResolver(const std::string& by) { return by.starts_with("source:") || by == "timeout"; }

// The counts behind one row of "teams" or "services", and the totals.
struct Figures {
  int64_t incidents = 0, high = 0, alerts = 0, pages = 0, acknowledged = 0, resolved = 0, open = 0;
  std::vector<int64_t> tta, ttr;
  int64_t actionable = 0, not_actionable = 0, auto_resolved = 0, no_verdict = 0;

  Json ToJson() const {
    return {{"incidents", incidents},
            {"highUrgency", high},
            {"alerts", alerts},
            {"pages", pages},
            {"acknowledged", acknowledged},
            {"resolved", resolved},
            {"open", open},
            {"mtta", MeanMedian(tta)},
            {"mttr", MeanMedian(ttr)},
            {"quality",
             {{"resolved", resolved},
              {"actionable", actionable},
              {"notActionable", not_actionable},
              {"autoResolved", auto_resolved},
              {"noVerdict", no_verdict},
              {"actionableShare", Share(actionable, resolved)},
              {"notActionableShare", Share(not_actionable, resolved)},
              {"autoResolvedShare", Share(auto_resolved, resolved)}}}};
  }
};

struct IncidentRow {
  std::string service, team, urgency, status, resolved_by;
  int64_t created_ms = 0;
  std::optional<int64_t> first_ack_ms, resolved_ms, actionable;
};

void AddIncident(Figures& f, const IncidentRow& i) {
  ++f.incidents;
  if (i.urgency == "high") ++f.high;
  if (i.first_ack_ms) {
    ++f.acknowledged;
    f.tta.push_back(*i.first_ack_ms - i.created_ms);
  }
  if (!i.resolved_ms) {
    ++f.open;
    return;
  }
  ++f.resolved;
  f.ttr.push_back(*i.resolved_ms - i.created_ms);
  if (i.actionable) {
    ++(*i.actionable ? f.actionable : f.not_actionable);
  } else if (AutoResolver(i.resolved_by)) {
    ++f.auto_resolved;
  } else {
    ++f.no_verdict;
  }
}

struct Noise {
  int64_t alerts = 0, flapping = 0, last_ms = 0;
  std::set<std::string> incidents;
};

struct PersonFigures {
  int64_t pages = 0, high = 0, off_hours = 0, on_call = 0;
  std::vector<std::pair<int64_t, int64_t>> shifts;  // [start, end), in the period
};

struct DayFigures {
  int64_t incidents = 0, high = 0, alerts = 0, pages = 0;
};

// True when `at_ms` falls in the person's working hours in their zone.
bool InWorkingHours(const schedule::Person& p, const date::time_zone* zone, int64_t at_ms) {
  int64_t local = schedule::UtcToLocalS(zone, at_ms);
  int64_t tod = local - schedule::FloorDiv(local, 86400) * 86400;
  const auto& wh = p.working_hours;
  if (std::find(wh.days.begin(), wh.days.end(), schedule::WeekdayOf(local)) == wh.days.end()) {
    return false;
  }
  return tod >= wh.start_s && tod < wh.end_s;
}

// A field error when a filter names something that does not exist.
Status CheckExists(store::Tx& tx, const char* kind, const char* pointer, const char* noun,
                   const std::string& name) {
  if (name.empty()) return {};
  auto e = catalog::Get(tx, kind, name);
  if (e.ok()) return {};
  if (e.error().code != ErrorCode::kNotFound) return std::move(e).error();
  return Error::Field(pointer, std::string(noun) + " \"" + name + "\" does not exist");
}

// Team and service filters as SQL over `i` (paging_incidents) and `c` (its service's entity).
constexpr const char* kFilter = " AND (? = '' OR i.service = ?) AND (? = '' OR c.owner = ?)";
constexpr const char* kJoinOwner =
    " LEFT JOIN catalog_entities c ON c.kind = 'Service' AND c.name = i.service";

}  // namespace

Result<Json> Analytics(store::Tx& tx, const AnalyticsQuery& q) {
  PLINTH_RETURN_IF_ERROR(oncall::CheckRange(q.from_ms, q.to_ms));
  PLINTH_RETURN_IF_ERROR(CheckExists(tx, "Team", "/team", "team", q.team));
  PLINTH_RETURN_IF_ERROR(CheckExists(tx, "Service", "/service", "service", q.service));
  store::Params filter = {q.service, q.service, q.team, q.team};
  auto params = [&](store::Params head) {
    head.insert(head.end(), filter.begin(), filter.end());
    return head;
  };

  Figures totals;
  std::map<std::string, Figures> teams;
  std::map<std::string, std::pair<std::string, Figures>> services;  // service -> (team, ...)
  auto of_service = [&](const std::string& service, const std::string& team) -> Figures& {
    auto& s = services[service];
    s.first = team;
    return s.second;
  };
  const int64_t first_day = schedule::FloorDiv(q.from_ms, kDayMs);
  std::vector<DayFigures> days(
      static_cast<size_t>(schedule::FloorDiv(q.to_ms - 1, kDayMs) - first_day + 1));
  auto day = [&](int64_t at_ms) -> DayFigures& {
    return days[static_cast<size_t>(schedule::FloorDiv(at_ms, kDayMs) - first_day)];
  };

  PLINTH_ASSIGN_OR_RETURN(
      auto incidents,
      tx.Query(std::string("SELECT i.service, COALESCE(c.owner, ''), i.urgency, i.status, "
                           "i.created_ms, COALESCE((SELECT MIN(l.at_ms) FROM paging_incident_log "
                           "l WHERE l.incident_id = i.id AND l.kind IN ('acknowledged', "
                           "'snoozed')), i.acknowledged_ms), i.resolved_ms, i.resolved_by, "
                           "i.actionable FROM paging_incidents i") +
                   kJoinOwner + " WHERE i.created_ms >= ? AND i.created_ms < ?" + kFilter,
               params({q.from_ms, q.to_ms})));
  for (const auto& r : incidents) {
    IncidentRow i{r.Text(0), r.Text(1),   r.Text(2),   r.Text(3),  r.Text(7),
                  r.Int(4),  r.OptInt(5), r.OptInt(6), r.OptInt(8)};
    if (i.status != "resolved") i.resolved_ms.reset();
    AddIncident(totals, i);
    AddIncident(teams[i.team], i);
    AddIncident(of_service(i.service, i.team), i);
    DayFigures& d = day(i.created_ms);
    ++d.incidents;
    if (i.urgency == "high") ++d.high;
  }

  std::map<std::pair<std::string, std::string>, Noise> noise;
  PLINTH_ASSIGN_OR_RETURN(
      auto alerts,
      tx.Query(std::string("SELECT a.service, COALESCE(c.owner, ''), a.class, a.summary, "
                           "a.created_ms, a.resolved_ms, a.incident_id, i.status, i.resolved_ms, "
                           "i.resolved_by FROM paging_alerts a JOIN paging_incidents i ON i.id = "
                           "a.incident_id") +
                   kJoinOwner + " WHERE a.created_ms >= ? AND a.created_ms < ?" + kFilter,
               params({q.from_ms, q.to_ms})));
  for (const auto& r : alerts) {
    std::string service = r.Text(0), team = r.Text(1);
    ++totals.alerts;
    ++teams[team].alerts;
    ++of_service(service, team).alerts;
    int64_t created = r.Int(4);
    ++day(created).alerts;
    Noise& n = noise[{service, r.Text(2).empty() ? r.Text(3) : r.Text(2)}];
    ++n.alerts;
    n.incidents.insert(r.Text(6));
    n.last_ms = std::max(n.last_ms, created);
    auto resolved = r.OptInt(5);
    bool by_responder =
        r.Text(7) == "resolved" && r.OptInt(8) == resolved && !AutoResolver(r.Text(9));
    if (resolved && *resolved - created <= kFlapMs && !by_responder) ++n.flapping;
  }

  // Shifts on the counted schedules, and the people's zones and working hours.
  std::string shift_team = q.team;
  if (!q.service.empty()) {
    PLINTH_ASSIGN_OR_RETURN(auto s, catalog::Get(tx, "Service", q.service));
    shift_team = s.doc["spec"].value("owner", "");
  }
  std::map<std::string, PersonFigures> people;
  PLINTH_ASSIGN_OR_RETURN(auto schedules, oncall::LoadSchedules(tx));
  for (const auto& s : schedules) {
    if ((!q.team.empty() || !q.service.empty()) && s.team != shift_team) continue;
    PLINTH_ASSIGN_OR_RETURN(auto r, oncall::Final(tx, s.model.name, q.from_ms, q.to_ms));
    std::string last;
    for (const auto& shift : r.final) {
      if (shift.person.empty()) {
        last.clear();
        continue;
      }
      int64_t start = std::max(shift.start_ms, q.from_ms), end = std::min(shift.end_ms, q.to_ms);
      if (start >= end) continue;
      auto& mine = people[shift.person].shifts;
      if (shift.person == last && !mine.empty() && mine.back().second == start) {
        mine.back().second = end;
      } else {
        mine.emplace_back(start, end);
      }
      last = shift.person;
    }
  }
  PLINTH_ASSIGN_OR_RETURN(auto catalog_people, oncall::LoadPeople(tx));
  std::map<std::string, schedule::Person> known;
  for (auto& p : catalog_people) known[p.name] = std::move(p);

  PLINTH_ASSIGN_OR_RETURN(
      auto pages,
      tx.Query(std::string("SELECT i.service, COALESCE(c.owner, ''), p.person, p.at_ms, "
                           "i.urgency FROM paging_pages p JOIN paging_incidents i ON i.id = "
                           "p.incident_id") +
                   kJoinOwner + " WHERE p.at_ms >= ? AND p.at_ms < ?" + kFilter,
               params({q.from_ms, q.to_ms})));
  for (const auto& r : pages) {
    std::string service = r.Text(0), team = r.Text(1), person = r.Text(2);
    int64_t at = r.Int(3);
    ++totals.pages;
    ++teams[team].pages;
    ++of_service(service, team).pages;
    ++day(at).pages;
    PersonFigures& p = people[person];
    ++p.pages;
    if (r.Text(4) == "high") ++p.high;
    auto it = known.find(person);
    schedule::Person who = it != known.end() ? it->second : schedule::Person{person, "UTC", {}};
    auto zone = schedule::FindZone(who.time_zone);
    if (!zone.ok()) zone = schedule::FindZone("UTC");
    if (!InWorkingHours(who, *zone, at)) ++p.off_hours;
    for (const auto& [start, end] : p.shifts) {
      if (start <= at && at < end) {
        ++p.on_call;
        break;
      }
    }
  }

  Json out = {{"from", FormatRfc3339(q.from_ms)},
              {"to", FormatRfc3339(q.to_ms)},
              {"team", Nullable(q.team)},
              {"service", Nullable(q.service)}};

  int64_t on_call = 0, shifts = 0;
  std::vector<std::pair<std::string, const PersonFigures*>> order;
  for (const auto& [name, p] : people) {
    on_call += p.on_call;
    shifts += static_cast<int64_t>(p.shifts.size());
    order.emplace_back(name, &p);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.second->pages > b.second->pages; });
  Json people_json = Json::array();
  for (const auto& [name, p] : order) {
    auto it = known.find(name);
    int64_t n = static_cast<int64_t>(p->shifts.size());
    people_json.push_back(
        {{"person", name},
         {"timeZone", it != known.end() ? it->second.time_zone : "UTC"},
         {"pages", p->pages},
         {"highUrgencyPages", p->high},
         {"offHoursPages", p->off_hours},
         {"pagesOnCall", p->on_call},
         {"shifts", n},
         {"pagesPerShift",
          n ? Json(std::round(double(p->on_call) * 100 / double(n)) / 100) : Json()}});
  }

  Json t = totals.ToJson();
  t["pagesOnCall"] = on_call;
  t["shifts"] = shifts;
  t["pagesPerShift"] =
      shifts ? Json(std::round(double(on_call) * 100 / double(shifts)) / 100) : Json();
  out["totals"] = std::move(t);

  auto by_incidents = [](const Json& a, const Json& b) {
    return a["incidents"].get<int64_t>() > b["incidents"].get<int64_t>();
  };
  Json teams_json = Json::array();
  for (const auto& [team, f] : teams) {
    Json row = {{"team", Nullable(team)}};
    row.update(f.ToJson());
    teams_json.push_back(std::move(row));
  }
  std::stable_sort(teams_json.begin(), teams_json.end(), by_incidents);
  out["teams"] = std::move(teams_json);
  Json services_json = Json::array();
  for (const auto& [service, tf] : services) {
    Json row = {{"service", service}, {"team", Nullable(tf.first)}};
    row.update(tf.second.ToJson());
    services_json.push_back(std::move(row));
  }
  std::stable_sort(services_json.begin(), services_json.end(), by_incidents);
  out["services"] = std::move(services_json);
  out["people"] = std::move(people_json);

  std::vector<std::pair<const std::pair<std::string, std::string>*, const Noise*>> loud;
  for (const auto& [key, n] : noise) loud.emplace_back(&key, &n);
  std::stable_sort(loud.begin(), loud.end(), [](const auto& a, const auto& b) {
    if (a.second->alerts != b.second->alerts) return a.second->alerts > b.second->alerts;
    return a.second->incidents.size() > b.second->incidents.size();
  });
  if (loud.size() > kNoisiestLimit) loud.resize(kNoisiestLimit);
  Json noisiest = Json::array();
  for (const auto& [key, n] : loud) {
    noisiest.push_back({{"service", key->first},
                        {"alert", key->second},
                        {"alerts", n->alerts},
                        {"incidents", static_cast<int64_t>(n->incidents.size())},
                        {"flapping", n->flapping},
                        {"lastAt", FormatRfc3339(n->last_ms)}});
  }
  out["noisiest"] = std::move(noisiest);

  Json daily = Json::array();
  for (size_t i = 0; i < days.size(); ++i) {
    const DayFigures& d = days[i];
    daily.push_back({{"date", FormatRfc3339((first_day + int64_t(i)) * kDayMs).substr(0, 10)},
                     {"incidents", d.incidents},
                     {"highUrgency", d.high},
                     {"alerts", d.alerts},
                     {"pages", d.pages}});
  }
  out["daily"] = std::move(daily);
  return out;
}

}  // namespace plinth::paging
