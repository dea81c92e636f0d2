#pragma once
// The specs of the cost catalog kinds as plain data: CostAllocation (AllocationRules), Budget
// (BudgetSpec) and UnitMetric (UnitMetricSpec). The catalog (catalog/cost_schema.cc) validates
// the YAML field by field with file:line and stores a canonical spec; the *FromSpec functions
// read a canonical spec (or a hand-written one: missing optional fields take their defaults)
// back and return the first problem as Error::Field with a pointer relative to the spec.
// docs/cost-allocation.md is the reference of the allocation rules. Pure; thread-safe.
//
//   kind: Budget                   # spec:
//     scope: {team: payments}      # exactly one of organization: true | team | service |
//                                  #   tag: {key: k, value: v}
//     period: monthly              # monthly (default) | quarterly
//     amount: "12000.00"           # exact decimal > 0, in currency
//     currency: USD                # ISO 4217, three capital letters
//     metric: effective            # effective (default) | billed
//     thresholds:                  # default 80% actual, 100% actual, 100% forecast
//       - {percent: 80, basis: actual}   # percent > 0; basis actual (default) | forecast
//     notify:                      # 0..n targets, each exactly one of:
//       - webhook: https://hooks.example.com/budget
//       - service: payments-api    # the catalog service whose paging receives the alert
//
//   kind: UnitMetric               # spec:
//     scope: {service: checkout}   # exactly one of team | service
//     unit: request                # singular noun for display
//     per: 1000                    # integer >= 1 (default 1): unit cost per this many units
//     source: push                 # push (default) | prometheus
//     prometheus: {dataSource: prom, query: 'sum(increase(x[1d]))'}  # iff source: prometheus

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cost/decimal.h"

namespace plinth::cost {

// ---- CostAllocation

// Which line items a rule or shared pool takes. Every field given must match (AND); within a
// list any pattern may match (OR). Patterns are globs (`*` any run, `?` one character),
// compared case-insensitively. An empty match takes every line item.
struct AllocationMatch {
  // Tag key -> value glob, sorted by key; the tag must be present and not empty.
  std::vector<std::pair<std::string, std::string>> tags;
  std::vector<std::string> accounts;           // SubAccountId or BillingAccountId
  std::vector<std::string> services;           // ServiceName
  std::vector<std::string> resources;          // ResourceId
  std::vector<std::string> regions;            // RegionId
  std::vector<std::string> charge_categories;  // ChargeCategory: Usage, Purchase, Tax, ...

  bool empty() const {
    return tags.empty() && accounts.empty() && services.empty() && resources.empty() &&
           regions.empty() && charge_categories.empty();
  }
  bool operator==(const AllocationMatch&) const = default;
};

// What a rule assigns. Each value is a literal or exactly "${tag:KEY}" (the line item's tag
// value; a rule whose tag is missing on a line item does not match it). "" = not set. At least
// one of team and service is set; without a team, the team is the service's catalog owner.
struct AllocationSet {
  std::string team, service, product, environment;
  bool operator==(const AllocationSet&) const = default;
};

struct AllocationRule {
  std::string name;  // optional label for reports; "" = "rule N" (1-based)
  AllocationMatch match;
  AllocationSet set;
  bool operator==(const AllocationRule&) const = default;
};

enum class SplitMethod { kEven, kProportional, kFixed };
const char* SplitMethodName(SplitMethod m);  // "even", "proportional", "fixed"

// A shared cost pool: the line items it matches are split between teams each month.
struct SharedPool {
  std::string name;  // required; a report column "shared: NAME"; equal names add up
  AllocationMatch match;
  SplitMethod split = SplitMethod::kProportional;
  // kFixed: team -> relative weight > 0 (60/40 and 3/2 split alike); sorted by team.
  std::vector<std::pair<std::string, Decimal>> weights;
  // kEven/kProportional: the receiving teams; empty = every team with direct cost that month.
  std::vector<std::string> among;
  bool operator==(const SharedPool&) const = default;
};

// The rules of one or more CostAllocation resources. A line item in a shared pool (the first
// that matches) is shared cost; any other goes through `rules`, first match wins; what no rule
// takes is unallocated.
struct AllocationRules {
  std::vector<AllocationRule> rules;
  std::vector<SharedPool> shared;
  bool operator==(const AllocationRules&) const = default;
};

// The rules of one canonical CostAllocation spec {rules: [...], shared: [...]}.
Result<AllocationRules> AllocationRulesFromSpec(const Json& spec);
// Several resources apply in metadata.name order: their rules and pools concatenated.
void AppendRules(AllocationRules& into, const AllocationRules& more);

// "KEY" when `value` is exactly "${tag:KEY}" with a non-empty KEY, else nullopt.
std::optional<std::string> TagReference(std::string_view value);

// ---- Budget

struct BudgetScope {
  enum class Kind { kOrganization, kTeam, kService, kTag } kind = Kind::kOrganization;
  std::string name;                // kTeam, kService: the catalog name
  std::string tag_key, tag_value;  // kTag
  bool operator==(const BudgetScope&) const = default;
};

enum class BudgetPeriod { kMonthly, kQuarterly };
enum class BudgetMetric { kEffective, kBilled };
enum class ThresholdBasis { kActual, kForecast };

struct BudgetThreshold {
  double percent = 100;  // > 0, of the budget amount
  ThresholdBasis basis = ThresholdBasis::kActual;
  bool operator==(const BudgetThreshold&) const = default;
};

// One notification target: exactly one field set.
struct BudgetNotify {
  std::string webhook;  // an http(s) URL
  std::string service;  // a catalog service; its paging receives the alert
  bool operator==(const BudgetNotify&) const = default;
};

struct BudgetSpec {
  std::string name;
  BudgetScope scope;
  BudgetPeriod period = BudgetPeriod::kMonthly;
  Decimal amount;        // > 0
  std::string currency;  // "USD"
  BudgetMetric metric = BudgetMetric::kEffective;
  std::vector<BudgetThreshold> thresholds;  // sorted by basis, then percent
  std::vector<BudgetNotify> notify;
  bool operator==(const BudgetSpec&) const = default;
};

// The thresholds a budget has when it lists none.
std::vector<BudgetThreshold> DefaultThresholds();
Result<BudgetSpec> BudgetFromSpec(std::string_view name, const Json& spec);

// ---- UnitMetric

struct UnitMetricSpec {
  std::string name;
  enum class ScopeKind { kTeam, kService } scope_kind = ScopeKind::kService;
  std::string scope_name;
  std::string unit;  // "request"
  int64_t per = 1;   // >= 1
  enum class Source { kPush, kPrometheus } source = Source::kPush;
  std::string data_source;  // kPrometheus: a catalog DataSource
  std::string query;        // kPrometheus: PromQL giving the day's count
  bool operator==(const UnitMetricSpec&) const = default;
};

Result<UnitMetricSpec> UnitMetricFromSpec(std::string_view name, const Json& spec);

}  // namespace plinth::cost
