// Unit tests of the minute series (series.h) and the budget engine (budget.h); the worked cases
// with hand-checked numbers are the golden corpus (budget_golden_test.cc).

#include "slo/budget.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "base/time.h"

namespace plinth::slo {
namespace {

constexpr int64_t kT0 = 29'500'000;  // 2026-02-01T13:20Z in epoch minutes

std::vector<MinutePoint> Steady(int64_t from, int64_t n, double good, double total) {
  std::vector<MinutePoint> v;
  for (int64_t i = 0; i < n; ++i) v.push_back({from + i, good, total});
  return v;
}

MinuteSeries Build(const std::vector<MinutePoint>& points,
                   std::optional<SliceSpec> slices = std::nullopt) {
  auto s = MinuteSeries::Build(points, slices);
  EXPECT_TRUE(s.ok()) << s.error().ToString();
  return std::move(s).value();
}

SloParams Occurrences(double objective, int64_t window_minutes) {
  SloParams slo;
  slo.objective = objective;
  slo.window = TimeWindow::Rolling(window_minutes);
  return slo;
}

TEST(BudgetSeries, RejectsBadPoints) {
  std::vector<MinutePoint> unordered = {{5, 1, 1}, {5, 1, 1}};
  EXPECT_NE(MinuteSeries::Build(unordered).error().message.find("strictly increasing"),
            std::string::npos);
  std::vector<MinutePoint> over = {{5, 2, 1}};
  EXPECT_EQ(MinuteSeries::Build(over).error().message,
            "minute 5 (1970-01-01T00:05:00Z): expected finite counts with 0 <= good <= total, "
            "got good 2.000000 total 1.000000");
  std::vector<MinutePoint> nan = {{5, 0, std::nan("")}};
  EXPECT_FALSE(MinuteSeries::Build(nan).ok());
  std::vector<MinutePoint> negative = {{5, -1, 1}};
  EXPECT_FALSE(MinuteSeries::Build(negative).ok());
  std::vector<MinutePoint> huge = {{0, 1, 1}, {11 * 366 * 1440, 1, 1}};
  EXPECT_FALSE(MinuteSeries::Build(huge).ok());
  EXPECT_FALSE(MinuteSeries::Build({}, SliceSpec{0, 0.9}).ok());
}

TEST(BudgetSeries, SumsAndDataMinutes) {
  std::vector<MinutePoint> p = {{100, 9, 10}, {101, 0, 0}, {103, 5, 5}, {170, 1, 4}};
  MinuteSeries s = Build(p);
  EXPECT_EQ(s.first_minute(), 100);
  EXPECT_EQ(s.end_minute(), 171);
  EventSums all = s.Events(0, 1000);
  EXPECT_EQ(all.good, 15);
  EXPECT_EQ(all.total, 19);
  EXPECT_EQ(all.bad, 4);
  EXPECT_EQ(all.data_minutes, 4);
  EXPECT_EQ(s.Events(101, 103).data_minutes, 1);  // zero events is still data
  EXPECT_EQ(s.Events(101, 103).total, 0);
  EXPECT_EQ(s.DataMinutes(102, 103), 0);
  EXPECT_EQ(s.DataMinutes(104, 170), 0);
  EXPECT_EQ(s.DataMinutes(104, 171), 1);
  EXPECT_EQ(s.Events(171, 500).data_minutes, 0);
  EXPECT_EQ(s.Events(50, 100).total, 0);
  EXPECT_EQ(s.Events(120, 110).total, 0);  // empty range
  MinuteSeries empty;
  EXPECT_EQ(empty.Events(0, 100).data_minutes, 0);
  EXPECT_EQ(empty.Slices({5, 0.9}, 0, 100).slices, 20);
}

TEST(BudgetSeries, FractionalCountsWithoutErrorsSumToZeroBad) {
  // Prometheus increase() gives fractions; a range without errors must read bad == 0 exactly.
  std::vector<MinutePoint> p;
  for (int64_t i = 0; i < 10000; ++i) {
    double x = 0.1 * static_cast<double>(i % 7) + 1.0 / 3;
    p.push_back({i, i == 5000 ? x / 2 : x, x});
  }
  MinuteSeries s = Build(p);
  EXPECT_EQ(s.Events(5001, 10000).bad, 0);
  EXPECT_EQ(s.Events(0, 5000).bad, 0);
  EXPECT_GT(s.Events(4000, 6000).bad, 0);
  EXPECT_NEAR(s.Events(4000, 6000).bad, p[5000].total / 2, 1e-9);
}

TEST(BudgetSeries, IndexedSlicesMatchScanning) {
  std::mt19937 rng(7);
  std::vector<MinutePoint> p;
  for (int64_t m = kT0; m < kT0 + 3000; ++m) {
    if (rng() % 5 == 0) continue;  // no data
    double total = static_cast<double>(rng() % 50);
    double good = total - static_cast<double>(rng() % 3 == 0 ? rng() % 4 : 0);
    p.push_back({m, std::max(0.0, good), total});
  }
  for (SliceSpec spec : {SliceSpec{1, 0.95}, SliceSpec{5, 0.97}, SliceSpec{7, 0.9}}) {
    MinuteSeries indexed = Build(p, spec);
    MinuteSeries plain = Build(p);
    for (int i = 0; i < 300; ++i) {
      int64_t a = kT0 - 50 + static_cast<int64_t>(rng() % 3100);
      int64_t b = a + static_cast<int64_t>(rng() % 800);
      SliceSums x = indexed.Slices(spec, a, b);
      SliceSums y = plain.Slices(spec, a, b);
      EXPECT_EQ(x.slices, y.slices);
      EXPECT_EQ(x.with_events, y.with_events);
      EXPECT_EQ(x.good, y.good);
      EXPECT_NEAR(x.ratio_sum, y.ratio_sum, 1e-9);
    }
  }
}

TEST(BudgetSeries, SliceBelongsToTheWindowItCompletesIn) {
  MinuteSeries s = Build(Steady(0, 100, 1, 1), SliceSpec{5, 0.9});
  EXPECT_EQ(s.Slices({5, 0.9}, 0, 5).slices, 1);
  EXPECT_EQ(s.Slices({5, 0.9}, 0, 4).slices, 0);   // in progress
  EXPECT_EQ(s.Slices({5, 0.9}, 4, 5).slices, 1);   // straddles the start, completes inside
  EXPECT_EQ(s.Slices({5, 0.9}, 5, 10).slices, 1);  // [0, 5) completed before
  EXPECT_EQ(s.Slices({5, 0.9}, 2, 22).slices, 4);
}

TEST(BudgetSeries, MemoryIsAbout16BytesAMinute) {
  MinuteSeries s = Build(Steady(kT0, 43200, 99, 100));
  double per_minute = static_cast<double>(s.MemoryBytes()) / 43200;
  EXPECT_GT(per_minute, 16);
  EXPECT_LT(per_minute, 16.3);
}

TEST(BudgetValidate, NamesTheField) {
  SloParams slo = Occurrences(1, 60);
  EXPECT_EQ(Validate(slo).error().fields.at(0).pointer, "/objective");
  slo.objective = std::nan("");
  EXPECT_FALSE(Validate(slo).ok());
  slo.objective = 0.99;
  EXPECT_TRUE(Validate(slo).ok());
  slo.method = BudgetingMethod::kTimeslices;
  slo.slice = {120, 0.9};
  EXPECT_EQ(Validate(slo).error().fields.at(0).pointer, "/slice/minutes");
  slo.slice = {5, 1.5};
  EXPECT_EQ(Validate(slo).error().fields.at(0).pointer, "/slice/target");
  slo.method = BudgetingMethod::kRatioTimeslices;  // the target does not matter there
  EXPECT_TRUE(Validate(slo).ok());
  slo.window = TimeWindow::Rolling(0);
  EXPECT_EQ(Validate(slo).error().fields.at(0).pointer, "/window/rolling_minutes");
  EXPECT_FALSE(Evaluate(slo, MinuteSeries(), 0).ok());
  EXPECT_EQ(ParseMethod("RatioTimeslices"), BudgetingMethod::kRatioTimeslices);
  EXPECT_EQ(ParseMethod("ratio"), std::nullopt);
}

TEST(BudgetEvaluate, OccurrencesByHand) {
  // 60 minutes of 1000 events; 10 minutes at 99% good: bad = 100 of 60000; budget 60 (99.9%).
  std::vector<MinutePoint> p = Steady(kT0, 60, 1000, 1000);
  for (int i = 50; i < 60; ++i) p[i].good = 990;
  MinuteSeries s = Build(p);
  SloParams slo = Occurrences(0.999, 60);
  slo.exhaustion_burn_minutes = 10;
  auto st = Evaluate(slo, s, (kT0 + 60) * kMinuteMs + 59'999);  // rounds down to the minute
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->window.start_minute, kT0);
  EXPECT_EQ(st->window.end_minute, kT0 + 60);
  EXPECT_FALSE(st->no_data);
  EXPECT_DOUBLE_EQ(*st->attainment, 59900.0 / 60000);
  EXPECT_NEAR(st->budget_total, 60, 1e-9);  // (1 - 0.999) is not 0.001 in binary
  EXPECT_DOUBLE_EQ(st->budget_consumed, 100);
  EXPECT_NEAR(*st->remaining_ratio, 1 - 100.0 / 60, 1e-12);
  EXPECT_TRUE(st->exhausted());
  EXPECT_DOUBLE_EQ(*st->burn_rate, (100.0 / 60000) / (1 - 0.999));
  EXPECT_NEAR(*st->current_burn_rate, 10, 1e-9);  // 1% over the last 10 minutes
  EXPECT_EQ(*st->minutes_to_exhaustion, 0);
}

TEST(BudgetEvaluate, TimeToExhaustion) {
  // Burn rate 2 over the last hour of a 30-day window, half the budget left: 30d * 0.5 / 2.
  // The budget allows 0.001 * 43.2M = 43200 bad events; 21480 + 120 = 21600 are spent.
  std::vector<MinutePoint> p = Steady(kT0, 43200, 1000, 1000);
  for (int64_t i = 0; i < 21480; ++i) p[i].good = 999;
  for (int64_t i = 43200 - 60; i < 43200; ++i) p[i].good = 998;  // 0.2% in the last hour
  MinuteSeries s = Build(p);
  auto st = Evaluate(Occurrences(0.999, 43200), s, (kT0 + 43200) * kMinuteMs);
  ASSERT_TRUE(st.ok());
  EXPECT_NEAR(*st->remaining_ratio, 0.5, 1e-12);
  EXPECT_NEAR(*st->current_burn_rate, 2, 1e-9);
  EXPECT_NEAR(*st->minutes_to_exhaustion, 43200 * 0.5 / 2, 1e-6);

  MinuteSeries clean = Build(Steady(kT0, 120, 10, 10));
  auto never = Evaluate(Occurrences(0.99, 60), clean, (kT0 + 120) * kMinuteMs);
  EXPECT_TRUE(std::isinf(*never->minutes_to_exhaustion));
}

TEST(BudgetEvaluate, NoDataIsNeverZeroNorPerfect) {
  MinuteSeries s = Build(Steady(kT0, 60, 10, 10));
  SloParams slo = Occurrences(0.99, 60);
  auto st = Evaluate(slo, s, (kT0 + 500) * kMinuteMs);
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->no_data);
  EXPECT_FALSE(st->attainment);
  EXPECT_FALSE(st->remaining_ratio);
  EXPECT_FALSE(st->burn_rate);
  EXPECT_FALSE(st->minutes_to_exhaustion);
  EXPECT_FALSE(st->exhausted());
  for (BudgetingMethod m : {BudgetingMethod::kTimeslices, BudgetingMethod::kRatioTimeslices}) {
    slo.method = m;
    slo.slice = {5, 0.9};
    auto ts = Evaluate(slo, s, (kT0 + 500) * kMinuteMs);
    EXPECT_TRUE(ts->no_data);
    EXPECT_FALSE(ts->attainment);
    EXPECT_FALSE(ts->remaining_ratio);
  }
  // Minutes with data but zero events: not "no data", yet nothing to judge.
  MinuteSeries zero = Build(Steady(kT0, 60, 0, 0));
  auto z = Evaluate(Occurrences(0.99, 60), zero, (kT0 + 60) * kMinuteMs);
  EXPECT_FALSE(z->no_data);
  EXPECT_FALSE(z->attainment);
}

TEST(BudgetEvaluate, TimeslicesCountSlicesAndRatioTimeslicesAverage) {
  // 12 five-minute slices; slices 2 and 7 at 80% good; slice 9 has no data.
  std::vector<MinutePoint> p;
  for (int64_t m = 0; m < 60; ++m) {
    int64_t k = m / 5;
    if (k == 9) continue;
    p.push_back({kT0 - kT0 % 60 + m, (k == 2 || k == 7) ? 8.0 : 10.0, 10});
  }
  const int64_t start = kT0 - kT0 % 60;
  for (bool indexed : {true, false}) {
    SloParams slo;
    slo.objective = 0.9;
    slo.method = BudgetingMethod::kTimeslices;
    slo.slice = {5, 0.95};
    slo.window = TimeWindow::Rolling(60);
    MinuteSeries s = indexed ? Build(p, slo.slice) : Build(p);
    auto st = Evaluate(slo, s, (start + 60) * kMinuteMs);
    ASSERT_TRUE(st.ok());
    EXPECT_EQ(st->slices.slices, 12);
    EXPECT_EQ(st->slices.with_events, 11);
    EXPECT_EQ(st->slices.good, 9);
    EXPECT_EQ(st->slices_in_window, 12);
    EXPECT_DOUBLE_EQ(*st->attainment, 9.0 / 11);
    EXPECT_NEAR(st->budget_total, 1.2, 1e-12);
    EXPECT_EQ(st->budget_consumed, 2);
    EXPECT_NEAR(*st->remaining_ratio, 1 - 2 / 1.2, 1e-12);
    EXPECT_NEAR(*st->burn_rate, (2.0 / 11) / 0.1, 1e-9);

    slo.method = BudgetingMethod::kRatioTimeslices;
    auto rt = Evaluate(slo, indexed ? Build(p, slo.slice) : Build(p), (start + 60) * kMinuteMs);
    EXPECT_NEAR(*rt->attainment, (9 + 2 * 0.8) / 11, 1e-12);
    EXPECT_NEAR(rt->budget_consumed, 0.4, 1e-12);
    EXPECT_NEAR(*rt->burn_rate, (0.4 / 11) / 0.1, 1e-9);
  }
}

TEST(BudgetEvaluate, RandomOccurrencesMatchBruteForce) {
  std::mt19937 rng(11);
  std::vector<MinutePoint> p;
  for (int64_t m = kT0; m < kT0 + 5000; ++m) {
    if (rng() % 7 == 0) continue;
    double total = static_cast<double>(rng() % 1000);
    p.push_back({m, total - static_cast<double>(rng() % 3), total});
    p.back().good = std::max(0.0, p.back().good);
  }
  MinuteSeries s = Build(p);
  for (int i = 0; i < 200; ++i) {
    int64_t window = 1 + static_cast<int64_t>(rng() % 3000);
    int64_t at = kT0 + static_cast<int64_t>(rng() % 5200);
    double good = 0, total = 0;
    for (const MinutePoint& x : p) {
      if (x.minute >= at - window && x.minute < at) good += x.good, total += x.total;
    }
    auto st = Evaluate(Occurrences(0.995, window), s, at * kMinuteMs);
    ASSERT_TRUE(st.ok());
    EXPECT_EQ(st->events.good, good);
    EXPECT_EQ(st->events.total, total);
    if (total > 0) {
      EXPECT_DOUBLE_EQ(*st->attainment, good / total);
    }
  }
}

}  // namespace
}  // namespace plinth::slo
