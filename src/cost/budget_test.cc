#include "cost/budget.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include "cost/anomaly.h"

namespace plinth::cost {
namespace {

int64_t Day(int y, unsigned m, unsigned d) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count();
}

BudgetSpec Spec(const char* amount, std::vector<BudgetThreshold> thresholds) {
  BudgetSpec spec;
  spec.name = "payments-monthly";
  spec.amount = *ParseDecimal(amount);
  spec.currency = "USD";
  spec.thresholds = std::move(thresholds);
  return spec;
}

// Weekdays 100.00, weekends 50.00 from Monday 2026-01-05, plus 1000.00 on Thursday 2026-03-05.
std::vector<Amount> Costs(int64_t first, int64_t last) {
  std::vector<Amount> out;
  for (int64_t d = first; d <= last; ++d) {
    Amount a = Amount::Cents(IsoWeekday(d) < 5 ? 10000 : 5000);
    if (d == Day(2026, 3, 5)) a += Amount::Cents(100000);
    out.push_back(a);
  }
  return out;
}

TEST(BudgetTest, Periods) {
  EXPECT_EQ(PeriodContaining(BudgetPeriod::kMonthly, Day(2026, 3, 10)),
            (PeriodBounds{Day(2026, 3, 1), Day(2026, 4, 1)}));
  EXPECT_EQ(PeriodContaining(BudgetPeriod::kMonthly, Day(2024, 2, 29)),
            (PeriodBounds{Day(2024, 2, 1), Day(2024, 3, 1)}));
  EXPECT_EQ(PeriodContaining(BudgetPeriod::kMonthly, Day(2025, 12, 31)),
            (PeriodBounds{Day(2025, 12, 1), Day(2026, 1, 1)}));
  EXPECT_EQ(PeriodContaining(BudgetPeriod::kQuarterly, Day(2026, 3, 31)),
            (PeriodBounds{Day(2026, 1, 1), Day(2026, 4, 1)}));
  EXPECT_EQ(PeriodContaining(BudgetPeriod::kQuarterly, Day(2026, 4, 1)),
            (PeriodBounds{Day(2026, 4, 1), Day(2026, 7, 1)}));
  EXPECT_EQ(PeriodContaining(BudgetPeriod::kQuarterly, Day(2026, 12, 15)),
            (PeriodBounds{Day(2026, 10, 1), Day(2027, 1, 1)}));
}

TEST(BudgetTest, ForecastFollowsTheWeeklyPattern) {
  // Before the spike the weekly pattern repeats: 22 weekdays and 9 weekend days in March 2026
  // give 2650.00 whichever day the forecast is made on.
  const int64_t first = Day(2026, 1, 5);
  const auto costs = Costs(first, Day(2026, 3, 31));
  auto st = EvaluateBudget(Spec("3000", {}), first, costs, Day(2026, 3, 4));
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  EXPECT_EQ(st->actual.ToString(), "350.00");
  EXPECT_EQ(st->forecast.ToString(), "2650.00");
  ASSERT_EQ(st->daily_forecast.size(), 27u);
  EXPECT_EQ(st->daily_forecast[0].ToString(), "100.00");  // Thursday 5
  EXPECT_EQ(st->daily_forecast[2].ToString(), "50.00");   // Saturday 7

  // After the spike: level = (1200 + 1000) / 14 over the last two weeks; over the last 8 weeks
  // (5800.00) Thursdays carry 1800 * 7 / 5800, other weekdays 800 * 7 / 5800, weekend days
  // 400 * 7 / 5800: rates 341.38, 151.72 and 75.86. From the 11th: 3 Thursdays, 12 other
  // weekdays, 6 weekend days; 1850 + 1024.14 + 1820.64 + 455.16.
  st = EvaluateBudget(Spec("3000", {}), first, costs, Day(2026, 3, 10));
  EXPECT_EQ(st->actual.ToString(), "1850.00");
  EXPECT_EQ(st->forecast.ToString(), "5149.94");
  EXPECT_NEAR(st->actual_percent, 61.6667, 1e-4);
  EXPECT_NEAR(st->forecast_percent, 171.6647, 1e-4);
  EXPECT_EQ(st->daily_forecast.front().ToString(), "151.72");  // Wednesday 11
  EXPECT_EQ(st->daily_forecast[1].ToString(), "341.38");       // Thursday 12
  EXPECT_EQ(st->daily_forecast[3].ToString(), "75.86");        // Saturday 14
}

TEST(BudgetTest, ThresholdsAndTheirFirstDay) {
  const int64_t first = Day(2026, 1, 5);
  const auto costs = Costs(first, Day(2026, 3, 31));
  auto st = EvaluateBudget(Spec("3000", {{50, ThresholdBasis::kActual},
                                         {100, ThresholdBasis::kActual},
                                         {80, ThresholdBasis::kForecast},
                                         {100, ThresholdBasis::kForecast},
                                         {33.333333, ThresholdBasis::kActual}}),
                           first, costs, Day(2026, 3, 10));
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->thresholds.size(), 5u);
  // 50% of 3000: the cumulative actual passes 1500 on the 6th (1450 through the 5th).
  EXPECT_EQ(st->thresholds[0].limit.ToString(), "1500.00");
  EXPECT_EQ(st->thresholds[0].first_crossed_day, Day(2026, 3, 6));
  EXPECT_FALSE(st->thresholds[1].first_crossed_day.has_value());
  // 80% forecast: 2650 >= 2400 from the first day; 100%: 5356.82 as of the 5th.
  EXPECT_EQ(st->thresholds[2].first_crossed_day, Day(2026, 3, 1));
  EXPECT_EQ(st->thresholds[3].first_crossed_day, Day(2026, 3, 5));
  EXPECT_EQ(st->thresholds[4].limit.ToExactString(), "999.99999");
  EXPECT_EQ(st->thresholds[4].first_crossed_day, Day(2026, 3, 5));

  // As of the 4th nothing above 80% forecast has happened yet.
  st = EvaluateBudget(Spec("3000", {{100, ThresholdBasis::kForecast}}), first, costs,
                      Day(2026, 3, 4));
  EXPECT_FALSE(st->thresholds[0].first_crossed_day.has_value());
  // Reaching the limit exactly counts.
  st = EvaluateBudget(Spec("2650", {{100, ThresholdBasis::kForecast}}), first, costs,
                      Day(2026, 3, 1));
  EXPECT_EQ(st->thresholds[0].first_crossed_day, Day(2026, 3, 1));
}

TEST(BudgetTest, DefaultThresholdsQuarterAndShortHistory) {
  const int64_t first = Day(2026, 1, 5);
  const auto costs = Costs(first, Day(2026, 3, 31));
  BudgetSpec spec = Spec("10000", {});
  spec.period = BudgetPeriod::kQuarterly;
  auto st = EvaluateBudget(spec, first, costs, Day(2026, 2, 1));
  ASSERT_EQ(st->thresholds.size(), 3u);
  EXPECT_EQ(st->thresholds[0].threshold.percent, 80);
  EXPECT_EQ(st->period.start_day, Day(2026, 1, 1));
  // Jan 5 .. Feb 1: 4 weeks, 2400.00; Feb 2 .. Mar 31: 42 weekdays and 16 weekend days.
  EXPECT_EQ(st->actual.ToString(), "2400.00");
  EXPECT_EQ(st->forecast.ToString(), "7400.00");

  // Three days of data: a flat rate of their mean (20.00) for the 21 days left.
  const std::vector<Amount> few = {Amount::Cents(1000), Amount::Cents(2000), Amount::Cents(3000)};
  st = EvaluateBudget(Spec("1000", {}), Day(2026, 3, 8), few, Day(2026, 3, 10));
  EXPECT_EQ(st->actual.ToString(), "60.00");
  EXPECT_EQ(st->forecast.ToString(), "480.00");
  // No data at all: nothing spent, nothing forecast; days after as_of are ignored.
  st = EvaluateBudget(Spec("1000", {}), Day(2026, 3, 20), few, Day(2026, 3, 10));
  EXPECT_TRUE(st->forecast.is_zero());
  st = EvaluateBudget(Spec("1000", {}), Day(2026, 3, 8), few, Day(2026, 3, 8));
  EXPECT_EQ(st->actual.ToString(), "10.00");
  // The last day of the period: the forecast is the actual.
  st = EvaluateBudget(Spec("1000", {}), first, costs, Day(2026, 3, 31));
  EXPECT_TRUE(st->daily_forecast.empty());
  EXPECT_EQ(st->forecast, st->actual);
}

TEST(BudgetTest, Errors) {
  const std::vector<Amount> none;
  EXPECT_EQ(EvaluateBudget(Spec("0", {}), 0, none, 0).error().message,
            "budget payments-monthly: amount must be > 0");
  EXPECT_FALSE(EvaluateBudget(Spec("10", {{0, ThresholdBasis::kActual}}), 0, none, 0).ok());
  ForecastOptions o;
  o.season_weeks = 0;
  EXPECT_FALSE(EvaluateBudget(Spec("10", {}), 0, none, 0, o).ok());
}

}  // namespace
}  // namespace plinth::cost
