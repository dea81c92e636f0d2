#pragma once
// Cost routes (cost_routes.cc, cost_report_routes.cc) and the helpers they share.

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "finops/cost_data.h"
#include "server/routes.h"

namespace plinth::server {

// ?format= among `allowed` (the first is the default); an Error naming them otherwise.
Result<std::string> FormatParam(const http::Request& req,
                                std::initializer_list<std::string_view> allowed);
// A download of `body` named `file`.
http::Response CsvAttachment(std::string body, const std::string& file);
http::Response XlsxAttachment(std::string body, const std::string& file);

// Allocation and showback, budgets, anomalies, unit costs and the monthly review.
void AddCostReportRoutes(Server& server, store::Store& store,
                         std::shared_ptr<finops::CostData> data);

}  // namespace plinth::server
