#include "cost/allocation.h"

#include <gtest/gtest.h>

#include <map>

namespace plinth::cost {
namespace {

constexpr int64_t kJan = 1767225600;  // 2026-01-01T00:00:00Z
constexpr int64_t kFeb = 1769904000;

Amount Money(std::string_view text) { return Amount::FromDecimal(*ParseDecimal(text)); }

// A query row for `rules`: `values` by column name ("ServiceName", "Tags", ...).
CostRow Row(const AllocationRules& rules, std::map<std::string, std::string> values,
            std::string_view cost, int64_t month = kJan, std::string currency = "USD") {
  CostRow row;
  for (const Dimension& d : AllocationDimensions(rules)) row.keys.push_back(values[d.name]);
  row.period_start_s = month;
  row.currency = std::move(currency);
  row.cost = Money(cost);
  return row;
}

AllocationRules Rules(const char* json) {
  auto r = AllocationRulesFromSpec(Json::parse(json));
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? *r : AllocationRules{};
}

AllocationCatalog Catalog() {
  AllocationCatalog c;
  c.teams = {"payments", "search", "platform"};
  c.service_owners = {{"checkout", "payments"}, {"search-api", "search"}};
  return c;
}

std::string Names(const std::vector<Dimension>& dims) {
  std::string out;
  for (const auto& d : dims) out += (out.empty() ? "" : ",") + d.name;
  return out;
}

TEST(Allocation, DimensionsFollowTheRules) {
  EXPECT_EQ(Names(AllocationDimensions({})), "ServiceName,SubAccountId,ResourceId,ResourceName");
  auto rules = Rules(R"({"rules": [{"match": {"accounts": ["1*"], "regions": ["eu-*"]},
    "set": {"team": "${tag:team}"}}], "shared": [{"name": "s",
    "match": {"chargeCategories": ["Tax"]}}]})");
  EXPECT_EQ(Names(AllocationDimensions(rules)),
            "ServiceName,SubAccountId,ResourceId,ResourceName,BillingAccountId,RegionId,"
            "ChargeCategory,Tags");
}

TEST(Allocation, GlobsIgnoreCase) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("amazon ec2", "Amazon EC2"));
  EXPECT_TRUE(GlobMatch("arn:*:db:pay-*", "arn:aws:rds:eu-west-1:1:db:pay-main"));
  EXPECT_TRUE(GlobMatch("i-??", "i-12"));
  EXPECT_FALSE(GlobMatch("i-??", "i-123"));
  EXPECT_TRUE(GlobMatch("*a*b*c", "xxaxxbxxbxc"));
  EXPECT_FALSE(GlobMatch("*a*b*c", "xxaxxbxxbx"));
  EXPECT_FALSE(GlobMatch("prod", "production"));
}

TEST(Allocation, SplitExactlyAddsUp) {
  Int128 even[] = {1, 1, 1};
  auto thirds = SplitExactly(Amount::Cents(100), even);
  EXPECT_EQ(thirds[0].ToExactString(), "0.333333333333333334");
  EXPECT_EQ(thirds[1].ToExactString(), "0.333333333333333333");
  EXPECT_EQ(thirds[0] + thirds[1] + thirds[2], Amount::Cents(100));
  auto negative = SplitExactly(-Amount::Cents(100), even);
  EXPECT_EQ(negative[0].ToExactString(), "-0.333333333333333334");
  // Weights and amounts near the top of the range need the 256-bit product.
  Int128 big[] = {Money("70000000000").units(), Money("30000000000.5").units(), 0};
  Amount amount = Amount::FromUnits(Pow10(29) - 1);  // 99999999999.999999999999999999
  auto shares = SplitExactly(amount, big);
  EXPECT_EQ(shares[0] + shares[1] + shares[2], amount);
  EXPECT_TRUE(shares[2].is_zero());
  EXPECT_EQ(shares[0].ToExactString(), "69999999999.650000000001749999");
}

TEST(Allocation, RulesTagsAndServiceOwners) {
  auto rules = Rules(R"({"rules": [
    {"name": "tagged", "match": {"tags": {"team": "*"}},
     "set": {"team": "${tag:team}", "environment": "${tag:env}", "service": "${tag:app}"}},
    {"match": {"services": ["Amazon RDS"]}, "set": {"service": "checkout", "product": "shop"}},
    {"match": {"services": ["Amazon S3"]}, "set": {"service": "${tag:app}"}}]})");
  std::vector<CostRow> rows = {
      Row(rules, {{"ServiceName", "Amazon EC2"}, {"Tags", R"({"env":"prod","team":"Search"})"}},
          "10.10"),
      Row(rules, {{"ServiceName", "Amazon EC2"}, {"Tags", R"({"app":"web","team":"payments"})"}},
          "5"),
      Row(rules,
          {{"ServiceName", "Amazon EC2"}, {"Tags", R"({"team":"paymnts"})"}, {"ResourceId", "i-1"}},
          "2.5"),
      Row(rules, {{"ServiceName", "Amazon RDS"}}, "20"),
      Row(rules,
          {{"ServiceName", "Amazon S3"},
           {"Tags", R"({"app":"nothing"})"},
           {"ResourceId", "bucket"},
           {"SubAccountId", "111"}},
          "1"),
      Row(rules, {{"ServiceName", "Amazon S3"}, {"ResourceId", "b2"}}, "0.4"),
  };
  auto report = Allocate(rules, Catalog(), rows);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  ASSERT_EQ(report->months.size(), 1u);
  const AllocationMonth& m = report->months[0];
  EXPECT_EQ(m.total, Money("39"));
  ASSERT_EQ(m.teams.size(), 2u);
  EXPECT_EQ(m.teams[0].team, "payments");
  EXPECT_EQ(m.teams[0].total, Money("25"));
  EXPECT_EQ(m.teams[1].team, "search");  // the tag's case is forgiven
  EXPECT_EQ(m.teams[1].direct, Money("10.10"));
  ASSERT_EQ(m.lines.size(), 3u);
  EXPECT_EQ(m.lines[0].service, "");  // "web" is not a catalog service
  EXPECT_EQ(m.lines[1].service, "checkout");
  EXPECT_EQ(m.lines[1].product, "shop");
  EXPECT_EQ(m.lines[2].environment, "prod");
  EXPECT_EQ(m.unallocated, Money("3.9"));
  ASSERT_EQ(m.reasons.size(), 3u);
  EXPECT_EQ(m.reasons[0].reason, "team \"paymnts\" from tag \"team\" is not a catalog team");
  EXPECT_EQ(m.reasons[1].reason, "service \"nothing\" from tag \"app\" is not a catalog service");
  EXPECT_EQ(m.reasons[2].reason, "no rule matches");  // S3 without the app tag falls through
  ASSERT_EQ(m.top_unallocated.size(), 3u);
  EXPECT_EQ(m.top_unallocated[0].resource_id, "i-1");
  EXPECT_EQ(m.top_unallocated[1].resource_id, "bucket");
  EXPECT_EQ(m.top_unallocated[1].account, "111");
  EXPECT_NEAR(m.Coverage(), 1 - 3.9 / 39, 1e-12);
  EXPECT_EQ(report->warnings,
            std::vector<std::string>{"service \"web\" from tag \"app\" (rule \"tagged\") is not a "
                                     "catalog service; its cost shows without one"});
}

TEST(Allocation, SharedPoolsSplitEvenProportionalFixed) {
  auto rules = Rules(R"({
    "rules": [{"match": {"accounts": ["pay-*"]}, "set": {"team": "payments"}},
              {"match": {"accounts": ["search-*"]}, "set": {"team": "search"}}],
    "shared": [
      {"name": "support", "match": {"services": ["AWS Support"]}},
      {"name": "network", "match": {"services": ["VPC"]}, "split": "even",
       "among": ["payments", "search", "platform"]},
      {"name": "platform", "match": {"accounts": ["platform"]}, "split": "fixed",
       "weights": {"payments": 3, "search": 1}},
      {"name": "orphan", "match": {"services": ["Orphan"]}, "split": "fixed",
       "weights": {"gone": 1}}]})");
  std::vector<CostRow> rows = {
      Row(rules, {{"SubAccountId", "pay-1"}}, "200"),
      Row(rules, {{"SubAccountId", "search-1"}}, "100"),
      Row(rules, {{"ServiceName", "AWS Support"}, {"SubAccountId", "pay-1"}}, "0.01"),
      Row(rules, {{"ServiceName", "VPC"}}, "10"),
      Row(rules, {{"SubAccountId", "platform"}}, "40"),
      Row(rules, {{"ServiceName", "Orphan"}}, "1"),
      Row(rules, {{"SubAccountId", "pay-1"}}, "7", kFeb),
      Row(rules, {{"ServiceName", "AWS Support"}}, "3", kFeb, "EUR"),
  };
  auto report = Allocate(rules, Catalog(), rows);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  ASSERT_EQ(report->months.size(), 3u);
  const AllocationMonth& jan = report->months[0];
  EXPECT_EQ(jan.pools, (std::vector<std::string>{"support", "network", "platform", "orphan"}));
  EXPECT_EQ(jan.pool_totals[0], Money("0.01"));
  ASSERT_EQ(jan.teams.size(), 3u);
  const TeamAllocation& pay = jan.teams[0];
  EXPECT_EQ(pay.team, "payments");
  // support 0.01 * 200/300: 0.00666... with the spare unit to the larger remainder.
  EXPECT_EQ(pay.shared[0].ToExactString(), "0.006666666666666667");
  EXPECT_EQ(pay.shared[1].ToExactString(), "3.333333333333333334");
  EXPECT_EQ(pay.shared[2], Money("30"));
  EXPECT_EQ(jan.teams[2].team, "platform");  // network only
  EXPECT_EQ(jan.teams[2].direct, Amount());
  EXPECT_EQ(jan.unallocated, Money("1"));
  EXPECT_EQ(jan.reasons[0].reason, "shared pool \"orphan\" has no team to share with");
  Amount sum = jan.unallocated;
  for (const auto& t : jan.teams) sum += t.total;
  EXPECT_EQ(sum, jan.total);
  EXPECT_EQ(jan.total, Money("351.01"));
  // February in EUR: support with no direct cost to follow stays unallocated.
  const AllocationMonth& feb_eur = report->months[1];
  EXPECT_EQ(feb_eur.currency, "EUR");
  EXPECT_EQ(feb_eur.unallocated, Money("3"));
  EXPECT_EQ(report->months[2].currency, "USD");
  EXPECT_EQ(report->months[2].teams[0].total, Money("7"));
}

TEST(Allocation, RowsOfAnotherShapeAreAnError) {
  CostRow row;
  row.keys = {"x"};
  auto report = Allocate({}, Catalog(), std::vector<CostRow>{row});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().message,
            "allocation needs rows grouped by its 4 dimensions (AllocationDimensions), got 1 keys");
}

}  // namespace
}  // namespace plinth::cost
