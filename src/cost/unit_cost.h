#pragma once
// Unit cost per month, pure: a scope's cost divided by a business metric (requests,
// customers, transactions) pushed through the API or pulled from Prometheus, per `per` units,
// with the month-over-month change and how much of the month the metric covers.
//
//   unit cost = cost on the days with metric data * per / metric total of the month
//
// Only days with metric data count on both sides, so a gap in the metric does not inflate the
// unit cost; the month's full cost, the days without metric data and the coverage are
// reported next to it. A metric total of zero (or a month without metric data) gives no unit
// cost, never an infinity or NaN. docs/cost-anomalies.md, "Unit cost".
// Days are UTC day numbers (cost/anomaly.h: UtcDay). Thread-safety: pure functions.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/result.h"
#include "cost/decimal.h"

namespace plinth::cost {

// One day's metric value; several points on one day add up; a 0 is data, not a gap.
struct MetricPoint {
  int64_t day = 0;
  double value = 0;  // finite, >= 0
};

struct UnitCostMonth {
  int64_t month_start_day = 0;        // the first day of the UTC month
  int days = 0;                       // days of the month inside the cost series
  int metric_days = 0;                // of those, days with metric data
  std::vector<int64_t> missing_days;  // of those, days without metric data, ascending
  Amount cost;                        // every day of the month inside the series
  Amount matched_cost;                // the days with metric data
  double metric_total = 0;            // over the days with metric data
  double coverage_percent = 0;        // metric_days / days * 100
  std::optional<Amount> unit_cost;    // matched_cost * per / metric_total, to 1e-18
  // (unit_cost - previous month's) / previous month's * 100; absent when either is absent or
  // the previous one is zero.
  std::optional<double> change_percent;
};

// One entry per UTC month from the month of first_day to that of the series' last day;
// daily_cost[i] is the cost of day first_day + i. Metric points outside the series are
// ignored. Errors: per < 1, a metric value that is negative, NaN or infinite.
Result<std::vector<UnitCostMonth>> MonthlyUnitCost(int64_t first_day,
                                                   std::span<const Amount> daily_cost,
                                                   std::span<const MetricPoint> metric,
                                                   int64_t per = 1);

}  // namespace plinth::cost
