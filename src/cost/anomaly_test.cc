// Anomaly detection on generated daily cost: weekday/weekend seasonality with a trend and
// seeded multiplicative noise, with spikes and steps injected at known days. Properties here;
// scenarios in the golden corpus tests/golden/cost-anomaly/, where each folder's input.yaml is
//   series:   start (YYYY-MM-DD) and either values (decimal strings, one per day) or a
//             generator: days, weekday (cost of a weekday at the start), weekend (factor,
//             default 0.4), trend (percent per day, default 0.3), noise (percent, default 5),
//             seed, inject [{from, to, factor}] (dates, inclusive)
//   options:  min_impact (decimal), min_impact_percent, direction (increase | decrease |
//             both), band_sigmas, history_days, min_history_days, max_anomaly_days,
//             feedback_horizon_days
//   feedback: [{from, to, kind}] (expected | unexpected | planned)
//   show:     {from, to}: also print the model's view of those days
// and expected.txt is the detection, compared exactly. PLINTH_UPDATE_GOLDEN=1 rewrites it.

#include "cost/anomaly.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>

#include "base/time.h"
#include "base/yaml.h"
#include "store/golden.h"

namespace plinth::cost {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kMonday = 19723;  // 2024-01-01

struct Injection {
  int64_t from, to;  // day numbers, inclusive
  double factor;
};

struct Generator {
  int64_t start = kMonday;
  int days = 730;
  double weekday = 1000;  // a weekday's cost on the first day
  double weekend = 0.4;   // weekend cost / weekday cost
  double trend = 0.3;     // percent per day, compounded
  double noise = 5;       // multiplicative, uniform in +-noise percent
  uint64_t seed = 42;
  std::vector<Injection> inject;

  // The noise-free cost of day index t, before injections.
  double Truth(int t) const {
    double x = weekday * std::pow(1 + trend / 100, t);
    return IsoWeekday(start + t) >= 5 ? x * weekend : x;
  }

  // mt19937_64 is fully specified, and the uniform draw is made by hand, so the series is the
  // same on every platform.
  CostSeries Make() const {
    CostSeries s{"service", "AmazonEC2", "USD", start, {}};
    std::mt19937_64 rng(seed);
    for (int t = 0; t < days; ++t) {
      const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
      double x = Truth(t) * (1 + noise / 100 * (2 * u - 1));
      for (const Injection& in : inject) {
        if (start + t >= in.from && start + t <= in.to) x *= in.factor;
      }
      s.daily.push_back(Amount::Cents(std::llround(x * 100)));
    }
    return s;
  }
};

std::vector<Anomaly> Alerts(const DetectionResult& r) {
  std::vector<Anomaly> out;
  for (const Anomaly& a : r.anomalies) {
    if (!a.suppressed) out.push_back(a);
  }
  return out;
}

TEST(AnomalyTest, FindsInjectedSpikesAndStepsButNotWeekendsOrMondays) {
  Generator g;
  // Day 401 is a Wednesday; the step runs Thursday 500 to Monday 504; 607 is a Saturday, 616
  // a Monday and 622 a Sunday.
  g.inject = {{kMonday + 401, kMonday + 401, 3},
              {kMonday + 500, kMonday + 504, 1.8},
              {kMonday + 607, kMonday + 607, 3},
              {kMonday + 616, kMonday + 616, 3},
              {kMonday + 622, kMonday + 622, 3}};
  auto r = DetectAnomalies(g.Make(), {});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->anomalies.size(), 5u);
  const int64_t starts[] = {401, 500, 607, 616, 622}, ends[] = {401, 504, 607, 616, 622};
  for (size_t k = 0; k < 5; ++k) {
    const Anomaly& a = r->anomalies[k];
    EXPECT_EQ(a.start_day, kMonday + starts[k]) << k;
    EXPECT_EQ(a.end_day, kMonday + ends[k]) << k;
    EXPECT_TRUE(a.increase);
    EXPECT_FALSE(a.suppressed);
    EXPECT_GT(*a.impact_percent, 60);
    EXPECT_EQ(a.impact, a.actual - a.expected);
  }
  EXPECT_EQ(r->days.size(), 730u);
  EXPECT_EQ(r->days[13].status, DayStatus::kUnjudged);
  EXPECT_EQ(r->days[14].status, DayStatus::kNormal);
}

TEST(AnomalyTest, SeasonalSeriesHasNoAnomaliesAndExpectedTracksTheTruth) {
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    Generator g;
    g.seed = seed;
    auto r = DetectAnomalies(g.Make(), {});
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->anomalies.empty()) << "seed " << seed;
    double worst = 0, bias = 0;
    for (size_t t = 14; t < r->days.size(); ++t) {
      const double e = r->days[t].expected->ToDouble() / g.Truth(static_cast<int>(t)) - 1;
      worst = std::max(worst, std::fabs(e));
      bias += e / static_cast<double>(r->days.size() - 14);
    }
    EXPECT_LT(worst, 0.08) << "seed " << seed;  // the noise alone is +-5%
    EXPECT_LT(std::fabs(bias), 0.01) << "seed " << seed;
  }
}

TEST(AnomalyTest, BothThresholdsMustBeExceeded) {
  Generator g;
  g.days = 120;
  g.weekday = 100;  // day 100 (a Wednesday) costs about 135: x1.6 is +81, x1.9 is +122
  for (double factor : {1.6, 1.9}) {
    g.inject = {{kMonday + 100, kMonday + 100, factor}};
    auto r = DetectAnomalies(g.Make(), {});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->anomalies.size(), factor < 1.7 ? 0u : 1u) << factor;
    AnomalyOptions lower;
    lower.min_impact = Amount::Cents(5000);
    EXPECT_EQ(DetectAnomalies(g.Make(), {}, lower)->anomalies.size(), 1u) << factor;
  }
  g.weekday = 100000;  // +15% is far above 100.00 but under 20%
  g.inject = {{kMonday + 100, kMonday + 100, 1.15}};
  EXPECT_TRUE(DetectAnomalies(g.Make(), {})->anomalies.empty());
  AnomalyOptions ten;
  ten.min_impact_percent = 10;
  EXPECT_EQ(DetectAnomalies(g.Make(), {}, ten)->anomalies.size(), 1u);
}

TEST(AnomalyTest, FeedbackSuppresses) {
  Generator g;
  g.inject = {{kMonday + 500, kMonday + 504, 1.8}};
  const CostSeries s = g.Make();
  std::vector<AnomalyFeedback> feedback = {
      {"service", "AmazonEC2", kMonday + 500, kMonday + 504, FeedbackKind::kPlanned},
      {"service", "AmazonS3", kMonday + 400, kMonday + 600, FeedbackKind::kUnexpected}};
  auto r = DetectAnomalies(s, feedback);
  ASSERT_EQ(r->anomalies.size(), 1u);
  EXPECT_TRUE(r->anomalies[0].suppressed);
  EXPECT_EQ(r->anomalies[0].feedback, FeedbackKind::kPlanned);
  EXPECT_TRUE(Alerts(*r).empty());
  EXPECT_EQ(r->days[502].status, DayStatus::kSuppressed);

  feedback[0].kind = FeedbackKind::kUnexpected;
  r = DetectAnomalies(s, feedback);
  ASSERT_EQ(Alerts(*r).size(), 1u);
  EXPECT_EQ(r->anomalies[0].feedback, FeedbackKind::kUnexpected);
  EXPECT_EQ(r->days[502].status, DayStatus::kAnomalous);

  feedback[0].to_day = feedback[0].from_day - 1;
  EXPECT_EQ(DetectAnomalies(s, feedback).error().ToString(),
            "feedback for AmazonEC2: to_day 2025-05-14 is before from_day 2025-05-15");
}

TEST(AnomalyTest, AcceptedLevelSuppressesRepeatsButNotHigherSpikes) {
  Generator g;
  g.inject = {{kMonday + 500, kMonday + 729, 1.8}, {kMonday + 540, kMonday + 540, 2}};
  std::vector<AnomalyFeedback> feedback = {
      {"service", "AmazonEC2", kMonday + 500, kMonday + 504, FeedbackKind::kExpected}};
  auto r = DetectAnomalies(g.Make(), feedback);
  auto alerts = Alerts(*r);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].start_day, kMonday + 540);
  EXPECT_EQ(alerts[0].end_day, kMonday + 540);
  ASSERT_EQ(r->anomalies.size(), 2u);
  EXPECT_TRUE(r->anomalies[0].suppressed);
  EXPECT_EQ(r->anomalies[0].start_day, kMonday + 500);
  EXPECT_GT(r->anomalies[0].end_day, kMonday + 506);  // repeats until the model has caught up

  // A day the user called unexpected is not a repeat.
  feedback.push_back(
      {"service", "AmazonEC2", kMonday + 505, kMonday + 506, FeedbackKind::kUnexpected});
  r = DetectAnomalies(g.Make(), feedback);
  ASSERT_GE(r->anomalies.size(), 3u);
  EXPECT_EQ(r->anomalies[1].start_day, kMonday + 505);
  EXPECT_EQ(r->anomalies[1].end_day, kMonday + 506);
  EXPECT_FALSE(r->anomalies[1].suppressed);
  EXPECT_EQ(r->anomalies[1].feedback, FeedbackKind::kUnexpected);
}

TEST(AnomalyTest, LongRunIsALevelShift) {
  Generator g;
  g.inject = {{kMonday + 500, kMonday + 729, 1.8}};
  auto r = DetectAnomalies(g.Make(), {});
  ASSERT_EQ(r->anomalies.size(), 1u);
  EXPECT_EQ(r->anomalies[0].start_day, kMonday + 500);
  EXPECT_EQ(r->anomalies[0].end_day, kMonday + 513);
  EXPECT_FALSE(r->anomalies[0].open);
  EXPECT_EQ(r->days[514].status, DayStatus::kNormal);
}

TEST(AnomalyTest, DirectionOption) {
  Generator g;
  g.inject = {{kMonday + 300, kMonday + 302, 0.3}, {kMonday + 400, kMonday + 400, 3}};
  EXPECT_EQ(DetectAnomalies(g.Make(), {})->anomalies.size(), 1u);
  AnomalyOptions o;
  o.direction = AnomalyDirection::kDecrease;
  auto down = DetectAnomalies(g.Make(), {}, o);
  ASSERT_EQ(down->anomalies.size(), 1u);
  EXPECT_FALSE(down->anomalies[0].increase);
  EXPECT_LT(down->anomalies[0].impact, Amount());
  o.direction = AnomalyDirection::kBoth;
  EXPECT_EQ(DetectAnomalies(g.Make(), {}, o)->anomalies.size(), 2u);
}

TEST(AnomalyTest, EdgeSeries) {
  CostSeries empty{"m", "v", "USD", kMonday, {}};
  EXPECT_TRUE(DetectAnomalies(empty, {})->days.empty());
  CostSeries zeros{"m", "v", "USD", kMonday, std::vector<Amount>(60)};
  auto r = DetectAnomalies(zeros, {});
  EXPECT_TRUE(r->anomalies.empty());
  EXPECT_EQ(r->days[59].expected, Amount());
  zeros.daily[40] = Amount::Cents(50000);  // a first charge: no expected spend, no percent
  r = DetectAnomalies(zeros, {});
  ASSERT_EQ(r->anomalies.size(), 1u);
  EXPECT_FALSE(r->anomalies[0].impact_percent.has_value());
  EXPECT_EQ(r->anomalies[0].impact.ToString(), "500.00");
}

TEST(AnomalyTest, OptionsAreValidated) {
  AnomalyOptions o;
  o.history_days = 50;
  EXPECT_EQ(Validate(o).error().ToString(), "history_days: must be a multiple of 7 in 14..364");
  o = {};
  o.min_impact = -Amount::Cents(1);
  EXPECT_FALSE(Validate(o).ok());
  o = {};
  o.min_impact_percent = std::nan("");
  EXPECT_FALSE(Validate(o).ok());
  o = {};
  o.min_history_days = 60;
  EXPECT_FALSE(DetectAnomalies(CostSeries{}, {}, o).ok());
  EXPECT_EQ(ParseFeedbackKind("planned"), FeedbackKind::kPlanned);
  EXPECT_FALSE(ParseFeedbackKind("yes").has_value());
}

// The scan the finops job runs every day: 200 monitored values of 400 days each.
TEST(AnomalyTest, DailyScanTiming) {
  std::vector<CostSeries> all;
  for (uint64_t k = 0; k < 200; ++k) {
    Generator g;
    g.days = 400;
    g.seed = k;
    g.weekday = 50 + 25.0 * static_cast<double>(k);
    all.push_back(g.Make());
  }
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  size_t anomalies = 0;
  for (const CostSeries& s : all) anomalies += DetectAnomalies(s, {})->anomalies.size();
  const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("anomaly scan: 200 series x 400 days in %.1f ms CPU (%.1f ms wall), %.2f us/day\n",
              cpu_ms, ms, cpu_ms * 1000 / (200 * 400));
  EXPECT_EQ(anomalies, 0u);
}

// ---- Golden corpus

const fs::path kCases = fs::path(PLINTH_SOURCE_DIR) / "tests/golden/cost-anomaly";

Result<int64_t> Day(const Json& v) {
  if (!v.is_string()) return Error::Invalid("expected a date YYYY-MM-DD");
  PLINTH_ASSIGN_OR_RETURN(int64_t ms, ParseRfc3339(v.get<std::string>()));
  return UtcDay(ms / 1000);
}

Result<Amount> Money(const Json& v) {
  PLINTH_ASSIGN_OR_RETURN(Decimal d, ParseDecimal(v.is_string() ? v.get<std::string>() : v.dump()));
  return Amount::FromDecimal(d);
}

Result<CostSeries> ParseSeries(const Json& in) {
  Generator g;
  PLINTH_ASSIGN_OR_RETURN(g.start, Day(in.value("start", Json("2024-01-01"))));
  if (auto values = in.find("values"); values != in.end()) {
    CostSeries s{"service", "AmazonEC2", "USD", g.start, {}};
    for (const Json& v : *values) {
      PLINTH_ASSIGN_OR_RETURN(Amount a, Money(v));
      s.daily.push_back(a);
    }
    return s;
  }
  g.days = in.value("days", g.days);
  g.weekday = in.value("weekday", g.weekday);
  g.weekend = in.value("weekend", g.weekend);
  g.trend = in.value("trend", g.trend);
  g.noise = in.value("noise", g.noise);
  g.seed = in.value("seed", g.seed);
  for (const Json& j : in.value("inject", Json::array())) {
    Injection inj;
    PLINTH_ASSIGN_OR_RETURN(inj.from, Day(j["from"]));
    PLINTH_ASSIGN_OR_RETURN(inj.to, Day(j.value("to", j["from"])));
    inj.factor = j.value("factor", 1.0);
    g.inject.push_back(inj);
  }
  return g.Make();
}

Result<AnomalyOptions> ParseOptions(const Json& in) {
  AnomalyOptions o;
  if (in.contains("min_impact")) {
    PLINTH_ASSIGN_OR_RETURN(o.min_impact, Money(in["min_impact"]));
  }
  o.min_impact_percent = in.value("min_impact_percent", o.min_impact_percent);
  const std::string dir = in.value("direction", "increase");
  o.direction = dir == "both"       ? AnomalyDirection::kBoth
                : dir == "decrease" ? AnomalyDirection::kDecrease
                                    : AnomalyDirection::kIncrease;
  o.band_sigmas = in.value("band_sigmas", o.band_sigmas);
  o.history_days = in.value("history_days", o.history_days);
  o.min_history_days = in.value("min_history_days", o.min_history_days);
  o.max_anomaly_days = in.value("max_anomaly_days", o.max_anomaly_days);
  o.feedback_horizon_days = in.value("feedback_horizon_days", o.feedback_horizon_days);
  return o;
}

std::string Opt(const std::optional<Amount>& a) { return a ? a->ToString() : "-"; }

const char* StatusName(DayStatus s) {
  switch (s) {
    case DayStatus::kUnjudged:
      return "unjudged";
    case DayStatus::kNormal:
      return "normal";
    case DayStatus::kAnomalous:
      return "ANOMALOUS";
    case DayStatus::kSuppressed:
      return "suppressed";
  }
  return "?";
}

std::string RunCase(const fs::path& dir) {
  auto docs = ParseYaml(golden::ReadFile(dir / "input.yaml"), "input.yaml");
  if (!docs.ok()) return "error: " + docs.error().ToString() + "\n";
  const Json& in = (*docs)[0].value;
  auto series = ParseSeries(in.value("series", Json::object()));
  if (!series.ok()) return "error: " + series.error().ToString() + "\n";
  auto options = ParseOptions(in.value("options", Json::object()));
  if (!options.ok()) return "error: " + options.error().ToString() + "\n";
  std::vector<AnomalyFeedback> feedback;
  for (const Json& f : in.value("feedback", Json::array())) {
    AnomalyFeedback fb{series->monitor, series->dimension_value, 0, 0, FeedbackKind::kExpected};
    auto from = Day(f["from"]), to = Day(f["to"]);
    auto kind = ParseFeedbackKind(f.value("kind", ""));
    if (!from.ok() || !to.ok() || !kind) return "error: bad feedback\n";
    fb.from_day = *from;
    fb.to_day = *to;
    fb.kind = *kind;
    feedback.push_back(fb);
  }
  auto r = DetectAnomalies(*series, feedback, *options);
  if (!r.ok()) return "error: " + r.error().ToString() + "\n";

  int counts[4] = {};
  for (const DayExpectation& d : r->days) ++counts[static_cast<int>(d.status)];
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%zu days: %d unjudged, %d normal, %d anomalous, %d suppressed\n\n", r->days.size(),
                counts[0], counts[1], counts[2], counts[3]);
  std::string out = buf;
  std::vector<std::vector<std::string>> rows = {{"start", "end", "peak", "dir", "actual",
                                                 "expected", "impact", "impact%", "max_impact",
                                                 "flags"}};
  for (const Anomaly& a : r->anomalies) {
    std::string pct = "-";
    if (a.impact_percent) {
      std::snprintf(buf, sizeof buf, "%.1f", *a.impact_percent);
      pct = buf;
    }
    std::string flags;
    if (a.suppressed) flags += "suppressed ";
    if (a.feedback) flags += std::string("feedback=") + FeedbackName(*a.feedback) + " ";
    if (a.open) flags += "open";
    rows.push_back({FormatDay(a.start_day), FormatDay(a.end_day), FormatDay(a.peak_day),
                    a.increase ? "up" : "down", a.actual.ToString(), a.expected.ToString(),
                    a.impact.ToString(), pct, a.max_impact.ToString(), flags});
  }
  out += r->anomalies.empty() ? "no anomalies\n" : golden::Table(rows);
  if (auto show = in.find("show"); show != in.end()) {
    auto from = Day((*show)["from"]), to = Day((*show)["to"]);
    if (!from.ok() || !to.ok()) return "error: bad show\n";
    std::vector<std::vector<std::string>> days = {
        {"day", "weekday", "actual", "expected", "lower", "upper", "status"}};
    static const char* kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    for (const DayExpectation& d : r->days) {
      if (d.day < *from || d.day > *to) continue;
      days.push_back({FormatDay(d.day), kWeekdays[IsoWeekday(d.day)], d.actual.ToString(),
                      Opt(d.expected), Opt(d.lower), Opt(d.upper), StatusName(d.status)});
    }
    out += "\n" + golden::Table(days);
  }
  return out;
}

class AnomalyGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(AnomalyGoldenTest, Case) {
  const fs::path dir = kCases / GetParam();
  golden::ExpectMatches(dir, RunCase(dir));
}

INSTANTIATE_TEST_SUITE_P(AnomalyCorpus, AnomalyGoldenTest,
                         ::testing::ValuesIn(golden::CaseNames(kCases)), golden::ParamName);

}  // namespace
}  // namespace plinth::cost
