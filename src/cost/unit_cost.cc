#include "cost/unit_cost.h"

#include <cmath>

#include "cost/anomaly.h"
#include "cost/budget.h"

namespace plinth::cost {
namespace {

// cost * per / metric to the nearest 1e-18 (half away from zero; exact when the metric is a
// whole number), or nullopt when metric is 0 or the quotient does not fit an Amount.
std::optional<Amount> Divide(Amount cost, int64_t per, double metric) {
  if (!(metric > 0)) return std::nullopt;
  const Int128 units = cost.units();
  constexpr Int128 kLimit = static_cast<Int128>(1) << 100;
  if (metric == std::floor(metric) && metric < 9e18 && units < kLimit && -units < kLimit &&
      per < (int64_t{1} << 26)) {
    const Int128 num = units * per;
    const Int128 den = static_cast<int64_t>(metric);
    Int128 q = num / den;
    const Int128 r = num % den;
    if (2 * (r < 0 ? -r : r) >= den) q += num < 0 ? -1 : 1;
    return Amount::FromUnits(q);
  }
  const long double q = static_cast<long double>(units) * per / metric;
  if (!std::isfinite(q) || std::fabs(q) >= 1e38L) return std::nullopt;
  return Amount::FromUnits(static_cast<Int128>(std::roundl(q)));
}

}  // namespace

Result<std::vector<UnitCostMonth>> MonthlyUnitCost(int64_t first_day,
                                                   std::span<const Amount> daily_cost,
                                                   std::span<const MetricPoint> metric,
                                                   int64_t per) {
  if (per < 1) return Error::Invalid("unit cost: per must be >= 1");
  const int64_t n = static_cast<int64_t>(daily_cost.size());
  std::vector<double> value(daily_cost.size(), 0);
  std::vector<char> has(daily_cost.size(), 0);
  for (const MetricPoint& p : metric) {
    if (!(p.value >= 0) || !std::isfinite(p.value)) {
      return Error::Invalid("unit cost: the metric on " + FormatDay(p.day) +
                            " must be a finite number >= 0");
    }
    if (p.day < first_day || p.day >= first_day + n) continue;
    value[p.day - first_day] += p.value;
    has[p.day - first_day] = 1;
  }

  std::vector<UnitCostMonth> out;
  for (int64_t i = 0; i < n;) {
    const PeriodBounds month = PeriodContaining(BudgetPeriod::kMonthly, first_day + i);
    UnitCostMonth m;
    m.month_start_day = month.start_day;
    for (; i < n && first_day + i < month.end_day; ++i) {
      ++m.days;
      m.cost += daily_cost[i];
      if (!has[i]) {
        m.missing_days.push_back(first_day + i);
        continue;
      }
      ++m.metric_days;
      m.matched_cost += daily_cost[i];
      m.metric_total += value[i];
    }
    m.coverage_percent = 100.0 * m.metric_days / m.days;
    m.unit_cost = Divide(m.matched_cost, per, m.metric_total);
    if (!out.empty() && m.unit_cost && out.back().unit_cost && !out.back().unit_cost->is_zero()) {
      const double prev = out.back().unit_cost->ToDouble();
      m.change_percent = (m.unit_cost->ToDouble() - prev) / prev * 100;
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace plinth::cost
