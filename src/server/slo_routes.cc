// SLOs: pushed per-minute data, status of one SLO and of all (sorted by remaining budget), the
// budget burn-down over the window, and the alerts the evaluator recorded. The definitions are
// catalog documents served by the catalog routes (/api/v1/slos/{name}).

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "base/time.h"
#include "reliability/evaluator.h"
#include "reliability/slos.h"
#include "reliability/status.h"
#include "server/routes.h"
#include "slo/window.h"

namespace plinth::server {

namespace {

using http::Request;
using http::Response;
using reliability::SeriesCache;

constexpr size_t kMaxPoints = 10000;

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

// The points of a data push; every problem as a field error, nothing partial.
Result<std::vector<slo::MinutePoint>> ParsePoints(const Json& body) {
  Error err = Error::Invalid("invalid SLO data");
  auto problem = [&](const std::string& pointer, const std::string& msg) {
    if (err.fields.size() < 100) err.fields.push_back({pointer, msg, ""});
  };
  for (const auto& [key, value] : body.items()) {
    if (key != "points") problem("/" + key, "unknown field");
  }
  if (!body.contains("points") || !body["points"].is_array()) {
    problem("/points", "required: an array of {minute, good, total}");
    return err;
  }
  const Json& points = body["points"];
  if (points.empty() || points.size() > kMaxPoints) {
    problem("/points", "expected 1 to " + std::to_string(kMaxPoints) + " points, got " +
                           std::to_string(points.size()));
    return err;
  }
  std::vector<slo::MinutePoint> out;
  out.reserve(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    const std::string at = "/points/" + std::to_string(i);
    const Json& p = points[i];
    if (!p.is_object()) {
      problem(at, "expected an object {minute, good, total}");
      continue;
    }
    for (const auto& [key, value] : p.items()) {
      if (key != "minute" && key != "good" && key != "total") problem(at + "/" + key, "unknown field");
    }
    slo::MinutePoint mp;
    bool ok = true;
    if (!p.contains("minute") || !p["minute"].is_string()) {
      problem(at + "/minute", "required: the start of a UTC minute, e.g. 2026-11-22T10:00:00Z");
      ok = false;
    } else {
      auto t = ParseRfc3339(p["minute"].get<std::string>());
      if (!t.ok()) {
        problem(at + "/minute", "expected an RFC 3339 time such as 2026-11-22T10:00:00Z");
        ok = false;
      } else if (*t % slo::kMinuteMs != 0) {
        problem(at + "/minute", "must be the start of a minute (seconds 00)");
        ok = false;
      } else {
        mp.minute = *t / slo::kMinuteMs;
      }
    }
    for (const char* field : {"good", "total"}) {
      if (!p.contains(field) || !p[field].is_number() || !std::isfinite(p[field].get<double>()) ||
          p[field].get<double>() < 0) {
        problem(at + "/" + field, "required: a count (a number >= 0)");
        ok = false;
      }
    }
    if (!ok) continue;
    mp.good = p["good"].get<double>();
    mp.total = p["total"].get<double>();
    if (mp.good > mp.total) {
      problem(at + "/good", "must not exceed total");
      continue;
    }
    out.push_back(mp);
  }
  if (!err.fields.empty()) return err;
  return out;
}

// Pushing data needs a responder of the SLO's service owner team (or a global one).
Status RequireResponder(const Request& req, const reliability::Slo& slo) {
  if (slo.team.empty()) return http::Require(req, auth::Role::kResponder, std::nullopt);
  return http::Require(req, auth::Role::kResponder, std::string_view(slo.team));
}

}  // namespace

void AddSloRoutes(Server& server, store::Store& store, std::shared_ptr<SeriesCache> cache) {
  if (!cache) cache = std::make_shared<SeriesCache>();
  http::Router& r = server.router();
  const std::string base = "/api/v1/slos/{name}";

  r.Add({"POST", base + "/data", http::Access::kAuthenticated,
         "push per-minute good/total counts of an SLO",
         [&store, cache](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(Json body, req.JsonBody());
           const std::string& name = req.params["name"];
           PLINTH_ASSIGN_OR_RETURN(auto slo, store.Read([&](store::Tx& tx) {
             return reliability::LoadSlo(tx, name);
           }));
           PLINTH_RETURN_IF_ERROR(RequireResponder(req, slo));
           PLINTH_ASSIGN_OR_RETURN(auto points, ParsePoints(body));
           PLINTH_ASSIGN_OR_RETURN(auto w, store.Write([&](store::Tx& tx) {
             return reliability::WriteMinutes(tx, name, points);
           }));
           cache->Apply(name, points, w.version);
           return Response::WithJson(200, {{"written", w.written}});
         }});

  r.Add({"GET", base + "/status", http::Access::kAuthenticated,
         "an SLO's budget, burn rates, alerts and policy status at a time",
         [&store, cache](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(int64_t at, QueryTime(req, "at", req.now_ms));
           PLINTH_ASSIGN_OR_RETURN(auto status, store.Read([&](store::Tx& tx)
                                                               -> Result<reliability::SloStatus> {
             PLINTH_ASSIGN_OR_RETURN(auto slo, reliability::LoadSlo(tx, req.params["name"]));
             return reliability::StatusOf(tx, *cache, slo, at);
           }));
           return Response::WithJson(200, reliability::StatusJson(status, true));
         }});

  r.Add({"GET", "/api/v1/slo-status", http::Access::kAuthenticated,
         "every SLO's status, least remaining budget first",
         [&store, cache](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(int64_t at, QueryTime(req, "at", req.now_ms));
           std::optional<int> tier;
           if (auto t = req.Query("tier")) {
             int v = 0;
             auto [p, ec] = std::from_chars(t->data(), t->data() + t->size(), v);
             if (ec != std::errc() || p != t->data() + t->size() || v < 1 || v > 4) {
               return Error::Field("/tier", "tier: expected 1, 2, 3 or 4");
             }
             tier = v;
           }
           auto service = req.Query("service");
           auto team = req.Query("team");
           PLINTH_ASSIGN_OR_RETURN(auto all, store.Read([&](store::Tx& tx)
                                                            -> Result<std::vector<reliability::SloStatus>> {
             PLINTH_ASSIGN_OR_RETURN(auto slos, reliability::LoadSlos(tx));
             std::vector<reliability::SloStatus> out;
             for (const auto& s : slos) {
               if (service && s.def.service != *service) continue;
               if (team && s.team != *team) continue;
               if (tier && s.tier != tier) continue;
               PLINTH_ASSIGN_OR_RETURN(auto st, reliability::StatusOf(tx, *cache, s, at));
               out.push_back(std::move(st));
             }
             return out;
           }));
           std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
             const auto& ra = a.budget.remaining_ratio;
             const auto& rb = b.budget.remaining_ratio;
             if (ra.has_value() != rb.has_value()) return ra.has_value();  // no data last
             if (ra && *ra != *rb) return *ra < *rb;
             return a.slo.def.name < b.slo.def.name;
           });
           Json items = Json::array();
           for (const auto& s : all) items.push_back(reliability::StatusJson(s, false));
           return Response::WithJson(200, {{"at", FormatRfc3339(at)}, {"items", std::move(items)}});
         }});

  r.Add({"GET", "/api/v1/slo-policy", http::Access::kAuthenticated,
         "error-budget policy status per service: the worst of its SLOs",
         [&store, cache](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(int64_t at, QueryTime(req, "at", req.now_ms));
           PLINTH_ASSIGN_OR_RETURN(auto all, store.Read([&](store::Tx& tx)
                                                            -> Result<std::vector<reliability::SloStatus>> {
             PLINTH_ASSIGN_OR_RETURN(auto slos, reliability::LoadSlos(tx));
             std::vector<reliability::SloStatus> out;
             for (const auto& s : slos) {
               PLINTH_ASSIGN_OR_RETURN(auto st, reliability::StatusOf(tx, *cache, s, at));
               out.push_back(std::move(st));
             }
             return out;
           }));
           auto rank = [](const std::string& status) {
             return status == "exhausted" ? 2 : status == "at risk" ? 1 : 0;
           };
           std::map<std::string, Json> services;  // by name
           for (const auto& s : all) {
             Json& svc = services[s.slo.def.service];
             if (svc.is_null()) {
               svc = {{"service", s.slo.def.service},
                      {"team", s.slo.team.empty() ? Json(nullptr) : Json(s.slo.team)},
                      {"tier", s.slo.tier ? Json(*s.slo.tier) : Json(nullptr)},
                      {"status", "ok"},
                      {"message", "ok"},
                      {"slos", Json::array()}};
             }
             svc["slos"].push_back({{"slo", s.slo.def.name},
                                    {"policy_status", s.policy_status},
                                    {"remaining_ratio", s.budget.remaining_ratio
                                                            ? Json(*s.budget.remaining_ratio)
                                                            : Json(nullptr)}});
             if (rank(s.policy_status) > rank(svc["status"].get<std::string>())) {
               svc["status"] = s.policy_status;
               std::string what = s.policy_status == "exhausted" ? "budget exhausted"
                                                                 : "budget at risk";
               svc["message"] = what + " (" + s.slo.def.name + ")" +
                                (s.slo.def.policy.empty() ? "" : ": " + s.slo.def.policy);
             }
           }
           Json items = Json::array();
           for (auto& [_, svc] : services) items.push_back(std::move(svc));
           std::stable_sort(items.begin(), items.end(), [&](const Json& a, const Json& b) {
             return rank(a["status"].get<std::string>()) > rank(b["status"].get<std::string>());
           });
           return Response::WithJson(200, {{"at", FormatRfc3339(at)}, {"items", std::move(items)}});
         }});

  r.Add({"GET", base + "/burndown", http::Access::kAuthenticated,
         "an SLO's remaining budget over its window",
         [&store, cache](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(int64_t at, QueryTime(req, "at", req.now_ms));
           PLINTH_ASSIGN_OR_RETURN(auto out, store.Read([&](store::Tx& tx) -> Result<Json> {
             PLINTH_ASSIGN_OR_RETURN(auto slo, reliability::LoadSlo(tx, req.params["name"]));
             return reliability::BurndownJson(tx, *cache, slo, at);
           }));
           return Response::WithJson(200, std::move(out));
         }});

  r.Add({"GET", base + "/alerts", http::Access::kAuthenticated,
         "the alerts recorded for an SLO, newest first",
         [&store](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(int64_t from, QueryTime(req, "from", INT64_MIN / 2));
           PLINTH_ASSIGN_OR_RETURN(int64_t to, QueryTime(req, "to", INT64_MAX / 2));
           if (to <= from) return Error::Field("/to", "to: must be after from");
           PLINTH_ASSIGN_OR_RETURN(auto alerts, store.Read([&](store::Tx& tx)
                                                               -> Result<std::vector<reliability::AlertRecord>> {
             PLINTH_RETURN_IF_ERROR(reliability::LoadSlo(tx, req.params["name"]));
             return reliability::ListAlerts(tx, req.params["name"], from, to);
           }));
           Json items = Json::array();
           for (const auto& a : alerts) items.push_back(reliability::AlertJson(a));
           return Response::WithJson(200, {{"items", std::move(items)}});
         }});
}

}  // namespace plinth::server
