// Unit tests of burn-rate alerts (burn.h): Sloth's AlertWindows, the conditions at an instant
// and the alert history.

#include "slo/burn.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "base/time.h"
#include "base/yaml.h"
#include "slo/rules.h"

namespace plinth::slo {
namespace {

constexpr int64_t kT0 = 29'520'000;  // 2026-02-15T08:00Z in epoch minutes

std::vector<MinutePoint> Steady(int64_t from, int64_t n, double good, double total) {
  std::vector<MinutePoint> v;
  for (int64_t i = 0; i < n; ++i) v.push_back({from + i, good, total});
  return v;
}

SloParams Rolling30d(double objective) {
  SloParams slo;
  slo.objective = objective;
  slo.window = TimeWindow::Rolling(30 * kMinutesPerDay);
  return slo;
}

std::vector<ConditionKind> Kinds(const Result<std::vector<ActiveCondition>>& r) {
  std::vector<ConditionKind> out;
  for (const ActiveCondition& c : *r) out.push_back(c.kind);
  return out;
}

// Sloth's AlertWindows file at `rel` under the shared data directory, or nullopt without it.
std::optional<AlertWindows> ReadSlothWindows(const char* rel) {
  std::ifstream in(std::filesystem::path(PLINTH_SHARED_DATA_DIR) / "sloth" / rel);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  auto docs = ParseYaml(text.str(), rel);
  if (!docs.ok()) return std::nullopt;
  const Json& spec = (*docs)[0].value["spec"];
  AlertWindows w;
  w.period_minutes = *ParseMinutes(spec["sloPeriod"].get<std::string>());
  auto rule = [&](const char* severity, const char* speed) {
    const Json& r = spec[severity][speed];
    return BurnWindow{r["errorBudgetPercent"].get<double>(),
                      *ParseMinutes(r["shortWindow"].get<std::string>()),
                      *ParseMinutes(r["longWindow"].get<std::string>())};
  };
  w.page_quick = rule("page", "quick");
  w.page_slow = rule("page", "slow");
  w.ticket_quick = rule("ticket", "quick");
  w.ticket_slow = rule("ticket", "slow");
  return w;
}

TEST(BurnWindows, MatchSlothCatalogFiles) {
  for (const char* file : {"google-30d.yaml", "google-28d.yaml"}) {
    std::optional<AlertWindows> sloth = ReadSlothWindows(file);
    if (!sloth) GTEST_SKIP() << "no Sloth data at " << PLINTH_SHARED_DATA_DIR;
    EXPECT_EQ(DefaultAlertWindows(sloth->period_minutes), *sloth) << file;
  }
}

TEST(BurnWindows, FactorsAsSlothComputesThem) {
  AlertWindows w30 = DefaultAlertWindows(43200);
  EXPECT_DOUBLE_EQ(w30.Factor(w30.page_quick), 14.4);
  EXPECT_DOUBLE_EQ(w30.Factor(w30.page_slow), 6);
  EXPECT_DOUBLE_EQ(w30.Factor(w30.ticket_quick), 3);
  EXPECT_DOUBLE_EQ(w30.Factor(w30.ticket_slow), 1);
  // Bit for bit as out-base-28d.yaml.tpl: 13.44, 5.6000000000000005, 2.8000000000000003,
  // 0.9333333333333333.
  AlertWindows w28 = DefaultAlertWindows(40320);
  EXPECT_EQ(w28.Factor(w28.page_quick), 13.44);
  EXPECT_EQ(w28.Factor(w28.page_slow), 5.6000000000000005);
  EXPECT_EQ(w28.Factor(w28.ticket_quick), 2.8000000000000003);
  EXPECT_EQ(w28.Factor(w28.ticket_slow), 0.9333333333333333);
  // Sloth's 7d windows file as a per-SLO override; out-base-custom-windows-7d.yaml.tpl has
  // 13.44, 3.5, 1.4000000000000001, 0.98.
  std::optional<AlertWindows> w7 = ReadSlothWindows("03-base-custom-7d/windows-7d.yaml");
  if (!w7) GTEST_SKIP() << "no Sloth data at " << PLINTH_SHARED_DATA_DIR;
  EXPECT_EQ(w7->period_minutes, 10080);
  EXPECT_EQ(w7->Factor(w7->page_quick), 13.44);
  EXPECT_EQ(w7->Factor(w7->page_slow), 3.5);
  EXPECT_EQ(w7->Factor(w7->ticket_quick), 1.4000000000000001);
  EXPECT_EQ(w7->Factor(w7->ticket_slow), 0.98);
  AlertPolicy policy;
  policy.windows = *w7;
  EXPECT_TRUE(ValidatePolicy(policy).ok());
}

TEST(BurnWindows, OtherPeriodsScaleToWholeMinutes) {
  AlertWindows q = DefaultAlertWindows(90 * kMinutesPerDay);
  EXPECT_EQ(q.page_quick, (BurnWindow{2, 15, 180}));
  EXPECT_EQ(q.page_slow, (BurnWindow{5, 90, 1080}));
  EXPECT_EQ(q.ticket_quick, (BurnWindow{10, 360, 4320}));
  EXPECT_EQ(q.ticket_slow, (BurnWindow{10, 1080, 12960}));
  EXPECT_DOUBLE_EQ(q.Factor(q.page_quick), 14.4);
  AlertWindows w = DefaultAlertWindows(7 * kMinutesPerDay);
  EXPECT_EQ(w.page_quick, (BurnWindow{2, 1, 14}));  // 5m * 7/30 = 1m10s -> 1m
  EXPECT_EQ(w.page_slow, (BurnWindow{5, 7, 84}));
  EXPECT_EQ(w.ticket_quick, (BurnWindow{10, 28, 336}));
  EXPECT_EQ(w.ticket_slow, (BurnWindow{10, 84, 1008}));
  AlertWindows d = DefaultAlertWindows(kMinutesPerDay);
  EXPECT_EQ(d.page_quick, (BurnWindow{2, 1, 2}));  // 5m/30 rounds to 0: at least 1 minute
  EXPECT_EQ(d.ticket_slow, (BurnWindow{10, 12, 144}));
  AlertWindows h = DefaultAlertWindows(60);
  EXPECT_EQ(h.page_quick, (BurnWindow{2, 1, 1}));
  EXPECT_DOUBLE_EQ(h.Factor(h.page_quick), 1.2);  // degenerate for so short a period
}

// The alert history must agree with the Prometheus rules generated for the same SLO.
TEST(BurnWindows, SameWindowsAsThePrometheusRules) {
  auto same = [](const AlertWindows& a, const RuleAlertWindows& r) {
    auto rule = [](const BurnWindow& x, const RuleAlertWindow& y) {
      return x.error_budget_percent == y.error_budget_percent &&
             x.short_minutes * kRuleMinuteMs == y.short_window_ms &&
             x.long_minutes * kRuleMinuteMs == y.long_window_ms;
    };
    return a.period_minutes * kRuleMinuteMs == r.slo_period_ms &&
           rule(a.page_quick, r.page_quick) && rule(a.page_slow, r.page_slow) &&
           rule(a.ticket_quick, r.ticket_quick) && rule(a.ticket_slow, r.ticket_slow);
  };
  EXPECT_TRUE(same(DefaultAlertWindows(43200), GoogleWindows30d()));
  EXPECT_TRUE(same(DefaultAlertWindows(40320), GoogleWindows28d()));
  for (int64_t days : {1, 2, 3, 7, 14, 21, 31, 60, 90, 91, 92, 180, 365}) {
    EXPECT_TRUE(same(DefaultAlertWindows(days * kMinutesPerDay), ScaledWindows(days * kRuleDayMs)))
        << days << "d";
  }
}

TEST(BurnPolicy, Validates) {
  AlertPolicy p;
  EXPECT_TRUE(ValidatePolicy(p).ok());
  p.windows = DefaultAlertWindows(43200);
  p.windows->page_slow.short_minutes = 400;
  EXPECT_EQ(ValidatePolicy(p).error().fields.at(0).pointer, "/windows/page_slow/short_minutes");
  p.windows->page_slow.short_minutes = 30;
  p.windows->ticket_quick.error_budget_percent = 0;
  EXPECT_EQ(ValidatePolicy(p).error().fields.at(0).pointer,
            "/windows/ticket_quick/error_budget_percent");
  p.windows.reset();
  p.min_long_window_events = -1;
  EXPECT_FALSE(ValidatePolicy(p).ok());
  p.min_long_window_events = 0;
  p.no_data_minutes = -1;
  EXPECT_FALSE(ValidatePolicy(p).ok());
  EXPECT_FALSE(EvaluateAlerts(Rolling30d(0.999), p, MinuteSeries(), 0).ok());
}

TEST(BurnAlerts, FastBurnPagesAndGuardSilencesLowTraffic) {
  // 3 days of traffic, the last 10 minutes all failing.
  for (double per_minute : {1000.0, 2.0}) {
    std::vector<MinutePoint> p = Steady(kT0, 4320, per_minute, per_minute);
    for (int64_t i = 4310; i < 4320; ++i) p[i].good = 0;
    MinuteSeries s = *MinuteSeries::Build(p);
    AlertPolicy policy;
    auto on = EvaluateAlerts(Rolling30d(0.999), policy, s, (kT0 + 4320) * kMinuteMs);
    ASSERT_TRUE(on.ok());
    ASSERT_FALSE(on->empty());
    EXPECT_EQ(on->front().kind, ConditionKind::kPageQuick);
    EXPECT_EQ(on->front().severity, Severity::kPage);
    EXPECT_NEAR(on->front().long_burn, (10.0 / 60) / 0.001, 1e-6);
    EXPECT_NEAR(on->front().short_burn, 1000, 1e-6);
    EXPECT_EQ(on->front().long_events, 60 * per_minute);
    policy.min_long_window_events = 1000;
    auto guarded = EvaluateAlerts(Rolling30d(0.999), policy, s, (kT0 + 4320) * kMinuteMs);
    bool page = false;
    for (const ActiveCondition& c : *guarded) page |= c.severity == Severity::kPage;
    EXPECT_EQ(page, per_minute == 1000.0) << per_minute;  // 120 events in 1h at 2/min
  }
}

TEST(BurnAlerts, StrictlyAboveTheFactor) {
  // Error ratio exactly at 14.4 * 0.1% (every minute 1.44% bad) does not page; above does.
  for (auto [bad, pages] : {std::pair{1440.0, false}, std::pair{1441.0, true}}) {
    std::vector<MinutePoint> p = Steady(kT0, 120, 100000 - bad, 100000);
    MinuteSeries s = *MinuteSeries::Build(p);
    AlertPolicy policy;
    policy.budget_exhausted = false;
    auto r = EvaluateAlerts(Rolling30d(0.999), policy, s, (kT0 + 120) * kMinuteMs);
    bool quick = !r->empty() && r->front().kind == ConditionKind::kPageQuick;
    EXPECT_EQ(quick, pages) << bad;
  }
}

TEST(BurnAlerts, BudgetExhaustedAndNoData) {
  std::vector<MinutePoint> p = Steady(kT0, 600, 99, 100);  // burn 10 for 10 hours
  MinuteSeries s = *MinuteSeries::Build(p);
  SloParams slo = Rolling30d(0.999);
  AlertPolicy policy;
  auto r = EvaluateAlerts(slo, policy, s, (kT0 + 600) * kMinuteMs);
  EXPECT_EQ(Kinds(r), (std::vector{ConditionKind::kPageSlow, ConditionKind::kTicketQuick,
                                   ConditionKind::kTicketSlow, ConditionKind::kBudgetExhausted}));
  EXPECT_NEAR(r->back().remaining_ratio, -9, 1e-9);
  policy.budget_exhausted = false;
  // 40 minutes after the data stops: page-slow's 30m window has nothing to judge.
  auto later = EvaluateAlerts(slo, policy, s, (kT0 + 640) * kMinuteMs);
  EXPECT_EQ(Kinds(later), (std::vector{ConditionKind::kTicketQuick, ConditionKind::kTicketSlow,
                                       ConditionKind::kNoData}));
  policy.no_data_minutes = 0;
  EXPECT_EQ(EvaluateAlerts(slo, policy, s, (kT0 + 640) * kMinuteMs)->size(), 2u);
  policy.no_data_minutes = 60;
  EXPECT_EQ(EvaluateAlerts(slo, policy, s, (kT0 + 640) * kMinuteMs)->size(), 2u);
}

TEST(BurnHistory, AgreesWithEvaluateAlertsEveryMinute) {
  std::mt19937 rng(3);
  std::vector<MinutePoint> p;
  for (int64_t m = kT0; m < kT0 + 2000; ++m) {
    if ((m / 97) % 5 == 0) continue;  // stretches without data
    double total = 100;
    double bad = (m / 50) % 4 == 0 ? static_cast<double>(rng() % 10) : 0;
    p.push_back({m, total - bad, total});
  }
  SloParams slo;
  slo.objective = 0.99;
  slo.method = BudgetingMethod::kTimeslices;
  slo.slice = {5, 0.95};
  slo.window = TimeWindow::Rolling(kMinutesPerDay);
  MinuteSeries s = *MinuteSeries::Build(p, slo.slice);
  AlertPolicy policy;
  const int64_t from = (kT0 + 100) * kMinuteMs + 30'000;  // not on a minute
  const int64_t to = (kT0 + 1900) * kMinuteMs + 15'000;
  auto h = AlertHistory(slo, policy, s, from, to);
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(h->empty());
  for (int64_t t = kT0 + 100; t <= kT0 + 1900; ++t) {
    auto now = EvaluateAlerts(slo, policy, s, t * kMinuteMs);
    std::vector<bool> active(6, false);
    for (const ActiveCondition& c : *now) active[static_cast<size_t>(c.kind)] = true;
    std::vector<bool> in_history(6, false);
    for (const AlertInterval& a : *h) {
      int64_t probe = std::max(from, t * kMinuteMs);
      if (a.start_ms <= probe && probe < a.end_ms) in_history[static_cast<size_t>(a.kind)] = true;
    }
    ASSERT_EQ(active, in_history) << FormatRfc3339(t * kMinuteMs);
  }
  for (const AlertInterval& a : *h) {
    EXPECT_GE(a.start_ms, from);
    EXPECT_LE(a.end_ms, to);
    EXPECT_EQ(a.ongoing, a.end_ms == to);
  }
  EXPECT_FALSE(AlertHistory(slo, policy, s, 0, 401 * kMinutesPerDay * kMinuteMs).ok());
  EXPECT_TRUE(AlertHistory(slo, policy, s, to, from)->empty());
}

TEST(BurnHistory, CalendarBudgetResetsAtPeriodStart) {
  // A month in Europe/Berlin overspent by the 31st; April starts afresh at 22:00Z.
  SloParams slo;
  slo.objective = 0.999;
  CalendarSpec cal;
  cal.unit = CalendarUnit::kMonth;
  cal.zone = "Europe/Berlin";
  slo.window = TimeWindow::Calendar(cal);
  const int64_t april = *ParseRfc3339("2026-03-31T22:00:00Z") / kMinuteMs;
  MinuteSeries s = *MinuteSeries::Build(Steady(april - 600, 1200, 998, 1000));
  AlertPolicy policy;
  policy.windows = DefaultAlertWindows(43200);
  policy.windows->ticket_slow = {100, 4320, 4320};  // keep the slow rules out of the way
  policy.windows->ticket_quick = {100, 4320, 4320};
  policy.windows->page_slow = {100, 4320, 4320};
  policy.windows->page_quick = {100, 4320, 4320};
  auto h = AlertHistory(slo, policy, s, (april - 60) * kMinuteMs, (april + 60) * kMinuteMs);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ(FormatRfc3339(h->at(0).start_ms), "2026-03-31T21:00:00Z");
  EXPECT_EQ(FormatRfc3339(h->at(0).end_ms), "2026-03-31T22:00:00Z");
  EXPECT_EQ(h->at(0).kind, ConditionKind::kBudgetExhausted);
  EXPECT_EQ(FormatRfc3339(h->at(1).start_ms), "2026-03-31T22:01:00Z");  // April's first minute
  EXPECT_TRUE(h->at(1).ongoing);
}

}  // namespace
}  // namespace plinth::slo
