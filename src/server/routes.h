#pragma once
// Route tables of the API, one function per area. Each adds its routes to the router.

#include <memory>

#include "base/clock.h"
#include "finops/cost_data.h"
#include "http/router.h"
#include "paging/runtime.h"
#include "reliability/slos.h"
#include "server/server.h"
#include "store/store.h"

namespace plinth::server {

// /healthz, /readyz, /metrics, /api/v1/openapi.json.
void AddSystemRoutes(Server& server, store::Store& store);
// Login, logout, session, users and API tokens.
void AddAuthRoutes(Server& server, store::Store& store);
// /api/v1/audit and /api/v1/audit/verify.
void AddAuditRoutes(Server& server, store::Store& store);
// Every catalog kind: list, get, create, replace, delete; service dependencies.
void AddCatalogRoutes(Server& server, store::Store& store);

// Schedules' final schedules, who is on call, shifts, overrides, swaps, the fairness report,
// calendar feeds and /ical/<token>.ics.
void AddOncallRoutes(Server& server, store::Store& store);
// /api/v1/slo-reports: SLO attainment of a UTC month or quarter as JSON, CSV or HTML.
void AddSloReportRoutes(Server& server, store::Store& store);

// SLO data pushes, status (one and all), burn-down and recorded alerts. `cache` is shared with
// the evaluator job (cli/cmd_serve.cc); nullptr: a cache of their own.
void AddSloRoutes(Server& server, store::Store& store,
                  std::shared_ptr<reliability::SeriesCache> cache = nullptr);

// Event intake (PagerDuty Events API v2 and change events, Alertmanager webhook, generic JSON)
// limited per integration key, integrations, incidents and their actions, one-click links.
// `runtime` commits the events and runs timers and deliveries (cli/cmd_serve.cc starts it).
void AddPagingRoutes(Server& server, store::Store& store,
                     std::shared_ptr<paging::Runtime> runtime, double events_per_key_per_second);

// /api/v1/paging/analytics: pages per person and shift, MTTA, alert quality, noisiest alerts.
void AddPagingAnalyticsRoutes(Server& server, store::Store& store);

// Cost: explorer queries, imports, allocation and showback, budgets, anomalies, unit costs and
// the monthly review over `data` (shared with the cost jobs; see cost_routes.h).
void AddCostRoutes(Server& server, store::Store& store, std::shared_ptr<finops::CostData> data);

// All of the above: the complete API. `slo_cache` as for AddSloRoutes; `paging` as for
// AddPagingRoutes (nullptr: one that is never started, events are committed one by one).
struct PagingSetup {
  std::shared_ptr<paging::Runtime> runtime;
  double events_per_key_per_second = 100;
};
void AddAllRoutes(Server& server, store::Store& store,
                  std::shared_ptr<reliability::SeriesCache> slo_cache = nullptr,
                  PagingSetup paging = {}, std::shared_ptr<finops::CostData> cost_data = nullptr);

// The OpenAPI document (docs/openapi.yaml, embedded) as JSON.
Result<Json> OpenApiDocument();

// Cursor pagination parameters shared by list endpoints: ?limit= (1..500, default 50).
Result<int> PageLimit(const http::Request& request);

}  // namespace plinth::server
