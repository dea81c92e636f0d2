#pragma once
// Cost allocation: the monthly cost rows of a query (query.h) assigned to catalog teams,
// services, products and environments by AllocationRules (specs.h), shared pools split between
// teams, and what no rule takes kept apart as the unallocated bucket. Exact: every amount is
// a sum of line items or a share of one, and per month and currency
//   sum(team totals) + unallocated == total of the rows, to the last 1e-18 unit.
// docs/cost-allocation.md describes the rules and the report. Pure; thread-safe.
//
// Use:
//   CostQuery q;  q.granularity = Granularity::kMonth;  q.group_by = AllocationDimensions(rules);
//   PLINTH_ASSIGN_OR_RETURN(CostResult r, RunQuery(q, segments));
//   PLINTH_ASSIGN_OR_RETURN(AllocationReport report, Allocate(rules, catalog, r.rows));

#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cost/decimal.h"
#include "cost/query.h"
#include "cost/specs.h"

namespace plinth::cost {

// What the engine checks rule values against: the catalog's teams and services.
struct AllocationCatalog {
  std::set<std::string, std::less<>> teams;
  std::map<std::string, std::string, std::less<>> service_owners;  // service -> its owner team
};

struct AllocationOptions {
  size_t top_unallocated = 10;  // resources listed per month in the unallocated bucket
};

// The dimensions Allocate() needs, in this order: ServiceName, SubAccountId, ResourceId,
// ResourceName, then BillingAccountId (when a match lists accounts), RegionId (regions),
// ChargeCategory (chargeCategories) and Tags (any tag matched or set): at most 8.
std::vector<Dimension> AllocationDimensions(const AllocationRules& rules);

// The direct cost of one (team, service, product, environment) in a month.
struct AllocationLine {
  std::string team, service, product, environment;  // "" when not set
  Amount cost;
};

// One team's cost in a month: what its rules took plus its share of each pool.
struct TeamAllocation {
  std::string team;
  Amount direct;
  std::vector<Amount> shared;  // one per AllocationMonth::pools
  Amount total;                // direct + every share
};

struct UnallocatedReason {
  std::string reason;  // "no rule matches", "team \"x\" from tag \"team\" is not a catalog team"
  Amount cost;
};

// A resource (or, without a ResourceId, a service and account) in the unallocated bucket.
struct UnallocatedResource {
  std::string resource_id, resource_name, service, account, reason;
  Amount cost;
};

// The allocation of one month in one currency.
struct AllocationMonth {
  int64_t month_start_s = 0;  // UTC
  std::string currency;
  Amount total;                       // every row of the month and currency
  std::vector<std::string> pools;     // shared pool names, in rule order, distinct
  std::vector<Amount> pool_totals;    // what each pool took
  std::vector<TeamAllocation> teams;  // by total descending, then name
  std::vector<AllocationLine> lines;  // by team, service, product, environment
  Amount unallocated;
  std::vector<UnallocatedReason> reasons;            // by cost descending, then reason
  std::vector<UnallocatedResource> top_unallocated;  // top by |cost|, then resource id

  // 1 - unallocated / total (allocation coverage); 1 when the total is 0.
  double Coverage() const;
};

struct AllocationReport {
  std::vector<AllocationMonth> months;  // by month, then currency
  // Values a rule set that the catalog does not know but that did not stop the allocation
  // (a service next to an explicit team), one line each, sorted.
  std::vector<std::string> warnings;
};

// Allocates `rows`: the result of a query with group_by = AllocationDimensions(rules) and
// Granularity::kMonth (any metric). Error::Invalid when a row's keys do not match.
Result<AllocationReport> Allocate(const AllocationRules& rules, const AllocationCatalog& catalog,
                                  std::span<const CostRow> rows,
                                  const AllocationOptions& options = {});

// Splits `amount` in proportion to `weights` (each >= 0, sum > 0) exactly: floor shares of the
// 1e-18 units, the units left over to the largest remainders (ties: lower index). The shares
// add up to `amount`. REQUIRES: weights not empty, sum of weights > 0.
std::vector<Amount> SplitExactly(Amount amount, std::span<const Int128> weights);

// True when `text` matches the glob `pattern` (`*` any run, `?` one character), ignoring ASCII
// case.
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace plinth::cost
