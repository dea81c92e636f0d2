// Cost (FinOps): the cost explorer's queries and dimensions, imports, unit-metric pushes
// (finops/), allocation and showback, budgets, anomalies and the monthly review
// (cost_report_routes.cc).

#include <chrono>

#include "catalog/repository.h"
#include "finops/line_items.h"
#include "finops/query_params.h"
#include "finops/unit_metrics.h"
#include "server/cost_routes.h"

namespace plinth::server {

namespace {

using http::Request;
using http::Response;

finops::ParamValues QueryValues(const Request& req) {
  return [&req](std::string_view name) {
    std::vector<std::string> out;
    auto [lo, hi] = req.query.equal_range(std::string(name));
    for (auto it = lo; it != hi; ++it) out.push_back(it->second);
    return out;
  };
}

Response Attachment(std::string body, std::string content_type, const std::string& file) {
  Response resp;
  resp.text = std::move(body);
  resp.content_type = std::move(content_type);
  resp.headers["Content-Disposition"] = "attachment; filename=\"" + file + "\"";
  resp.headers["Cache-Control"] = "private, no-cache";
  return resp;
}

}  // namespace

Result<std::string> FormatParam(const Request& req, std::initializer_list<std::string_view> allowed) {
  std::string format = req.Query("format").value_or(std::string(*allowed.begin()));
  for (auto a : allowed) {
    if (format == a) return format;
  }
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  return Error::Field("/format", "format: expected " + list + " (got \"" + format + "\")");
}

Response CsvAttachment(std::string body, const std::string& file) {
  return Attachment(std::move(body), "text/csv; charset=utf-8", file);
}

Response XlsxAttachment(std::string body, const std::string& file) {
  return Attachment(std::move(body),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", file);
}

void AddCostRoutes(Server& server, store::Store& store, std::shared_ptr<finops::CostData> data) {
  http::Router& r = server.router();

  r.Add({"GET", "/api/v1/cost/query", http::Access::kAuthenticated,
         "cost grouped by FOCUS columns or tags, per day, week or month",
         [&store, data](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(auto format, FormatParam(req, {"json", "csv"}));
           PLINTH_ASSIGN_OR_RETURN(auto query,
                                   finops::ParseCostQuery(QueryValues(req), req.now_ms / 1000));
           auto start = std::chrono::steady_clock::now();
           PLINTH_ASSIGN_OR_RETURN(auto result, data->Query(query));
           if (format == "csv") {
             return CsvAttachment(finops::CostResultCsv(query, result), "cost.csv");
           }
           Json out = finops::CostResultJson(query, result);
           out["tookMs"] = std::chrono::duration<double, std::milli>(
                               std::chrono::steady_clock::now() - start)
                               .count();
           return Response::WithJson(200, out);
         }});

  r.Add({"GET", "/api/v1/cost/dimensions", http::Access::kAuthenticated,
         "the columns and tag keys cost can be grouped and filtered by",
         [data](Request&) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(auto dims, data->ListDimensions());
           return Response::WithJson(200,
                                     {{"columns", dims.columns}, {"tagKeys", dims.tag_keys}});
         }});

  r.Add({"GET", "/api/v1/cost/imports", http::Access::kAuthenticated,
         "billing imports, newest first, with their validation reports",
         [&store](Request& req) -> Result<Response> {
           PLINTH_ASSIGN_OR_RETURN(int limit, PageLimit(req));
           PLINTH_ASSIGN_OR_RETURN(auto imports, finops::ListImports(store, limit));
           return Response::WithJson(200, {{"imports", imports}});
         }});

  r.Add({"POST", "/api/v1/cost/unit-metrics/{name}/points", http::Access::kAuthenticated,
         "push daily values of a unit metric (requests, orders, customers)",
         [&store](Request& req) -> Result<Response> {
           PLINTH_RETURN_IF_ERROR(http::Require(req, auth::Role::kResponder, std::nullopt));
           PLINTH_ASSIGN_OR_RETURN(Json body, req.JsonBody());
           const std::string& name = req.params["name"];
           if (!body.contains("points") || !body["points"].is_array() ||
               body["points"].empty() || body["points"].size() > 10000) {
             return Error::Field("/points", "points: expected an array of 1 to 10000 "
                                            "{day, value} objects");
           }
           std::vector<finops::UnitPoint> points;
           Error errors = Error::Invalid("invalid unit metric points");
           for (size_t i = 0; i < body["points"].size(); ++i) {
             const Json& p = body["points"][i];
             std::string at = "/points/" + std::to_string(i);
             auto day = p.is_object() && p.contains("day") && p["day"].is_string()
                            ? finops::ParseDay(p["day"].get<std::string>(), "day")
                            : Result<int64_t>(Error::Invalid("day"));
             if (!day.ok()) {
               errors.fields.push_back({at + "/day", "expected a day such as 2026-10-01", ""});
               continue;
             }
             std::string text = p.contains("value") && p["value"].is_string()
                                    ? p["value"].get<std::string>()
                                    : p.contains("value") && p["value"].is_number()
                                          ? p["value"].dump()
                                          : "";
             auto value = cost::ParseDecimal(text);
             if (!value.ok() || value->mantissa < 0) {
               errors.fields.push_back(
                   {at + "/value", "expected a decimal number >= 0 such as \"123456\"", ""});
               continue;
             }
             points.push_back({*day, *value});
           }
           if (!errors.fields.empty()) return errors;
           PLINTH_ASSIGN_OR_RETURN(auto written, store.Write([&](store::Tx& tx) -> Result<int64_t> {
             PLINTH_RETURN_IF_ERROR(catalog::Get(tx, "UnitMetric", name));
             return finops::UpsertUnitPoints(tx, name, points);
           }));
           return Response::WithJson(200, {{"written", written}});
         }});

  AddCostReportRoutes(server, store, std::move(data));
}

}  // namespace plinth::server
