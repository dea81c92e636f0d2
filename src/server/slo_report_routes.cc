// The SLO attainment report of a UTC month or quarter (reliability/report.h) as JSON, CSV or a
// printable HTML page.

#include "base/time.h"
#include "reliability/report.h"
#include "server/routes.h"

namespace plinth::server {

namespace {

using http::Request;
using http::Response;

// The current UTC month, "2026-11", when ?period= is absent.
std::string CurrentMonth(int64_t now_ms) { return FormatRfc3339(now_ms).substr(0, 7); }

}  // namespace

void AddSloReportRoutes(Server& server, store::Store& store) {
  http::Router& r = server.router();

  r.Add({"GET", "/api/v1/slo-reports", http::Access::kAuthenticated,
         "SLO attainment per SLO, service and tier for a UTC month or quarter",
         [&store](Request& req) -> Result<Response> {
           std::string format = req.Query("format").value_or("json");
           if (format != "json" && format != "csv" && format != "html") {
             return Error::Field("/format", "format: expected json, csv or html (got \"" +
                                                format + "\")");
           }
           PLINTH_ASSIGN_OR_RETURN(auto period, reliability::ParseReportPeriod(
               req.Query("period").value_or(CurrentMonth(req.now_ms))));
           PLINTH_ASSIGN_OR_RETURN(auto report, store.Read([&](store::Tx& tx) {
             return reliability::BuildReport(tx, period, req.now_ms);
           }));
           if (format == "json") return Response::WithJson(200, reliability::ReportJson(report));

           Response resp;
           const std::string file = "slo-report-" + period.label;
           if (format == "csv") {
             resp.text = reliability::ReportCsv(report);
             resp.content_type = "text/csv; charset=utf-8";
             resp.headers["Content-Disposition"] = "attachment; filename=\"" + file + ".csv\"";
           } else {
             resp.text = reliability::ReportHtml(report, req.now_ms);
             resp.content_type = "text/html; charset=utf-8";
             resp.headers["Content-Disposition"] = "inline; filename=\"" + file + ".html\"";
             // Its own styles only: no scripts, nothing loaded from anywhere.
             resp.headers["Content-Security-Policy"] =
                 "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
           }
           resp.headers["Cache-Control"] = "private, no-cache";
           return resp;
         }});
}

}  // namespace plinth::server
