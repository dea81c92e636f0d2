#include "cost/generate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "store/golden.h"

namespace plinth::cost {
namespace {

constexpr int64_t kJan2025 = 1735689600;  // 2025-01-01T00:00:00Z

// One CSV line split into fields (the generator never writes newlines inside a field).
std::vector<std::string> Fields(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

struct Csv {
  std::map<std::string, size_t> col;
  std::vector<std::vector<std::string>> rows;
  const std::string& At(size_t row, const std::string& name) const {
    return rows[row][col.at(name)];
  }
};

Csv Parse(const std::string& text) {
  Csv csv;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  auto header = Fields(line);
  for (size_t i = 0; i < header.size(); ++i) csv.col[header[i]] = i;
  while (std::getline(in, line)) csv.rows.push_back(Fields(line));
  return csv;
}

// Discards what is written: for tests that need only the statistics.
class NullBuf : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

Amount Money(const std::string& s) {
  auto d = ParseDecimal(s);
  EXPECT_TRUE(d.ok()) << s;
  return d.ok() ? Amount::FromDecimal(*d) : Amount();
}

// Two services, a savings plan, a support fee, an untagged instance and an anomaly on day 2.
OrgSpec SmallSpec() {
  OrgSpec spec;
  spec.start_s = kJan2025;
  spec.months = 1;
  spec.end_s = kJan2025 + 3 * 86400;
  spec.seed = 42;
  GenBillingAccount ba{"111122223333", "Small, Inc.", {}, 100, 0.5};
  ba.sub_accounts = {{"111122223333", "small-management", "management"},
                     {"444455556666", "small-prod", "prod"},
                     {"777788889999", "small-sandbox", "dev"}};
  spec.billing_accounts.push_back(ba);
  spec.services.push_back({"api",
                           "web",
                           "shop",
                           true,
                           {"444455556666"},
                           {"eu-central-1"},
                           {{CloudProduct::kEc2Instance, 0.7}, {CloudProduct::kS3Bucket, 0.3}},
                           20,
                           0.02,
                           3});
  spec.services.push_back({"jobs",
                           "data",
                           "",
                           false,
                           {"444455556666"},
                           {"us-east-1"},
                           {{CloudProduct::kLambdaFunction, 1}, {CloudProduct::kCloudFront, 1}},
                           4,
                           0,
                           2});
  spec.untagged.push_back(
      {"old-test", "777788889999", "us-east-1", CloudProduct::kGpuInstance, 1, 73.44, 1});
  spec.anomaly = GenAnomaly{"jobs", CloudProduct::kLambdaFunction, 2, 1, 4};
  return spec;
}

TEST(Generate, SmallOrganisationIsGolden) {
  std::ostringstream out;
  auto stats = GenerateFocus(SmallSpec(), out);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  golden::ExpectMatches(std::string(PLINTH_SOURCE_DIR) + "/tests/golden/cost-generate/small",
                        out.str());
}

TEST(Generate, HeaderHasEveryFocus12ColumnAndRowsHaveAllFields) {
  std::ostringstream out;
  ASSERT_TRUE(GenerateFocus(SmallSpec(), out).ok());
  Csv csv = Parse(out.str());
  EXPECT_EQ(csv.col.size(), 57u);
  for (auto name : {"BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "Tags",
                    "BillingAccountType", "SubAccountType", "InvoiceId", "ServiceSubcategory",
                    "PricingCurrencyEffectiveCost", "CapacityReservationId", "SkuMeter"}) {
    EXPECT_TRUE(csv.col.contains(name)) << name;
  }
  for (const auto& row : csv.rows) ASSERT_EQ(row.size(), 57u);
}

TEST(Generate, SameSeedSameBytesOtherSeedOtherBytes) {
  OrgSpec spec = DemoOrgSpec(kJan2025, 2);
  spec.rows_per_day = 100;
  std::ostringstream a, b, c;
  ASSERT_TRUE(GenerateFocus(spec, a).ok());
  ASSERT_TRUE(GenerateFocus(spec, b).ok());
  spec.seed = 8;
  ASSERT_TRUE(GenerateFocus(spec, c).ok());
  EXPECT_EQ(a.str(), b.str());
  EXPECT_NE(a.str(), c.str());
}

TEST(Generate, TotalsAndCostColumnsAreConsistent) {
  OrgSpec spec = DemoOrgSpec(kJan2025, 2);
  spec.rows_per_day = 400;
  std::ostringstream out;
  auto stats = GenerateFocus(spec, out);
  ASSERT_TRUE(stats.ok());
  Csv csv = Parse(out.str());
  ASSERT_EQ(int64_t(csv.rows.size()), stats->rows);
  EXPECT_NEAR(double(stats->rows) / double(stats->days), 400, 12);
  Amount billed, effective, list, contracted, sp_fee, sp_used;
  for (size_t i = 0; i < csv.rows.size(); ++i) {
    Amount b = Money(csv.At(i, "BilledCost")), e = Money(csv.At(i, "EffectiveCost"));
    Amount l = Money(csv.At(i, "ListCost")), k = Money(csv.At(i, "ContractedCost"));
    billed += b;
    effective += e;
    list += l;
    contracted += k;
    EXPECT_EQ(csv.At(i, "BillingCurrency"), "USD");
    const std::string& status = csv.At(i, "CommitmentDiscountStatus");
    if (csv.At(i, "ChargeCategory") == "Usage" && status == "NULL") {
      EXPECT_TRUE(e <= k && k <= l && b == e) << i;
    }
    if (status == "Used") {
      EXPECT_TRUE(b.is_zero() && e < k) << i;
      EXPECT_EQ(csv.At(i, "PricingCategory"), "Committed");
    }
    if (status == "Used" || status == "Unused") sp_used += e;
    if (csv.At(i, "ChargeCategory") == "Purchase" && csv.At(i, "CommitmentDiscountId") != "NULL") {
      sp_fee += b;
      EXPECT_TRUE(e.is_zero());
    }
  }
  ASSERT_EQ(stats->totals.size(), 1u);
  EXPECT_EQ(stats->totals[0].billed, billed);
  EXPECT_EQ(stats->totals[0].effective, effective);
  EXPECT_EQ(stats->totals[0].list, list);
  EXPECT_EQ(stats->totals[0].contracted, contracted);
  EXPECT_EQ(stats->totals[0].rows, stats->rows);
  // The savings plan's fee is exactly its covered plus unused commitment.
  EXPECT_EQ(sp_fee, Amount::Cents(5000 * 24 * 59));
  EXPECT_EQ(sp_used, sp_fee);
}

TEST(Generate, ResourcesCarryRealisticIdsAndTags) {
  OrgSpec spec = DemoOrgSpec(kJan2025, 2);
  spec.rows_per_day = 300;
  std::ostringstream out;
  ASSERT_TRUE(GenerateFocus(spec, out).ok());
  Csv csv = Parse(out.str());
  int ec2 = 0, untagged = 0;
  for (size_t i = 0; i < csv.rows.size(); ++i) {
    const std::string& id = csv.At(i, "ResourceId");
    if (csv.At(i, "ResourceType") == "Instance") {
      ++ec2;
      EXPECT_TRUE(id.starts_with("arn:aws:ec2:") && id.find(":instance/i-0") != std::string::npos)
          << id;
      EXPECT_EQ(id.size() - id.find("/i-") - 1, 19u) << id;
    }
    if (csv.At(i, "ResourceName").starts_with("ml-experiment")) {
      ++untagged;
      EXPECT_EQ(csv.At(i, "Tags"), "NULL");
      EXPECT_EQ(csv.At(i, "SubAccountName"), "sandbox");
    }
    if (csv.At(i, "ResourceName").starts_with("payments-api-prod-")) {
      EXPECT_EQ(
          csv.At(i, "Tags"),
          R"({"env":"prod","product":"payments-core","service":"payments-api","team":"payments"})");
    }
    if (csv.At(i, "ResourceName").starts_with("event-pipeline-")) {  // data: no team tag
      EXPECT_EQ(csv.At(i, "Tags").find("team"), std::string::npos);
    }
  }
  EXPECT_GT(ec2, 1000);
  EXPECT_EQ(untagged, 4 * (59 - 19));  // a short history: from its third week
}

// Daily cost of one service is flat but for weekends; the anomaly days stand out.
TEST(Generate, DemoAnomalyStandsOutOfWeeklySeasonality) {
  OrgSpec spec = DemoOrgSpec(kJan2025, 13);
  spec.rows_per_day = 300;
  NullBuf null;
  std::ostream out(&null);
  auto stats = GenerateFocus(spec, out);
  ASSERT_TRUE(stats.ok());
  auto window = AnomalyWindow(spec);
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->to_s - window->from_s, 3 * 86400);
  EXPECT_EQ(window->from_s, kJan2025 + (stats->days - 45) * 86400);
  size_t s = 0;
  while (spec.services[s].name != "event-pipeline") ++s;
  const auto& daily = stats->service_daily[s];
  const int64_t first = (window->from_s - kJan2025) / 86400;
  for (int64_t d = first; d < first + 3; ++d) {
    // The same weekday one and two weeks before: the anomaly is over 1.5x.
    double before = (daily[size_t(d - 7)].ToDouble() + daily[size_t(d - 14)].ToDouble()) / 2;
    EXPECT_GT(daily[size_t(d)].ToDouble(), 1.5 * before) << d;
  }
  // Weekends are lower than weekdays, but never by half.
  int64_t wednesday = first - 14;
  while ((kJan2025 / 86400 + wednesday + 4) % 7 != 3) ++wednesday;
  double weekday = daily[size_t(wednesday)].ToDouble();
  double weekend = daily[size_t(wednesday + 4)].ToDouble();  // the Sunday after
  EXPECT_LT(weekend, 0.95 * weekday);
  EXPECT_GT(weekend, 0.6 * weekday);
}

TEST(Generate, HourlyRowsSplitTheDayAndTheCommitment) {
  OrgSpec spec = SmallSpec();
  spec.hourly = true;
  spec.end_s = kJan2025 + 86400;
  spec.untagged.clear();
  spec.anomaly.reset();
  std::ostringstream out;
  auto stats = GenerateFocus(spec, out);
  ASSERT_TRUE(stats.ok());
  Csv csv = Parse(out.str());
  std::map<std::string, int> usage_per_hour;
  Amount sp_used;
  for (size_t i = 0; i < csv.rows.size(); ++i) {
    const std::string& start = csv.At(i, "ChargePeriodStart");
    if (csv.At(i, "ChargeCategory") == "Usage") {
      const int hour = std::stoi(start.substr(11, 2));
      EXPECT_EQ(std::stoi(csv.At(i, "ChargePeriodEnd").substr(11, 2)), (hour + 1) % 24);
      if (csv.At(i, "CommitmentDiscountStatus") != "Unused") ++usage_per_hour[start];
    }
    const std::string& status = csv.At(i, "CommitmentDiscountStatus");
    if (status == "Used" || status == "Unused") sp_used += Money(csv.At(i, "EffectiveCost"));
  }
  ASSERT_EQ(usage_per_hour.size(), 24u);
  EXPECT_EQ(usage_per_hour.begin()->first, "2025-01-01T00:00:00Z");
  EXPECT_EQ(usage_per_hour.rbegin()->first, "2025-01-01T23:00:00Z");
  for (const auto& [hour, n] : usage_per_hour) EXPECT_EQ(n, 5) << hour;  // 3 + 2 resources
  EXPECT_EQ(sp_used, Amount::Cents(50 * 24));  // $0.50 an hour, used or unused
}

TEST(Generate, RejectsAnInvalidSpec) {
  std::ostringstream out;
  OrgSpec spec = SmallSpec();
  spec.start_s += 86400;
  EXPECT_EQ(GenerateFocus(spec, out).error().message,
            "start 2025-01-02T00:00:00Z is not a month start");
  spec = SmallSpec();
  spec.services[0].sub_accounts = {"000000000000"};
  EXPECT_EQ(GenerateFocus(spec, out).error().message,
            "service \"api\": unknown sub-account \"000000000000\"");
  spec = SmallSpec();
  spec.services[1].regions = {"mars-north-1"};
  EXPECT_EQ(GenerateFocus(spec, out).error().message,
            "service \"jobs\": unknown region \"mars-north-1\"");
  spec = SmallSpec();
  spec.anomaly->product = CloudProduct::kRedshift;
  EXPECT_EQ(GenerateFocus(spec, out).error().message,
            "anomaly: the product is not in the mix of \"jobs\"");
}

}  // namespace
}  // namespace plinth::cost
