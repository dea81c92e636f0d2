// The paging domain on every backend with a ManualClock and a recording sender: escalation
// through levels, round robin and repeats; acknowledgement timeout, auto-resolve and grouping;
// timers fired once by concurrent runners; outbox retries; one-click link tokens.

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "base/time.h"
#include "catalog/repository.h"
#include "paging/escalate.h"
#include "paging/incidents.h"
#include "paging/integrations.h"
#include "paging/links.h"
#include "paging/outbox.h"
#include "paging/runtime.h"
#include "store/test_fixture.h"

namespace plinth::paging {
namespace {

constexpr int64_t kMinute = 60'000;

int64_t T(const char* text) { return *ParseRfc3339(text); }

Json Doc(const std::string& kind, const std::string& name, Json spec) {
  return {{"apiVersion", "plinth/v1"}, {"kind", kind}, {"metadata", {{"name", name}}},
          {"spec", spec}};
}

// Records every send; fails the next `fail` sends (retryable unless `permanent`).
class RecordingSender : public notify::Sender {
 public:
  notify::Outcome Send(const notify::Delivery& d) override {
    std::lock_guard<std::mutex> lock(mu);
    if (fail > 0) {
      --fail;
      return {false, !permanent, 503, "", "webhook: 503 Service Unavailable"};
    }
    sent.push_back(d);
    return {true, false, 200, "", ""};
  }
  std::mutex mu;
  std::vector<notify::Delivery> sent;
  int fail = 0;
  bool permanent = false;
};

class PagingTest : public store::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto made = store_->Write([&](store::Tx& tx) -> Status {
      for (const char* p : {"ana", "ben", "cem"}) {
        Json methods = Json::array({{{"type", "webhook"},
                                     {"address", std::string("http://127.0.0.1/") + p}}});
        PLINTH_RETURN_IF_ERROR(
            catalog::Create(tx, Doc("Person", p, {{"contactMethods", methods}}), "t", 0));
      }
      PLINTH_RETURN_IF_ERROR(catalog::Create(
          tx, Doc("Team", "pay", {{"members", Json::array({"ana", "ben", "cem"})}}), "t", 0));
      Json levels = Json::array(
          {{{"escalateAfter", "5m"}, {"targets", Json::array({{{"person", "ana"}}})}},
           {{"escalateAfter", "10m"},
            {"notify", "roundRobin"},
            {"targets", Json::array({{{"team", "pay"}}})}}});
      PLINTH_RETURN_IF_ERROR(catalog::Create(
          tx, Doc("EscalationPolicy", "pol", {{"owner", "pay"}, {"repeat", 1}, {"levels", levels}}),
          "t", 0));
      Json paging = {{"escalationPolicy", "pol"},
                     {"acknowledgementTimeout", "10m"},
                     {"autoResolveTimeout", "2h"},
                     {"groupingWindow", "5m"}};
      PLINTH_RETURN_IF_ERROR(catalog::Create(
          tx, Doc("Service", "api", {{"owner", "pay"}, {"paging", paging}}), "t", 0));
      PLINTH_ASSIGN_OR_RETURN(auto in, CreateIntegration(tx, "api", "events-v2", "mon",
                                                         Json::object(), "t", 0));
      integration_ = in.integration;
      return {};
    });
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    auto sender = std::make_unique<RecordingSender>();
    sender_ = sender.get();
    runtime_ = std::make_unique<Runtime>(*store_, clock_, std::move(sender),
                                         RuntimeOptions{"https://plinth.test"});
  }

  EventOutcome Event(Action action, const std::string& dedup, const std::string& severity = "critical") {
    AlertEvent e;
    e.action = action;
    e.dedup_key = dedup;
    e.summary = "api down";
    e.source = "probe";
    e.severity = severity;
    auto out = store_->Write(
        [&](store::Tx& tx) { return ApplyAlertEvent(tx, integration_, e, clock_.NowMs()); });
    EXPECT_TRUE(out.ok()) << out.error().ToString();
    return out.ok() ? *out : EventOutcome{};
  }

  // Advances the clock and runs every due timer and delivery.
  void At(int64_t ms) {
    clock_.SetMs(ms);
    auto ran = runtime_->RunOnce();
    ASSERT_TRUE(ran.ok()) << ran.error().ToString();
  }

  Incident Get(int64_t number) {
    auto inc = store_->Read([&](store::Tx& tx) { return GetIncident(tx, number); });
    EXPECT_TRUE(inc.ok()) << inc.error().ToString();
    return inc.ok() ? *inc : Incident{};
  }

  // "person@level.loop" for each page of the incident, in order.
  std::vector<std::string> Pages(int64_t number) {
    auto rows = store_->Read([&](store::Tx& tx) {
      return tx.Query("SELECT p.person, p.level, p.loop_index FROM paging_pages p JOIN "
                      "paging_incidents i ON i.id = p.incident_id WHERE i.number = ? "
                      "ORDER BY p.at_ms, p.level",
                      {number});
    });
    std::vector<std::string> out;
    for (const auto& r : *rows) {
      out.push_back(r.Text(0) + "@" + std::to_string(r.Int(1) + 1) + "." +
                    std::to_string(r.Int(2)));
    }
    return out;
  }

  std::vector<std::string> Sent() {
    std::lock_guard<std::mutex> lock(sender_->mu);
    std::vector<std::string> out;
    for (const auto& d : sender_->sent) out.push_back(d.notice.person);
    return out;
  }

  ManualClock clock_{T("2026-11-23T10:00:00Z")};
  Integration integration_;
  RecordingSender* sender_ = nullptr;
  std::unique_ptr<Runtime> runtime_;
};

TEST_P(PagingTest, WalksLevelsRoundRobinAndRepeatsThenEnds) {
  int64_t t0 = clock_.NowMs();
  EXPECT_EQ(Event(Action::kTrigger, "k1").result, "created");
  At(t0);
  At(t0 + 5 * kMinute);   // level 2: round robin over the team, incident 1 starts with ana
  At(t0 + 15 * kMinute);  // repeat: level 1 again
  At(t0 + 20 * kMinute);  // level 2, pass 2: the next person
  At(t0 + 30 * kMinute);  // exhausted
  EXPECT_EQ(Pages(1), (std::vector<std::string>{"ana@1.0", "ana@2.0", "ana@1.1", "ben@2.1"}));
  EXPECT_EQ(Sent(), (std::vector<std::string>{"ana", "ana", "ana", "ben"}));
  auto log = store_->Read([&](store::Tx& tx) {
    return tx.Query("SELECT kind, detail FROM paging_incident_log ORDER BY seq");
  });
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->back().Text(0), "escalation ended");
  // The one-click links are signed for the recipient.
  std::lock_guard<std::mutex> lock(sender_->mu);
  const auto& n = sender_->sent[0].notice;
  EXPECT_EQ(n.incident_url, "https://plinth.test/incidents/1");
  ASSERT_TRUE(n.ack_url.starts_with("https://plinth.test/act/1~acknowledge~ana~"));
}

TEST_P(PagingTest, AcknowledgementTimeoutRetriggersAndAutoResolveCloses) {
  int64_t t0 = clock_.NowMs();
  Event(Action::kTrigger, "k1");
  At(t0);
  At(t0 + kMinute);
  EXPECT_EQ(Event(Action::kAcknowledge, "k1").result, "acknowledged");
  At(t0 + 6 * kMinute);  // level 2 would have fired: stale
  EXPECT_EQ(Pages(1), (std::vector<std::string>{"ana@1.0"}));
  At(t0 + 11 * kMinute);  // the acknowledgement timed out: back to level 1
  EXPECT_EQ(Get(1).status, "triggered");
  EXPECT_EQ(Pages(1), (std::vector<std::string>{"ana@1.0", "ana@1.0"}));
  At(t0 + 120 * kMinute);
  Incident inc = Get(1);
  EXPECT_EQ(inc.status, "resolved");
  EXPECT_EQ(inc.resolved_by, "timeout");
  // Nothing is left to fire.
  auto next = NextWorkDue(*store_);
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
}

TEST_P(PagingTest, GroupsWithinTheWindowAndDeduplicates) {
  int64_t t0 = clock_.NowMs();
  EXPECT_EQ(Event(Action::kTrigger, "a").result, "created");
  clock_.SetMs(t0 + 4 * kMinute);
  EXPECT_EQ(Event(Action::kTrigger, "b").result, "grouped");
  EXPECT_EQ(Event(Action::kTrigger, "b").result, "deduplicated");
  clock_.SetMs(t0 + 6 * kMinute);
  auto c = Event(Action::kTrigger, "c");
  EXPECT_EQ(c.result, "created");
  EXPECT_EQ(c.incident_number, 2);
  EXPECT_EQ(Get(1).alert_count, 2);
  // Resolving one of two alerts leaves the incident open; the second resolves it.
  EXPECT_EQ(Event(Action::kResolve, "a").result, "resolved");
  EXPECT_EQ(Get(1).status, "triggered");
  Event(Action::kResolve, "b");
  EXPECT_EQ(Get(1).status, "resolved");
  EXPECT_EQ(Event(Action::kResolve, "b").result, "dropped");
}

TEST_P(PagingTest, ConcurrentRunnersFireEachTimerOnce) {
  int64_t t0 = clock_.NowMs();
  // A service without a grouping window: one incident per alert.
  auto solo = store_->Write([&](store::Tx& tx) -> Result<Integration> {
    PLINTH_RETURN_IF_ERROR(catalog::Create(
        tx, Doc("Service", "solo", {{"owner", "pay"}, {"paging", {{"escalationPolicy", "pol"}}}}),
        "t", 0));
    PLINTH_ASSIGN_OR_RETURN(auto in, CreateIntegration(tx, "solo", "events-v2", "", Json::object(),
                                                       "t", 0));
    return in.integration;
  });
  ASSERT_TRUE(solo.ok()) << solo.error().ToString();
  integration_ = *solo;
  for (int i = 0; i < 20; ++i) Event(Action::kTrigger, "k" + std::to_string(i));
  // Two runners at once, as two replicas would run them.
  std::vector<std::thread> runners;
  std::atomic<int> taken{0};
  for (int r = 0; r < 2; ++r) {
    runners.emplace_back([&] {
      for (int round = 0; round < 10; ++round) {
        auto n = RunDueWork(*store_, t0, 3);
        if (n.ok()) taken += *n;
      }
    });
  }
  for (auto& t : runners) t.join();
  EXPECT_EQ(taken.load(), 20);
  auto pages = store_->Read([&](store::Tx& tx) {
    return tx.QueryOne("SELECT COUNT(*), COUNT(DISTINCT incident_id) FROM paging_pages");
  });
  ASSERT_TRUE(pages.ok());
  EXPECT_EQ((*pages)->Int(0), 20);
  EXPECT_EQ((*pages)->Int(1), 20);
}

TEST_P(PagingTest, RetriesWithBackoffThenFailsForGood) {
  int64_t t0 = clock_.NowMs();
  sender_->fail = 2;
  Event(Action::kTrigger, "k1");
  At(t0);  // attempt 1 fails
  At(t0 + 9'999);  // not yet due
  At(t0 + 10'000);  // attempt 2 fails; next after 20 s
  At(t0 + 30'000);  // attempt 3 succeeds
  EXPECT_EQ(Sent(), (std::vector<std::string>{"ana"}));
  auto row = store_->Read([&](store::Tx& tx) {
    return tx.QueryOne("SELECT status, attempts, first_attempt_ms, sent_ms FROM "
                       "notify_deliveries");
  });
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->Text(0), "sent");
  EXPECT_EQ((*row)->Int(1), 3);
  EXPECT_EQ((*row)->Int(2), t0);
  EXPECT_EQ((*row)->Int(3), t0 + 30'000);
  sender_->fail = 1;
  sender_->permanent = true;
  At(t0 + 5 * kMinute);  // level 2's page fails permanently
  auto failed = store_->Read([&](store::Tx& tx) {
    return tx.QueryOne("SELECT COUNT(*) FROM notify_deliveries WHERE status = 'failed' AND "
                       "last_error = 'webhook: 503 Service Unavailable'");
  });
  EXPECT_EQ((*failed)->Int(0), 1);
  EXPECT_EQ(BackoffMs(1), 10'000);
  EXPECT_EQ(BackoffMs(3), 40'000);
  EXPECT_EQ(BackoffMs(20), 15 * kMinute);
}

INSTANTIATE_TEST_SUITE_P(Backends, PagingTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

TEST(ActionTokenTest, SignedForOnePersonAndAction) {
  std::string token = ActionToken("secret", 42, "acknowledge", "ana", 1000);
  auto claim = VerifyActionToken("secret", token, 999);
  ASSERT_TRUE(claim.ok());
  EXPECT_EQ(claim->number, 42);
  EXPECT_EQ(claim->action, "acknowledge");
  EXPECT_EQ(claim->person, "ana");
  EXPECT_EQ(VerifyActionToken("secret", token, 1001).error().message,
            "this link has expired; open the incident in plinth instead");
  EXPECT_FALSE(VerifyActionToken("other", token, 999).ok());
  std::string forged = token;
  forged.replace(forged.find("ana"), 3, "ben");
  EXPECT_FALSE(VerifyActionToken("secret", forged, 999).ok());
  EXPECT_FALSE(VerifyActionToken("secret", "1~resolve", 0).ok());
}

}  // namespace
}  // namespace plinth::paging
