// The evaluator records a page alert for a fast burn and closes it when the burn stops; repeated
// ticks and a second replica never open a condition twice.

#include "reliability/evaluator.h"

#include <gtest/gtest.h>

#include "reliability/testing.h"

namespace plinth::reliability {
namespace {

using namespace test_util;  // NOLINT

class EvaluatorTest : public store::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto s = CreateSlo(*store_, "api-avail", {{"objective", 0.99}, {"window", "30d"}});
    ASSERT_TRUE(s.ok()) << s.error().ToString();
  }

  std::vector<AlertRecord> Alerts() {
    auto a = store_->Read([&](store::Tx& tx) {
      return ListAlerts(tx, "api-avail", INT64_MIN / 2, INT64_MAX / 2);
    });
    EXPECT_TRUE(a.ok()) << a.error().ToString();
    return a.ok() ? *a : std::vector<AlertRecord>{};
  }

  SeriesCache cache_;
};

TEST_P(EvaluatorTest, OpensAndClosesAPageAlert) {
  const int64_t t0 = Minute("2026-11-22T12:00:00Z");
  // Three good days, then ten minutes all bad: over 1h 1000 of 6000 bad, burn 16.7 > 14.4, and
  // 100 over 5m: page-quick only (6h: 2.8 < 6; 1d: 0.69 < 3; 3d: 0.23 < 1).
  Push(*store_, cache_, "api-avail", Flat(t0 - 4320, 4320, 100, 100));
  Push(*store_, cache_, "api-avail", Flat(t0, 10, 0, 100));
  auto r = Tick(*store_, cache_, (t0 + 10) * 60000 + 1234);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->slos, 1);
  EXPECT_EQ(r->opened, 1);
  EXPECT_TRUE(r->errors.empty());
  auto alerts = Alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].condition, "page-quick");
  EXPECT_EQ(alerts[0].severity, "page");
  EXPECT_EQ(alerts[0].start_ms, (t0 + 10) * 60000);
  EXPECT_FALSE(alerts[0].end_ms);
  EXPECT_EQ(alerts[0].detail, "burn rate 16.67 over 1h and 100.00 over 5m (threshold 14.40)");

  // The same minute again, and a second replica with its own cache: nothing new.
  SeriesCache replica;
  r = Tick(*store_, cache_, (t0 + 10) * 60000 + 5000);
  EXPECT_EQ(r->opened, 0);
  r = Tick(*store_, replica, (t0 + 11) * 60000);
  EXPECT_EQ(r->opened, 0);
  EXPECT_EQ(r->closed, 0);
  EXPECT_EQ(Alerts().size(), 1u);

  // Ten good minutes: 5m burn 0, the condition stops.
  Push(*store_, cache_, "api-avail", Flat(t0 + 10, 10, 100, 100));
  r = Tick(*store_, cache_, (t0 + 20) * 60000);
  EXPECT_EQ(r->closed, 1);
  alerts = Alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].end_ms, (t0 + 20) * 60000);
  r = Tick(*store_, replica, (t0 + 20) * 60000);
  EXPECT_EQ(r->closed, 0);
  EXPECT_EQ(r->opened, 0);

  // History filter: only alerts overlapping the range.
  auto none = store_->Read([&](store::Tx& tx) {
    return ListAlerts(tx, "api-avail", (t0 + 20) * 60000, (t0 + 30) * 60000);
  });
  EXPECT_TRUE(none->empty());
}

TEST_P(EvaluatorTest, NoDataOpensAfterTheQuietPeriod) {
  const int64_t t0 = Minute("2026-11-22T12:00:00Z");
  Push(*store_, cache_, "api-avail", Flat(t0 - 60, 60, 100, 100));
  auto r = Tick(*store_, cache_, (t0 + 5) * 60000);
  EXPECT_EQ(r->opened, 0);
  r = Tick(*store_, cache_, (t0 + 10) * 60000);
  EXPECT_EQ(r->opened, 1);
  auto alerts = Alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].condition, "no-data");
  EXPECT_EQ(alerts[0].severity, "ticket");
}

INSTANTIATE_TEST_SUITE_P(Backends, EvaluatorTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

}  // namespace
}  // namespace plinth::reliability
