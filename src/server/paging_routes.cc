// Paging: event intake in the senders' own formats (PagerDuty Events API v2 and change events,
// Alertmanager webhook v4, generic JSON), integrations, incidents and their actions, and the
// one-click action links of notifications.
//
// Intake routes are public (the integration key is the credential) and limit themselves per
// key, so one flooding source gets 429s while every other service's events go through.

#include "base/html.h"
#include "base/time.h"
#include "catalog/repository.h"
#include "escalation/spec.h"
#include "paging/escalate.h"
#include "paging/events.h"
#include "paging/incidents.h"
#include "paging/integrations.h"
#include "paging/links.h"
#include "paging/queries.h"
#include "server/rate_limit.h"
#include "server/routes.h"

namespace plinth::server {

namespace {

using http::Request;
using http::Response;

// PagerDuty's response shapes.
Response PdResponse(int status, Json body) { return Response::WithJson(status, std::move(body)); }

Response PdInvalid(const Error& e) {
  Json errors = Json::array();
  for (const auto& f : e.fields) {
    std::string field = PointerToDotted(f.pointer);
    errors.push_back(field.empty() ? f.message : field + ": " + f.message);
  }
  if (errors.empty()) errors.push_back(e.message);
  return PdResponse(400, {{"status", "invalid event"},
                          {"message", "Event object is invalid"},
                          {"errors", std::move(errors)}});
}

// The per-key limit and the group commit shared by the intake routes.
struct Intake {
  Intake(std::shared_ptr<paging::Runtime> runtime, double per_second)
      : runtime(std::move(runtime)), limiter(per_second, std::max(1.0, per_second * 5)) {}

  const std::shared_ptr<paging::Runtime> runtime;
  RateLimiter limiter;
};

// What an intake route makes of a parsed body: the key to limit by and the unit to commit.
struct Accepted {
  std::string key;
  paging::Runtime::Unit unit;
};

Result<Json> ParseBody(const Request& req) {
  if (req.body.size() > paging::kMaxEventBytes) {
    return Error{ErrorCode::kTooLarge,
                 "the event is " + std::to_string(req.body.size()) +
                     " bytes; PagerDuty's limit of 524288 bytes (512 KB) applies",
                 {}};
  }
  auto body = ParseJson(req.body);
  if (!body.ok()) return Error::Field("", "the body is not valid JSON: " + body.error().message);
  return body;
}

// Errors before the unit runs, in PagerDuty's shape.
Response PdBodyError(const Error& e) {
  if (e.code == ErrorCode::kTooLarge) {
    return PdResponse(413, {{"status", "invalid event"},
                            {"message", "Event object is too large"},
                            {"errors", Json::array({e.message})}});
  }
  return PdInvalid(e);
}

// The live integration of `key` of one of `types`, or a field error on /routing_key.
Result<paging::Integration> IntegrationFor(store::Tx& tx, const std::string& key,
                                           std::initializer_list<std::string_view> types,
                                           const std::string& pointer) {
  PLINTH_ASSIGN_OR_RETURN(auto in, paging::FindIntegrationByKey(tx, key));
  if (!in) return Error::Field(pointer, "no integration has this key (or it was revoked)");
  for (auto t : types) {
    if (in->type == t) return *in;
  }
  return Error::Field(pointer, "this key belongs to a " + in->type + " integration");
}

// Responders of the service's owning team (or global ones).
Status RequireServiceRole(store::Tx& tx, const Request& req, const std::string& service,
                          auth::Role role) {
  auto entity = catalog::Get(tx, "Service", service);
  if (!entity.ok()) {
    if (entity.error().code != ErrorCode::kNotFound) return std::move(entity).error();
    return http::Require(req, role, std::nullopt);
  }
  std::string owner = entity->doc["spec"].value("owner", "");
  if (owner.empty()) return http::Require(req, role, std::nullopt);
  return http::Require(req, role, std::string_view(owner));
}

Result<int64_t> IncidentNumber(const Request& req) {
  const std::string& text = req.params.at("number");
  int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || n > 1'000'000'000'000LL) {
      return Error::NotFound("incident \"" + text + "\" does not exist");
    }
    n = n * 10 + (c - '0');
  }
  return n;
}

std::string ActPage(const std::string& title, const std::string& body) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width\"><title>" +
         HtmlEscape(title) +
         "</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem "
         "auto;padding:0 1rem}button{font-size:1.1rem;padding:.6rem 1.2rem}</style></head><body>" +
         body + "</body></html>\n";
}

Response Html(int status, std::string text) {
  Response r;
  r.status = status;
  r.text = std::move(text);
  r.content_type = "text/html; charset=utf-8";
  return r;
}

// One intake route: the body size and JSON checked, `read` turns the body into the unit to
// commit (errors in PagerDuty's shape), the key's limit taken, the unit committed, and `reply`
// gives the 202 body from the unit's result.
void AddIntake(http::Router& r, const std::shared_ptr<Intake>& intake, std::string path,
               std::string summary,
               std::function<Result<Accepted>(const Request&, const Json& body)> read,
               std::function<Json(const Json& result)> reply) {
  http::Route route{"POST", std::move(path), http::Access::kPublic, std::move(summary),
                    [intake, read, reply](Request& req) -> Result<Response> {
                      auto body = ParseBody(req);
                      if (!body.ok()) return PdBodyError(body.error());
                      auto accepted = read(req, *body);
                      if (!accepted.ok()) return PdInvalid(accepted.error());
                      int64_t retry = intake->limiter.Take("key:" + accepted->key, req.now_ms);
                      if (retry > 0) {
                        Response r = PdResponse(
                            429, {{"status", "throttle event"},
                                  {"message", "Requests for this integration key are arriving "
                                              "too quickly. Please retry later."}});
                        r.headers["Retry-After"] = std::to_string(retry);
                        return r;
                      }
                      auto result = intake->runtime->Submit(accepted->unit);
                      if (!result.ok()) {
                        if (result.error().code == ErrorCode::kInvalid) {
                          return PdInvalid(result.error());
                        }
                        return std::move(result).error();
                      }
                      return PdResponse(202, reply(*result));
                    }};
  route.limits_itself = true;
  r.Add(std::move(route));
}

Json EventProcessed(const Json& result) {
  return {{"status", "success"},
          {"message", "Event processed"},
          {"dedup_key", result["dedup_key"]}};
}

void AddIntakeRoutes(http::Router& r, const std::shared_ptr<Intake>& intake) {
  AddIntake(
      r, intake, "/v2/enqueue", "PagerDuty Events API v2: trigger, acknowledge or resolve an alert",
      [](const Request& req, const Json& body) -> Result<Accepted> {
        PLINTH_ASSIGN_OR_RETURN(auto parsed, paging::ParsePagerDutyEvent(body));
        return Accepted{parsed.routing_key, [parsed, now = req.now_ms](store::Tx& tx)
                                                -> Result<Json> {
          PLINTH_ASSIGN_OR_RETURN(
              auto in, IntegrationFor(tx, parsed.routing_key, {"events-v2"}, "/routing_key"));
          PLINTH_ASSIGN_OR_RETURN(auto out, paging::ApplyAlertEvent(tx, in, parsed.event, now));
          return Json{{"dedup_key", out.dedup_key}};
        }};
      },
      EventProcessed);

  AddIntake(
      r, intake, "/v2/change/enqueue", "PagerDuty change events: record a change on a service",
      [](const Request& req, const Json& body) -> Result<Accepted> {
        PLINTH_ASSIGN_OR_RETURN(auto parsed, paging::ParsePagerDutyChange(body));
        return Accepted{parsed.routing_key, [parsed, now = req.now_ms](store::Tx& tx)
                                                -> Result<Json> {
          PLINTH_ASSIGN_OR_RETURN(
              auto in, IntegrationFor(tx, parsed.routing_key, {"events-v2"}, "/routing_key"));
          PLINTH_ASSIGN_OR_RETURN(auto id, paging::RecordChange(tx, in, parsed.event, now));
          return Json{{"id", id}};
        }};
      },
      [](const Json&) -> Json {
        return {{"status", "success"}, {"message", "Change event processed"}};
      });

  AddIntake(
      r, intake, "/integrations/alertmanager/{key}",
      "Alertmanager webhook v4: firing and resolved alerts, grouped by groupKey",
      [](const Request& req, const Json& body) -> Result<Accepted> {
        PLINTH_ASSIGN_OR_RETURN(auto events, paging::ParseAlertmanagerWebhook(body));
        std::string key = req.params.at("key");
        return Accepted{key, [key, events, now = req.now_ms](store::Tx& tx) -> Result<Json> {
          PLINTH_ASSIGN_OR_RETURN(auto in, IntegrationFor(tx, key, {"alertmanager"}, "/key"));
          Json keys = Json::array();
          for (const auto& e : events) {
            PLINTH_ASSIGN_OR_RETURN(auto out, paging::ApplyAlertEvent(tx, in, e, now));
            keys.push_back(out.dedup_key);
          }
          return Json{{"dedup_keys", keys}};
        }};
      },
      [](const Json& result) -> Json {
        return {{"status", "success"},
                {"message", "Alerts processed"},
                {"dedup_keys", result["dedup_keys"]}};
      });

  AddIntake(
      r, intake, "/integrations/generic/{key}",
      "generic JSON event, mapped by the integration's field pointers",
      [](const Request& req, const Json& body) -> Result<Accepted> {
        std::string key = req.params.at("key");
        return Accepted{key, [key, body, now = req.now_ms](store::Tx& tx) -> Result<Json> {
          PLINTH_ASSIGN_OR_RETURN(auto in, IntegrationFor(tx, key, {"generic"}, "/key"));
          PLINTH_ASSIGN_OR_RETURN(auto event, paging::ParseGenericEvent(body, in.mapping));
          PLINTH_ASSIGN_OR_RETURN(auto out, paging::ApplyAlertEvent(tx, in, event, now));
          return Json{{"dedup_key", out.dedup_key}};
        }};
      },
      EventProcessed);
}

void AddActionLinkRoutes(http::Router& r, store::Store& store,
                         const std::shared_ptr<paging::Runtime>& runtime) {
  auto verify = [&store](const Request& req) -> Result<paging::ActionClaim> {
    PLINTH_ASSIGN_OR_RETURN(auto secret, paging::LinkSecret(store));
    return paging::VerifyActionToken(secret, req.params.at("token"), req.now_ms);
  };
  r.Add({"GET", "/act/{token}", http::Access::kPublic,
         "a one-click link from a notification: asks to confirm",
         [verify, &store](Request& req) -> Result<Response> {
           auto claim = verify(req);
           if (!claim.ok()) {
             return Html(403, ActPage("Link not valid", "<p>" + HtmlEscape(claim.error().message) +
                                                            "</p>"));
           }
           PLINTH_ASSIGN_OR_RETURN(auto inc, store.Read([&](store::Tx& tx) {
             return paging::GetIncident(tx, claim->number);
           }));
           std::string verb = claim->action == "acknowledge" ? "Acknowledge" : "Resolve";
           std::string body = "<h1>" + verb + " incident #" + std::to_string(inc.number) +
                              "</h1><p>" + HtmlEscape(inc.title) + "</p><p>Service " +
                              HtmlEscape(inc.service) + " · " + HtmlEscape(inc.status) +
                              " · " + HtmlEscape(inc.urgency) +
                              " urgency</p><form method=\"post\"><button type=\"submit\">" +
                              verb + " as " + HtmlEscape(claim->person) + "</button></form>";
           return Html(200, ActPage(verb + " incident #" + std::to_string(inc.number), body));
         }});
  r.Add({"POST", "/act/{token}", http::Access::kPublic,
         "a one-click link from a notification: acknowledges or resolves",
         [verify, &store, runtime](Request& req) -> Result<Response> {
           auto claim = verify(req);
           if (!claim.ok()) {
             return Html(403, ActPage("Link not valid", "<p>" + HtmlEscape(claim.error().message) +
                                                            "</p>"));
           }
           PLINTH_ASSIGN_OR_RETURN(auto inc, store.Write([&](store::Tx& tx) -> Result<paging::Incident> {
             PLINTH_ASSIGN_OR_RETURN(auto inc, paging::GetIncident(tx, claim->number, true));
             if (claim->action == "acknowledge") {
               PLINTH_RETURN_IF_ERROR(paging::Acknowledge(tx, inc, claim->person, req.now_ms));
             } else {
               PLINTH_RETURN_IF_ERROR(paging::Resolve(tx, inc, claim->person, req.now_ms));
             }
             return paging::GetIncident(tx, claim->number);
           }));
           runtime->Wake();
           std::string body = "<h1>Incident #" + std::to_string(inc.number) + " is " +
                              HtmlEscape(inc.status) + "</h1><p>" + HtmlEscape(inc.title) +
                              "</p>";
           return Html(200, ActPage("Incident #" + std::to_string(inc.number), body));
         }});
}

void AddIncidentRoutes(http::Router& r, store::Store& store,
                       const std::shared_ptr<paging::Runtime>& runtime) {
  r.Add({"GET", "/api/v1/incidents", http::Access::kAuthenticated,
         "incidents, newest first, by status, service or team",
         [&store](Request& req) -> Result<Response> {
           paging::IncidentQuery q;
           q.status = req.Query("status").value_or("");
           q.service = req.Query("service").value_or("");
           q.team = req.Query("team").value_or("");
           PLINTH_ASSIGN_OR_RETURN(q.limit, PageLimit(req));
           if (auto cursor = req.Query("cursor"); cursor && !cursor->empty()) {
             try {
               q.before = std::stoll(*cursor);
             } catch (const std::exception&) {
               return Error::Field("/cursor", "must be the nextCursor of a previous page");
             }
           }
           PLINTH_ASSIGN_OR_RETURN(auto page, store.Read([&](store::Tx& tx) {
             return paging::ListIncidents(tx, q);
           }));
           return Response::WithJson(200, page);
         }});
  r.Add({"GET", "/api/v1/incidents/{number}", http::Access::kAuthenticated,
         "one incident with its alerts, timeline, pages and notifications",
         [&store](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(int64_t n, IncidentNumber(req));
           PLINTH_ASSIGN_OR_RETURN(auto detail, store.Read([&](store::Tx& tx) {
             return paging::IncidentDetail(tx, n);
           }));
           return Response::WithJson(200, detail);
         }});

  // An action on one incident by a responder of its service's team.
  using Action = std::function<Status(store::Tx&, const paging::Incident&, const Request&,
                                      const Json& body)>;
  auto add_action = [&](const std::string& verb, const std::string& summary, Action action) {
    r.Add({"POST", "/api/v1/incidents/{number}/" + verb, http::Access::kAuthenticated, summary,
           [&store, runtime, action](Request& req) -> Result<Response> {
             PLINTH_ASSIGN_OR_RETURN(int64_t n, IncidentNumber(req));
             Json body = Json::object();
             if (!req.body.empty()) {
               PLINTH_ASSIGN_OR_RETURN(body, req.JsonBody());
             }
             PLINTH_ASSIGN_OR_RETURN(auto detail, store.Write([&](store::Tx& tx) -> Result<Json> {
               PLINTH_ASSIGN_OR_RETURN(auto inc, paging::GetIncident(tx, n, true));
               PLINTH_RETURN_IF_ERROR(
                   RequireServiceRole(tx, req, inc.service, auth::Role::kResponder));
               PLINTH_RETURN_IF_ERROR(action(tx, inc, req, body));
               return paging::IncidentDetail(tx, n);
             }));
             runtime->Wake();
             return Response::WithJson(200, detail);
           }});
  };
  add_action("acknowledge", "acknowledge: stop escalating",
             [](store::Tx& tx, const paging::Incident& inc, const Request& req, const Json&) {
               return paging::Acknowledge(tx, inc, req.principal.actor, req.now_ms);
             });
  add_action("resolve", "resolve, optionally with actionable: true|false for alert quality",
             [](store::Tx& tx, const paging::Incident& inc, const Request& req,
                const Json& body) -> Status {
               std::optional<bool> actionable;
               if (body.contains("actionable") && !body["actionable"].is_null()) {
                 if (!body["actionable"].is_boolean()) {
                   return Error::Field("/actionable", "must be true or false");
                 }
                 actionable = body["actionable"].get<bool>();
               }
               return paging::Resolve(tx, inc, req.principal.actor, req.now_ms, actionable);
             });
  add_action("snooze", "snooze for a duration such as 1h: acknowledged, then re-triggered",
             [](store::Tx& tx, const paging::Incident& inc, const Request& req,
                const Json& body) -> Status {
               const Json* d = body.contains("duration") ? &body["duration"] : nullptr;
               auto ms = d && d->is_string() ? escalation::ParseDurationMs(d->get<std::string>(),
                                                                          false)
                                             : std::nullopt;
               if (!ms || *ms > 7LL * 86400 * 1000) {
                 return Error::Field("/duration",
                                     "must be a duration such as 30m or 4h, at most 7 days");
               }
               return paging::Snooze(tx, inc, req.principal.actor, req.now_ms + *ms, req.now_ms);
             });
  add_action("reassign", "page another person now; escalation restarts behind them",
             [](store::Tx& tx, const paging::Incident& inc, const Request& req,
                const Json& body) -> Status {
               if (!body.contains("person") || !body["person"].is_string()) {
                 return Error::Field("/person", "is required: the name of a person");
               }
               return paging::Reassign(tx, inc, req.principal.actor,
                                       body["person"].get<std::string>(), req.now_ms);
             });
}

void AddIntegrationRoutes(http::Router& r, store::Store& store) {
  r.Add({"POST", "/api/v1/services/{name}/integrations", http::Access::kAuthenticated,
         "create an integration (events-v2, alertmanager, generic); the key is shown once",
         [&store](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(Json body, req.JsonBody());
           std::string type = body.value("type", "");
           std::string name = body.value("name", "");
           Json mapping = body.value("mapping", Json::object());
           const std::string& service = req.params["name"];
           PLINTH_ASSIGN_OR_RETURN(auto created, store.Write([&](store::Tx& tx)
                                                                 -> Result<paging::NewIntegration> {
             PLINTH_RETURN_IF_ERROR(RequireServiceRole(tx, req, service, auth::Role::kManager));
             return paging::CreateIntegration(tx, service, type, name, mapping,
                                              req.principal.actor, req.now_ms);
           }));
           Json out = created.integration.ToJson();
           out["key"] = created.key;
           out["url"] = created.integration.type == "events-v2"
                            ? "/v2/enqueue"
                            : "/integrations/" + created.integration.type + "/" + created.key;
           return Response::WithJson(201, out);
         }});
  r.Add({"GET", "/api/v1/integrations", http::Access::kAuthenticated,
         "integrations, by service (?service=)",
         [&store](Request& req) -> Result<Response> {
           std::string service = req.Query("service").value_or("");
           PLINTH_ASSIGN_OR_RETURN(auto list, store.Read([&](store::Tx& tx) {
             return paging::ListIntegrations(tx, service);
           }));
           Json items = Json::array();
           for (const auto& i : list) items.push_back(i.ToJson());
           return Response::WithJson(200, {{"items", items}});
         }});
  r.Add({"DELETE", "/api/v1/integrations/{id}", http::Access::kAuthenticated,
         "revoke an integration: its key stops working",
         [&store](Request& req) -> Result<Response> {
           PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
             PLINTH_ASSIGN_OR_RETURN(auto in, paging::GetIntegration(tx, req.params["id"]));
             PLINTH_RETURN_IF_ERROR(RequireServiceRole(tx, req, in.service, auth::Role::kManager));
             return paging::RevokeIntegration(tx, in.id, req.principal.actor, req.now_ms);
           }));
           return Response::NoContent();
         }});
  r.Add({"GET", "/api/v1/services/{name}/changes", http::Access::kAuthenticated,
         "changes recorded on a service (PagerDuty change events), newest first",
         [&store](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(int limit, PageLimit(req));
           PLINTH_ASSIGN_OR_RETURN(auto out, store.Read([&](store::Tx& tx) -> Result<Json> {
             PLINTH_RETURN_IF_ERROR(catalog::Get(tx, "Service", req.params["name"]));
             return paging::ServiceChanges(tx, req.params["name"], limit);
           }));
           return Response::WithJson(200, out);
         }});
}

}  // namespace

void AddPagingRoutes(Server& server, store::Store& store,
                     std::shared_ptr<paging::Runtime> runtime, double events_per_key_per_second) {
  auto intake = std::make_shared<Intake>(runtime, events_per_key_per_second);
  http::Router& r = server.router();
  AddIntakeRoutes(r, intake);
  AddActionLinkRoutes(r, store, runtime);
  AddIncidentRoutes(r, store, runtime);
  AddIntegrationRoutes(r, store);
}

}  // namespace plinth::server
