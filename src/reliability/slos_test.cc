// SLOs with their service's team and tier; the series cache: loaded once, writes merged without
// a reload, another writer's change noticed through the data version.

#include "reliability/slos.h"

#include <gtest/gtest.h>

#include "reliability/testing.h"

namespace plinth::reliability {
namespace {

using namespace test_util;  // NOLINT

class SlosTest : public store::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto s = CreateSlo(*store_, "api-avail", {{"objective", 0.99}, {"window", "1d"}});
    ASSERT_TRUE(s.ok()) << s.error().ToString();
  }

  slo::EventSums Sums(SeriesCache& cache, int64_t from, int64_t to) {
    auto series = store_->Read([&](store::Tx& tx) -> Result<std::shared_ptr<const slo::MinuteSeries>> {
      PLINTH_ASSIGN_OR_RETURN(auto s, LoadSlo(tx, "api-avail"));
      return cache.Get(tx, s);
    });
    EXPECT_TRUE(series.ok()) << series.error().ToString();
    return series.ok() ? (*series)->Events(from, to) : slo::EventSums{};
  }
};

TEST_P(SlosTest, LoadsWithServiceTeamAndTier) {
  auto all = store_->Read([&](store::Tx& tx) { return LoadSlos(tx); });
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].def.name, "api-avail");
  EXPECT_EQ((*all)[0].def.service, "api");
  EXPECT_EQ((*all)[0].team, "pay");
  EXPECT_EQ((*all)[0].tier, 1);
  auto missing = store_->Read([&](store::Tx& tx) { return LoadSlo(tx, "nope"); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(SlosTest, CacheMergesWritesWithoutReloading) {
  SeriesCache cache;
  Push(*store_, cache, "api-avail", Flat(100, 10, 9, 10));
  EXPECT_EQ(Sums(cache, 0, 1000).total, 100);
  EXPECT_EQ(cache.loads(), 1);
  // Through the cache: merged, a replaced minute counted once, no reload.
  Push(*store_, cache, "api-avail", {{105, 0, 50}, {110, 1, 1}, {90, 2, 2}});
  slo::EventSums s = Sums(cache, 0, 1000);
  EXPECT_EQ(s.total, 100 - 10 + 50 + 1 + 2);
  EXPECT_EQ(s.good, 90 - 9 + 0 + 1 + 2);
  EXPECT_EQ(s.data_minutes, 12);
  EXPECT_EQ(cache.loads(), 1);

  // Another writer (a replica, the CLI): the version moved, so the next read reloads.
  SeriesCache other;
  Push(*store_, other, "api-avail", {{200, 5, 5}});
  EXPECT_EQ(Sums(cache, 200, 201).total, 5);
  EXPECT_EQ(cache.loads(), 2);
  EXPECT_EQ(Sums(cache, 0, 1000).total, 143 + 5);
  EXPECT_EQ(cache.loads(), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, SlosTest, ::testing::ValuesIn(store::testing::AllBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

}  // namespace
}  // namespace plinth::reliability
