#pragma once
// GoogleTest fixtures over store::testing: each case gets a fresh, migrated store on the backend
// it is parameterised with. PostgreSQL cases skip when no server is configured; a configured
// server that fails is a failure, never a silent skip. Test binaries only.

#include <gtest/gtest.h>

#include <memory>

#include "store/testing.h"

namespace plinth::store::testing {

// Opens a fresh store on `backend` into *out, or skips / fails the current test. Callers outside
// SetUp check `IsSkipped() || HasFatalFailure()` afterwards.
inline void OpenFreshOrSkip(Backend backend, std::unique_ptr<Store>* out) {
  auto store = OpenFreshStore(backend);
  if (!store.ok() && backend == Backend::kPostgres && PostgresUrl().empty()) {
    GTEST_SKIP() << store.error().message;
  }
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  *out = std::move(store).value();
}

class StoreFixture : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { OpenFreshOrSkip(GetParam(), &store_); }

  std::unique_ptr<Store> store_;
};

}  // namespace plinth::store::testing
