#include "escalation/policy.h"

#include <gtest/gtest.h>

#include "base/time.h"

namespace plinth::escalation {
namespace {

int64_t At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }
constexpr int64_t kMin = 60 * 1000;

Policy Parse(const char* json, std::string_view name = "p") {
  auto p = PolicyFromSpec(name, Json::parse(json));
  EXPECT_TRUE(p.ok()) << p.error().ToString();
  return p.ok() ? *p : Policy{};
}

std::string Problem(const char* json) {
  auto p = PolicyFromSpec("p", Json::parse(json));
  if (p.ok()) return "ok";
  return p.error().fields.at(0).pointer + " " + p.error().fields.at(0).message;
}

TEST(PolicySpecTest, DefaultsAndRoundTrip) {
  Policy p = Parse(R"({"owner": "payments", "levels": [
      {"targets": [{"schedule": "primary"}]},
      {"escalateAfter": "15m", "notify": "roundRobin",
       "when": {"timeZone": "Europe/Berlin", "days": ["saturday", "sunday"],
                "start": "00:00", "end": "24:00"},
       "targets": [{"person": "ana"}, {"team": "payments"}]}]})",
                   "payments-default");
  ASSERT_EQ(p.levels.size(), 2u);
  EXPECT_EQ(p.repeat, 0);
  EXPECT_EQ(p.levels[0].escalate_after_ms, 30 * kMin);
  EXPECT_FALSE(p.levels[0].round_robin);
  EXPECT_FALSE(p.levels[0].when.has_value());
  EXPECT_EQ(p.levels[0].targets, (std::vector<Target>{{Target::Kind::kSchedule, "primary"}}));
  EXPECT_TRUE(p.levels[1].round_robin);
  EXPECT_EQ(p.levels[1].when->days, (std::vector<int>{0, 6}));
  Json snapshot = PolicyToJson(p);
  EXPECT_EQ(snapshot["name"], "payments-default");
  EXPECT_EQ(snapshot["levels"][0], (Json{{"escalateAfter", "30m"},
                                         {"notify", "all"},
                                         {"targets", {{{"schedule", "primary"}}}}}));
  auto back = PolicyFromSpec("payments-default", snapshot);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, p);
  EXPECT_EQ(PolicyToJson(*back), snapshot);
}

TEST(PolicySpecTest, ReportsTheFirstProblemWithItsPointer) {
  EXPECT_EQ(Problem(R"([])"), " must be a mapping with levels");
  EXPECT_EQ(Problem(R"({})"), "/levels must list 1 to 20 levels");
  EXPECT_EQ(Problem(R"({"levels": []})"), "/levels must list 1 to 20 levels");
  EXPECT_EQ(Problem(R"({"repeat": 10, "levels": [{"targets": [{"person": "a"}]}]})"),
            "/repeat must be an integer from 0 to 9");
  EXPECT_EQ(Problem(R"({"levels": [{"targets": []}]})"),
            "/levels/0/targets must list 1 to 50 targets");
  EXPECT_EQ(Problem(R"({"levels": [{"escalateAfter": "0m", "targets": [{"person": "a"}]}]})"),
            "/levels/0/escalateAfter must be a duration such as 15m");
  EXPECT_EQ(Problem(R"({"levels": [{"notify": "some", "targets": [{"person": "a"}]}]})"),
            "/levels/0/notify must be one of all, roundRobin");
  EXPECT_EQ(Problem(R"({"levels": [{"targets": [{"person": "a", "team": "b"}]}]})"),
            "/levels/0/targets/0 give exactly one of person, schedule and team");
  EXPECT_EQ(Problem(R"({"levels": [{"targets": [{"user": "a"}]}]})"),
            "/levels/0/targets/0 give exactly one of person, schedule and team");
  EXPECT_EQ(Problem(R"({"levels": [{"targets": [{"person": 3}]}]})"),
            "/levels/0/targets/0/person must be a name");
  EXPECT_EQ(Problem(R"({"levels": [{"when": {"timeZone": "UTC", "start": "9"},
                                    "targets": [{"person": "a"}]}]})"),
            "/levels/0/when/start must be a time of day such as 09:00");
  std::string many = R"({"levels": [)";
  for (int i = 0; i < 21; ++i)
    many += std::string(i ? "," : "") + R"({"targets": [{"person": "a"}]})";
  EXPECT_EQ(Problem((many + "]}").c_str()), "/levels must list 1 to 20 levels");
}

const char* kThreeLevels = R"({"repeat": 1, "levels": [
    {"escalateAfter": "10m", "targets": [{"person": "a"}]},
    {"escalateAfter": "20m", "targets": [{"person": "b"}]},
    {"escalateAfter": "30m", "targets": [{"person": "c"}]}]})";

TEST(FireTest, WalksLevelsThenRepeatsThenStops) {
  Policy p = Parse(kThreeLevels);
  int64_t now = At("2026-01-05T10:00:00Z");
  auto s = Fire(p, {}, now);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->at, (Position{0, 0}));
  EXPECT_EQ(s->level, &p.levels[0]);
  EXPECT_EQ(s->next, (Position{1, 0}));
  EXPECT_EQ(s->next_at_ms, now + 10 * kMin);
  s = Fire(p, {2, 0}, now);
  EXPECT_EQ(s->next, (Position{0, 1}));  // the last level leads to the next pass
  EXPECT_EQ(s->next_at_ms, now + 30 * kMin);
  s = Fire(p, {2, 1}, now);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->at, (Position{2, 1}));
  EXPECT_EQ(s->next, std::nullopt);  // exhausted after the last pass
  EXPECT_EQ(s->next_at_ms, now + 30 * kMin);
  EXPECT_FALSE(Fire(p, {0, 2}, now));  // past the end
  EXPECT_FALSE(Fire(p, {3, 0}, now));  // outside the policy
  EXPECT_FALSE(Fire(p, {-1, 0}, now));
}

TEST(FireTest, SkipsLevelsOutsideTheirWindowAtOnce) {
  Policy p = Parse(R"({"repeat": 2, "levels": [
      {"escalateAfter": "5m", "targets": [{"person": "day"}],
       "when": {"timeZone": "Europe/Berlin", "days": ["mon", "tue", "wed", "thu", "fri"],
                "start": "09:00", "end": "18:00"}},
      {"escalateAfter": "15m", "targets": [{"person": "anyone"}]}]})");
  int64_t monday_noon = At("2026-01-05T11:00:00Z");
  int64_t saturday = At("2026-01-10T11:00:00Z");
  EXPECT_EQ(Fire(p, {}, monday_noon)->at, (Position{0, 0}));
  auto s = Fire(p, {}, saturday);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->at, (Position{1, 0}));
  EXPECT_EQ(s->next_at_ms, saturday + 15 * kMin);  // skipping costs no time
  s = Fire(p, {1, 2}, saturday);
  EXPECT_EQ(s->next, std::nullopt);
}

TEST(FireTest, NothingEligibleTerminates) {
  Policy p = Parse(R"({"repeat": 9, "levels": [
      {"targets": [{"person": "a"}], "when": {"timeZone": "UTC", "days": ["saturday"],
                                              "start": "00:00", "end": "24:00"}},
      {"targets": [{"person": "b"}], "when": {"timeZone": "UTC", "days": ["sunday"],
                                              "start": "00:00", "end": "24:00"}}]})");
  EXPECT_FALSE(Fire(p, {}, At("2026-01-05T11:00:00Z")));
  EXPECT_EQ(Fire(p, {}, At("2026-01-11T11:00:00Z"))->at, (Position{1, 0}));
  // On a Sunday, from level 0 of the last pass: level 1 of that pass.
  EXPECT_EQ(Fire(p, {0, 9}, At("2026-01-11T11:00:00Z"))->at, (Position{1, 9}));
  // On a Saturday, from level 1 of a pass: level 0 of the next pass.
  EXPECT_EQ(Fire(p, {1, 3}, At("2026-01-10T11:00:00Z"))->at, (Position{0, 4}));
  EXPECT_FALSE(Fire(p, {1, 9}, At("2026-01-10T11:00:00Z")));
}

TEST(RoundRobinTest, RotatesPerIncidentAndPerPass) {
  EXPECT_EQ(RoundRobinPick(3, 1, 0), 0u);
  EXPECT_EQ(RoundRobinPick(3, 2, 0), 1u);
  EXPECT_EQ(RoundRobinPick(3, 3, 0), 2u);
  EXPECT_EQ(RoundRobinPick(3, 4, 0), 0u);
  EXPECT_EQ(RoundRobinPick(3, 1, 1), 1u);
  EXPECT_EQ(RoundRobinPick(3, 3, 1), 0u);
  EXPECT_EQ(RoundRobinPick(1, 99, 5), 0u);
  EXPECT_EQ(RoundRobinPick(3, 0, 0), 2u);
  EXPECT_LT(RoundRobinPick(7, INT64_MIN, 9), 7u);
  EXPECT_LT(RoundRobinPick(7, INT64_MAX, 9), 7u);
}

}  // namespace
}  // namespace plinth::escalation
