// Login and sessions for the console; users and API tokens for admins.

#include <memory>

#include "auth/sessions.h"
#include "auth/tokens.h"
#include "auth/users.h"
#include "base/time.h"
#include "server/routes.h"

namespace plinth::server {

namespace {

using http::Request;
using http::Response;

Json GrantJson(const auth::Grant& g) {
  Json j = {{"role", auth::RoleName(g.role)}};
  if (!g.team.empty()) j["team"] = g.team;
  return j;
}

Json GrantsJson(const std::vector<auth::Grant>& grants) {
  Json out = Json::array();
  for (const auto& g : grants) out.push_back(GrantJson(g));
  return out;
}

// A required string field of a JSON body.
Result<std::string> StringField(const Json& body, const std::string& name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) {
    return Error::Field("/" + name, "expected a non-empty string");
  }
  return it->get<std::string>();
}

Result<auth::Grant> GrantField(const Json& j, const std::string& pointer) {
  if (!j.is_object()) return Error::Field(pointer, "expected an object {role, team?}");
  auth::Grant g;
  auto role = j.find("role");
  if (role == j.end() || !role->is_string()) {
    return Error::Field(pointer + "/role", "expected one of viewer, responder, manager, admin");
  }
  auto parsed = auth::ParseRole(role->get<std::string>());
  if (!parsed.ok()) return Error::Field(pointer + "/role", parsed.error().message);
  g.role = *parsed;
  if (auto team = j.find("team"); team != j.end() && !team->is_null()) {
    if (!team->is_string()) return Error::Field(pointer + "/team", "expected a team name");
    g.team = team->get<std::string>();
  }
  return g;
}

std::string SessionCookie(const std::string& value, int64_t max_age_s, bool secure) {
  std::string c = std::string(kSessionCookie) + "=" + value +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s);
  if (secure) c += "; Secure";
  return c;
}

Json TokenJson(const auth::TokenInfo& t) {
  Json j = {{"id", t.id},
            {"description", t.description},
            {"grant", GrantJson(t.grant)},
            {"created_by", t.created_by},
            {"created_at", FormatRfc3339(t.created_at_ms)}};
  if (t.expires_at_ms) j["expires_at"] = FormatRfc3339(*t.expires_at_ms);
  if (t.revoked_at_ms) j["revoked_at"] = FormatRfc3339(*t.revoked_at_ms);
  return j;
}

}  // namespace

void AddAuthRoutes(Server& server, store::Store& store) {
  http::Router& r = server.router();
  const bool secure = server.options().secure_cookies;
  // Password guessing is slowed per client address and user: 10 tries, then one a minute.
  auto login_limiter = std::make_shared<RateLimiter>(1.0 / 60, 10);

  r.Add({"POST", "/api/v1/login", http::Access::kPublic, "log in with user name and password",
         [&store, secure, login_limiter](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(Json body, req.JsonBody());
           PLINTH_ASSIGN_OR_RETURN(std::string user, StringField(body, "user"));
           PLINTH_ASSIGN_OR_RETURN(std::string password, StringField(body, "password"));
           std::string key = "login:" + req.remote_addr + ":" + user;
           if (int64_t retry = login_limiter->Take(key, req.now_ms); retry > 0) {
             Response p = http::Problem(
                 {ErrorCode::kRateLimited, "too many login attempts; retry later", {}});
             p.headers["Retry-After"] = std::to_string(retry);
             return p;
           }
           PLINTH_ASSIGN_OR_RETURN(auto session, store.Write([&](store::Tx& tx) {
             return auth::Login(tx, user, password, req.now_ms);
           }));
           Response resp = Response::WithJson(
               200, {{"user", user},
                     {"csrf_token", session.csrf_token},
                     {"expires_at", FormatRfc3339(session.expires_at_ms)}});
           resp.headers["Set-Cookie"] = SessionCookie(
               session.cookie_value, (session.expires_at_ms - req.now_ms) / 1000, secure);
           return resp;
         }});

  r.Add({"POST", "/api/v1/logout", http::Access::kPublic, "end the console session",
         [&store, secure](Request& req) -> Result<Response> {
           auto cookie = req.Header("cookie").value_or("");
           std::string prefix = std::string(kSessionCookie) + "=";
           size_t pos = cookie.find(prefix);
           if (pos != std::string::npos) {
             std::string value = cookie.substr(pos + prefix.size());
             value = value.substr(0, value.find(';'));
             PLINTH_RETURN_IF_ERROR(
                 store.Write([&](store::Tx& tx) { return auth::Logout(tx, value); }));
           }
           Response resp = Response::NoContent();
           resp.headers["Set-Cookie"] = SessionCookie("", 0, secure);
           return resp;
         }});

  r.Add({"GET", "/api/v1/session", http::Access::kAuthenticated, "who am I",
         [](Request& req) -> Result<Response> {
           Json j = {{"actor", req.principal.actor}, {"grants", GrantsJson(req.principal.grants)}};
           if (!req.principal.csrf_token.empty()) j["csrf_token"] = req.principal.csrf_token;
           return Response::WithJson(200, std::move(j));
         }});

  r.Add({"GET", "/api/v1/users", http::Access::kAuthenticated, "list users",
         [&store](Request& req) -> Result<Response> {
           PLINTH_RETURN_IF_ERROR(http::Require(req, auth::Role::kAdmin, std::nullopt));
           PLINTH_ASSIGN_OR_RETURN(auto users, store.Read(auth::ListUsers));
           Json items = Json::array();
           for (const auto& u : users) {
             items.push_back({{"name", u.name},
                              {"grants", GrantsJson(u.grants)},
                              {"disabled", u.disabled},
                              {"created_at", FormatRfc3339(u.created_at_ms)}});
           }
           return Response::WithJson(200, {{"items", std::move(items)}});
         }});

  r.Add({"POST", "/api/v1/users", http::Access::kAuthenticated, "add a user",
         [&store](Request& req) -> Result<Response> {
           PLINTH_RETURN_IF_ERROR(http::Require(req, auth::Role::kAdmin, std::nullopt));
           PLINTH_ASSIGN_OR_RETURN(Json body, req.JsonBody());
           PLINTH_ASSIGN_OR_RETURN(std::string name, StringField(body, "name"));
           PLINTH_ASSIGN_OR_RETURN(std::string password, StringField(body, "password"));
           std::vector<auth::Grant> grants;
           if (auto g = body.find("grants"); g != body.end()) {
             if (!g->is_array()) return Error::Field("/grants", "expected an array");
             for (size_t i = 0; i < g->size(); ++i) {
               PLINTH_ASSIGN_OR_RETURN(auto grant,
                                       GrantField((*g)[i], "/grants/" + std::to_string(i)));
               grants.push_back(grant);
             }
           }
           PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) {
             return auth::AddUser(tx, name, password, grants, req.principal.actor, req.now_ms);
           }));
           Response resp = Response::WithJson(201, {{"name", name}, {"grants", GrantsJson(grants)}});
           resp.headers["Location"] = "/api/v1/users/" + name;
           return resp;
         }});

  r.Add({"DELETE", "/api/v1/users/{name}", http::Access::kAuthenticated, "delete a user",
         [&store](Request& req) -> Result<Response> {
           PLINTH_RETURN_IF_ERROR(http::Require(req, auth::Role::kAdmin, std::nullopt));
           PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) {
             return auth::DeleteUser(tx, req.params["name"], req.principal.actor, req.now_ms);
           }));
           return Response::NoContent();
         }});

  r.Add({"GET", "/api/v1/tokens", http::Access::kAuthenticated, "list API tokens",
         [&store](Request& req) -> Result<Response> {
           PLINTH_RETURN_IF_ERROR(http::Require(req, auth::Role::kAdmin, std::nullopt));
           PLINTH_ASSIGN_OR_RETURN(auto tokens, store.Read(auth::ListTokens));
           Json items = Json::array();
           for (const auto& t : tokens) items.push_back(TokenJson(t));
           return Response::WithJson(200, {{"items", std::move(items)}});
         }});

  r.Add({"POST", "/api/v1/tokens", http::Access::kAuthenticated, "create an API token",
         [&store](Request& req) -> Result<Response> {
           PLINTH_RETURN_IF_ERROR(http::Require(req, auth::Role::kAdmin, std::nullopt));
           PLINTH_ASSIGN_OR_RETURN(Json body, req.JsonBody());
           PLINTH_ASSIGN_OR_RETURN(auth::Grant grant, GrantField(body, ""));
           std::string description = body.value("description", "");
           std::optional<int64_t> expires;
           if (auto e = body.find("expires_at"); e != body.end() && !e->is_null()) {
             if (!e->is_string()) return Error::Field("/expires_at", "expected RFC 3339 time");
             auto t = ParseRfc3339(e->get<std::string>());
             if (!t.ok()) return Error::Field("/expires_at", t.error().message);
             expires = *t;
           }
           PLINTH_ASSIGN_OR_RETURN(auto token, store.Write([&](store::Tx& tx) {
             return auth::CreateToken(tx, grant, description, req.principal.actor, req.now_ms,
                                      expires);
           }));
           return Response::WithJson(
               201, {{"id", token.id}, {"token", token.token}, {"grant", GrantJson(grant)}});
         }});

  r.Add({"DELETE", "/api/v1/tokens/{id}", http::Access::kAuthenticated, "revoke an API token",
         [&store](Request& req) -> Result<Response> {
           PLINTH_RETURN_IF_ERROR(http::Require(req, auth::Role::kAdmin, std::nullopt));
           PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) {
             return auth::RevokeToken(tx, req.params["id"], req.principal.actor, req.now_ms);
           }));
           return Response::NoContent();
         }});
}

}  // namespace plinth::server
