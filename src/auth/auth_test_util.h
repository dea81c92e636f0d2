#pragma once
// Test support for the auth tests: a fresh, migrated store per backend and raw-row helpers for
// checking that no secret is ever stored or audited. Test-only; not part of plinth_auth.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "store/test_fixture.h"

namespace plinth::auth::testing {

inline constexpr int64_t kT0 = 1795334400000;  // 2026-11-22T08:00:00Z
inline constexpr char kAlicePassword[] = "correct horse battery staple";

class AuthStoreTest : public store::testing::StoreFixture {
 protected:
  template <typename F>
  auto Write(F&& fn) {
    return store_->Write(std::forward<F>(fn));
  }
  template <typename F>
  auto Read(F&& fn) {
    return store_->Read(std::forward<F>(fn));
  }

  // Every column of every row of `table`, joined, to search for leaked secrets.
  std::string TableText(const std::string& table) {
    auto rows = store_->Read([&](store::Tx& tx) { return tx.Query("SELECT * FROM " + table); });
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    std::string out;
    if (!rows.ok()) return out;
    for (const auto& row : *rows) {
      for (size_t i = 0; i < row.size(); ++i) out += row.Text(i) + "|";
      out += "\n";
    }
    return out;
  }

  // The first column of the first row of `sql`, or "" when there is none.
  std::string QueryText(const std::string& sql) {
    auto row = store_->Read([&](store::Tx& tx) { return tx.QueryOne(sql); });
    EXPECT_TRUE(row.ok()) << row.error().message;
    return row.ok() && *row ? (*row)->Text(0) : "";
  }
};

inline std::string BackendTestName(const ::testing::TestParamInfo<store::testing::Backend>& info) {
  return store::testing::BackendName(info.param);
}

}  // namespace plinth::auth::testing

#define PLINTH_INSTANTIATE_ON_ALL_BACKENDS(Suite)                                        \
  INSTANTIATE_TEST_SUITE_P(AllBackends, Suite,                                           \
                           ::testing::ValuesIn(::plinth::store::testing::AllBackends()), \
                           ::plinth::auth::testing::BackendTestName)
