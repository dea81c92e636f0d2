#pragma once
// Allocation over the visible line items: the catalog's CostAllocation rules (in name order),
// teams and service owners, and a query grouped the way the allocation engine needs
// (cost/allocation.h). With Granularity::kDay the report has one "month" per day, shared pools
// split within each day, which is what budgets and daily team costs need.

#include <cstdint>

#include "base/result.h"
#include "cost/allocation.h"
#include "cost/query.h"
#include "finops/cost_data.h"
#include "store/store.h"

namespace plinth::finops {

// The merged rules of every CostAllocation resource and the catalog they refer to.
struct AllocationSetup {
  cost::AllocationRules rules;
  cost::AllocationCatalog catalog;
};
Result<AllocationSetup> LoadAllocationSetup(store::Tx& tx);

// Allocates [from_s, to_s) per month (or per day).
Result<cost::AllocationReport> AllocateRange(store::Store& store, CostData& data, int64_t from_s,
                                             int64_t to_s, cost::CostMetric metric,
                                             cost::Granularity granularity =
                                                 cost::Granularity::kMonth);

}  // namespace plinth::finops
