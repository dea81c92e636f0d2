#include "escalation/notify_rules.h"

#include <gtest/gtest.h>

#include "base/time.h"

namespace plinth::escalation {
namespace {

int64_t At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }
constexpr int64_t kMin = 60 * 1000;

const char* kPerson = R"({"contactMethods": [
    {"type": "slack", "address": "https://hooks.slack.com/services/T/B/X"},
    {"type": "email", "address": "ana@example.org"},
    {"type": "sms", "address": "+4915112345678"},
    {"type": "voice", "address": "+4915112345678"},
    {"type": "email", "address": "ana@home.example"}]})";

TEST(PlanTest, DefaultsWithoutRules) {
  PersonNotify p = PersonNotifyFromSpec(Json::parse(kPerson));
  ASSERT_EQ(p.methods.size(), 5u);
  auto high = PlanNotifications(p, Urgency::kHigh);
  ASSERT_EQ(high.size(), 5u);
  for (const auto& n : high) EXPECT_EQ(n.after_ms, 0);
  EXPECT_EQ(high[2].type, "sms");
  auto low = PlanNotifications(p, Urgency::kLow);
  EXPECT_EQ(low, (std::vector<Planned>{{"slack", "https://hooks.slack.com/services/T/B/X", 0},
                                       {"email", "ana@example.org", 0},
                                       {"email", "ana@home.example", 0}}));
}

TEST(PlanTest, RulesByUrgencyAndDelay) {
  Json spec = Json::parse(kPerson);
  spec["notificationRules"] = Json::parse(R"([
      {"after": "10m", "contactTypes": ["voice"], "urgency": "high"},
      {"after": "0s", "contactTypes": ["email", "slack"], "urgency": "any"},
      {"after": "5m", "contactTypes": ["sms"], "urgency": "high"},
      {"after": "30m", "contactTypes": ["email"], "urgency": "low"},
      {"after": "0s", "contactTypes": ["email"]}])");
  PersonNotify p = PersonNotifyFromSpec(spec);
  ASSERT_EQ(p.rules.size(), 5u);
  EXPECT_EQ(p.rules[0].urgency, Urgency::kHigh);
  EXPECT_EQ(p.rules[1].urgency, std::nullopt);
  EXPECT_EQ(PlanNotifications(p, Urgency::kHigh),
            (std::vector<Planned>{{"slack", "https://hooks.slack.com/services/T/B/X", 0},
                                  {"email", "ana@example.org", 0},
                                  {"email", "ana@home.example", 0},
                                  {"sms", "+4915112345678", 5 * kMin},
                                  {"voice", "+4915112345678", 10 * kMin}}));
  EXPECT_EQ(PlanNotifications(p, Urgency::kLow),
            (std::vector<Planned>{{"slack", "https://hooks.slack.com/services/T/B/X", 0},
                                  {"email", "ana@example.org", 0},
                                  {"email", "ana@home.example", 0},
                                  {"email", "ana@example.org", 30 * kMin},
                                  {"email", "ana@home.example", 30 * kMin}}));
}

TEST(PlanTest, NoRuleForTheUrgencyFallsBackToTheDefaults) {
  Json spec = Json::parse(kPerson);
  spec["notificationRules"] = Json::parse(R"([{"after": "0m", "contactTypes": ["voice"],
                                               "urgency": "high"}])");
  auto low = PlanNotifications(PersonNotifyFromSpec(spec), Urgency::kLow);
  EXPECT_EQ(low.size(), 3u);
  EXPECT_TRUE(PlanNotifications(PersonNotifyFromSpec(Json::object()), Urgency::kHigh).empty());
}

ServicePaging Paging(const char* json) {
  auto s = ServicePagingFromSpec(Json::parse(json));
  EXPECT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_TRUE(s.ok() && s->has_value());
  return s.ok() && *s ? **s : ServicePaging{};
}

TEST(PagingTest, ParsesSettings) {
  auto none = ServicePagingFromSpec(Json::parse(R"({"owner": "payments"})"));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ServicePaging s = Paging(R"({"paging": {"escalationPolicy": "p", "urgency": "low",
      "acknowledgementTimeout": "30m", "autoResolveTimeout": "4h", "groupingWindow": "0s"}})");
  EXPECT_EQ(s.policy, "p");
  EXPECT_EQ(s.urgency, ServicePaging::Rule::kLow);
  EXPECT_EQ(s.ack_timeout_ms, 30 * kMin);
  EXPECT_EQ(s.auto_resolve_ms, 240 * kMin);
  EXPECT_EQ(s.grouping_window_ms, 0);
  EXPECT_FALSE(s.support_hours);
  s = Paging(R"({"paging": {"escalationPolicy": "p"}})");
  EXPECT_EQ(s.urgency, ServicePaging::Rule::kSeverity);
  EXPECT_FALSE(s.ack_timeout_ms);
}

TEST(PagingTest, BadSettingsNameTheField) {
  auto field = [](const char* json) {
    auto s = ServicePagingFromSpec(Json::parse(json));
    return s.ok() ? std::string("ok") : s.error().fields.at(0).pointer;
  };
  EXPECT_EQ(field(R"({"paging": {}})"), "/paging/escalationPolicy");
  EXPECT_EQ(field(R"({"paging": []})"), "/paging");
  EXPECT_EQ(field(R"({"paging": {"escalationPolicy": "p", "urgency": "medium"}})"),
            "/paging/urgency");
  EXPECT_EQ(field(R"({"paging": {"escalationPolicy": "p", "autoResolveTimeout": "0m"}})"),
            "/paging/autoResolveTimeout");
  EXPECT_EQ(field(R"({"paging": {"escalationPolicy": "p", "supportHours": {"timeZone": "X"}}})"),
            "/paging/supportHours/timeZone");
}

TEST(UrgencyTest, BySeverityRuleAndSupportHours) {
  ServicePaging s = Paging(R"({"paging": {"escalationPolicy": "p", "supportHours":
      {"timeZone": "America/New_York", "days": ["monday", "tuesday", "wednesday", "thursday",
       "friday"], "start": "09:00", "end": "17:00"}}})");
  int64_t monday_10 = At("2026-01-05T15:00:00Z");  // 10:00 EST
  int64_t monday_20 = At("2026-01-06T01:00:00Z");  // 20:00 EST
  EXPECT_EQ(UrgencyOf(s, "critical", monday_10), Urgency::kHigh);
  EXPECT_EQ(UrgencyOf(s, "error", monday_10), Urgency::kHigh);
  EXPECT_EQ(UrgencyOf(s, "warning", monday_10), Urgency::kLow);
  EXPECT_EQ(UrgencyOf(s, "info", monday_10), Urgency::kLow);
  EXPECT_EQ(UrgencyOf(s, "bogus", monday_10), Urgency::kHigh);
  EXPECT_EQ(UrgencyOf(s, "critical", monday_20), Urgency::kLow);  // outside support hours
  s.urgency = ServicePaging::Rule::kLow;
  EXPECT_EQ(UrgencyOf(s, "critical", monday_10), Urgency::kLow);
  s.urgency = ServicePaging::Rule::kHigh;
  s.support_hours.reset();
  EXPECT_EQ(UrgencyOf(s, "info", monday_20), Urgency::kHigh);
}

}  // namespace
}  // namespace plinth::escalation
