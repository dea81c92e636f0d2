#pragma once
// Business metric values per UTC day (requests, orders, customers) for unit cost, pushed
// through the API or pulled from Prometheus. Writing a day again replaces it.
//
// REQUIRES: a write transaction for UpsertUnitPoints.

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cost/decimal.h"
#include "store/store.h"

namespace plinth::finops {

struct UnitPoint {
  int64_t day_s = 0;  // UTC midnight
  cost::Decimal value;
};

// Returns the number of days written.
Result<int64_t> UpsertUnitPoints(store::Tx& tx, std::string_view metric,
                                 const std::vector<UnitPoint>& points);
// The metric's days in [from_s, to_s), by day.
Result<std::vector<UnitPoint>> LoadUnitPoints(store::Tx& tx, std::string_view metric,
                                              int64_t from_s, int64_t to_s);

}  // namespace plinth::finops
