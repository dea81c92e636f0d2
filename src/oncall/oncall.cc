#include "oncall/oncall.h"

#include <algorithm>
#include <map>

#include "audit/audit.h"
#include "base/crypto.h"
#include "base/time.h"
#include "catalog/repository.h"
#include "oncall/overrides.h"
#include "schedule/ical.h"
#include "schedule/spec.h"
#include "schedule/zone.h"

namespace plinth::oncall {

namespace {

constexpr int64_t kDayMs = 86400LL * 1000;

StoredSchedule FromEntity(const catalog::Entity& e) {
  const Json& spec = e.doc.at("spec");
  const Json& md = e.doc.at("metadata");
  StoredSchedule s;
  s.model = schedule::FromSpec(e.name, spec);
  s.title = md.contains("title") ? md["title"].get<std::string>() : e.name;
  s.team = spec.contains("team") ? spec["team"].get<std::string>() : "";
  return s;
}

Result<std::vector<schedule::Override>> OverridesOf(store::Tx& tx, std::string_view name,
                                                    int64_t from_ms, int64_t to_ms) {
  PLINTH_ASSIGN_OR_RETURN(auto records, ListOverrides(tx, name, from_ms, to_ms));
  std::vector<schedule::Override> out;
  for (const auto& r : records) out.push_back(r.ToModel());
  return out;
}

Result<schedule::Resolution> Resolve(store::Tx& tx, const schedule::Schedule& s, int64_t from_ms,
                                     int64_t to_ms) {
  PLINTH_ASSIGN_OR_RETURN(auto overrides, OverridesOf(tx, s.name, from_ms, to_ms));
  return schedule::Resolve(s, overrides, from_ms, to_ms);
}

}  // namespace

Result<StoredSchedule> LoadSchedule(store::Tx& tx, std::string_view name) {
  PLINTH_ASSIGN_OR_RETURN(auto e, catalog::Get(tx, "Schedule", name));
  return FromEntity(e);
}

Result<std::vector<StoredSchedule>> LoadSchedules(store::Tx& tx) {
  PLINTH_ASSIGN_OR_RETURN(auto entities, catalog::All(tx, "Schedule"));
  std::vector<StoredSchedule> out;
  for (const auto& e : entities) out.push_back(FromEntity(e));
  std::stable_sort(out.begin(), out.end(), [](const StoredSchedule& a, const StoredSchedule& b) {
    return std::tie(a.team, a.model.name) < std::tie(b.team, b.model.name);
  });
  return out;
}

Result<std::vector<schedule::Person>> LoadPeople(store::Tx& tx) {
  PLINTH_ASSIGN_OR_RETURN(auto entities, catalog::All(tx, "Person"));
  std::vector<schedule::Person> out;
  for (const auto& e : entities) {
    const Json& spec = e.doc.at("spec");
    schedule::Person p;
    p.name = e.name;
    if (spec.contains("timeZone")) p.time_zone = spec["timeZone"].get<std::string>();
    if (auto it = spec.find("workingHours"); it != spec.end()) {
      if (it->contains("start")) {
        p.working_hours.start_s = *schedule::ParseTimeOfDay((*it)["start"].get<std::string>());
      }
      if (it->contains("end")) {
        p.working_hours.end_s = *schedule::ParseTimeOfDay((*it)["end"].get<std::string>(), true);
      }
      if (it->contains("days")) {
        p.working_hours.days.clear();
        for (const auto& d : (*it)["days"]) {
          p.working_hours.days.push_back(*schedule::ParseWeekday(d.get<std::string>()));
        }
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

Status CheckRange(int64_t from_ms, int64_t to_ms) {
  if (to_ms <= from_ms) return Error::Field("/to", "must be after from");
  if (to_ms - from_ms > kMaxRangeMs) {
    return Error::Field("/to", "the range may be at most 400 days long");
  }
  return {};
}

Result<schedule::Resolution> Final(store::Tx& tx, std::string_view name, int64_t from_ms,
                                   int64_t to_ms) {
  PLINTH_RETURN_IF_ERROR(CheckRange(from_ms, to_ms));
  PLINTH_ASSIGN_OR_RETURN(auto s, LoadSchedule(tx, name));
  return Resolve(tx, s.model, from_ms, to_ms);
}

namespace {

// The final-schedule entry covering `at_ms` and the one after it. Tries a short window first and
// widens it while an entry touches its edge, up to 35 days either side (longer entries are
// shown clipped to that window): most lookups resolve four days, not seventy.
Result<std::pair<schedule::Shift, std::optional<schedule::Shift>>> Around(
    store::Tx& tx, const schedule::Schedule& s, int64_t at_ms) {
  for (int64_t days : {2, 9, 35}) {
    const int64_t from = at_ms - days * kDayMs, to = at_ms + days * kDayMs;
    PLINTH_ASSIGN_OR_RETURN(auto r, Resolve(tx, s, from, to));
    for (size_t i = 0; i < r.final.size(); ++i) {
      if (r.final[i].start_ms > at_ms || at_ms >= r.final[i].end_ms) continue;
      std::optional<schedule::Shift> next;
      if (i + 1 < r.final.size()) next = r.final[i + 1];
      bool whole = r.final[i].start_ms > from && (next ? next->end_ms < to : false);
      if (whole || days == 35) return std::make_pair(r.final[i], next);
      break;
    }
  }
  return Error::Internal("the final schedule does not cover the time asked for");
}

}  // namespace

Result<OnCallAtTime> OnCallAt(store::Tx& tx, std::string_view name, int64_t at_ms) {
  PLINTH_ASSIGN_OR_RETURN(auto s, LoadSchedule(tx, name));
  PLINTH_ASSIGN_OR_RETURN(auto around, Around(tx, s.model, at_ms));
  return OnCallAtTime{std::move(s), std::move(around.first)};
}

Result<std::vector<OnCallNow>> WhoIsOnCall(store::Tx& tx, int64_t at_ms) {
  PLINTH_ASSIGN_OR_RETURN(auto schedules, LoadSchedules(tx));
  std::vector<OnCallNow> out;
  for (auto& s : schedules) {
    PLINTH_ASSIGN_OR_RETURN(auto around, Around(tx, s.model, at_ms));
    out.push_back({std::move(s), std::move(around.first), std::move(around.second)});
  }
  return out;
}

Result<std::vector<PersonShift>> ShiftsOf(store::Tx& tx, std::string_view person,
                                          int64_t from_ms, int64_t to_ms) {
  PLINTH_RETURN_IF_ERROR(CheckRange(from_ms, to_ms));
  PLINTH_RETURN_IF_ERROR(catalog::Get(tx, "Person", person));
  PLINTH_ASSIGN_OR_RETURN(auto schedules, LoadSchedules(tx));
  std::vector<PersonShift> out;
  for (const auto& s : schedules) {
    PLINTH_ASSIGN_OR_RETURN(auto r, Resolve(tx, s.model, from_ms, to_ms));
    for (const auto& shift : r.final) {
      if (shift.person == person) out.push_back({s.model.name, shift});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const PersonShift& a, const PersonShift& b) {
    return a.shift.start_ms < b.shift.start_ms;
  });
  return out;
}

schedule::FairnessPolicy DefaultFairnessPolicy() {
  schedule::FairnessPolicy policy;
  policy.week_min_ms = 24 * schedule::kHourMs;
  return policy;
}

Result<schedule::FairnessReport> Report(store::Tx& tx, const schedule::Period& period,
                                        const schedule::FairnessPolicy& policy) {
  PLINTH_RETURN_IF_ERROR(CheckRange(period.from_ms, period.to_ms));
  PLINTH_ASSIGN_OR_RETURN(auto people, LoadPeople(tx));
  PLINTH_ASSIGN_OR_RETURN(auto schedules, LoadSchedules(tx));
  std::vector<schedule::ScheduleShifts> shifts;
  for (const auto& s : schedules) {
    PLINTH_ASSIGN_OR_RETURN(auto r, Resolve(tx, s.model, period.from_ms, period.to_ms));
    shifts.push_back({s.model.name, std::move(r.final)});
  }
  PLINTH_ASSIGN_OR_RETURN(auto report,
                          schedule::BuildFairnessReport(period, people, shifts, policy));
  // Pages received: every page (paging_pages) sent to the person in the period.
  PLINTH_ASSIGN_OR_RETURN(auto pages, tx.Query("SELECT person, COUNT(*) FROM paging_pages WHERE "
                                               "at_ms >= ? AND at_ms < ? GROUP BY person",
                                               {period.from_ms, period.to_ms}));
  std::map<std::string, int> received;
  for (const auto& r : pages) received[r.Text(0)] = static_cast<int>(r.Int(1));
  for (auto& p : report.people) {
    if (auto it = received.find(p.name); it != received.end()) p.pages_received = it->second;
  }
  return report;
}

Result<std::vector<std::pair<std::string, schedule::Shift>>> UpcomingGaps(store::Tx& tx,
                                                                          int64_t now_ms,
                                                                          int64_t span_ms) {
  PLINTH_ASSIGN_OR_RETURN(auto schedules, LoadSchedules(tx));
  std::vector<std::pair<std::string, schedule::Shift>> out;
  for (const auto& s : schedules) {
    PLINTH_ASSIGN_OR_RETURN(auto r, Resolve(tx, s.model, now_ms, now_ms + span_ms));
    for (const auto& shift : r.final) {
      if (shift.person.empty()) out.emplace_back(s.model.name, shift);
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

Json ShiftJson(const schedule::Shift& shift) {
  Json j = {{"person", shift.person.empty() ? Json(nullptr) : Json(shift.person)},
            {"start", FormatRfc3339(shift.start_ms)},
            {"end", FormatRfc3339(shift.end_ms)},
            {"source", shift.source.empty() ? Json(nullptr) : Json(shift.source)}};
  if (!shift.override_id.empty()) j["override_id"] = shift.override_id;
  return j;
}

Json ReportJson(const schedule::FairnessReport& report, const schedule::FairnessPolicy& policy,
                std::string_view quarter) {
  auto hours = [](int64_t ms) { return double(ms) / schedule::kHourMs; };
  Json people = Json::array();
  for (const auto& p : report.people) {
    people.push_back({{"person", p.name},
                      {"timeZone", p.time_zone},
                      {"known", !p.unknown},
                      {"hours", hours(p.on_call_ms)},
                      {"weeks", p.weeks_on_call},
                      {"off_hours", hours(p.off_hours_ms)},
                      {"shifts", p.shifts},
                      {"pages", p.pages_received},
                      {"over_policy", p.over_policy},
                      {"reason", p.reason}});
  }
  Json schedules = Json::array();
  for (const auto& s : report.schedules) {
    Json gaps = Json::array();
    for (const auto& g : s.gaps) {
      gaps.push_back({{"start", FormatRfc3339(g.start_ms)},
                      {"end", FormatRfc3339(g.end_ms)},
                      {"hours", hours(g.duration_ms)}});
    }
    Json load = Json::object();
    for (const auto& [name, ms] : s.load_ms) load[name] = hours(ms);
    schedules.push_back({{"schedule", s.schedule},
                         {"hours", hours(s.on_call_ms)},
                         {"gap_hours", hours(s.gap_ms)},
                         {"balance", s.balance},
                         {"load", std::move(load)},
                         {"gaps", std::move(gaps)}});
  }
  return {{"quarter", quarter},
          {"from", FormatRfc3339(report.period.from_ms)},
          {"to", FormatRfc3339(report.period.to_ms)},
          {"policy",
           {{"max_weeks_per_quarter", policy.max_weeks_per_quarter},
            {"week_min_hours", hours(policy.week_min_ms)}}},
          {"people", std::move(people)},
          {"schedules", std::move(schedules)}};
}

Result<NewFeed> CreateFeed(store::Tx& tx, const Feed& feed, std::string_view actor,
                           int64_t now_ms) {
  PLINTH_RETURN_IF_ERROR(catalog::Get(tx, feed.kind == "person" ? "Person" : "Schedule", feed.name));
  NewFeed out{"feed_" + RandomHex(6), RandomHex(24)};
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO oncall_feeds (id, token_hash, kind, name, created_by, created_ms) VALUES "
      "(?, ?, ?, ?, ?, ?)",
      {out.id, Sha256Hex(out.token), feed.kind, feed.name, actor, now_ms}));
  PLINTH_RETURN_IF_ERROR(audit::Append(tx, now_ms, actor, "create", "CalendarFeed", out.id,
                                       std::nullopt,
                                       Json{{"kind", feed.kind}, {"name", feed.name}}));
  return out;
}

namespace {

constexpr const char* kFeedColumns = "id, kind, name, created_by, created_ms, revoked_ms";

FeedInfo FeedFromRow(const store::Row& r) {
  return {r.Text(0), {r.Text(1), r.Text(2)}, r.Text(3), r.Int(4), r.OptInt(5)};
}

}  // namespace

Result<std::vector<FeedInfo>> ListFeeds(store::Tx& tx) {
  PLINTH_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kFeedColumns +
                                              " FROM oncall_feeds ORDER BY created_ms DESC, id"));
  std::vector<FeedInfo> out;
  for (const auto& r : rows) out.push_back(FeedFromRow(r));
  return out;
}

Result<FeedInfo> FindFeedById(store::Tx& tx, std::string_view id) {
  PLINTH_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kFeedColumns +
                                                    " FROM oncall_feeds WHERE id = ?",
                                                {id}));
  if (!row) return Error::NotFound("calendar feed \"" + std::string(id) + "\" does not exist");
  return FeedFromRow(*row);
}

Status RevokeFeed(store::Tx& tx, std::string_view id, std::string_view actor, int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(FeedInfo f, FindFeedById(tx, id));
  if (f.revoked_ms) return {};
  PLINTH_RETURN_IF_ERROR(
      tx.Exec("UPDATE oncall_feeds SET revoked_ms = ? WHERE id = ?", {now_ms, id}));
  PLINTH_RETURN_IF_ERROR(audit::Append(tx, now_ms, actor, "revoke", "CalendarFeed", f.id,
                                       Json{{"kind", f.feed.kind}, {"name", f.feed.name}},
                                       std::nullopt));
  return {};
}

Result<Feed> FindFeed(store::Tx& tx, std::string_view token) {
  PLINTH_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT kind, name FROM oncall_feeds WHERE "
                                                "token_hash = ? AND revoked_ms IS NULL",
                                                {Sha256Hex(token)}));
  if (!row) return Error::NotFound("no such calendar feed");
  return Feed{row->Text(0), row->Text(1)};
}

Result<std::string> FeedCalendar(store::Tx& tx, const Feed& feed, int64_t now_ms) {
  // The window starts on a 28-day boundary so the first, clipped shift (whose UID depends on
  // its start) stays the same between fetches.
  constexpr int64_t kAnchor = 28 * kDayMs;
  int64_t from = schedule::FloorDiv(now_ms - 30 * kDayMs, kAnchor) * kAnchor;
  int64_t to = now_ms + 180 * kDayMs;
  std::vector<schedule::CalendarEvent> events;
  schedule::CalendarInfo info;
  info.stamp_ms = now_ms;
  if (feed.kind == "person") {
    PLINTH_ASSIGN_OR_RETURN(auto shifts, ShiftsOf(tx, feed.name, from, to));
    for (const auto& s : shifts) events.push_back({s.schedule, s.shift, ""});
    info.name = schedule::PersonCalendarName(feed.name);
  } else {
    PLINTH_ASSIGN_OR_RETURN(auto s, LoadSchedule(tx, feed.name));
    PLINTH_ASSIGN_OR_RETURN(auto r, Resolve(tx, s.model, from, to));
    events = schedule::EventsOf(feed.name, r.final);
    info.name = schedule::ScheduleCalendarName(feed.name);
    info.time_zone = s.model.time_zone;
  }
  return schedule::RenderCalendar(info, events);
}

}  // namespace plinth::oncall
