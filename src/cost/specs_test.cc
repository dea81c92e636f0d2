#include "cost/specs.h"

#include <gtest/gtest.h>

namespace plinth::cost {
namespace {

// "pointer: message" of a one-field error.
std::string Problem(const Error& e) {
  return e.fields.size() == 1 ? e.fields[0].pointer + ": " + e.fields[0].message : e.ToString();
}

// The canonical CostAllocation spec the catalog stores (tests/golden/catalog/cost-kinds).
const char* kAllocation = R"({
  "rules": [
    {"name": "tagged", "match": {"tags": {"team": "*"}},
     "set": {"team": "${tag:team}", "environment": "${tag:env}"}},
    {"match": {"services": ["Amazon RDS"], "resources": ["arn:aws:rds:*:db:checkout-*"],
               "accounts": ["1111*"], "regions": ["eu-*"], "chargeCategories": ["Usage"]},
     "set": {"service": "checkout", "product": "shop"}}
  ],
  "shared": [
    {"name": "support", "match": {"services": ["AWS Support*"]}, "split": "proportional"},
    {"name": "network", "split": "even", "among": ["payments", "search"]},
    {"name": "platform", "split": "fixed", "weights": {"payments": 60, "search": 0.1}}
  ]
})";

TEST(CostSpecs, AllocationRulesFromTheCanonicalSpec) {
  auto rules = AllocationRulesFromSpec(Json::parse(kAllocation));
  ASSERT_TRUE(rules.ok()) << rules.error().ToString();
  ASSERT_EQ(rules->rules.size(), 2u);
  const AllocationRule& tagged = rules->rules[0];
  EXPECT_EQ(tagged.name, "tagged");
  EXPECT_EQ(tagged.match.tags, (std::vector<std::pair<std::string, std::string>>{{"team", "*"}}));
  EXPECT_EQ(tagged.set.team, "${tag:team}");
  EXPECT_EQ(tagged.set.environment, "${tag:env}");
  const AllocationRule& db = rules->rules[1];
  EXPECT_EQ(db.name, "");
  EXPECT_EQ(db.match.services, std::vector<std::string>{"Amazon RDS"});
  EXPECT_EQ(db.match.accounts, std::vector<std::string>{"1111*"});
  EXPECT_EQ(db.match.regions, std::vector<std::string>{"eu-*"});
  EXPECT_EQ(db.match.charge_categories, std::vector<std::string>{"Usage"});
  EXPECT_EQ(db.set.service, "checkout");
  EXPECT_EQ(db.set.team, "");
  ASSERT_EQ(rules->shared.size(), 3u);
  EXPECT_EQ(rules->shared[0].split, SplitMethod::kProportional);
  EXPECT_TRUE(rules->shared[1].match.empty());
  EXPECT_EQ(rules->shared[1].among, (std::vector<std::string>{"payments", "search"}));
  EXPECT_EQ(rules->shared[2].split, SplitMethod::kFixed);
  ASSERT_EQ(rules->shared[2].weights.size(), 2u);
  EXPECT_EQ(rules->shared[2].weights[1].second, (Decimal{1, 1}));  // 0.1 exactly

  AllocationRules all = *rules;
  AppendRules(all, *rules);
  EXPECT_EQ(all.rules.size(), 4u);
  EXPECT_EQ(all.shared.size(), 6u);
}

TEST(CostSpecs, AllocationProblemsNameTheField) {
  auto problem = [](const char* json) {
    auto r = AllocationRulesFromSpec(Json::parse(json));
    return r.ok() ? std::string("ok") : Problem(r.error());
  };
  EXPECT_EQ(problem(R"({"rules": [{"match": {}}]})"),
            "/rules/0/set: must be a mapping with team or service");
  EXPECT_EQ(problem(R"({"rules": [{"set": {"product": "x"}}]})"),
            "/rules/0/set: must set team or service");
  EXPECT_EQ(problem(R"({"rules": [{"set": {"team": "a-${tag:x}"}}]})"),
            "/rules/0/set/team: must be a literal or exactly ${tag:KEY}");
  EXPECT_EQ(problem(R"({"shared": [{"name": "x", "split": "fixed"}]})"),
            "/shared/0/weights: must map each receiving team to its weight");
  EXPECT_EQ(problem(R"({"shared": [{"name": "x", "split": "fixed", "weights": {"a": -1}}]})"),
            "/shared/0/weights/a: must be a weight above 0");
  EXPECT_EQ(problem(R"({"shared": [{"name": "x", "weights": {"a": 1}}]})"),
            "/shared/0/weights: only a fixed split has weights");
  EXPECT_EQ(problem(R"({"shared": [{"split": "even"}]})"), "/shared/0/name: is required");
  EXPECT_EQ(problem(R"({"rules": [{"match": {"services": "x"}, "set": {"team": "a"}}]})"),
            "/rules/0/match/services: must be a list of patterns");
}

TEST(CostSpecs, TagReference) {
  EXPECT_EQ(TagReference("${tag:team}"), "team");
  EXPECT_EQ(TagReference("${tag:cost center}"), "cost center");
  EXPECT_EQ(TagReference("${tag:}"), std::nullopt);
  EXPECT_EQ(TagReference("team"), std::nullopt);
  EXPECT_EQ(TagReference("x${tag:team}"), std::nullopt);
  EXPECT_EQ(TagReference("${tag:team}x"), std::nullopt);
}

TEST(CostSpecs, BudgetFromTheCanonicalSpec) {
  auto b = BudgetFromSpec("payments-monthly", Json::parse(R"({
    "scope": {"team": "payments"}, "period": "monthly", "amount": "12000.00", "currency": "USD",
    "metric": "effective",
    "thresholds": [{"percent": 80, "basis": "actual"}, {"percent": 100, "basis": "forecast"}],
    "notify": [{"webhook": "https://hooks.example.com/budget"}, {"service": "checkout"}]})"));
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  EXPECT_EQ(b->name, "payments-monthly");
  EXPECT_EQ(b->scope.kind, BudgetScope::Kind::kTeam);
  EXPECT_EQ(b->scope.name, "payments");
  EXPECT_EQ(b->amount, (Decimal{12000, 0}));
  EXPECT_EQ(b->currency, "USD");
  EXPECT_EQ(b->thresholds, (std::vector<BudgetThreshold>{{80, ThresholdBasis::kActual},
                                                         {100, ThresholdBasis::kForecast}}));
  ASSERT_EQ(b->notify.size(), 2u);
  EXPECT_EQ(b->notify[1].service, "checkout");

  auto org = BudgetFromSpec("org", Json::parse(R"({"scope": {"organization": true},
    "period": "quarterly", "amount": 250000, "currency": "EUR", "metric": "billed"})"));
  ASSERT_TRUE(org.ok()) << org.error().ToString();
  EXPECT_EQ(org->scope.kind, BudgetScope::Kind::kOrganization);
  EXPECT_EQ(org->period, BudgetPeriod::kQuarterly);
  EXPECT_EQ(org->metric, BudgetMetric::kBilled);
  EXPECT_EQ(org->thresholds, DefaultThresholds());

  auto tag = BudgetFromSpec("t", Json::parse(R"({"scope": {"tag": {"key": "env",
    "value": "prod"}}, "amount": "1.5", "currency": "USD"})"));
  ASSERT_TRUE(tag.ok()) << tag.error().ToString();
  EXPECT_EQ(tag->scope.kind, BudgetScope::Kind::kTag);
  EXPECT_EQ(tag->scope.tag_key, "env");
  EXPECT_EQ(tag->scope.tag_value, "prod");

  auto bad = BudgetFromSpec("b", Json::parse(R"({"scope": {"team": "a", "service": "b"},
    "amount": "1", "currency": "USD"})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Problem(bad.error()),
            "/scope: must have exactly one of organization, team, service or tag");
  auto zero = BudgetFromSpec("b", Json::parse(R"({"scope": {"team": "a"}, "amount": "0",
    "currency": "USD"})"));
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(Problem(zero.error()), "/amount: must be an amount above 0");
}

TEST(CostSpecs, UnitMetricFromTheCanonicalSpec) {
  auto u = UnitMetricFromSpec("checkout-requests", Json::parse(R"json({
    "scope": {"service": "checkout"}, "unit": "request", "per": 1000, "source": "prometheus",
    "prometheus": {"dataSource": "prom", "query": "sum(x)"}})json"));
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_EQ(u->scope_kind, UnitMetricSpec::ScopeKind::kService);
  EXPECT_EQ(u->scope_name, "checkout");
  EXPECT_EQ(u->unit, "request");
  EXPECT_EQ(u->per, 1000);
  EXPECT_EQ(u->source, UnitMetricSpec::Source::kPrometheus);
  EXPECT_EQ(u->data_source, "prom");
  EXPECT_EQ(u->query, "sum(x)");

  auto push = UnitMetricFromSpec("c", Json::parse(R"({"scope": {"team": "payments"},
    "unit": "customer"})"));
  ASSERT_TRUE(push.ok()) << push.error().ToString();
  EXPECT_EQ(push->scope_kind, UnitMetricSpec::ScopeKind::kTeam);
  EXPECT_EQ(push->per, 1);
  EXPECT_EQ(push->source, UnitMetricSpec::Source::kPush);

  auto bad = UnitMetricFromSpec("c", Json::parse(R"({"scope": {"team": "p"}, "unit": "u",
    "source": "prometheus"})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Problem(bad.error()), "/prometheus: is required: {dataSource, query}");
}

}  // namespace
}  // namespace plinth::cost
