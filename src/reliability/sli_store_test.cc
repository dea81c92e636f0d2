// SLI minutes on every backend: upsert replaces (nothing counted twice), ranges, bad points.

#include "reliability/sli_store.h"

#include <gtest/gtest.h>

#include "store/test_fixture.h"

namespace plinth::reliability {
namespace {

class SliStoreTest : public store::testing::StoreFixture {};

TEST_P(SliStoreTest, UpsertReplacesAndLoadsRanges) {
  auto n = store_->Write([&](store::Tx& tx) {
    return UpsertMinutes(tx, "a", {{10, 9, 10}, {11, 10, 10}, {12, 0, 0}, {11, 5, 10}});
  });
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(*n, 3);
  // Pulling minute 12 again (an overlapping catch-up) replaces it.
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) {
    return UpsertMinutes(tx, "a", {{12, 1, 2}});
  }).ok());
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) { return UpsertMinutes(tx, "b", {{11, 1, 1}}); }).ok());
  auto got = store_->Read([&](store::Tx& tx) { return LoadMinutes(tx, "a", 11, 13); });
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].minute, 11);
  EXPECT_EQ((*got)[0].good, 5);
  EXPECT_EQ((*got)[1].good, 1);
  EXPECT_EQ((*got)[1].total, 2);

  auto bad = store_->Write([&](store::Tx& tx) { return UpsertMinutes(tx, "a", {{13, 3, 2}}); });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "minute 13: good must not exceed total");
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) { return DeleteMinutes(tx, "a"); }).ok());
  auto none = store_->Read([&](store::Tx& tx) { return LoadMinutes(tx, "a", 0, 100); });
  EXPECT_TRUE(none->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, SliStoreTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

}  // namespace
}  // namespace plinth::reliability
