// Health, readiness, metrics and the API description.

#include "base/embedded.h"
#include "base/yaml.h"
#include "notify/sender.h"
#include "server/routes.h"

namespace plinth::server {

Result<Json> OpenApiDocument() {
  for (const auto& f : embedded::ApiDoc()) {
    if (f.name != "openapi.yaml") continue;
    auto docs = ParseYaml(f.data, "openapi.yaml");
    if (!docs.ok()) return std::move(docs).error();
    if (docs->size() != 1) return Error::Internal("openapi.yaml: expected one document");
    return std::move((*docs)[0].value);
  }
  return Error::Internal("openapi.yaml is not embedded");
}

Result<int> PageLimit(const http::Request& request) {
  auto text = request.Query("limit");
  if (!text) return 50;
  int limit = 0;
  for (char c : *text) {
    if (c < '0' || c > '9' || limit > 1000) return Error::Field("/limit", "limit: expected 1..500");
    limit = limit * 10 + (c - '0');
  }
  if (limit < 1 || limit > 500) return Error::Field("/limit", "limit: expected 1..500");
  return limit;
}

void AddSystemRoutes(Server& server, store::Store& store) {
  http::Router& r = server.router();
  r.Add({"GET", "/healthz", http::Access::kPublic, "process is up",
         [](http::Request&) -> Result<http::Response> {
           return http::Response::WithJson(200, {{"status", "ok"}});
         }});
  r.Add({"GET", "/readyz", http::Access::kPublic, "database is reachable",
         [&store](http::Request&) -> Result<http::Response> {
           auto s = store.Read([](store::Tx& tx) -> Status { return tx.ExecScript("SELECT 1"); });
           if (!s.ok()) return Error::Unavailable("database unavailable");
           return http::Response::WithJson(200, {{"status", "ready"}});
         }});
  r.Add({"GET", "/metrics", http::Access::kPublic, "OpenMetrics",
         [&server, &store](http::Request&) -> Result<http::Response> {
           http::Response resp;
           resp.text = server.metrics().Render(store.stats());
           resp.content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8";
           return resp;
         }});
  r.Add({"GET", "/api/v1/openapi.json", http::Access::kPublic, "OpenAPI 3.1 document",
         [](http::Request&) -> Result<http::Response> {
           PLINTH_ASSIGN_OR_RETURN(Json doc, OpenApiDocument());
           return http::Response::WithJson(200, std::move(doc));
         }});
}

void AddAllRoutes(Server& server, store::Store& store,
                  std::shared_ptr<reliability::SeriesCache> slo_cache, PagingSetup paging,
                  std::shared_ptr<finops::CostData> cost_data) {
  AddSystemRoutes(server, store);
  AddAuthRoutes(server, store);
  AddAuditRoutes(server, store);
  AddCatalogRoutes(server, store);
  AddOncallRoutes(server, store);
  AddSloReportRoutes(server, store);
  AddSloRoutes(server, store, std::move(slo_cache));
  if (!paging.runtime) {
    paging.runtime = std::make_shared<paging::Runtime>(
        store, server.clock(), notify::NewSender(notify::Settings{}), paging::RuntimeOptions{});
  }
  AddPagingRoutes(server, store, std::move(paging.runtime), paging.events_per_key_per_second);
  AddPagingAnalyticsRoutes(server, store);
  if (!cost_data) cost_data = std::make_shared<finops::CostData>(store);
  AddCostRoutes(server, store, std::move(cost_data));
}

}  // namespace plinth::server
