// On call: final schedules, who is on call, people's shifts, overrides and swaps, the fairness
// report, and calendar feeds (created here, served at /ical/<token>.ics without a login: the
// token is the secret, as calendar apps cannot log in).

#include "base/time.h"
#include "catalog/repository.h"
#include "oncall/oncall.h"
#include "oncall/overrides.h"
#include "schedule/zone.h"
#include "server/routes.h"

namespace plinth::server {

namespace {

using http::Request;
using http::Response;

constexpr int64_t kDayMs = 86400LL * 1000;

// ?name=RFC 3339, or `fallback` when absent.
Result<int64_t> QueryTime(const Request& req, const std::string& name, int64_t fallback) {
  auto v = req.Query(name);
  if (!v) return fallback;
  auto t = ParseRfc3339(*v);
  if (!t.ok()) {
    return Error::Field("/" + name, name + ": expected an RFC 3339 time such as "
                                           "2026-11-22T09:00:00Z (got \"" + *v + "\")");
  }
  return *t;
}

struct Range {
  int64_t from_ms, to_ms;
};

Result<Range> QueryRange(const Request& req, int64_t default_days) {
  PLINTH_ASSIGN_OR_RETURN(int64_t from, QueryTime(req, "from", req.now_ms));
  PLINTH_ASSIGN_OR_RETURN(int64_t to, QueryTime(req, "to", from + default_days * kDayMs));
  PLINTH_RETURN_IF_ERROR(oncall::CheckRange(from, to));
  return Range{from, to};
}

Json Shifts(const std::vector<schedule::Shift>& shifts) {
  Json out = Json::array();
  for (const auto& s : shifts) out.push_back(oncall::ShiftJson(s));
  return out;
}

// Overrides and swaps may be changed by responders of the schedule's team (or global ones).
Status RequireResponder(store::Tx& tx, const Request& req, const std::string& name) {
  PLINTH_ASSIGN_OR_RETURN(auto s, oncall::LoadSchedule(tx, name));
  if (s.team.empty()) return http::Require(req, auth::Role::kResponder, std::nullopt);
  return http::Require(req, auth::Role::kResponder, std::string_view(s.team));
}

Result<Response> CreateFeed(store::Store& store, Request& req, const std::string& kind) {
  PLINTH_ASSIGN_OR_RETURN(auto feed, store.Write([&](store::Tx& tx) {
    return oncall::CreateFeed(tx, {kind, req.params["name"]}, req.principal.actor, req.now_ms);
  }));
  return Response::WithJson(201, {{"id", feed.id}, {"url", "/ical/" + feed.token + ".ics"}});
}

}  // namespace

void AddOncallRoutes(Server& server, store::Store& store) {
  http::Router& r = server.router();
  const std::string base = "/api/v1/schedules/{name}";

  r.Add({"GET", base + "/final", http::Access::kAuthenticated,
         "the final schedule and each layer over a range",
         [&store](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(Range range, QueryRange(req, 14));
           const std::string& name = req.params["name"];
           struct Out {
             oncall::StoredSchedule s;
             schedule::Resolution r;
           };
           PLINTH_ASSIGN_OR_RETURN(auto out, store.Read([&](store::Tx& tx) -> Result<Out> {
             PLINTH_ASSIGN_OR_RETURN(auto s, oncall::LoadSchedule(tx, name));
             PLINTH_ASSIGN_OR_RETURN(auto r, oncall::Final(tx, name, range.from_ms, range.to_ms));
             return Out{std::move(s), std::move(r)};
           }));
           Json layers = Json::array();
           for (size_t i = 0; i < out.r.layers.size(); ++i) {
             layers.push_back({{"name", out.s.model.layers[i].name},
                               {"shifts", Shifts(out.r.layers[i])}});
           }
           return Response::WithJson(200, {{"schedule", name},
                                           {"timeZone", out.s.model.time_zone},
                                           {"from", FormatRfc3339(range.from_ms)},
                                           {"to", FormatRfc3339(range.to_ms)},
                                           {"final", Shifts(out.r.final)},
                                           {"layers", std::move(layers)}});
         }});

  r.Add({"GET", base + "/oncall", http::Access::kAuthenticated,
         "who is on call on a schedule at a time",
         [&store](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(int64_t at, QueryTime(req, "at", req.now_ms));
           PLINTH_ASSIGN_OR_RETURN(auto now, store.Read([&](store::Tx& tx) {
             return oncall::OnCallAt(tx, req.params["name"], at);
           }));
           return Response::WithJson(200, {{"schedule", now.schedule.model.name},
                                           {"at", FormatRfc3339(at)},
                                           {"shift", oncall::ShiftJson(now.shift)}});
         }});

  r.Add({"GET", "/api/v1/oncall", http::Access::kAuthenticated,
         "who is on call now on every schedule",
         [&store](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(int64_t at, QueryTime(req, "at", req.now_ms));
           std::optional<std::string> team = req.Query("team");
           PLINTH_ASSIGN_OR_RETURN(auto now, store.Read([&](store::Tx& tx)
                                                            -> Result<std::vector<oncall::OnCallNow>> {
             // A service's on-call is its owner team's schedules.
             if (auto service = req.Query("service")) {
               PLINTH_ASSIGN_OR_RETURN(auto s, catalog::Get(tx, "Service", *service));
               team = s.doc["spec"]["owner"].get<std::string>();
             }
             return oncall::WhoIsOnCall(tx, at);
           }));
           Json items = Json::array();
           for (const auto& n : now) {
             if (team && n.schedule.team != *team) continue;
             items.push_back({{"schedule", n.schedule.model.name},
                              {"title", n.schedule.title},
                              {"team", n.schedule.team.empty() ? Json(nullptr)
                                                               : Json(n.schedule.team)},
                              {"timeZone", n.schedule.model.time_zone},
                              {"shift", oncall::ShiftJson(n.shift)},
                              {"next", n.next ? oncall::ShiftJson(*n.next) : Json(nullptr)}});
           }
           return Response::WithJson(200, {{"at", FormatRfc3339(at)}, {"items", std::move(items)}});
         }});

  r.Add({"GET", "/api/v1/people/{name}/shifts", http::Access::kAuthenticated,
         "a person's shifts on every schedule",
         [&store](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(Range range, QueryRange(req, 28));
           const std::string& name = req.params["name"];
           PLINTH_ASSIGN_OR_RETURN(auto shifts, store.Read([&](store::Tx& tx) {
             return oncall::ShiftsOf(tx, name, range.from_ms, range.to_ms);
           }));
           PLINTH_ASSIGN_OR_RETURN(auto person, store.Read([&](store::Tx& tx) {
             return catalog::Get(tx, "Person", name);
           }));
           Json items = Json::array();
           for (const auto& s : shifts) {
             Json j = oncall::ShiftJson(s.shift);
             j["schedule"] = s.schedule;
             items.push_back(std::move(j));
           }
           const Json& spec = person.doc["spec"];
           return Response::WithJson(
               200, {{"person", name},
                     {"timeZone", spec.contains("timeZone") ? spec["timeZone"] : Json("UTC")},
                     {"from", FormatRfc3339(range.from_ms)},
                     {"to", FormatRfc3339(range.to_ms)},
                     {"items", std::move(items)}});
         }});

  r.Add({"GET", base + "/overrides", http::Access::kAuthenticated,
         "a schedule's overrides over a range",
         [&store](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(int64_t from, QueryTime(req, "from", req.now_ms - 30 * kDayMs));
           PLINTH_ASSIGN_OR_RETURN(int64_t to, QueryTime(req, "to", from + 400 * kDayMs));
           const std::string& name = req.params["name"];
           PLINTH_ASSIGN_OR_RETURN(auto list, store.Read([&](store::Tx& tx)
                                                             -> Result<std::vector<oncall::OverrideRecord>> {
             PLINTH_RETURN_IF_ERROR(catalog::Get(tx, "Schedule", name));
             return oncall::ListOverrides(tx, name, from, to);
           }));
           Json items = Json::array();
           for (const auto& o : list) items.push_back(o.ToJson());
           return Response::WithJson(200, {{"items", std::move(items)}});
         }});

  r.Add({"POST", base + "/overrides", http::Access::kAuthenticated,
         "create an override (responder of the schedule's team)",
         [&store](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(Json body, req.JsonBody());
           const std::string& name = req.params["name"];
           PLINTH_ASSIGN_OR_RETURN(auto o, oncall::ParseOverride(name, body));
           PLINTH_ASSIGN_OR_RETURN(auto created, store.Write([&](store::Tx& tx)
                                                                 -> Result<oncall::OverrideRecord> {
             PLINTH_RETURN_IF_ERROR(RequireResponder(tx, req, name));
             return oncall::CreateOverride(tx, o, req.principal.actor, req.now_ms);
           }));
           return Response::WithJson(201, created.ToJson());
         }});

  r.Add({"DELETE", base + "/overrides/{id}", http::Access::kAuthenticated,
         "delete an override (responder of the schedule's team)",
         [&store](Request& req) -> Result<Response> {
           const std::string& name = req.params["name"];
           PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
             PLINTH_RETURN_IF_ERROR(RequireResponder(tx, req, name));
             return oncall::DeleteOverride(tx, name, req.params["id"], req.principal.actor,
                                           req.now_ms);
           }));
           return Response::NoContent();
         }});

  r.Add({"GET", base + "/swaps", http::Access::kAuthenticated, "a schedule's shift swaps",
         [&store](Request& req) -> Result<Response> {
           const std::string& name = req.params["name"];
           PLINTH_ASSIGN_OR_RETURN(auto list, store.Read([&](store::Tx& tx)
                                                             -> Result<std::vector<oncall::SwapRecord>> {
             PLINTH_RETURN_IF_ERROR(catalog::Get(tx, "Schedule", name));
             return oncall::ListSwaps(tx, name);
           }));
           Json items = Json::array();
           for (const auto& s : list) items.push_back(s.ToJson());
           return Response::WithJson(200, {{"items", std::move(items)}});
         }});

  r.Add({"POST", base + "/swaps", http::Access::kAuthenticated,
         "request a shift swap (responder of the schedule's team)",
         [&store](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(Json body, req.JsonBody());
           const std::string& name = req.params["name"];
           PLINTH_ASSIGN_OR_RETURN(auto swap, store.Write([&](store::Tx& tx)
                                                              -> Result<oncall::SwapRecord> {
             PLINTH_RETURN_IF_ERROR(RequireResponder(tx, req, name));
             return oncall::CreateSwap(tx, name, body, req.principal.actor, req.now_ms);
           }));
           return Response::WithJson(201, swap.ToJson());
         }});

  r.Add({"POST", base + "/swaps/{id}/accept", http::Access::kAuthenticated,
         "accept a shift swap: the taker gets an override",
         [&store](Request& req) -> Result<Response> {
           Json body = Json::object();
           if (!req.body.empty()) {
             PLINTH_ASSIGN_OR_RETURN(body, req.JsonBody());
           }
           std::optional<std::string> taker;
           if (auto it = body.find("taker"); it != body.end() && !it->is_null()) {
             if (!it->is_string()) return Error::Field("/taker", "must be a person's name");
             taker = it->get<std::string>();
           }
           const std::string& name = req.params["name"];
           PLINTH_ASSIGN_OR_RETURN(auto swap, store.Write([&](store::Tx& tx)
                                                              -> Result<oncall::SwapRecord> {
             PLINTH_RETURN_IF_ERROR(RequireResponder(tx, req, name));
             return oncall::AcceptSwap(tx, name, req.params["id"], taker, req.principal.actor,
                                       req.now_ms);
           }));
           return Response::WithJson(200, swap.ToJson());
         }});

  r.Add({"GET", "/api/v1/oncall/report", http::Access::kAuthenticated,
         "on-call load and fairness per person and schedule for a quarter",
         [&store](Request& req) -> Result<Response> {
           auto utc = schedule::FindZone("UTC");
           if (!utc.ok()) return utc.error();
           schedule::Period period = schedule::QuarterOf(req.now_ms, *utc);
           std::string quarter = req.Query("quarter").value_or("");
           if (!quarter.empty()) {
             auto p = schedule::ParseQuarter(quarter, *utc);
             if (!p.ok()) return Error::Field("/quarter", "quarter: " + p.error().message);
             period = *p;
           }
           schedule::FairnessPolicy policy = oncall::DefaultFairnessPolicy();
           if (auto w = req.Query("max_weeks")) {
             if (w->size() != 1 || (*w)[0] < '0' || (*w)[0] > '9') {
               return Error::Field("/max_weeks", "max_weeks: expected a whole number from 0 to 9");
             }
             policy.max_weeks_per_quarter = (*w)[0] - '0';
           }
           PLINTH_ASSIGN_OR_RETURN(auto report, store.Read([&](store::Tx& tx) {
             return oncall::Report(tx, period, policy);
           }));
           PLINTH_ASSIGN_OR_RETURN(auto upcoming, store.Read([&](store::Tx& tx) {
             return oncall::UpcomingGaps(tx, req.now_ms, 90 * kDayMs);
           }));
           Json body = oncall::ReportJson(report, policy, quarter);
           body["gaps_next_90_days"] = Json::array();
           for (const auto& [name, gap] : upcoming) {
             body["gaps_next_90_days"].push_back({{"schedule", name},
                                                  {"start", FormatRfc3339(gap.start_ms)},
                                                  {"end", FormatRfc3339(gap.end_ms)}});
           }
           return Response::WithJson(200, std::move(body));
         }});

  r.Add({"POST", base + "/feeds", http::Access::kAuthenticated,
         "create a secret calendar feed URL for a schedule",
         [&store](Request& req) { return CreateFeed(store, req, "schedule"); }});
  r.Add({"POST", "/api/v1/people/{name}/feeds", http::Access::kAuthenticated,
         "create a secret calendar feed URL for a person's shifts",
         [&store](Request& req) { return CreateFeed(store, req, "person"); }});

  r.Add({"GET", "/api/v1/feeds", http::Access::kAuthenticated,
         "calendar feeds (never their secret URLs)",
         [&store](Request&) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(auto feeds, store.Read(oncall::ListFeeds));
           Json items = Json::array();
           for (const auto& f : feeds) {
             Json j = {{"id", f.id},
                       {"kind", f.feed.kind},
                       {"name", f.feed.name},
                       {"created_by", f.created_by},
                       {"created", FormatRfc3339(f.created_ms)}};
             j["revoked"] = f.revoked_ms ? Json(FormatRfc3339(*f.revoked_ms)) : Json(nullptr);
             items.push_back(std::move(j));
           }
           return Response::WithJson(200, {{"items", std::move(items)}});
         }});
  r.Add({"DELETE", "/api/v1/feeds/{id}", http::Access::kAuthenticated,
         "revoke a calendar feed (its creator or a global manager)",
         [&store](Request& req) -> Result<Response> {
           PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
             PLINTH_ASSIGN_OR_RETURN(auto f, oncall::FindFeedById(tx, req.params["id"]));
             if (f.created_by != req.principal.actor) {
               PLINTH_RETURN_IF_ERROR(http::Require(req, auth::Role::kManager, std::nullopt));
             }
             return oncall::RevokeFeed(tx, f.id, req.principal.actor, req.now_ms);
           }));
           return Response::NoContent();
         }});

  r.Add({"GET", "/ical/{token}", http::Access::kPublic,
         "an iCalendar feed (RFC 5545); the token in the URL is the secret",
         [&store](Request& req) -> Result<Response> {
           std::string token = req.params["token"];
           if (token.ends_with(".ics")) token.resize(token.size() - 4);
           PLINTH_ASSIGN_OR_RETURN(std::string body, store.Read([&](store::Tx& tx)
                                                                    -> Result<std::string> {
             PLINTH_ASSIGN_OR_RETURN(auto feed, oncall::FindFeed(tx, token));
             return oncall::FeedCalendar(tx, feed, req.now_ms);
           }));
           Response resp;
           resp.text = std::move(body);
           resp.content_type = "text/calendar; charset=utf-8";
           resp.headers["Cache-Control"] = "private, max-age=300";
           return resp;
         }});
}

}  // namespace plinth::server
