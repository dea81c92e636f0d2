#include "cost/unit_cost.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <cmath>

namespace plinth::cost {
namespace {

int64_t Day(int y, unsigned m, unsigned d) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count();
}

TEST(UnitCostTest, MonthlyUnitCostChangeAndCoverage) {
  // 10.00 a day from 2026-01-30 to 2026-04-03. Requests: none in January, 1000 a day in
  // February, 800 a day in March except the 10th and 11th, 0 on April 1-3.
  const int64_t first = Day(2026, 1, 30), last = Day(2026, 4, 3);
  std::vector<Amount> cost(last - first + 1, Amount::Cents(1000));
  std::vector<MetricPoint> metric;
  for (int64_t d = Day(2026, 2, 1); d <= last; ++d) {
    if (d == Day(2026, 3, 10) || d == Day(2026, 3, 11)) continue;
    const double v = d < Day(2026, 3, 1) ? 1000 : d < Day(2026, 4, 1) ? 800 : 0;
    if (d < Day(2026, 3, 1)) {  // February's 1000 arrives as two pushes a day
      metric.push_back({d, v / 2});
      metric.push_back({d, v / 2});
    } else {
      metric.push_back({d, v});
    }
  }
  metric.push_back({Day(2026, 5, 1), 5});  // outside the series: ignored

  auto months = MonthlyUnitCost(first, cost, metric, 1000);
  ASSERT_TRUE(months.ok()) << months.error().ToString();
  ASSERT_EQ(months->size(), 4u);
  const UnitCostMonth& jan = (*months)[0];
  EXPECT_EQ(jan.month_start_day, Day(2026, 1, 1));
  EXPECT_EQ(jan.days, 2);
  EXPECT_EQ(jan.metric_days, 0);
  EXPECT_EQ(jan.cost.ToString(), "20.00");
  EXPECT_FALSE(jan.unit_cost.has_value());
  EXPECT_EQ(jan.coverage_percent, 0);

  const UnitCostMonth& feb = (*months)[1];
  EXPECT_EQ(feb.days, 28);
  EXPECT_EQ(feb.metric_total, 28000);
  EXPECT_EQ(feb.unit_cost->ToString(), "10.00");  // 280.00 * 1000 / 28000
  EXPECT_FALSE(feb.change_percent.has_value());   // January has none
  EXPECT_TRUE(feb.missing_days.empty());

  const UnitCostMonth& mar = (*months)[2];
  EXPECT_EQ(mar.cost.ToString(), "310.00");
  EXPECT_EQ(mar.matched_cost.ToString(), "290.00");  // the two days without requests left out
  EXPECT_EQ(mar.metric_total, 23200);
  EXPECT_EQ(mar.unit_cost->ToExactString(), "12.5");
  EXPECT_DOUBLE_EQ(*mar.change_percent, 25);
  EXPECT_EQ(mar.missing_days, (std::vector<int64_t>{Day(2026, 3, 10), Day(2026, 3, 11)}));
  EXPECT_NEAR(mar.coverage_percent, 93.548387, 1e-6);

  const UnitCostMonth& apr = (*months)[3];
  EXPECT_EQ(apr.days, 3);
  EXPECT_EQ(apr.metric_days, 3);  // zeros are data
  EXPECT_EQ(apr.coverage_percent, 100);
  EXPECT_FALSE(apr.unit_cost.has_value());  // 30.00 / 0 requests: no value
  EXPECT_FALSE(apr.change_percent.has_value());
}

TEST(UnitCostTest, ExactAndFractionalDivision) {
  const int64_t d = Day(2026, 3, 1);
  const std::vector<Amount> cost = {Amount::Cents(100000)};
  auto m = MonthlyUnitCost(d, cost, std::vector<MetricPoint>{{d, 3}});
  EXPECT_EQ((*m)[0].unit_cost->ToExactString(), "333.333333333333333333");
  m = MonthlyUnitCost(d, cost, std::vector<MetricPoint>{{d, 6}});
  EXPECT_EQ((*m)[0].unit_cost->ToExactString(), "166.666666666666666667");
  m = MonthlyUnitCost(d, cost, std::vector<MetricPoint>{{d, 0.25}}, 1);
  EXPECT_EQ((*m)[0].unit_cost->ToExactString(), "4000");
  m = MonthlyUnitCost(d, cost, std::vector<MetricPoint>{{d, 1e-300}});
  EXPECT_FALSE((*m)[0].unit_cost.has_value());  // does not fit: no value rather than garbage
  // A zero unit cost has no change after it; a credit month still has a (negative) unit cost.
  const std::vector<Amount> two = {Amount(), -Amount::Cents(500)};
  m = MonthlyUnitCost(Day(2026, 2, 28), two,
                      std::vector<MetricPoint>{{Day(2026, 2, 28), 10}, {d, 10}});
  EXPECT_TRUE((*m)[0].unit_cost->is_zero());
  EXPECT_EQ((*m)[1].unit_cost->ToString(), "-0.50");
  EXPECT_FALSE((*m)[1].change_percent.has_value());
  EXPECT_TRUE(MonthlyUnitCost(d, {}, {})->empty());
}

TEST(UnitCostTest, Errors) {
  const int64_t d = Day(2026, 3, 1);
  const std::vector<Amount> cost = {Amount::Cents(100)};
  EXPECT_EQ(MonthlyUnitCost(d, cost, std::vector<MetricPoint>{{d, -1}}).error().message,
            "unit cost: the metric on 2026-03-01 must be a finite number >= 0");
  EXPECT_FALSE(MonthlyUnitCost(d, cost, std::vector<MetricPoint>{{d, std::nan("")}}).ok());
  EXPECT_FALSE(MonthlyUnitCost(d, cost, std::vector<MetricPoint>{{d, HUGE_VAL}}).ok());
  EXPECT_FALSE(MonthlyUnitCost(d, cost, {}, 0).ok());
}

}  // namespace
}  // namespace plinth::cost
