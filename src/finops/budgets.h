#pragma once
// Budgets over the visible line items: each Budget resource's daily cost in its scope and
// currency (an organisation's whole bill, a tag's line items, or a team's or service's cost
// after allocation, shared costs included) evaluated by cost/budget.h as of the last complete
// UTC day: actual, forecast to the period end, and the thresholds crossed.

#include <cstdint>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cost/budget.h"
#include "cost/specs.h"
#include "finops/cost_data.h"
#include "store/store.h"

namespace plinth::finops {

struct BudgetView {
  cost::BudgetSpec spec;
  cost::BudgetStatus status;
  int64_t first_day = 0;            // of `daily`
  std::vector<cost::Amount> daily;  // from first_day through status.as_of_day
};

// Every budget as of the UTC day before `now_s` (the last complete day), by name.
Result<std::vector<BudgetView>> EvaluateBudgets(store::Store& store, CostData& data,
                                                int64_t now_s);

// The API's JSON of a view (see docs/cost.md).
Json BudgetJson(const BudgetView& view);
// Whether a threshold is crossed now: an actual threshold once reached stays crossed; a
// forecast threshold only while the current forecast is still at or over it (the forecast of
// the first days of a period swings with monthly fees charged on day one).
bool Crossed(const cost::BudgetStatus& status, const cost::ThresholdState& t);
// "80% actual", "100% forecast".
std::string ThresholdLabel(const cost::BudgetThreshold& t);

}  // namespace plinth::finops
