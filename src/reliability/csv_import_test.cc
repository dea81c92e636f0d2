// CSV backfills: RFC 3339 and epoch seconds, exact file:line errors naming the column, nothing
// written on any error.

#include "reliability/csv_import.h"

#include <gtest/gtest.h>

#include <sstream>

#include "reliability/sli_store.h"
#include "reliability/testing.h"

namespace plinth::reliability {
namespace {

using namespace test_util;  // NOLINT

class CsvImportTest : public store::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto s = CreateSlo(*store_, "api-avail", {{"objective", 0.99}, {"window", "30d"}});
    ASSERT_TRUE(s.ok()) << s.error().ToString();
  }

  Result<ImportResult> Import(const std::string& text) {
    std::istringstream in(text);
    return ImportCsv(*store_, "api-avail", in, "data.csv");
  }

  size_t Stored() {
    auto got = store_->Read([&](store::Tx& tx) {
      return LoadMinutes(tx, "api-avail", 0, INT64_MAX / 2);
    });
    return got.ok() ? got->size() : 0;
  }
};

TEST_P(CsvImportTest, ImportsBothTimestampForms) {
  int64_t progress_calls = 0;
  std::istringstream in(
      "\xEF\xBB\xBFtimestamp,good,total\r\n"
      "2026-11-22T10:00:00Z,990,1000\r\n"
      "1795341660, 995 ,1000\r\n"
      "\n"
      "2026-11-22T10:00:00Z,999,1000\n");
  auto r = ImportCsv(*store_, "api-avail", in, "data.csv",
                     [&](int64_t) { ++progress_calls; }, 2);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->rows, 3);
  EXPECT_EQ(r->written, 2);
  EXPECT_EQ(progress_calls, 1);
  auto got = store_->Read([&](store::Tx& tx) {
    return LoadMinutes(tx, "api-avail", 0, INT64_MAX / 2);
  });
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].minute, Minute("2026-11-22T10:00:00Z"));
  EXPECT_EQ((*got)[0].good, 999);  // the last row of a repeated minute wins
  EXPECT_EQ((*got)[1].minute, 1795341660 / 60);
  EXPECT_EQ((*got)[1].good, 995);
}

TEST_P(CsvImportTest, ErrorsNameFileLineAndColumnAndWriteNothing) {
  struct Case {
    std::string text, error;
  };
  const std::string h = "timestamp,good,total\n";
  const std::string ok = "2026-11-22T10:00:00Z,990,1000\n";
  for (const Case& c : std::vector<Case>{
           {"time,good,total\n", "data.csv:1: expected the header \"timestamp,good,total\", "
                                 "got \"time,good,total\""},
           {"", "data.csv:1: expected the header \"timestamp,good,total\""},
           {h + ok + "2026-11-22T10:01:00Z,x,1000\n",
            "data.csv:3: good: expected a count (a number >= 0), got \"x\""},
           {h + ok + "2026-11-22T10:01:00Z,10,-1\n",
            "data.csv:3: total: expected a count (a number >= 0), got \"-1\""},
           {h + ok + "2026-11-22T10:01:00Z,11,10\n",
            "data.csv:3: good: must not exceed total (11 > 10)"},
           {h + ok + "2026-11-22T10:01:30Z,1,1\n",
            "data.csv:3: timestamp: 2026-11-22T10:01:30Z is not the start of a minute"},
           {h + ok + "yesterday,1,1\n",
            "data.csv:3: timestamp: expected RFC 3339 (2026-11-22T10:00:00Z) or epoch seconds, "
            "got \"yesterday\""},
           {h + ok + "2026-11-22T10:01:00Z,1\n",
            "data.csv:3: expected 3 columns (timestamp,good,total), got 2"},
       }) {
    auto r = Import(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().message, c.error);
    EXPECT_EQ(Stored(), 0u) << c.text;
  }
  std::istringstream in(h + ok);
  auto unknown = ImportCsv(*store_, "nope", in, "data.csv");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(CsvImportTest, StreamsLargeFilesInBatches) {
  std::string text = "timestamp,good,total\n";
  const int64_t first = Minute("2026-11-01T00:00:00Z");
  for (int64_t i = 0; i < 12000; ++i) {
    text += std::to_string((first + i) * 60) + ",99,100\n";
  }
  text += "bad,1,1\n";
  auto r = Import(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.substr(0, 15), "data.csv:12002:");
  EXPECT_EQ(Stored(), 0u);  // batches already written are rolled back
  text.resize(text.size() - 8);
  r = Import(text);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->written, 12000);
  EXPECT_EQ(Stored(), 12000u);
}

INSTANTIATE_TEST_SUITE_P(Backends, CsvImportTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

}  // namespace
}  // namespace plinth::reliability
