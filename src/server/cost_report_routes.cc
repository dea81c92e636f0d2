// Allocation and showback/chargeback, budgets, anomalies with feedback, unit costs, the cost
// summary and the monthly review (finops/).

#include "cost/showback.h"
#include "finops/allocation.h"
#include "finops/anomalies.h"
#include "finops/budgets.h"
#include "finops/query_params.h"
#include "finops/review.h"
#include "server/cost_routes.h"

namespace plinth::server {

namespace {

using http::Request;
using http::Response;

// ?month=YYYY-MM, default the current UTC month.
Result<std::pair<int64_t, int64_t>> MonthParam(const Request& req) {
  auto v = req.Query("month");
  if (!v || v->empty()) {
    int64_t start = finops::MonthStartOf(req.now_ms / 1000);
    return std::pair{start, finops::AddMonths(start, 1)};
  }
  return finops::ParseMonth(*v, "month");
}

}  // namespace

void AddCostReportRoutes(Server& server, store::Store& store,
                         std::shared_ptr<finops::CostData> data) {
  http::Router& r = server.router();

  r.Add({"GET", "/api/v1/cost/summary", http::Access::kAuthenticated,
         "a month's spend, change, unallocated share, open anomalies and budgets at risk",
         [&store, data](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(auto month, MonthParam(req));
           PLINTH_ASSIGN_OR_RETURN(
               Json out, finops::CostSummary(store, *data, month.first, req.now_ms / 1000));
           return Response::WithJson(200, out);
         }});

  r.Add({"GET", "/api/v1/cost/allocation", http::Access::kAuthenticated,
         "showback or chargeback of a month: cost per team after allocation rules",
         [&store, data](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(auto format, FormatParam(req, {"json", "csv", "xlsx"}));
           PLINTH_ASSIGN_OR_RETURN(auto month, MonthParam(req));
           std::string metric_name = req.Query("metric").value_or("effective");
           auto metric = cost::ParseMetric(metric_name);
           if (!metric) {
             return Error::Field("/metric", "metric: expected effective, billed, list or "
                                            "contracted (got \"" + metric_name + "\")");
           }
           std::string view = req.Query("view").value_or("showback");
           if (view != "showback" && view != "chargeback") {
             return Error::Field("/view", "view: expected showback or chargeback (got \"" +
                                              view + "\")");
           }
           PLINTH_ASSIGN_OR_RETURN(auto report, finops::AllocateRange(store, *data, month.first,
                                                                      month.second, *metric));
           std::string file = "cost-" + view + "-" + finops::DayString(month.first).substr(0, 7);
           bool chargeback = view == "chargeback";
           if (format == "csv") {
             return CsvAttachment(
                 chargeback ? cost::ChargebackCsv(report) : cost::ShowbackCsv(report),
                 file + ".csv");
           }
           if (format == "xlsx") {
             return XlsxAttachment(
                 chargeback ? cost::ChargebackXlsx(report) : cost::ShowbackXlsx(report),
                 file + ".xlsx");
           }
           Json out = cost::ShowbackJson(report);
           out["month"] = finops::DayString(month.first).substr(0, 7);
           out["view"] = view;
           return Response::WithJson(200, out);
         }});

  r.Add({"GET", "/api/v1/cost/budgets", http::Access::kAuthenticated,
         "every budget's actual and forecast spend and the thresholds crossed",
         [&store, data](Request& req) -> Result<Response> {
           int64_t at_s = req.now_ms / 1000;
           if (auto at = req.Query("at"); at && !at->empty()) {
             PLINTH_ASSIGN_OR_RETURN(int64_t day, finops::ParseDay(*at, "at"));
             at_s = day + 86400;  // as of the end of that day
           }
           PLINTH_ASSIGN_OR_RETURN(auto views, finops::EvaluateBudgets(store, *data, at_s));
           Json out = Json::array();
           for (const auto& v : views) out.push_back(finops::BudgetJson(v));
           return Response::WithJson(200, {{"budgets", out}});
         }});

  r.Add({"GET", "/api/v1/cost/anomalies", http::Access::kAuthenticated,
         "cost anomalies, newest first (state=open: those without feedback)",
         [&store](Request& req) -> Result<Response> {
           std::string state = req.Query("state").value_or("open");
           if (state != "open" && state != "all") {
             return Error::Field("/state", "state: expected open or all (got \"" + state + "\")");
           }
           PLINTH_ASSIGN_OR_RETURN(int limit, PageLimit(req));
           PLINTH_ASSIGN_OR_RETURN(Json list,
                                   finops::ListAnomalies(store, state == "open", limit));
           return Response::WithJson(200, {{"anomalies", list}});
         }});

  r.Add({"GET", "/api/v1/cost/anomalies/{id}", http::Access::kAuthenticated,
         "one cost anomaly with its root causes and the expected-spend series around it",
         [&store, data](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(Json out,
                                   finops::AnomalyDetail(store, *data, req.params["id"]));
           return Response::WithJson(200, out);
         }});

  r.Add({"POST", "/api/v1/cost/anomalies/{id}/feedback", http::Access::kAuthenticated,
         "mark a cost anomaly expected, unexpected or planned",
         [&store](Request& req) -> Result<Response> {
           PLINTH_RETURN_IF_ERROR(http::Require(req, auth::Role::kResponder, std::nullopt));
           PLINTH_ASSIGN_OR_RETURN(Json body, req.JsonBody());
           std::string text = body.contains("feedback") && body["feedback"].is_string()
                                  ? body["feedback"].get<std::string>()
                                  : "";
           auto kind = cost::ParseFeedbackKind(text);
           if (!kind) {
             return Error::Field("/feedback",
                                 "feedback: expected expected, unexpected or planned");
           }
           PLINTH_ASSIGN_OR_RETURN(
               Json out, finops::SetAnomalyFeedback(store, req.params["id"], *kind,
                                                    req.principal.actor, req.now_ms));
           return Response::WithJson(200, out);
         }});

  r.Add({"GET", "/api/v1/cost/unit-costs", http::Access::kAuthenticated,
         "unit cost per month of every unit metric (cost of its team or service per unit)",
         [&store, data](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(Json out, finops::UnitCosts(store, *data, req.now_ms / 1000));
           return Response::WithJson(200, out);
         }});

  r.Add({"GET", "/api/v1/cost/review", http::Access::kAuthenticated,
         "the monthly cost review as JSON, CSV, HTML or XLSX",
         [&store, data](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(auto format, FormatParam(req, {"json", "csv", "html", "xlsx"}));
           PLINTH_ASSIGN_OR_RETURN(auto month, MonthParam(req));
           PLINTH_ASSIGN_OR_RETURN(
               Json review, finops::MonthlyReview(store, *data, month.first, req.now_ms / 1000));
           std::string file = "cost-review-" + review["month"].get<std::string>();
           if (format == "csv") return CsvAttachment(finops::ReviewCsv(review), file + ".csv");
           if (format == "xlsx") return XlsxAttachment(finops::ReviewXlsx(review), file + ".xlsx");
           if (format == "html") {
             Response resp;
             resp.text = finops::ReviewHtml(review);
             resp.content_type = "text/html; charset=utf-8";
             resp.headers["Content-Security-Policy"] =
                 "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
             resp.headers["Cache-Control"] = "private, no-cache";
             return resp;
           }
           return Response::WithJson(200, review);
         }});
}

}  // namespace plinth::server
