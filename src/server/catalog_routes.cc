// REST routes for every catalog kind — /api/v1/{teams,people,services,systems,domains} — and
// the dependency graph of a service. Role checks: changing a resource needs the manager role on
// the team that owns it (before and after the change); Teams are created and deleted, and
// People changed, by global managers only.

#include <algorithm>
#include <charconv>
#include <tuple>

#include "catalog/model.h"
#include "catalog/repository.h"
#include "server/routes.h"

namespace plinth::server {

namespace {

using http::Request;
using http::Response;

// The team scope a change to `doc` of `kind` needs; creating or deleting a Team is global.
std::optional<std::string> ChangeScope(const std::string& kind, const Json& doc,
                                       bool create_or_delete) {
  if (kind == "Team" && create_or_delete) return std::nullopt;
  return catalog::ScopeTeam(doc);
}

Status RequireManager(const Request& req, const std::optional<std::string>& team) {
  if (team) return http::Require(req, auth::Role::kManager, std::string_view(*team));
  return http::Require(req, auth::Role::kManager, std::nullopt);
}

// Fills apiVersion and kind from the path when absent; a different kind is an error.
Result<Json> DocumentFor(const std::string& kind, Json doc) {
  if (!doc.contains("apiVersion")) doc["apiVersion"] = std::string(catalog::kApiVersion);
  if (!doc.contains("kind")) doc["kind"] = kind;
  if (doc["kind"] != kind) {
    return Error::Field("/kind", "expected \"" + kind + "\" at this endpoint");
  }
  return doc;
}

Response EntityResponse(int status, const catalog::Entity& e) {
  Response r = Response::WithJson(status, e.ToJson());
  r.headers["ETag"] = "\"" + std::to_string(e.version) + "\"";
  return r;
}

Result<std::optional<int64_t>> IfMatch(const Request& req) {
  auto header = req.Header("if-match");
  if (!header) return std::optional<int64_t>();
  std::string v = *header;
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int64_t version = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
  if (ec != std::errc() || p != v.data() + v.size()) {
    return Error::Invalid("If-Match: expected an ETag from a previous response, e.g. \"3\"");
  }
  return std::optional<int64_t>(version);
}

void AddKindRoutes(Server& server, store::Store& store, const catalog::KindInfo& info) {
  http::Router& r = server.router();
  const std::string kind(info.kind);
  const std::string base = "/api/v1/" + std::string(info.plural);

  r.Add({"GET", base, http::Access::kAuthenticated, "list " + std::string(info.plural),
         [&store, kind](Request& req) -> Result<Response> {
           catalog::ListQuery q;
           q.kind = kind;
           q.after = req.Query("cursor").value_or("");
           PLINTH_ASSIGN_OR_RETURN(q.limit, PageLimit(req));
           q.owner = req.Query("owner");
           q.lifecycle = req.Query("lifecycle");
           q.search = req.Query("q").value_or("");
           if (auto tier = req.Query("tier")) {
             int t = 0;
             auto [p, ec] = std::from_chars(tier->data(), tier->data() + tier->size(), t);
             if (ec != std::errc() || p != tier->data() + tier->size() || t < 1 || t > 4) {
               return Error::Field("/tier", "tier: expected 1, 2, 3 or 4");
             }
             q.tier = t;
           }
           PLINTH_ASSIGN_OR_RETURN(auto page,
                                   store.Read([&](store::Tx& tx) { return catalog::List(tx, q); }));
           Json items = Json::array();
           for (const auto& e : page.items) items.push_back(e.ToJson());
           return Response::WithJson(
               200, {{"items", std::move(items)},
                     {"next_cursor",
                      page.next_cursor.empty() ? Json(nullptr) : Json(page.next_cursor)}});
         }});

  r.Add({"POST", base, http::Access::kAuthenticated, "create a " + std::string(info.noun),
         [&store, kind, base](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(Json body, req.JsonBody());
           PLINTH_ASSIGN_OR_RETURN(Json doc, DocumentFor(kind, std::move(body)));
           PLINTH_ASSIGN_OR_RETURN(Json canonical, catalog::Validate(doc));
           PLINTH_RETURN_IF_ERROR(RequireManager(req, ChangeScope(kind, canonical, true)));
           PLINTH_ASSIGN_OR_RETURN(auto entity, store.Write([&](store::Tx& tx) {
             return catalog::Create(tx, doc, req.principal.actor, req.now_ms);
           }));
           Response resp = EntityResponse(201, entity);
           resp.headers["Location"] = base + "/" + entity.name;
           return resp;
         }});

  r.Add({"GET", base + "/{name}", http::Access::kAuthenticated,
         "get a " + std::string(info.noun),
         [&store, kind](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(auto entity, store.Read([&](store::Tx& tx) {
             return catalog::Get(tx, kind, req.params["name"]);
           }));
           return EntityResponse(200, entity);
         }});

  r.Add({"PUT", base + "/{name}", http::Access::kAuthenticated,
         "replace a " + std::string(info.noun),
         [&store, kind](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(Json body, req.JsonBody());
           PLINTH_ASSIGN_OR_RETURN(Json doc, DocumentFor(kind, std::move(body)));
           if (!doc.contains("metadata") || !doc["metadata"].is_object()) {
             doc["metadata"] = Json::object();
           }
           if (!doc["metadata"].contains("name")) doc["metadata"]["name"] = req.params["name"];
           PLINTH_ASSIGN_OR_RETURN(Json canonical, catalog::Validate(doc));
           PLINTH_ASSIGN_OR_RETURN(auto if_version, IfMatch(req));
           PLINTH_ASSIGN_OR_RETURN(auto entity, store.Write([&](store::Tx& tx) -> Result<catalog::Entity> {
             PLINTH_ASSIGN_OR_RETURN(auto before, catalog::Get(tx, kind, req.params["name"]));
             PLINTH_RETURN_IF_ERROR(RequireManager(req, ChangeScope(kind, before.doc, false)));
             PLINTH_RETURN_IF_ERROR(RequireManager(req, ChangeScope(kind, canonical, false)));
             return catalog::Replace(tx, kind, req.params["name"], doc, if_version,
                                     req.principal.actor, req.now_ms);
           }));
           return EntityResponse(200, entity);
         }});

  r.Add({"DELETE", base + "/{name}", http::Access::kAuthenticated,
         "delete a " + std::string(info.noun),
         [&store, kind](Request& req) -> Result<Response> {
           PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
             PLINTH_ASSIGN_OR_RETURN(auto before, catalog::Get(tx, kind, req.params["name"]));
             PLINTH_RETURN_IF_ERROR(RequireManager(req, ChangeScope(kind, before.doc, true)));
             return catalog::Delete(tx, kind, req.params["name"], req.principal.actor,
                                    req.now_ms);
           }));
           return Response::NoContent();
         }});

  r.Add({"GET", base + "/{name}/referenced-by", http::Access::kAuthenticated,
         "resources that refer to a " + std::string(info.noun),
         [&store, kind](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(auto refs, store.Read([&](store::Tx& tx) {
             return catalog::ReferencedBy(tx, kind, req.params["name"]);
           }));
           Json items = Json::array();
           for (const auto& [k, n] : refs) items.push_back({{"kind", k}, {"name", n}});
           return Response::WithJson(200, {{"items", std::move(items)}});
         }});
}

// Search results rank an exact name first, then a name prefix, then any other match.
int Rank(const std::string& name, const std::string& query) {
  auto lower = [](std::string s) {
    for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::string n = lower(name), q = lower(query);
  if (n == q) return 0;
  if (n.starts_with(q)) return 1;
  return 2;
}

Result<Response> Search(store::Store& store, Request& req) {
  std::string q = req.Query("q").value_or("");
  if (q.empty()) return Error::Field("/q", "q: expected the text to search for");
  PLINTH_ASSIGN_OR_RETURN(int limit, PageLimit(req));
  struct Hit {
    int rank;
    size_t kind_order;
    catalog::Entity entity;
  };
  std::vector<Hit> hits;
  PLINTH_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> Status {
    // Services, teams and people first: what people look for most.
    const char* kinds[] = {"Service", "Team",     "Person",          "System",
                           "Domain",  "Schedule", "EscalationPolicy"};
    for (size_t i = 0; i < std::size(kinds); ++i) {
      catalog::ListQuery query;
      query.kind = kinds[i];
      query.search = q;
      query.limit = limit;
      PLINTH_ASSIGN_OR_RETURN(auto page, catalog::List(tx, query));
      for (auto& e : page.items) hits.push_back({Rank(e.name, q), i, std::move(e)});
    }
    return {};
  }));
  std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return std::tie(a.rank, a.kind_order) < std::tie(b.rank, b.kind_order);
  });
  if (int(hits.size()) > limit) hits.resize(limit);
  Json items = Json::array();
  for (const auto& h : hits) {
    const Json& meta = h.entity.doc["metadata"];
    Json item = {{"kind", h.entity.kind}, {"name", h.entity.name}};
    item["title"] = meta.value("title", h.entity.doc["spec"].value("displayName", ""));
    item["description"] = meta.value("description", "");
    items.push_back(std::move(item));
  }
  return Response::WithJson(200, {{"items", std::move(items)}});
}

}  // namespace

void AddCatalogRoutes(Server& server, store::Store& store) {
  for (const auto& info : catalog::Kinds()) AddKindRoutes(server, store, info);
  server.router().Add({"GET", "/api/v1/search", http::Access::kAuthenticated,
                       "search services, teams, people, systems, domains and schedules",
                       [&store](Request& req) { return Search(store, req); }});
  server.router().Add(
      {"GET", "/api/v1/services/{name}/dependencies", http::Access::kAuthenticated,
       "upstream and downstream services (blast radius)",
       [&store](Request& req) -> Result<Response> {
         std::string transitive = req.Query("transitive").value_or("true");
         if (transitive != "true" && transitive != "false") {
           return Error::Field("/transitive", "transitive: expected true or false");
         }
         PLINTH_ASSIGN_OR_RETURN(auto graph, store.Read([&](store::Tx& tx) {
           return catalog::Dependencies(tx, req.params["name"], transitive == "true");
         }));
         return Response::WithJson(200, std::move(graph));
       }});
}

}  // namespace plinth::server
