#pragma once
// Budget periods, forecast and threshold status, pure (no I/O, no clock reads). The caller
// passes a budget's daily cost (its scope, metric and currency already applied by a query) and
// the last day whose cost is complete; the engine returns actual and forecast spend for the
// period containing that day and which thresholds were crossed, and on which day first, so an
// alert fires once per threshold per period. docs/cost-anomalies.md, "Budgets".
//
// Forecast = actual so far + the expected cost of each remaining day of the period:
//   rate(day) = level * factor(weekday of day), each rounded to cents, where
//   level     = mean daily cost of the latest L days of data (L = level_days rounded down to
//               whole weeks; all the data when less than a week),
//   factor(w) = mean cost on weekday w / mean daily cost, over the latest whole weeks of data,
//               at most season_weeks of them (1 for every weekday with less than a week of
//               data, or when that mean is not positive).
// Data is read up to the last complete day, from at most season_weeks weeks back (the
// previous period too); days before the series' first day are unknown, not zero.
//
// Days are UTC day numbers (cost/anomaly.h: UtcDay). Thread-safety: pure functions.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/result.h"
#include "cost/decimal.h"
#include "cost/specs.h"

namespace plinth::cost {

// Days [start_day, end_day) of a UTC calendar month or quarter (Jan, Apr, Jul, Oct).
struct PeriodBounds {
  int64_t start_day = 0;
  int64_t end_day = 0;
  friend bool operator==(const PeriodBounds&, const PeriodBounds&) = default;
};
PeriodBounds PeriodContaining(BudgetPeriod period, int64_t day);

struct ForecastOptions {
  int level_days = 14;   // 7..364
  int season_weeks = 8;  // 1..52
};

struct ThresholdState {
  BudgetThreshold threshold;
  Amount limit;  // budget * percent / 100, to 1e-18
  // The first day of the period as of which the basis (actual, or the forecast made with the
  // data through that day) reached the limit; absent while not reached.
  std::optional<int64_t> first_crossed_day;
};

struct BudgetStatus {
  PeriodBounds period;
  int64_t as_of_day = 0;  // the last complete day; in the period
  Amount budget;
  Amount actual;                       // period start .. as_of_day
  Amount forecast;                     // actual + the sum of daily_forecast
  std::vector<Amount> daily_forecast;  // as_of_day + 1 .. period end - 1, cents
  double actual_percent = 0;           // of the budget
  double forecast_percent = 0;
  std::vector<ThresholdState> thresholds;  // the spec's, or DefaultThresholds() when it has none
};

// The status of `spec`'s period containing `as_of_day`, from daily[i] = the cost of day
// first_day + i (days after as_of_day are ignored; days inside the period without data count
// 0). Errors: amount not > 0, a threshold percent not a positive finite number, options out of
// range.
Result<BudgetStatus> EvaluateBudget(const BudgetSpec& spec, int64_t first_day,
                                    std::span<const Amount> daily, int64_t as_of_day,
                                    const ForecastOptions& options = {});

}  // namespace plinth::cost
