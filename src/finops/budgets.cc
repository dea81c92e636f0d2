#include "finops/budgets.h"

#include <cstdio>
#include <map>

#include "catalog/repository.h"
#include "finops/allocation.h"
#include "finops/query_params.h"

namespace plinth::finops {
namespace {

constexpr int64_t kDay = 86400;
constexpr int kHistoryDays = 56;  // the forecast's weekday factors read up to 8 weeks

// Daily cost by scope key ("team:x", "service:y") from a per-day allocation.
using ScopeDaily = std::map<std::pair<std::string, std::string>, std::map<int64_t, cost::Amount>>;

ScopeDaily AllocatedDaily(const cost::AllocationReport& report) {
  ScopeDaily out;  // (scope, currency) -> day -> cost
  for (const auto& m : report.months) {
    int64_t day = m.month_start_s / kDay;
    for (const auto& t : m.teams) out[{"team:" + t.team, m.currency}][day] += t.total;
    for (const auto& l : m.lines) {
      if (!l.service.empty()) out[{"service:" + l.service, m.currency}][day] += l.cost;
    }
  }
  return out;
}

Result<std::map<int64_t, cost::Amount>> FilteredDaily(CostData& data, int64_t from_s,
                                                      int64_t to_s, cost::CostMetric metric,
                                                      const std::string& currency,
                                                      std::vector<cost::Filter> filters) {
  cost::CostQuery q;
  q.from_s = from_s;
  q.to_s = to_s;
  q.metric = metric;
  q.granularity = cost::Granularity::kDay;
  q.filters = std::move(filters);
  q.filters.push_back({{"BillingCurrency"}, {currency}, false});
  PLINTH_ASSIGN_OR_RETURN(auto result, data.Query(q));
  std::map<int64_t, cost::Amount> out;
  for (const auto& r : result.rows) out[r.period_start_s / kDay] += r.cost;
  return out;
}

std::string ScopeKind(cost::BudgetScope::Kind k) {
  switch (k) {
    case cost::BudgetScope::Kind::kOrganization: return "organization";
    case cost::BudgetScope::Kind::kTeam: return "team";
    case cost::BudgetScope::Kind::kService: return "service";
    case cost::BudgetScope::Kind::kTag: return "tag";
  }
  return "organization";
}

}  // namespace

bool Crossed(const cost::BudgetStatus& status, const cost::ThresholdState& t) {
  if (!t.first_crossed_day) return false;
  return t.threshold.basis == cost::ThresholdBasis::kActual || status.forecast >= t.limit;
}

std::string ThresholdLabel(const cost::BudgetThreshold& t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%g%% %s", t.percent,
                t.basis == cost::ThresholdBasis::kActual ? "actual" : "forecast");
  return buf;
}

Result<std::vector<BudgetView>> EvaluateBudgets(store::Store& store, CostData& data,
                                                int64_t now_s) {
  int64_t as_of_day = now_s / kDay - 1;
  PLINTH_ASSIGN_OR_RETURN(auto entities,
                          store.Read([](store::Tx& tx) { return catalog::All(tx, "Budget"); }));
  std::vector<BudgetView> views;
  int64_t earliest = as_of_day;
  bool needs_allocation[2] = {false, false};  // by metric: effective, billed
  for (const auto& e : entities) {
    PLINTH_ASSIGN_OR_RETURN(auto spec,
                            cost::BudgetFromSpec(e.name, e.doc.value("spec", Json::object())));
    BudgetView v;
    v.first_day = cost::PeriodContaining(spec.period, as_of_day).start_day - kHistoryDays;
    earliest = std::min(earliest, v.first_day);
    auto kind = spec.scope.kind;
    if (kind == cost::BudgetScope::Kind::kTeam || kind == cost::BudgetScope::Kind::kService) {
      needs_allocation[spec.metric == cost::BudgetMetric::kBilled] = true;
    }
    v.spec = std::move(spec);
    views.push_back(std::move(v));
  }
  std::sort(views.begin(), views.end(),
            [](auto& a, auto& b) { return a.spec.name < b.spec.name; });

  int64_t from_s = earliest * kDay, to_s = (as_of_day + 1) * kDay;
  ScopeDaily allocated[2];
  for (int billed = 0; billed < 2; ++billed) {
    if (!needs_allocation[billed]) continue;
    PLINTH_ASSIGN_OR_RETURN(
        auto report, AllocateRange(store, data, from_s, to_s,
                                   billed ? cost::CostMetric::kBilled : cost::CostMetric::kEffective,
                                   cost::Granularity::kDay));
    allocated[billed] = AllocatedDaily(report);
  }

  for (auto& v : views) {
    const auto& scope = v.spec.scope;
    bool billed = v.spec.metric == cost::BudgetMetric::kBilled;
    std::map<int64_t, cost::Amount> daily;
    if (scope.kind == cost::BudgetScope::Kind::kTeam ||
        scope.kind == cost::BudgetScope::Kind::kService) {
      std::string key = ScopeKind(scope.kind) + ":" + scope.name;
      auto it = allocated[billed].find({key, v.spec.currency});
      if (it != allocated[billed].end()) daily = it->second;
    } else {
      std::vector<cost::Filter> filters;
      if (scope.kind == cost::BudgetScope::Kind::kTag) {
        filters.push_back({{"tag:" + scope.tag_key}, {scope.tag_value}, false});
      }
      PLINTH_ASSIGN_OR_RETURN(
          daily, FilteredDaily(data, from_s, to_s,
                               billed ? cost::CostMetric::kBilled : cost::CostMetric::kEffective,
                               v.spec.currency, std::move(filters)));
    }
    v.daily.assign(size_t(as_of_day - v.first_day + 1), cost::Amount());
    for (const auto& [day, amount] : daily) {
      if (day >= v.first_day && day <= as_of_day) v.daily[size_t(day - v.first_day)] = amount;
    }
    PLINTH_ASSIGN_OR_RETURN(v.status,
                            cost::EvaluateBudget(v.spec, v.first_day, v.daily, as_of_day));
  }
  return views;
}

Json BudgetJson(const BudgetView& v) {
  const auto& s = v.status;
  const auto& scope = v.spec.scope;
  Json scope_json = {{"kind", ScopeKind(scope.kind)}};
  if (scope.kind == cost::BudgetScope::Kind::kTag) {
    scope_json["name"] = scope.tag_key + "=" + scope.tag_value;
  } else if (scope.kind != cost::BudgetScope::Kind::kOrganization) {
    scope_json["name"] = scope.name;
  }
  Json thresholds = Json::array();
  bool at_risk = s.forecast_percent >= 100;
  for (const auto& t : s.thresholds) {
    bool crossed = Crossed(s, t);
    at_risk |= crossed;
    thresholds.push_back(
        {{"percent", t.threshold.percent},
         {"basis", t.threshold.basis == cost::ThresholdBasis::kActual ? "actual" : "forecast"},
         {"crossed", crossed},
         {"crossedDay", crossed ? Json(DayString(*t.first_crossed_day * kDay)) : Json()}});
  }
  Json days = Json::array();
  cost::Amount cumulative;
  for (int64_t d = s.period.start_day; d <= s.as_of_day; ++d) {
    cost::Amount c = v.daily[size_t(d - v.first_day)];
    cumulative += c;
    days.push_back({{"day", DayString(d * kDay)},
                    {"cost", c.ToString(2)},
                    {"cumulative", cumulative.ToString(2)}});
  }
  std::string status = s.actual_percent >= 100 ? "over" : at_risk ? "at risk" : "ok";
  return {{"name", v.spec.name},
          {"scope", scope_json},
          {"period", v.spec.period == cost::BudgetPeriod::kMonthly ? "monthly" : "quarterly"},
          {"periodStart", DayString(s.period.start_day * kDay)},
          {"periodEnd", DayString(s.period.end_day * kDay)},
          {"amount", s.budget.ToString(2)},
          {"currency", v.spec.currency},
          {"metric", v.spec.metric == cost::BudgetMetric::kBilled ? "billed" : "effective"},
          {"actual", s.actual.ToString(2)},
          {"forecast", s.forecast.ToString(2)},
          {"percentUsed", s.actual_percent},
          {"forecastPct", s.forecast_percent},
          {"status", status},
          {"thresholds", thresholds},
          {"daily", days}};
}

}  // namespace plinth::finops
