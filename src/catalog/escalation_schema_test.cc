// The paging parts of the schema: EscalationPolicy, Service.spec.paging and
// Person.spec.notificationRules canonicalise to specs the escalation engine reads.

#include <gtest/gtest.h>

#include "catalog/manifest.h"
#include "catalog/model.h"
#include "escalation/notify_rules.h"
#include "escalation/paging.h"
#include "escalation/policy.h"

namespace plinth::catalog {
namespace {

Json Doc(const char* kind, const char* name, Json spec) {
  return {{"apiVersion", "plinth/v1"},
          {"kind", kind},
          {"metadata", {{"name", name}}},
          {"spec", std::move(spec)}};
}

std::vector<std::string> Problems(const Json& doc) {
  std::vector<std::string> out;
  auto r = Canonicalize(doc);
  if (r.ok()) return out;
  for (const auto& f : r.error().fields) out.push_back(f.pointer + " " + f.message);
  return out;
}

TEST(EscalationSchemaTest, PolicyCanonicalFormAndReferences) {
  Json in = Doc("EscalationPolicy", "pay", Json::parse(R"({
      "owner": "payments",
      "levels": [
        {"targets": [{"schedule": " primary "}]},
        {"escalateAfter": "90m", "notify": "roundRobin",
         "when": {"timeZone": "Europe/Berlin", "days": ["Fri", "monday", "mon"],
                  "start": "9:00", "end": "24:00"},
         "targets": [{"person": "ana"}, {"team": "payments"}]}]})"));
  in["spec"]["levels"][1]["when"]["start"] = "09:00";
  auto res = Canonicalize(in);
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->doc["spec"], Json::parse(R"({
      "owner": "payments", "repeat": 0,
      "levels": [
        {"escalateAfter": "30m", "notify": "all", "targets": [{"schedule": "primary"}]},
        {"escalateAfter": "1h30m", "notify": "roundRobin",
         "when": {"timeZone": "Europe/Berlin", "days": ["monday", "friday"],
                  "start": "09:00", "end": "24:00"},
         "targets": [{"person": "ana"}, {"team": "payments"}]}]})"));
  std::vector<std::string> refs;
  for (const auto& r : res->refs)
    refs.push_back(r.relation + " " + r.TargetText() + " " + r.pointer);
  EXPECT_EQ(refs, (std::vector<std::string>{
                      "ownedBy team \"payments\" /spec/owner",
                      "notifies schedule \"primary\" /spec/levels/0/targets/0/schedule",
                      "notifies person \"ana\" /spec/levels/1/targets/0/person",
                      "notifies team \"payments\" /spec/levels/1/targets/1/team",
                  }));
  EXPECT_EQ(ScopeTeam(res->doc), "payments");
  auto again = Canonicalize(res->doc);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->doc, res->doc);

  auto policy = escalation::PolicyFromSpec("pay", res->doc["spec"]);
  ASSERT_TRUE(policy.ok()) << policy.error().ToString();
  EXPECT_EQ(policy->levels[1].escalate_after_ms, 90 * 60 * 1000);
  EXPECT_EQ(policy->levels[1].when->days, (std::vector<int>{1, 5}));
  Json snapshot = res->doc["spec"];
  snapshot.erase("owner");
  snapshot["name"] = "pay";
  EXPECT_EQ(escalation::PolicyToJson(*policy), snapshot);
}

TEST(EscalationSchemaTest, PolicyProblems) {
  Json spec = Json::parse(R"({
      "repeat": 10,
      "levels": [
        {"escalateAfter": "0m", "notify": "some", "targets": []},
        {"when": {"timeZone": "Mars/Olympus", "days": ["funday"], "start": "9am"},
         "targets": [{"person": "a", "team": "b"}, {}, {"user": "x"}, 3, {"person": "bad name"},
                     {"schedule": "s"}, {"schedule": "s"}]},
        "level", {}]})");
  EXPECT_EQ(Problems(Doc("EscalationPolicy", "p", spec)),
            (std::vector<std::string>{
                "/spec/owner is required",
                "/spec/repeat must be an integer from 0 to 9 (got 10)",
                "/spec/levels/0/escalateAfter must be a duration of at least 1s such as 30s, 15m "
                "or 1h30m (got \"0m\")",
                "/spec/levels/0/notify must be one of all, roundRobin (got \"some\")",
                "/spec/levels/0/targets must list 1 to 50 targets (got 0)",
                "/spec/levels/1/when/timeZone unknown time zone \"Mars/Olympus\" (expected an "
                "IANA zone such as Europe/Berlin)",
                "/spec/levels/1/when/days/0 must be a day such as monday",
                "/spec/levels/1/when/start must be a time of day such as 09:00 (got \"9am\")",
                "/spec/levels/1/when/end is required",
                "/spec/levels/1/targets/0 give exactly one of person, schedule and team",
                "/spec/levels/1/targets/1 give exactly one of person, schedule and team",
                "/spec/levels/1/targets/2 give exactly one of person, schedule and team",
                "/spec/levels/1/targets/2/user unknown field",
                "/spec/levels/1/targets/3 must be a mapping with person, schedule or team",
                "/spec/levels/1/targets/4/person \"bad name\" is not a valid name (1-63 letters, "
                "digits and single \"-\", \"_\" or \".\" between them)",
                "/spec/levels/1/targets/6 is already target 0 of this level",
                "/spec/levels/2 must be a mapping with targets",
                "/spec/levels/3/targets is required",
            }));
  EXPECT_EQ(Problems(Doc("EscalationPolicy", "p", {{"owner", "t"}})),
            (std::vector<std::string>{"/spec/levels is required"}));
  Json many = {{"owner", "t"}, {"levels", Json::array()}};
  for (int i = 0; i < 21; ++i) many["levels"].push_back({{"targets", {{{"person", "a"}}}}});
  EXPECT_EQ(Problems(Doc("EscalationPolicy", "p", many)),
            (std::vector<std::string>{"/spec/levels must list 1 to 20 levels (got 21)"}));
  Json wide = {{"owner", "t"}, {"levels", {{{"targets", Json::array()}}}}};
  for (int i = 0; i < 51; ++i) {
    wide["levels"][0]["targets"].push_back({{"person", "p" + std::to_string(i)}});
  }
  EXPECT_EQ(
      Problems(Doc("EscalationPolicy", "p", wide)),
      (std::vector<std::string>{"/spec/levels/0/targets must list 1 to 50 targets (got 51)"}));
}

TEST(EscalationSchemaTest, ServicePaging) {
  Json in = Doc("Service", "api", Json::parse(R"({"owner": "pay", "paging": {
      "escalationPolicy": "pay-default",
      "supportHours": {"timeZone": "America/New_York", "start": "08:00", "end": "20:00"},
      "acknowledgementTimeout": "30m", "autoResolveTimeout": "240m"}})"));
  auto res = Canonicalize(in);
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->doc["spec"]["paging"], Json::parse(R"({
      "escalationPolicy": "pay-default", "urgency": "severity",
      "supportHours": {"timeZone": "America/New_York", "start": "08:00", "end": "20:00"},
      "acknowledgementTimeout": "30m", "autoResolveTimeout": "4h", "groupingWindow": "0s"})"));
  ASSERT_EQ(res->refs.size(), 2u);
  EXPECT_EQ(res->refs[1].relation, "escalatesVia");
  EXPECT_EQ(res->refs[1].TargetText(), "escalation policy \"pay-default\"");
  EXPECT_EQ(res->refs[1].pointer, "/spec/paging/escalationPolicy");
  auto paging = escalation::ServicePagingFromSpec(res->doc["spec"]);
  ASSERT_TRUE(paging.ok() && paging->has_value());
  EXPECT_EQ((*paging)->policy, "pay-default");
  EXPECT_EQ((*paging)->auto_resolve_ms, 4 * 3600 * 1000);

  EXPECT_EQ(Problems(Doc("Service", "api", Json::parse(R"({"owner": "pay", "paging": {
      "urgency": "medium", "supportHours": {"start": "08:00", "end": "25:00"},
      "acknowledgementTimeout": "0s", "autoResolveTimeout": "soon", "groupingWindow": "-5m",
      "escalation": "x"}})"))),
            (std::vector<std::string>{
                "/spec/paging/escalationPolicy is required",
                "/spec/paging/urgency must be one of high, low, severity (got \"medium\")",
                "/spec/paging/supportHours/timeZone is required",
                "/spec/paging/supportHours/end must be a time of day such as 09:00 (got "
                "\"25:00\")",
                "/spec/paging/acknowledgementTimeout must be a duration of at least 1s such as "
                "30s, 15m or 1h30m (got \"0s\")",
                "/spec/paging/autoResolveTimeout must be a duration of at least 1s such as 30s, "
                "15m or 1h30m (got \"soon\")",
                "/spec/paging/groupingWindow must be a duration such as 30s, 15m or 1h30m (got "
                "\"-5m\")",
                "/spec/paging/escalation unknown field",
            }));
  EXPECT_EQ(Problems(Doc("Service", "api", {{"owner", "pay"}, {"paging", "x"}})),
            (std::vector<std::string>{"/spec/paging must be a mapping"}));
}

TEST(EscalationSchemaTest, NotificationRules) {
  Json in = Doc("Person", "ana", Json::parse(R"({
      "contactMethods": [{"type": "email", "address": "ana@example.org"},
                         {"type": "sms", "address": "+4915112345678"}],
      "notificationRules": [{"contactTypes": ["email", "email"]},
                            {"after": "5m", "contactTypes": ["sms"], "urgency": "high"}]})"));
  auto res = Canonicalize(in);
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->doc["spec"]["notificationRules"], Json::parse(R"([
      {"after": "0s", "contactTypes": ["email"], "urgency": "any"},
      {"after": "5m", "contactTypes": ["sms"], "urgency": "high"}])"));
  auto notify = escalation::PersonNotifyFromSpec(res->doc["spec"]);
  ASSERT_EQ(notify.rules.size(), 2u);
  EXPECT_EQ(notify.rules[1].after_ms, 5 * 60 * 1000);
  EXPECT_EQ(notify.rules[1].urgency, escalation::Urgency::kHigh);

  EXPECT_EQ(Problems(Doc("Person", "ana", Json::parse(R"({
      "contactMethods": [{"type": "email", "address": "ana@example.org"}],
      "notificationRules": [{"after": "later", "contactTypes": ["sms", "pager", 3],
                             "urgency": "urgent", "channel": "x"},
                            {"after": "1m"}, {"contactTypes": []}, "x"]})"))),
            (std::vector<std::string>{
                "/spec/notificationRules/0/after must be a duration such as 30s, 15m or 1h30m "
                "(got \"later\")",
                "/spec/notificationRules/0/contactTypes/0 this person has no sms contact method",
                "/spec/notificationRules/0/contactTypes/1 must be one of email, sms, voice, "
                "slack, teams, webhook (got \"pager\")",
                "/spec/notificationRules/0/contactTypes/2 must be one of email, sms, voice, "
                "slack, teams, webhook (got 3)",
                "/spec/notificationRules/0/urgency must be one of any, high, low (got "
                "\"urgent\")",
                "/spec/notificationRules/0/channel unknown field",
                "/spec/notificationRules/1/contactTypes must list at least one contact method "
                "type",
                "/spec/notificationRules/2/contactTypes must list at least one contact method "
                "type",
                "/spec/notificationRules/3 must be a mapping with after and contactTypes",
            }));
}

// Every document of the example folder canonicalises, refers only to kinds before its own, and
// the engine reads its paging parts.
TEST(EscalationSchemaTest, ExamplesParseInTheEngine) {
  auto set = LoadManifests({std::string(PLINTH_SOURCE_DIR) + "/examples/catalog"});
  ASSERT_TRUE(set.ok()) << set.error().ToString();
  auto rank = [](std::string_view kind) {
    for (size_t i = 0; i < Kinds().size(); ++i) {
      if (Kinds()[i].kind == kind) return i;
    }
    return Kinds().size();
  };
  int policies = 0, paged = 0, rules = 0;
  for (const Manifest& m : set->resources) {
    const Json& spec = m.doc["spec"];
    for (const Reference& r : m.refs) {  // Kinds() is in reference order
      if (r.target_kind != m.kind) {
        EXPECT_LT(rank(r.target_kind), rank(m.kind)) << m.Location() << " -> " << r.TargetText();
      }
    }
    if (m.kind == "EscalationPolicy") {
      auto p = escalation::PolicyFromSpec(m.name, spec);
      EXPECT_TRUE(p.ok()) << m.Location() << ": " << p.error().ToString();
      ++policies;
    }
    if (m.kind == "Service") {
      auto s = escalation::ServicePagingFromSpec(spec);
      EXPECT_TRUE(s.ok()) << m.Location() << ": " << s.error().ToString();
      if (s.ok() && *s) ++paged;
    }
    if (m.kind == "Person" && spec.contains("notificationRules")) {
      auto n = escalation::PersonNotifyFromSpec(spec);
      EXPECT_EQ(n.rules.size(), spec["notificationRules"].size()) << m.Location();
      ++rules;
    }
  }
  EXPECT_GE(policies, 1);
  EXPECT_GE(paged, 1);
  EXPECT_GE(rules, 1);
}

}  // namespace
}  // namespace plinth::catalog
