#pragma once
// A cost query from named parameters, shared by `plinth cost query` (flags) and
// GET /api/v1/cost/query (query string), and its result as JSON and CSV.
//
//   from, to     days YYYY-MM-DD (UTC; `to` exclusive); default: the current month so far
//   metric       effective (default) | billed | list | contracted
//   granularity  total (default) | day | week | month
//   groupBy      repeated: a FOCUS column (ServiceName, x_Team) or tag:<key>
//   filter       repeated: DIMENSION=VALUE (several values of one dimension: any of them)
//   exclude      repeated: DIMENSION=VALUE
//   limit        top N groups by cost (0: all)

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cost/query.h"

namespace plinth::finops {

// Every value given for a parameter name (empty when absent).
using ParamValues = std::function<std::vector<std::string>(std::string_view name)>;

// Errors name the parameter (Error::Field("/from", ...)). `now_s` fills the default range.
Result<cost::CostQuery> ParseCostQuery(const ParamValues& params, int64_t now_s);

// "2026-10-01" for a UTC day start.
std::string DayString(int64_t day_s);
// The UTC midnight of "YYYY-MM-DD"; Error naming `what` otherwise.
Result<int64_t> ParseDay(std::string_view text, std::string_view what);
// The first second of "YYYY-MM" and of the following month.
Result<std::pair<int64_t, int64_t>> ParseMonth(std::string_view text, std::string_view what);

// The first second of the UTC month holding `s`, and that of `months` months later (or earlier).
int64_t MonthStartOf(int64_t s);
int64_t AddMonths(int64_t month_start_s, int months);

Json CostResultJson(const cost::CostQuery& query, const cost::CostResult& result);
// Header: the group-by names, then period (unless total), currency, cost (exact to the cent).
std::string CostResultCsv(const cost::CostQuery& query, const cost::CostResult& result);

}  // namespace plinth::finops
