#include "slo/definition.h"

#include <gtest/gtest.h>

namespace plinth::slo {
namespace {

Json Doc(Json spec) {
  return {{"apiVersion", "plinth/v1"}, {"kind", "SLO"}, {"metadata", {{"name", "s"}}},
          {"spec", spec}};
}

TEST(DefinitionTest, RatioLatencyAndCalendar) {
  SloDefinition d = FromDocument(Doc({{"service", "api"},
                                      {"objective", 0.99},
                                      {"window", {{"calendar", "month"}, {"timeZone", "UTC"}}},
                                      {"indicator", {{"latency", {{"metric", "h"},
                                                                  {"selector", "job=\"a\""},
                                                                  {"threshold", 0.25}}}}},
                                      {"dataSource", "p"}}));
  EXPECT_EQ(d.indicator.kind, Indicator::kLatency);
  EXPECT_EQ(d.indicator.TotalQuery(), "sum(rate(h_count{job=\"a\"}[{{.window}}]))");
  EXPECT_EQ(d.indicator.ErrorQuery(),
            "(sum(rate(h_count{job=\"a\"}[{{.window}}]))) - "
            "(sum(rate(h_bucket{job=\"a\",le=\"0.25\"}[{{.window}}])))");
  ASSERT_TRUE(d.params.window.calendar.has_value());
  EXPECT_EQ(d.params.window.calendar->unit, CalendarUnit::kMonth);
  EXPECT_EQ(d.data_source, "p");

  SloDefinition r = FromDocument(Doc({{"service", "api"},
                                      {"objective", 0.999},
                                      {"window", "7d"},
                                      {"indicator", {{"ratio", {{"good", "g"}, {"total", "t"}}}}}}));
  EXPECT_EQ(r.indicator.ErrorQuery(), "(t) - (g)");
  EXPECT_EQ(r.params.window.rolling_minutes, 7 * 1440);
  EXPECT_FALSE(r.alerting.windows.has_value());
}

TEST(DefinitionTest, AlertWindowOverrides) {
  Json windows = {{"pageQuick", {{"budgetPercent", 8}, {"shortWindow", "5m"}, {"longWindow", "1h"}}},
                  {"pageSlow", {{"budgetPercent", 12.5}, {"shortWindow", "30m"}, {"longWindow", "6h"}}},
                  {"ticketQuick", {{"budgetPercent", 20}, {"shortWindow", "2h"}, {"longWindow", "1d"}}},
                  {"ticketSlow", {{"budgetPercent", 42}, {"shortWindow", "6h"}, {"longWindow", "3d"}}}};
  SloDefinition d = FromDocument(Doc({{"service", "api"},
                                      {"objective", 0.99},
                                      {"window", "7d"},
                                      {"indicator", {{"pushed", Json::object()}}},
                                      {"alerting", {{"windows", windows}, {"minEvents", 50}}}}));
  ASSERT_TRUE(d.alerting.windows.has_value());
  const AlertWindows& w = *d.alerting.windows;
  EXPECT_EQ(w.period_minutes, 7 * 1440);
  EXPECT_EQ(w.page_quick.long_minutes, 60);
  EXPECT_DOUBLE_EQ(w.Factor(w.page_quick), 0.08 * 168);  // 8% of a week's budget in an hour
  EXPECT_EQ(w.ticket_slow.short_minutes, 360);
  EXPECT_DOUBLE_EQ(d.alerting.min_long_window_events, 50);
  EXPECT_TRUE(ValidatePolicy(d.alerting).ok());
}

}  // namespace
}  // namespace plinth::slo
