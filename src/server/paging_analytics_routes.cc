// Paging analytics: pages per person and per on-call shift, off-hours pages, MTTA and MTTR,
// alert quality and the noisiest alerts, per team and service (paging/analytics.h).

#include "base/time.h"
#include "paging/analytics.h"
#include "server/routes.h"

namespace plinth::server {

namespace {

constexpr int64_t kDayMs = 86400LL * 1000;

// ?name= as RFC 3339 or a date (UTC midnight), or `fallback` when absent or empty.
Result<int64_t> TimeParam(const http::Request& req, const std::string& name, int64_t fallback) {
  auto v = req.Query(name);
  if (!v || v->empty()) return fallback;
  auto t = ParseRfc3339(*v);
  if (!t.ok()) {
    return Error::Field("/" + name, name +
                                        ": expected an RFC 3339 time such as "
                                        "2026-11-22T09:00:00Z or a date such as 2026-11-22 "
                                        "(got \"" +
                                        *v + "\")");
  }
  return *t;
}

}  // namespace

void AddPagingAnalyticsRoutes(Server& server, store::Store& store) {
  server.router().Add(
      {"GET", "/api/v1/paging/analytics", http::Access::kAuthenticated,
       "paging analytics of a period (default the last 30 days), by team or service",
       [&store](http::Request& req) -> Result<http::Response> {
         paging::AnalyticsQuery q;
         PLINTH_ASSIGN_OR_RETURN(q.to_ms, TimeParam(req, "to", req.now_ms));
         PLINTH_ASSIGN_OR_RETURN(q.from_ms, TimeParam(req, "from", q.to_ms - 30 * kDayMs));
         q.team = req.Query("team").value_or("");
         q.service = req.Query("service").value_or("");
         PLINTH_ASSIGN_OR_RETURN(
             auto out, store.Read([&](store::Tx& tx) { return paging::Analytics(tx, q); }));
         return http::Response::WithJson(200, out);
       }});
}

}  // namespace plinth::server
