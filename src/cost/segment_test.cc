#include "cost/segment.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace plinth::cost {
namespace {

std::vector<ColumnSpec> Specs() {
  return {{"ServiceName", ColumnType::kString},
          {"BilledCost", ColumnType::kDecimal},
          {"ChargePeriodStart", ColumnType::kTime}};
}

Decimal D(std::string_view text) { return ParseDecimal(text).value(); }

TEST(StringIndexTest, InternsInOrderOfFirstSight) {
  StringIndex index;
  EXPECT_EQ(index.Find("a"), StringIndex::kNotFound);
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 5000; ++i) EXPECT_EQ(index.Intern("v" + std::to_string(i)), i);
    EXPECT_EQ(index.Intern(""), 5000u);
    EXPECT_EQ(index.size(), 5001u);
    EXPECT_EQ(index.Find("v4321"), 4321u);
    EXPECT_EQ(index[17], "v17");
    EXPECT_EQ(index.Find("v5000"), StringIndex::kNotFound);
    std::vector<std::string> values = index.Take();
    EXPECT_EQ(values.size(), 5001u);
    EXPECT_EQ(index.size(), 0u);
    EXPECT_EQ(index.Find("v1"), StringIndex::kNotFound);
  }
}

TEST(SegmentBuilderTest, BuildsDictionariesScalesAndTimes) {
  SegmentBuilder b(Specs());
  b.SetString(0, "EC2");
  b.SetDecimal(1, D("1.5"));
  b.SetTime(2, 100);
  b.EndRow();
  b.SetString(0, "EC2");  // a repeat of the previous row
  b.SetDecimal(1, D("-0.125"));
  b.SetTime(2, 50);
  b.EndRow();
  b.SetString(0, "S3");
  b.SetNull(1);
  b.EndRow();          // ChargePeriodStart unset: NULL
  b.SetString(0, "");  // the empty string is NULL
  b.SetDecimal(1, D("7"));
  b.SetTime(2, 300);
  b.EndRow();
  b.SetString(0, "EC2");  // seen before, not the previous row
  b.EndRow();
  EXPECT_EQ(b.rows(), 5u);

  Segment seg = b.Finish();
  EXPECT_EQ(b.rows(), 0u);
  EXPECT_EQ(b.rounded_values(), 0);
  ASSERT_EQ(seg.rows(), 5u);
  EXPECT_EQ(seg.columns(), Specs());

  const StringColumn* service = seg.strings("ServiceName");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->dict, (std::vector<std::string>{"", "EC2", "S3"}));
  EXPECT_EQ(service->codes, (std::vector<uint32_t>{1, 1, 2, 0, 1}));
  EXPECT_EQ(seg.single_code("ServiceName"), std::nullopt);

  const DecimalColumn* cost = seg.decimals("BilledCost");
  ASSERT_NE(cost, nullptr);
  EXPECT_EQ(cost->scale, 3);
  EXPECT_EQ(cost->values, (std::vector<int64_t>{1500, -125, kNullDecimal, 7000, kNullDecimal}));

  const TimeColumn* start = seg.times("ChargePeriodStart");
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->seconds, (std::vector<int64_t>{100, 50, kNullTime, 300, kNullTime}));
  ASSERT_TRUE(seg.time_range("ChargePeriodStart"));
  EXPECT_EQ(seg.time_range("ChargePeriodStart")->min_s, 50);
  EXPECT_EQ(seg.time_range("ChargePeriodStart")->max_s, 300);

  EXPECT_EQ(seg.strings("BilledCost"), nullptr);  // wrong type
  EXPECT_EQ(seg.decimals("Missing"), nullptr);
  EXPECT_FALSE(seg.time_range("Missing"));
}

TEST(SegmentBuilderTest, StartsAFreshSegmentAfterFinish) {
  SegmentBuilder b(Specs());
  b.SetString(0, "EC2");
  b.SetDecimal(1, D("0.001"));
  b.EndRow();
  Segment first = b.Finish();
  b.SetString(0, "S3");
  b.SetDecimal(1, D("2"));
  b.EndRow();
  Segment second = b.Finish();
  EXPECT_EQ(first.strings("ServiceName")->dict, (std::vector<std::string>{"", "EC2"}));
  EXPECT_EQ(second.strings("ServiceName")->dict, (std::vector<std::string>{"", "S3"}));
  EXPECT_EQ(second.strings("ServiceName")->codes, (std::vector<uint32_t>{1}));
  EXPECT_EQ(second.single_code("ServiceName"), 1u);
  Segment loaded(1);
  ASSERT_TRUE(loaded
                  .LoadColumn({"ServiceName", ColumnType::kString},
                              second.SerializeColumn("ServiceName"), 1)
                  .ok());
  EXPECT_EQ(loaded.single_code("ServiceName"), 1u);
  EXPECT_EQ(loaded.single_code("BilledCost"), std::nullopt);
  EXPECT_EQ(second.decimals("BilledCost")->scale, 0);
  EXPECT_EQ(second.decimals("BilledCost")->values, (std::vector<int64_t>{2}));
  EXPECT_FALSE(second.time_range("ChargePeriodStart"));  // all NULL
  EXPECT_EQ(b.Finish().rows(), 0u);
}

TEST(SegmentBuilderTest, LowersTheScaleWithHalfEvenRoundingWhenAValueWouldOverflow) {
  SegmentBuilder b({{"Cost", ColumnType::kDecimal}});
  for (std::string_view v : {"922337203685477580", "0.15", "0.25", "-0.35", "0.3", "-0.26"}) {
    b.SetDecimal(0, D(v));
    b.EndRow();
  }
  Segment seg = b.Finish();
  // 922337203685477580 fits an int64 at scale 1, not at scale 2.
  EXPECT_EQ(seg.decimals("Cost")->scale, 1);
  EXPECT_EQ(seg.decimals("Cost")->values,
            (std::vector<int64_t>{9223372036854775800, 2, 2, -4, 3, -3}));
  EXPECT_EQ(b.rounded_values(), 4);
}

TEST(SegmentTest, MovesKeepColumnAddresses) {
  SegmentBuilder b(Specs());
  b.SetString(0, "EC2");
  b.EndRow();
  Segment seg = b.Finish();
  const StringColumn* before = seg.strings("ServiceName");
  Segment moved = std::move(seg);
  EXPECT_EQ(moved.strings("ServiceName"), before);
}

// A segment whose columns need every encoding width.
Segment WideSegment(size_t rows) {
  SegmentBuilder b({{"Id", ColumnType::kString},
                    {"Small", ColumnType::kDecimal},
                    {"Medium", ColumnType::kDecimal},
                    {"Large", ColumnType::kDecimal},
                    {"Huge", ColumnType::kDecimal},
                    {"At", ColumnType::kTime}});
  for (size_t r = 0; r < rows; ++r) {
    auto i = static_cast<int64_t>(r);
    if (r % 7 != 3) b.SetString(0, "id-" + std::to_string(r % 300));
    if (r % 5 != 1) b.SetDecimal(1, Decimal{-100 + i % 200, 2});
    b.SetDecimal(2, Decimal{i * 13 - 20000, 4});
    if (r % 3 != 0) b.SetDecimal(3, Decimal{i * 100000000007 - 5, 0});
    b.SetDecimal(4, Decimal{r % 2 ? std::numeric_limits<int64_t>::max() - i : -i * 3, 18});
    if (r % 11 != 5) b.SetTime(5, 1700000000 + i * 3600);
    b.EndRow();
  }
  return b.Finish();
}

void ExpectSameColumns(const Segment& a, const Segment& b) {
  ASSERT_EQ(a.rows(), b.rows());
  ASSERT_EQ(a.columns(), b.columns());
  for (const ColumnSpec& c : a.columns()) {
    switch (c.type) {
      case ColumnType::kString:
        EXPECT_EQ(a.strings(c.name)->dict, b.strings(c.name)->dict) << c.name;
        EXPECT_EQ(a.strings(c.name)->codes, b.strings(c.name)->codes) << c.name;
        break;
      case ColumnType::kDecimal:
        EXPECT_EQ(a.decimals(c.name)->scale, b.decimals(c.name)->scale) << c.name;
        EXPECT_EQ(a.decimals(c.name)->values, b.decimals(c.name)->values) << c.name;
        break;
      case ColumnType::kTime:
        EXPECT_EQ(a.times(c.name)->seconds, b.times(c.name)->seconds) << c.name;
        EXPECT_EQ(a.time_range(c.name)->min_s, b.time_range(c.name)->min_s);
        EXPECT_EQ(a.time_range(c.name)->max_s, b.time_range(c.name)->max_s);
        break;
    }
  }
}

TEST(SegmentTest, SerializedColumnsRoundTrip) {
  for (size_t rows : {size_t{0}, size_t{1}, size_t{1000}}) {
    Segment seg = WideSegment(rows);
    Segment loaded(rows);
    for (const ColumnSpec& c : seg.columns())
      ASSERT_TRUE(loaded.LoadColumn(c, seg.SerializeColumn(c.name), rows).ok()) << c.name;
    ExpectSameColumns(seg, loaded);
  }
}

TEST(SegmentTest, PicksTheSmallestWidth) {
  Segment seg = WideSegment(1000);
  // header 12 + base 8 + 1000 values of 1, 2, 4 and 8 bytes.
  EXPECT_EQ(seg.SerializeColumn("Small").size(), 12u + 8 + 1000);
  EXPECT_EQ(seg.SerializeColumn("Medium").size(), 12u + 8 + 2000);
  EXPECT_EQ(seg.SerializeColumn("Large").size(), 12u + 8 + 8000);
  EXPECT_EQ(seg.SerializeColumn("At").size(), 12u + 8 + 4000);
  EXPECT_EQ(seg.SerializeColumn("Huge").size(), 12u + 8 + 8000);
  EXPECT_EQ(seg.SerializeColumn("Missing"), "");
}

TEST(SegmentTest, LoadRejectsMismatchesAndDuplicates) {
  Segment seg = WideSegment(10);
  std::string blob = seg.SerializeColumn("Small");
  Segment loaded;
  EXPECT_FALSE(loaded.LoadColumn({"Small", ColumnType::kTime}, blob, 10).ok());
  EXPECT_FALSE(loaded.LoadColumn({"Small", ColumnType::kDecimal}, blob, 11).ok());
  ASSERT_TRUE(loaded.LoadColumn({"Small", ColumnType::kDecimal}, blob, 10).ok());
  EXPECT_EQ(loaded.rows(), 10u);
  Status again = loaded.LoadColumn({"Small", ColumnType::kDecimal}, blob, 10);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "column \"Small\" is already loaded");
  Status rows = loaded.LoadColumn({"At", ColumnType::kTime}, seg.SerializeColumn("At"), 9);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().message, "column \"At\" has 9 rows, the segment 10");
}

TEST(SegmentTest, LoadRejectsEveryTruncationAndSurvivesCorruption) {
  Segment seg = WideSegment(300);
  for (const ColumnSpec& c : seg.columns()) {
    std::string blob = seg.SerializeColumn(c.name);
    for (size_t n = 0; n < blob.size(); ++n) {
      Segment loaded(300);
      EXPECT_FALSE(loaded.LoadColumn(c, std::string_view(blob).substr(0, n), 300).ok())
          << c.name << " truncated to " << n;
    }
    Segment longer(300);
    EXPECT_FALSE(longer.LoadColumn(c, blob + "x", 300).ok());
    // Flip each byte of the header and dictionary region, and a sample of the rest: either an
    // Error or a column that satisfies the invariants.
    for (size_t i = 0; i < blob.size(); i += i < 4096 ? 1 : 97) {
      std::string bad = blob;
      bad[i] = static_cast<char>(bad[i] ^ 0xa5);
      Segment loaded(300);
      if (!loaded.LoadColumn(c, bad, 300).ok()) continue;
      if (const StringColumn* s = loaded.strings(c.name)) {
        ASSERT_EQ(s->codes.size(), 300u);
        for (uint32_t code : s->codes) ASSERT_LT(code, s->dict.size());
        ASSERT_EQ(s->dict[0], "");
      }
    }
  }
}

TEST(SegmentTest, LoadRejectsACodeOutOfRange) {
  SegmentBuilder b({{"S", ColumnType::kString}});
  b.SetString(0, "a");
  b.EndRow();
  Segment seg = b.Finish();
  std::string blob = seg.SerializeColumn("S");
  blob.back() = 2;  // the dictionary is {"", "a"}
  Segment loaded(1);
  Status status = loaded.LoadColumn({"S", ColumnType::kString}, blob, 1);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "column \"S\": corrupt segment blob: code out of range");
}

}  // namespace
}  // namespace plinth::cost
