// The attainment report: period parsing, one SLO judged over a period, and the whole report
// from the catalog and stored minutes on every backend, as JSON, CSV and HTML.

#include "reliability/report.h"

#include <gtest/gtest.h>

#include "base/time.h"
#include "catalog/apply.h"
#include "reliability/sli_store.h"
#include "store/test_fixture.h"

namespace plinth::reliability {
namespace {

int64_t Ms(const char* rfc3339) { return *ParseRfc3339(rfc3339); }
int64_t Minute(const char* rfc3339) { return Ms(rfc3339) / 60000; }

TEST(ReportPeriodTest, MonthsAndQuarters) {
  auto m = ParseReportPeriod("2026-11");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->from_ms, Ms("2026-11-01T00:00:00Z"));
  EXPECT_EQ(m->to_ms, Ms("2026-12-01T00:00:00Z"));
  auto dec = ParseReportPeriod("2026-12");
  EXPECT_EQ(dec->to_ms, Ms("2027-01-01T00:00:00Z"));
  auto q = ParseReportPeriod("2026Q4");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->from_ms, Ms("2026-10-01T00:00:00Z"));
  EXPECT_EQ(q->to_ms, Ms("2027-01-01T00:00:00Z"));
  EXPECT_EQ(ParseReportPeriod("2027Q1")->from_ms, Ms("2027-01-01T00:00:00Z"));
  EXPECT_EQ(ParseReportPeriod("2027Q1")->to_ms, Ms("2027-04-01T00:00:00Z"));
  for (const char* bad : {"", "2026", "2026-13", "2026-00", "2026-1", "2026Q0", "2026Q5",
                          "2026q4", "26-11", "2026-11-01", "1969-12", "2026-1x"}) {
    auto r = ParseReportPeriod(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().fields.at(0).pointer, "/period");
  }
  EXPECT_EQ(ParseReportPeriod("x").error().fields.at(0).message,
            "period: expected a month such as 2026-11 or a quarter such as 2026Q4 (got \"x\")");
}

slo::SloDefinition Def(double objective) {
  slo::SloDefinition d;
  d.name = "api";
  d.params.objective = objective;
  d.params.window = slo::TimeWindow::Rolling(28 * slo::kMinutesPerDay);
  return d;
}

TEST(ReportPeriodTest, EvaluatesThePeriodNotTheSloWindow) {
  ReportPeriod nov = *ParseReportPeriod("2026-11");
  // 1000 events a minute on 1 November and on 2 December; 10 bad ones in November.
  std::vector<slo::MinutePoint> points;
  int64_t first = Minute("2026-11-01T00:00:00Z");
  for (int64_t m = first; m < first + 1440; ++m) points.push_back({m, 1000, 1000});
  points[100].good = 990;
  int64_t dec = Minute("2026-12-02T00:00:00Z");
  points.push_back({dec, 0, 1000});  // outside the period: ignored
  auto series = *slo::MinuteSeries::Build(points);

  SloAttainment a = EvaluatePeriod(Def(0.9999), series, nov, Ms("2027-01-01T00:00:00Z"));
  ASSERT_TRUE(a.attainment);
  EXPECT_DOUBLE_EQ(*a.attainment, 1 - 10.0 / 1440000);
  EXPECT_EQ(a.met, true);
  // Budget: 0.0001 * 1,440,000 = 144 events, 10 spent.
  EXPECT_NEAR(*a.budget_remaining, 1 - 10.0 / 144, 1e-12);

  EXPECT_EQ(EvaluatePeriod(Def(0.999999), series, nov, Ms("2027-01-01T00:00:00Z")).met, false);

  // A period in progress counts up to now; before it starts there is no data.
  SloAttainment early = EvaluatePeriod(Def(0.9999), series, nov, Ms("2026-11-01T02:00:00Z"));
  EXPECT_DOUBLE_EQ(*early.attainment, 1 - 10.0 / 120000);
  SloAttainment none = EvaluatePeriod(Def(0.9999), series, nov, Ms("2026-10-01T00:00:00Z"));
  EXPECT_FALSE(none.attainment);
  EXPECT_FALSE(none.met);
  EXPECT_FALSE(none.budget_remaining);
}

class ReportStoreTest : public store::testing::StoreFixture {};

constexpr const char* kCatalog = R"(apiVersion: plinth/v1
kind: Team
metadata: {name: pay}
---
apiVersion: plinth/v1
kind: Service
metadata: {name: payments-api}
spec: {owner: pay, tier: 1}
---
apiVersion: plinth/v1
kind: Service
metadata: {name: fraud-scoring}
spec: {owner: pay, tier: 2}
---
apiVersion: plinth/v1
kind: Service
metadata: {name: ledger}
spec: {owner: pay, tier: 1}
---
apiVersion: plinth/v1
kind: SLO
metadata: {name: payments-availability, title: "Payments <available>"}
spec: {service: payments-api, objective: 0.75, window: 30d, indicator: {pushed: {}}}
---
apiVersion: plinth/v1
kind: SLO
metadata: {name: payments-latency}
spec: {service: payments-api, objective: 0.875, window: 30d, indicator: {pushed: {}}}
---
apiVersion: plinth/v1
kind: SLO
metadata: {name: ledger-writes}
spec:
  service: ledger
  objective: 0.99
  window: {calendar: month, timeZone: Europe/Berlin}
  budgetingMethod: timeslices
  timeslice: {length: 1h, target: 0.9}
  indicator: {pushed: {}}
---
apiVersion: plinth/v1
kind: SLO
metadata: {name: fraud-scores}
spec: {service: fraud-scoring, objective: 0.95, window: 7d, indicator: {pushed: {}}}
)";

TEST_P(ReportStoreTest, BuildsTheReportFromCatalogAndMinutes) {
  ReportPeriod nov = *ParseReportPeriod("2026-11");
  int64_t first = Minute("2026-11-01T00:00:00Z");
  auto written = store_->Write([&](store::Tx& tx) -> Status {
    PLINTH_ASSIGN_OR_RETURN(auto set, catalog::LoadManifestFiles({{"c.yaml", kCatalog}}));
    PLINTH_ASSIGN_OR_RETURN(auto plan, catalog::Apply(tx, set, false, "test", 0));
    (void)plan;
    // Objectives exact in binary, so the CSV's shortest decimals are exact too.
    // availability: 250 bad of 2000 = 0.875 >= 0.75, met, half the budget (500) left;
    // latency: 500 bad of 2000 = 0.75 < 0.875, missed, budget (250) overspent twice.
    PLINTH_ASSIGN_OR_RETURN(int64_t a, UpsertMinutes(tx, "payments-availability",
                                                     {{first, 875, 1000}, {first + 1, 875, 1000}}));
    PLINTH_ASSIGN_OR_RETURN(int64_t b, UpsertMinutes(tx, "payments-latency",
                                                     {{first, 500, 1000}, {first + 1, 1000, 1000}}));
    (void)a;
    (void)b;
    // Ledger: one good hour in the month -> one good slice, nothing of the budget spent.
    std::vector<slo::MinutePoint> hour;
    for (int64_t m = first; m < first + 60; ++m) hour.push_back({m, 10, 10});
    PLINTH_ASSIGN_OR_RETURN(int64_t c, UpsertMinutes(tx, "ledger-writes", hour));
    (void)c;
    return Status();
  });
  ASSERT_TRUE(written.ok()) << written.error().ToString();

  auto report = store_->Read([&](store::Tx& tx) {
    return BuildReport(tx, nov, Ms("2026-12-05T00:00:00Z"));
  });
  ASSERT_TRUE(report.ok()) << report.error().ToString();

  Json json = ReportJson(*report);
  EXPECT_EQ(json["period"], "2026-11");
  EXPECT_EQ(json["from"], "2026-11-01T00:00:00Z");
  EXPECT_EQ(json["to"], "2026-12-01T00:00:00Z");
  ASSERT_EQ(json["services"].size(), 3u);
  EXPECT_EQ(json["services"][0]["service"], "ledger");
  EXPECT_EQ(json["services"][1]["service"], "payments-api");
  EXPECT_EQ(json["services"][2]["service"], "fraud-scoring");
  EXPECT_EQ(json["services"][1]["team"], "pay");
  EXPECT_EQ(json["services"][1]["tier"], 1);
  const Json& avail = json["services"][1]["slos"][0];
  EXPECT_EQ(avail["slo"], "payments-availability");
  EXPECT_EQ(avail["met"], true);
  EXPECT_EQ(avail["attainment"], 0.875);
  EXPECT_EQ(avail["budget_remaining"], 0.5);
  EXPECT_TRUE(json["services"][2]["slos"][0]["attainment"].is_null());
  EXPECT_TRUE(json["services"][2]["slos"][0]["met"].is_null());
  EXPECT_EQ(json["tiers"], Json::parse(R"([
      {"tier": 1, "slos": 3, "met": 2, "missed": 1, "no_data": 0},
      {"tier": 2, "slos": 1, "met": 0, "missed": 0, "no_data": 1}])"));

  EXPECT_EQ(ReportCsv(*report),
            "service,team,tier,slo,objective,attainment,met,budget_remaining\r\n"
            "ledger,pay,1,ledger-writes,0.99,1,true,1\r\n"
            "payments-api,pay,1,payments-availability,0.75,0.875,true,0.5\r\n"
            "payments-api,pay,1,payments-latency,0.875,0.75,false,-1\r\n"
            "fraud-scoring,pay,2,fraud-scores,0.95,,,\r\n");

  std::string html = ReportHtml(*report, Ms("2026-12-05T00:00:00Z"));
  EXPECT_NE(html.find("<title>SLO attainment report 2026-11</title>"), std::string::npos);
  EXPECT_NE(html.find("Payments &lt;available&gt; (payments-availability)"), std::string::npos);
  EXPECT_EQ(html.find("<available>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);  // no external assets
  EXPECT_NE(html.find("<td class=\"num\">75.000%</td><td><span class=\"missed\">missed"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportStoreTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

}  // namespace
}  // namespace plinth::reliability
