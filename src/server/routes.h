#pragma once
// Route tables of the API, one function per area. Each adds its routes to the router.

#include <memory>

#include "base/clock.h"
#include "http/router.h"
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

// All of the above: the complete API. `slo_cache` as for AddSloRoutes.
void AddAllRoutes(Server& server, store::Store& store,
                  std::shared_ptr<reliability::SeriesCache> slo_cache = nullptr);

// The OpenAPI document (docs/openapi.yaml, embedded) as JSON.
Result<Json> OpenApiDocument();

// Cursor pagination parameters shared by list endpoints: ?limit= (1..500, default 50).
Result<int> PageLimit(const http::Request& request);

}  // namespace plinth::server
