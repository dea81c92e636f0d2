// Status numbers for hand-computed data, policy status, burn-down points.

#include "reliability/status.h"

#include <gtest/gtest.h>

#include "reliability/testing.h"

namespace plinth::reliability {
namespace {

using namespace test_util;  // NOLINT

class StatusTest : public store::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto s = CreateSlo(*store_, "api-avail",
                       {{"objective", 0.99}, {"window", "1d"}, {"policy", "Freeze changes."}});
    ASSERT_TRUE(s.ok()) << s.error().ToString();
  }

  Result<SloStatus> At(int64_t at) {
    return store_->Read([&](store::Tx& tx) -> Result<SloStatus> {
      PLINTH_ASSIGN_OR_RETURN(auto s, LoadSlo(tx, "api-avail"));
      return StatusOf(tx, cache_, s, at);
    });
  }

  SeriesCache cache_;
};

TEST_P(StatusTest, HandComputedNumbers) {
  // 60 minutes before 12:00 at 995 good of 1000: 60,000 events, 300 bad, budget 600.
  int64_t at = T("2026-11-22T12:00:00Z");
  Push(*store_, cache_, "api-avail", Flat(at / 60000 - 60, 60, 995, 1000));
  auto s = At(at);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  Json j = StatusJson(*s, true);
  EXPECT_EQ(j["team"], "pay");
  EXPECT_EQ(j["tier"], 1);
  EXPECT_EQ(j["events"], (Json{{"good", 59700.0}, {"total", 60000.0}, {"bad", 300.0}}));
  EXPECT_NEAR(j["attainment"].get<double>(), 0.995, 1e-9);
  EXPECT_NEAR(j["budget"]["total"].get<double>(), 600, 1e-9);
  EXPECT_NEAR(j["budget"]["consumed"].get<double>(), 300, 1e-9);
  EXPECT_NEAR(j["budget"]["remaining_ratio"].get<double>(), 0.5, 1e-9);
  // Burn rate 0.005 / 0.01 = 0.5 over every window with data; time to exhaustion
  // 0.5 * 1440 / 0.5 = 1440 minutes, not less than the window: ok.
  ASSERT_EQ(j["burn_rates"].size(), 7u);
  EXPECT_EQ(j["burn_rates"][0]["window"], "5m");
  EXPECT_NEAR(j["burn_rates"][0]["burn_rate"].get<double>(), 0.5, 1e-9);
  EXPECT_NEAR(j["burn_rates"][6]["burn_rate"].get<double>(), 0.5, 1e-9);
  EXPECT_NEAR(j["minutes_to_exhaustion"].get<double>(), 1440, 1e-9);
  EXPECT_EQ(j["policy_status"], "ok");
  EXPECT_EQ(j["policy"], "Freeze changes.");
  EXPECT_EQ(j["no_data"], false);
  EXPECT_EQ(j["no_data_reason"], nullptr);
  EXPECT_EQ(j["window"]["start"], "2026-11-21T12:00:00Z");
  EXPECT_EQ(j["window"]["end"], "2026-11-22T12:00:00Z");
  EXPECT_EQ(j["window"]["length_minutes"], 1440);

  // Ten more minutes at 900 of 1000: 1000 more bad, 1300 of a 700 budget: exhausted.
  Push(*store_, cache_, "api-avail", Flat(at / 60000, 10, 900, 1000));
  auto later = At(at + 10 * 60000);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->policy_status, "exhausted");
  EXPECT_FALSE(StatusJson(*later, false).contains("burn_rates"));
}

TEST_P(StatusTest, AtRiskWhenBurningFasterThanTheWindow) {
  int64_t at = T("2026-11-22T12:00:00Z");
  // 23 good hours, then 2% bad for an hour: 1200 bad of a 14,400 budget, remaining 11/12.
  Push(*store_, cache_, "api-avail", Flat(at / 60000 - 1440, 1380, 1000, 1000));
  Push(*store_, cache_, "api-avail", Flat(at / 60000 - 60, 60, 980, 1000));
  auto s = At(at);
  ASSERT_TRUE(s.ok());
  // Burn rate 2 over the last hour: 11/12 * 1440 / 2 = 660 minutes < 1440: at risk.
  EXPECT_NEAR(*s->budget.current_burn_rate, 2, 1e-9);
  EXPECT_EQ(s->policy_status, "at risk");
}

TEST_P(StatusTest, NoDataAndPullErrors) {
  auto s = At(T("2026-11-22T12:00:00Z"));
  ASSERT_TRUE(s.ok());
  Json j = StatusJson(*s, true);
  EXPECT_EQ(j["no_data"], true);
  EXPECT_EQ(j["no_data_reason"], "no data in the window");
  EXPECT_EQ(j["attainment"], nullptr);
  EXPECT_EQ(j["budget"]["remaining_ratio"], nullptr);
  EXPECT_EQ(j["policy_status"], "ok");
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> Status {
    PLINTH_RETURN_IF_ERROR(tx.Exec("INSERT INTO slo_pull_state (slo, pulled_until, last_error, "
                                   "last_attempt_ms) VALUES ('api-avail', 0, 'connection refused', 0)"));
    return {};
  }).ok());
  s = At(T("2026-11-22T12:00:00Z"));
  EXPECT_EQ(StatusJson(*s, true)["no_data_reason"], "connection refused");
}

TEST_P(StatusTest, BurndownEveryTenMinutesForShortWindows) {
  int64_t at = T("2026-11-22T12:00:00Z");
  Push(*store_, cache_, "api-avail", Flat(at / 60000 - 1440, 1440, 995, 1000));
  auto b = store_->Read([&](store::Tx& tx) -> Result<Json> {
    PLINTH_ASSIGN_OR_RETURN(auto s, LoadSlo(tx, "api-avail"));
    return BurndownJson(tx, cache_, s, at + 30000);
  });
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  const Json& points = (*b)["points"];
  ASSERT_EQ(points.size(), 144u);
  EXPECT_EQ(points[0]["time"], "2026-11-21T12:10:00Z");
  EXPECT_EQ(points[143]["time"], "2026-11-22T12:00:00Z");
  EXPECT_NEAR(points[143]["remaining_ratio"].get<double>(), 0.5, 1e-9);
  EXPECT_NEAR(points[143]["attainment"].get<double>(), 0.995, 1e-9);
  // The rolling window 10 minutes in held 10 minutes of the data (the rest had none yet).
  EXPECT_NEAR(points[0]["remaining_ratio"].get<double>(), 0.5, 1e-9);
}

INSTANTIATE_TEST_SUITE_P(Backends, StatusTest, ::testing::ValuesIn(store::testing::AllBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

}  // namespace
}  // namespace plinth::reliability
