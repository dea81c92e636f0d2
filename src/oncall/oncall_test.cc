// The on-call domain on every backend: overrides (overlap refused, in the final schedule),
// swaps, calendar feeds, who is on call, people's shifts and the fairness report.

#include "oncall/oncall.h"

#include <gtest/gtest.h>

#include <map>

#include "base/time.h"
#include "catalog/repository.h"
#include "oncall/overrides.h"
#include "store/test_fixture.h"

namespace plinth::oncall {
namespace {

using store::testing::Backend;

int64_t T(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

Json Doc(const std::string& kind, const std::string& name, Json spec) {
  return {{"apiVersion", "plinth/v1"}, {"kind", kind}, {"metadata", {{"name", name}}},
          {"spec", spec}};
}

class OncallTest : public store::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto r = store_->Write([&](store::Tx& tx) -> Status {
      for (const char* p : {"ana", "ben", "cem"}) {
        PLINTH_RETURN_IF_ERROR(
            catalog::Create(tx, Doc("Person", p, {{"timeZone", "Europe/Berlin"}}), "t", 0));
      }
      PLINTH_RETURN_IF_ERROR(catalog::Create(tx, Doc("Team", "pay", {{"members", {"ana", "ben"}}}),
                                             "t", 0));
      Json layer = {{"name", "weekly"},
                    {"participants", {"ana", "ben"}},
                    {"turn", "1w"},
                    {"start", "2026-01-05T09:00"}};
      PLINTH_RETURN_IF_ERROR(catalog::Create(
          tx, Doc("Schedule", "primary",
                  {{"team", "pay"}, {"timeZone", "Europe/Berlin"}, {"layers", {layer}}}),
          "t", 0));
      return {};
    });
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }

  Result<OverrideRecord> Override(const char* person, const char* from, const char* to) {
    return store_->Write([&](store::Tx& tx) {
      return CreateOverride(tx, {"primary", person, T(from), T(to), "test"}, "user:t", 0);
    });
  }
};

TEST_P(OncallTest, OverridesBeatLayersAndNeverOverlap) {
  auto o = Override("cem", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z");
  ASSERT_TRUE(o.ok()) << o.error().ToString();
  auto clash = Override("ben", "2026-01-06T23:00:00Z", "2026-01-08T00:00:00Z");
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, ErrorCode::kConflict);
  EXPECT_EQ(clash.error().message,
            "the override overlaps override " + o->id +
                " (cem, 2026-01-06T00:00:00Z to 2026-01-07T00:00:00Z); delete it or pick another "
                "slot");
  // Touching is not overlapping.
  EXPECT_TRUE(Override("ben", "2026-01-07T00:00:00Z", "2026-01-07T06:00:00Z").ok());
  auto unknown = Override("zed", "2026-02-01T00:00:00Z", "2026-02-02T00:00:00Z");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().ToString(), "person: person \"zed\" does not exist");
  auto backwards = Override("ben", "2026-02-02T00:00:00Z", "2026-02-01T00:00:00Z");
  ASSERT_FALSE(backwards.ok());
  EXPECT_EQ(backwards.error().fields.at(0).pointer, "/end");

  auto final = store_->Read([&](store::Tx& tx) {
    return Final(tx, "primary", T("2026-01-05T08:00:00Z"), T("2026-01-08T08:00:00Z"));
  });
  ASSERT_TRUE(final.ok()) << final.error().ToString();
  std::vector<std::string> got;
  for (const auto& s : final->final) {
    got.push_back(FormatRfc3339(s.start_ms) + " " + s.person + " " + s.source);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"2026-01-05T08:00:00Z ana weekly",
                                           "2026-01-06T00:00:00Z cem override",
                                           "2026-01-07T00:00:00Z ben override",
                                           "2026-01-07T06:00:00Z ana weekly"}));

  auto deleted = store_->Write([&](store::Tx& tx) {
    return DeleteOverride(tx, "primary", o->id, "user:t", 1);
  });
  EXPECT_TRUE(deleted.ok());
  auto again = store_->Write([&](store::Tx& tx) {
    return DeleteOverride(tx, "primary", o->id, "user:t", 1);
  });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_P(OncallTest, SwapAcceptedBecomesAnOverride) {
  Json body = {{"requester", "ana"},
               {"start", "2026-01-10T00:00:00Z"},
               {"end", "2026-01-11T00:00:00Z"},
               {"reason", "wedding"}};
  auto swap = store_->Write([&](store::Tx& tx) { return CreateSwap(tx, "primary", body, "u", 0); });
  ASSERT_TRUE(swap.ok()) << swap.error().ToString();
  EXPECT_EQ(swap->status, "open");
  auto self = store_->Write([&](store::Tx& tx) {
    return AcceptSwap(tx, "primary", swap->id, "ana", "u", 1);
  });
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().ToString(), "taker: the requester cannot take their own swap");
  auto accepted = store_->Write([&](store::Tx& tx) {
    return AcceptSwap(tx, "primary", swap->id, "ben", "u", 1);
  });
  ASSERT_TRUE(accepted.ok()) << accepted.error().ToString();
  EXPECT_EQ(accepted->status, "accepted");
  ASSERT_TRUE(accepted->override_id.has_value());
  auto twice = store_->Write([&](store::Tx& tx) {
    return AcceptSwap(tx, "primary", swap->id, "cem", "u", 2);
  });
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().message, "swap " + swap->id + " is already accepted");
  auto at = store_->Read([&](store::Tx& tx) {
    return ShiftsOf(tx, "ben", T("2026-01-09T00:00:00Z"), T("2026-01-12T00:00:00Z"));
  });
  ASSERT_TRUE(at.ok()) << at.error().ToString();
  ASSERT_EQ(at->size(), 1u);
  EXPECT_EQ((*at)[0].shift.source, "override");
  EXPECT_EQ((*at)[0].shift.override_id, *accepted->override_id);

  Json bad = {{"requester", "ana"}, {"start", "soon"}, {"colour", "red"}};
  auto invalid = store_->Write([&](store::Tx& tx) { return CreateSwap(tx, "primary", bad, "u", 0); });
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().ToString(),
            "start: must be an RFC 3339 time such as 2026-11-22T09:00:00Z\n"
            "end: is required\n"
            "colour: unknown field");
}

TEST_P(OncallTest, WhoIsOnCallAndFeeds) {
  auto now = store_->Read([&](store::Tx& tx) { return WhoIsOnCall(tx, T("2026-01-13T12:00:00Z")); });
  ASSERT_TRUE(now.ok()) << now.error().ToString();
  ASSERT_EQ(now->size(), 1u);
  EXPECT_EQ((*now)[0].shift.person, "ben");
  EXPECT_EQ(FormatRfc3339((*now)[0].shift.start_ms), "2026-01-12T08:00:00Z");
  ASSERT_TRUE((*now)[0].next.has_value());
  EXPECT_EQ((*now)[0].next->person, "ana");

  auto token = store_->Write([&](store::Tx& tx) {
    return CreateFeed(tx, {"person", "ana"}, "u", 0);
  });
  ASSERT_TRUE(token.ok()) << token.error().ToString();
  auto feed = store_->Read([&](store::Tx& tx) { return FindFeed(tx, token->token); });
  ASSERT_TRUE(feed.ok());
  EXPECT_EQ(feed->kind, "person");
  auto ics = store_->Read([&](store::Tx& tx) {
    return FeedCalendar(tx, *feed, T("2026-01-13T12:00:00Z"));
  });
  ASSERT_TRUE(ics.ok()) << ics.error().ToString();
  EXPECT_NE(ics->find("BEGIN:VCALENDAR\r\n"), std::string::npos);
  EXPECT_NE(ics->find("SUMMARY:On call: ana (primary)"), std::string::npos);
  EXPECT_EQ(ics->find("ben"), std::string::npos);
  auto wrong = store_->Read([&](store::Tx& tx) { return FindFeed(tx, token->token + "0"); });
  EXPECT_FALSE(wrong.ok());
  auto revoked = store_->Write([&](store::Tx& tx) { return RevokeFeed(tx, token->id, "u", 1); });
  EXPECT_TRUE(revoked.ok());
  auto gone = store_->Read([&](store::Tx& tx) { return FindFeed(tx, token->token); });
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
  auto missing = store_->Write([&](store::Tx& tx) {
    return CreateFeed(tx, {"schedule", "nope"}, "u", 0);
  });
  EXPECT_FALSE(missing.ok());
}

TEST_P(OncallTest, FairnessReport) {
  schedule::Period q1{T("2026-01-01T00:00:00Z"), T("2026-04-01T00:00:00Z")};
  auto report = store_->Read([&](store::Tx& tx) { return Report(tx, q1, DefaultFairnessPolicy()); });
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  // ana and ben alternate weekly from Monday 2026-01-05 09:00 Berlin; before that, a gap.
  ASSERT_EQ(report->schedules.size(), 1u);
  EXPECT_EQ(report->schedules[0].gaps.front().start_ms, q1.from_ms);
  EXPECT_EQ(report->schedules[0].gaps.front().end_ms, T("2026-01-05T08:00:00Z"));
  for (const auto& p : report->people) {
    if (p.name == "cem") {
      EXPECT_EQ(p.on_call_ms, 0);
      continue;
    }
    // 12 turns in Q1 after the gap, 6 each plus the turn running at the quarter's end.
    EXPECT_GE(p.weeks_on_call, 6) << p.name;
    EXPECT_LE(p.weeks_on_call, 7) << p.name;
    EXPECT_TRUE(p.over_policy) << p.name;
  }
}

TEST_P(OncallTest, FairnessReportCountsPagesReceived) {
  auto written = store_->Write([&](store::Tx& tx) -> Status {
    int n = 0;
    for (auto [person, at] : {std::pair{"ana", "2026-01-01T00:00:00Z"},
                              {"ana", "2026-02-10T03:00:00Z"}, {"ben", "2026-03-31T23:59:59Z"},
                              {"ben", "2026-04-01T00:00:00Z"}, {"cem", "2025-12-31T23:59:59Z"}}) {
      PLINTH_RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO paging_pages (id, incident_id, person, at_ms, level, loop_index) "
          "VALUES (?, 'inc_1', ?, ?, 0, 0)",
          {"pg_" + std::to_string(++n), person, T(at)}));
    }
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.error().ToString();
  schedule::Period q1{T("2026-01-01T00:00:00Z"), T("2026-04-01T00:00:00Z")};
  auto report = store_->Read([&](store::Tx& tx) { return Report(tx, q1, DefaultFairnessPolicy()); });
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  std::map<std::string, int> pages;
  for (const auto& p : report->people) pages[p.name] = p.pages_received;
  EXPECT_EQ(pages, (std::map<std::string, int>{{"ana", 2}, {"ben", 1}, {"cem", 0}}));
  Json json = ReportJson(*report, DefaultFairnessPolicy(), "2026Q1");
  EXPECT_EQ(json["people"][0]["person"], "ana");
  EXPECT_EQ(json["people"][0]["pages"], 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, OncallTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

}  // namespace
}  // namespace plinth::oncall
