#pragma once
// What a FinOps person reads each month: the summary tiles of the cost home, unit costs per
// UnitMetric, and the monthly cost review (spend against budget and the previous month per
// team, top movers, anomalies, unallocated spend, unit costs, and the actions they call for),
// as JSON, CSV, HTML and XLSX.

#include <cstdint>
#include <string>

#include "base/json.h"
#include "base/result.h"
#include "finops/cost_data.h"
#include "store/store.h"

namespace plinth::finops {

// GET /api/v1/cost/summary of the month starting at `month_s`.
Result<Json> CostSummary(store::Store& store, CostData& data, int64_t month_s, int64_t now_s);

// Every UnitMetric with its monthly unit cost over the 13 months up to `now_s`.
Result<Json> UnitCosts(store::Store& store, CostData& data, int64_t now_s);

// The monthly review of the month starting at `month_s`.
Result<Json> MonthlyReview(store::Store& store, CostData& data, int64_t month_s, int64_t now_s);
std::string ReviewCsv(const Json& review);
std::string ReviewHtml(const Json& review);
std::string ReviewXlsx(const Json& review);

}  // namespace plinth::finops
