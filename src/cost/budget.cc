#include "cost/budget.h"

#include <date/date.h>

#include <cmath>
#include <string>

#include "cost/anomaly.h"

namespace plinth::cost {
namespace {

// The daily cost series as the forecast reads it.
struct Daily {
  int64_t first_day;
  std::span<const Amount> values;

  Amount At(int64_t day) const {
    if (day < first_day || day - first_day >= static_cast<int64_t>(values.size())) return {};
    return values[day - first_day];
  }
};

long double Units(Amount a) { return static_cast<long double>(a.units()); }

// The expected cost of days as_of+1 .. end_day-1 from the data through as_of (header comment).
std::vector<Amount> ForecastDays(const Daily& data, int64_t as_of, int64_t end_day,
                                 const ForecastOptions& o) {
  std::vector<Amount> out;
  if (as_of + 1 >= end_day) return out;
  const int64_t lo = std::max(data.first_day, as_of - 7 * int64_t{o.season_weeks} + 1);
  const int64_t avail = as_of - lo + 1;
  long double level = 0;
  long double factor[7] = {1, 1, 1, 1, 1, 1, 1};
  if (avail > 0) {
    const int64_t level_days =
        avail < 7 ? avail : std::min<int64_t>(o.level_days / 7 * 7, avail / 7 * 7);
    Amount sum;
    for (int64_t d = as_of - level_days + 1; d <= as_of; ++d) sum += data.At(d);
    level = Units(sum) / static_cast<long double>(level_days);
    const int64_t weeks = std::min<int64_t>(o.season_weeks, avail / 7);
    if (weeks >= 1) {
      Amount by_weekday[7], total;
      for (int64_t d = as_of - 7 * weeks + 1; d <= as_of; ++d) {
        by_weekday[IsoWeekday(d)] += data.At(d);
        total += data.At(d);
      }
      if (total > Amount()) {
        for (int w = 0; w < 7; ++w) factor[w] = Units(by_weekday[w]) * 7 / Units(total);
      }
    }
  }
  const long double per_cent = static_cast<long double>(Pow10(Amount::kScale - 2));
  for (int64_t d = as_of + 1; d < end_day; ++d) {
    out.push_back(Amount::Cents(std::llround(level * factor[IsoWeekday(d)] / per_cent)));
  }
  return out;
}

// budget * percent / 100, exact for percents with up to 6 decimals.
Amount Limit(Amount budget, double percent) {
  const Int128 micro = static_cast<Int128>(std::llround(percent * 1e6));
  const Int128 num = budget.units() * micro;
  const Int128 den = 100'000'000;
  Int128 q = num / den;
  const Int128 r = num % den;
  if (2 * (r < 0 ? -r : r) >= den) q += num < 0 ? -1 : 1;
  return Amount::FromUnits(q);
}

}  // namespace

PeriodBounds PeriodContaining(BudgetPeriod period, int64_t day) {
  using namespace date;
  const year_month_day ymd{sys_days{days{day}}};
  unsigned month = static_cast<unsigned>(ymd.month());
  if (period == BudgetPeriod::kQuarterly) month = (month - 1) / 3 * 3 + 1;
  const year_month first = ymd.year() / date::month{month};
  const year_month next = first + months{period == BudgetPeriod::kQuarterly ? 3 : 1};
  return {sys_days{first / 1}.time_since_epoch().count(),
          sys_days{next / 1}.time_since_epoch().count()};
}

Result<BudgetStatus> EvaluateBudget(const BudgetSpec& spec, int64_t first_day,
                                    std::span<const Amount> daily, int64_t as_of_day,
                                    const ForecastOptions& options) {
  const Amount budget = Amount::FromDecimal(spec.amount);
  if (budget <= Amount()) return Error::Invalid("budget " + spec.name + ": amount must be > 0");
  if (options.level_days < 7 || options.level_days > 364) {
    return Error::Invalid("forecast level_days must be in 7..364");
  }
  if (options.season_weeks < 1 || options.season_weeks > 52) {
    return Error::Invalid("forecast season_weeks must be in 1..52");
  }
  BudgetStatus st;
  st.period = PeriodContaining(spec.period, as_of_day);
  st.as_of_day = as_of_day;
  st.budget = budget;
  for (const BudgetThreshold& t : spec.thresholds.empty() ? DefaultThresholds() : spec.thresholds) {
    if (!(t.percent > 0) || !std::isfinite(t.percent) || t.percent > 1e6) {
      return Error::Invalid("budget " + spec.name + ": a threshold percent must be in (0, 1e6]");
    }
    st.thresholds.push_back({t, Limit(budget, t.percent), std::nullopt});
  }

  // Replay the period day by day as the alerting job would have seen it.
  const Daily data{first_day, daily};
  bool forecast_pending = false;
  for (const ThresholdState& t : st.thresholds) {
    forecast_pending |= t.threshold.basis == ThresholdBasis::kForecast;
  }
  for (int64_t d = st.period.start_day; d <= as_of_day; ++d) {
    st.actual += data.At(d);
    Amount forecast = st.actual;
    if (forecast_pending || d == as_of_day) {
      std::vector<Amount> days = ForecastDays(data, d, st.period.end_day, options);
      for (Amount a : days) forecast += a;
      if (d == as_of_day) st.daily_forecast = std::move(days);
    }
    forecast_pending = false;
    for (ThresholdState& t : st.thresholds) {
      if (t.first_crossed_day) continue;
      const bool on_forecast = t.threshold.basis == ThresholdBasis::kForecast;
      if ((on_forecast ? forecast : st.actual) >= t.limit) {
        t.first_crossed_day = d;
      } else {
        forecast_pending |= on_forecast;
      }
    }
    if (d == as_of_day) st.forecast = forecast;
  }
  st.actual_percent = st.actual.ToDouble() / budget.ToDouble() * 100;
  st.forecast_percent = st.forecast.ToDouble() / budget.ToDouble() * 100;
  return st;
}

}  // namespace plinth::cost
