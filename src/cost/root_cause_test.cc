#include "cost/root_cause.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace plinth::cost {
namespace {

constexpr int64_t kStart = 20000;  // the anomaly window is kStart..kStart+1

Amount Money(const char* text) { return Amount::FromDecimal(*ParseDecimal(text)); }

// "EC2/111/us-east-1/BoxUsage actual 800.00 expected 200.00 impact 600.00 share 85.14%"
std::string Line(const Contribution& c) {
  std::string keys;
  for (const std::string& k : c.keys) keys += (keys.empty() ? "" : "/") + k;
  char share[32] = "-";
  if (c.share) std::snprintf(share, sizeof share, "%.2f%%", *c.share);
  return keys + " actual " + c.actual.ToString() + " expected " + c.expected.ToString() +
         " impact " + c.impact.ToString() + " share " + share;
}

std::vector<std::string> Lines(const std::vector<Contribution>& list) {
  std::vector<std::string> out;
  for (const Contribution& c : list) out.push_back(Line(c));
  return out;
}

// Adds `cost` on the window days and `baseline` on the same weekdays of the 4 weeks before.
void Add(RootCauseInput& in, std::vector<std::string> keys, const char* baseline,
         const char* cost) {
  for (int64_t d = kStart; d <= kStart + 1; ++d) {
    in.rows.push_back({d, keys, Money(cost)});
    for (int k = 1; k <= 4; ++k) in.rows.push_back({d - 7 * k, keys, Money(baseline)});
  }
}

RootCauseInput Input() {
  RootCauseInput in;
  in.dimensions = {"ServiceName", "SubAccountId", "RegionId", "SkuId"};
  in.start_day = kStart;
  in.end_day = kStart + 1;
  Add(in, {"EC2", "111", "us-east-1", "BoxUsage:m5"}, "100", "300");
  in.rows.push_back({kStart, {"EC2", "111", "us-east-1", "BoxUsage:m5"}, Money("100")});
  in.rows.push_back({kStart + 1, {"EC2", "111", "us-east-1", "BoxUsage:m5"}, Money("100")});
  Add(in, {"EC2", "222", "eu-west-1", "BoxUsage:c5"}, "50", "150");
  Add(in, {"S3", "111", "us-east-1", "TimedStorage"}, "30", "30");
  Add(in, {"RDS", "222", "us-east-1", "InstanceUsage"}, "80", "40");
  in.rows.push_back({kStart + 1, {"Lambda", "111", "us-east-1", "Request"}, Money("10")});
  // Only the first window day has a baseline: (10 + 20 + 30 + 41) / 4 = 25.25.
  const char* weeks[] = {"10", "20", "30", "41"};
  for (int k = 1; k <= 4; ++k) {
    in.rows.push_back(
        {kStart - 7 * k, {"CloudWatch", "111", "eu-west-1", "Metrics"}, Money(weeks[k - 1])});
  }
  // Outside the baseline and the window: ignored.
  in.rows.push_back({kStart - 35, {"EC2", "111", "us-east-1", "BoxUsage:m5"}, Money("9999")});
  in.rows.push_back({kStart + 2, {"EC2", "111", "us-east-1", "BoxUsage:m5"}, Money("9999")});
  in.rows.push_back({kStart - 1, {"EC2", "111", "us-east-1", "BoxUsage:m5"}, Money("9999")});
  return in;
}

TEST(RootCauseTest, RanksCombinationsAndSingleValues) {
  auto r = RankRootCauses(Input());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->actual.ToString(), "1250.00");
  EXPECT_EQ(r->expected.ToString(), "545.25");
  EXPECT_EQ(r->impact.ToString(), "704.75");
  EXPECT_EQ(Lines(r->combinations),
            (std::vector<std::string>{
                "EC2/111/us-east-1/BoxUsage:m5 actual 800.00 expected 200.00 impact 600.00 "
                "share 85.14%",
                "EC2/222/eu-west-1/BoxUsage:c5 actual 300.00 expected 100.00 impact 200.00 "
                "share 28.38%",
                "Lambda/111/us-east-1/Request actual 10.00 expected 0.00 impact 10.00 share 1.42%",
                "S3/111/us-east-1/TimedStorage actual 60.00 expected 60.00 impact 0.00 share 0.00%",
                "CloudWatch/111/eu-west-1/Metrics actual 0.00 expected 25.25 impact -25.25 "
                "share -3.58%",
                "RDS/222/us-east-1/InstanceUsage actual 80.00 expected 160.00 impact -80.00 "
                "share -11.35%"}));
  ASSERT_EQ(r->by_dimension.size(), 4u);
  EXPECT_EQ(
      Lines(r->by_dimension[0]),
      (std::vector<std::string>{"EC2 actual 1100.00 expected 300.00 impact 800.00 share 113.52%",
                                "Lambda actual 10.00 expected 0.00 impact 10.00 share 1.42%",
                                "S3 actual 60.00 expected 60.00 impact 0.00 share 0.00%",
                                "CloudWatch actual 0.00 expected 25.25 impact -25.25 share -3.58%",
                                "RDS actual 80.00 expected 160.00 impact -80.00 share -11.35%"}));
  EXPECT_EQ(
      Lines(r->by_dimension[1]),
      (std::vector<std::string>{"111 actual 870.00 expected 285.25 impact 584.75 share 82.97%",
                                "222 actual 380.00 expected 260.00 impact 120.00 share 17.03%"}));
  EXPECT_EQ(Lines(r->by_dimension[2]),
            (std::vector<std::string>{
                "us-east-1 actual 950.00 expected 420.00 impact 530.00 share 75.20%",
                "eu-west-1 actual 300.00 expected 125.25 impact 174.75 share 24.80%"}));
}

TEST(RootCauseTest, TopAndDecreases) {
  RootCauseInput in = Input();
  in.top = 2;
  auto r = RankRootCauses(in);
  ASSERT_EQ(r->combinations.size(), 2u);
  EXPECT_EQ(r->by_dimension[0].size(), 2u);

  // A drop: ranked by the most negative impact first; equal impacts by keys.
  RootCauseInput drop;
  drop.dimensions = {"ServiceName"};
  drop.start_day = kStart;
  drop.end_day = kStart;
  drop.baseline_weeks = 1;
  drop.rows = {{kStart - 7, {"B"}, Money("50")},
               {kStart - 7, {"A"}, Money("50")},
               {kStart - 7, {"C"}, Money("100")},
               {kStart, {"C"}, Money("10")},
               {kStart, {"D"}, Money("5")}};
  r = RankRootCauses(drop);
  EXPECT_EQ(r->impact.ToString(), "-185.00");
  EXPECT_EQ(Lines(r->combinations),
            (std::vector<std::string>{"C actual 10.00 expected 100.00 impact -90.00 share 48.65%",
                                      "A actual 0.00 expected 50.00 impact -50.00 share 27.03%",
                                      "B actual 0.00 expected 50.00 impact -50.00 share 27.03%",
                                      "D actual 5.00 expected 0.00 impact 5.00 share -2.70%"}));
}

TEST(RootCauseTest, ExactMeanAndNoShareWithoutImpact) {
  RootCauseInput in;
  in.dimensions = {"ServiceName"};
  in.start_day = kStart;
  in.end_day = kStart;
  in.baseline_weeks = 3;
  in.rows = {{kStart - 7, {"A"}, Money("1")},
             {kStart - 14, {"A"}, Money("1")},
             {kStart - 21, {"A"}, Money("0.000000000000000002")},
             {kStart, {"A"}, Money("2")}};
  auto r = RankRootCauses(in);
  // (2 + 2e-18) / 3 = 0.666666666666666667 (half away from zero at the 18th digit).
  EXPECT_EQ(r->expected.ToExactString(), "0.666666666666666667");
  in.rows = {{kStart - 7, {"A"}, Money("5")}, {kStart, {"A"}, Money("5")}};
  in.baseline_weeks = 1;
  r = RankRootCauses(in);
  EXPECT_TRUE(r->impact.is_zero());
  EXPECT_FALSE(r->combinations[0].share.has_value());
}

TEST(RootCauseTest, LongWindowsReadOnlyDaysBeforeIt) {
  // A 10-day window: days 0..6 read d-7 and d-14; days 7..9 read d-14 and d-21, not d-7 (in
  // the window): every baseline day is before the window, 10 or 20.
  RootCauseInput in;
  in.dimensions = {"ServiceName"};
  in.start_day = kStart;
  in.end_day = kStart + 9;
  in.baseline_weeks = 2;
  EXPECT_EQ(RootCauseQueryStart(in.start_day, in.end_day, 2), kStart - 21);
  for (int64_t d = kStart - 21; d <= kStart + 9; ++d) {
    const char* cost = d >= kStart        ? "100"
                       : d >= kStart - 7  ? "10"
                       : d >= kStart - 14 ? "20"
                                          : "40";
    in.rows.push_back({d, {"A"}, Money(cost)});
  }
  auto r = RankRootCauses(in);
  // 10 days x (10 + 20) / 2.
  EXPECT_EQ(r->expected.ToString(), "150.00");
  EXPECT_EQ(r->actual.ToString(), "1000.00");
}

TEST(RootCauseTest, Errors) {
  RootCauseInput in = Input();
  in.rows.push_back({kStart, {"EC2"}, Money("1")});
  EXPECT_EQ(RankRootCauses(in).error().message, "root cause: a row has 1 keys for 4 dimensions");
  in = Input();
  in.end_day = kStart - 1;
  EXPECT_FALSE(RankRootCauses(in).ok());
  in = Input();
  in.baseline_weeks = 0;
  EXPECT_FALSE(RankRootCauses(in).ok());
  in.dimensions.clear();
  EXPECT_FALSE(RankRootCauses(in).ok());
}

}  // namespace
}  // namespace plinth::cost
