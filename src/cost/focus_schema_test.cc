#include "cost/focus_schema.h"

#include <gtest/gtest.h>

namespace plinth::cost {
namespace {

// The Mandatory FOCUS columns, which every FOCUS header needs.
std::vector<std::string_view> Mandatory() {
  std::vector<std::string_view> names;
  for (const FocusColumn& c : kFocusColumns) {
    if (c.mandatory) names.push_back(c.name);
  }
  return names;
}

TEST(FocusSchema, ColumnSetsOfEachVersion) {
  int v10 = 0, v11 = 0, v12 = 0, mandatory = 0;
  for (const FocusColumn& c : kFocusColumns) {
    v10 += c.introduced == FocusVersion::k1_0;
    v11 += c.introduced == FocusVersion::k1_1;
    v12 += c.introduced == FocusVersion::k1_2;
    mandatory += c.mandatory;
  }
  EXPECT_EQ(v10, 43);  // FOCUS 1.0: 43 columns
  EXPECT_EQ(v11, 7);   // 1.1 added 7
  EXPECT_EQ(v12, 7);   // 1.2 added 7
  EXPECT_EQ(mandatory, 21);
  EXPECT_TRUE(
      std::is_sorted(kFocusColumns.begin(), kFocusColumns.end(),
                     [](const FocusColumn& a, const FocusColumn& b) { return a.name < b.name; }));
  EXPECT_EQ(kFocusColumns[FocusIndex("Tags")].name, "Tags");
  EXPECT_EQ(FindFocusColumn("billedCOST"), static_cast<int>(FocusIndex("BilledCost")));
  EXPECT_EQ(FindFocusColumn("Id"), -1);
}

TEST(FocusSchema, HeaderDetectsTheVersion) {
  std::vector<std::string_view> header = Mandatory();
  auto v10 = MapFocusHeader(header, "f.csv");
  ASSERT_TRUE(v10.ok()) << v10.error().message;
  EXPECT_EQ(FocusVersionName(v10->version), "FOCUS 1.0");

  header.push_back("SkuMeter");
  EXPECT_EQ(FocusVersionName(MapFocusHeader(header, "f.csv")->version), "FOCUS 1.1");
  header.push_back("invoiceid");
  auto v12 = MapFocusHeader(header, "f.csv");
  ASSERT_TRUE(v12.ok());
  EXPECT_EQ(FocusVersionName(v12->version), "FOCUS 1.2");
  EXPECT_EQ(v12->field_column.back(), FocusIndex("InvoiceId"));
  EXPECT_EQ(v12->columns.size(), kFocusColumns.size());
}

TEST(FocusSchema, CustomAndUnknownColumnsAreKeptAsStrings) {
  std::vector<std::string_view> header = Mandatory();
  header.push_back("x_Team");
  header.push_back("Id");
  auto h = MapFocusHeader(header, "f.csv");
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->columns.size(), kFocusColumns.size() + 2);
  EXPECT_EQ(h->columns[57], (ColumnSpec{"x_Team", ColumnType::kString}));
  EXPECT_EQ(h->columns[58], (ColumnSpec{"Id", ColumnType::kString}));
  EXPECT_EQ(h->field_column[header.size() - 1], 58u);
  ASSERT_EQ(h->warnings.size(), 1u);
  EXPECT_EQ(h->warnings[0],
            "f.csv:1: column \"Id\" is not a FOCUS 1.0-1.2 column; kept as a string column");
}

TEST(FocusSchema, HeaderErrors) {
  std::vector<std::string_view> header;
  for (std::string_view name : Mandatory()) {
    if (name != "BilledCost" && name != "ChargePeriodStart") header.push_back(name);
  }
  EXPECT_EQ(MapFocusHeader(header, "f.csv").error().message,
            "f.csv:1: missing mandatory FOCUS columns: BilledCost, ChargePeriodStart");
  header = Mandatory();
  header.push_back("BILLEDCOST");
  EXPECT_EQ(MapFocusHeader(header, "f.csv").error().message,
            "f.csv:1: column BilledCost appears twice (columns 1 and 22)");
  header = Mandatory();
  header.push_back(" ");
  EXPECT_EQ(MapFocusHeader(header, "f.csv").error().message, "f.csv:1: column 22 has no name");
}

TEST(FocusSchema, AllowedValuesInAnyCasing) {
  const FocusColumn& frequency = kFocusColumns[FocusIndex("ChargeFrequency")];
  EXPECT_EQ(CanonicalAllowedValue(frequency, "Usage-Based"), "Usage-Based");
  EXPECT_EQ(CanonicalAllowedValue(frequency, "Usage-based"), "Usage-Based");
  EXPECT_EQ(CanonicalAllowedValue(frequency, "usage based"), "Usage-Based");
  EXPECT_EQ(CanonicalAllowedValue(frequency, "ONE_TIME"), "One-Time");
  EXPECT_EQ(CanonicalAllowedValue(frequency, "Monthly"), "");
  const FocusColumn& category = kFocusColumns[FocusIndex("ServiceCategory")];
  EXPECT_EQ(CanonicalAllowedValue(category, "ai and machine learning"), "AI and Machine Learning");
  EXPECT_EQ(CanonicalAllowedValue(kFocusColumns[FocusIndex("ChargeCategory")], "usage"), "Usage");
}

TEST(FocusSchema, Timestamps) {
  auto at = [](std::string_view s) {
    auto t = ParseFocusTimestamp(s);
    EXPECT_TRUE(t.ok()) << s << ": " << t.error().message;
    return t.ok() ? *t : 0;
  };
  const int64_t sep1 = 1725148800;  // 2024-09-01T00:00:00Z
  EXPECT_EQ(at("2024-09-01T00:00:00Z"), sep1);
  EXPECT_EQ(at("2024-09-01 00:00:00"), sep1);
  EXPECT_EQ(at("2024-09-01"), sep1);
  EXPECT_EQ(at("2024-09-01T00:00Z"), sep1);
  EXPECT_EQ(at("2024-09-01T00:00:00.999Z"), sep1);
  EXPECT_EQ(at("2024-09-01T02:00:00+02:00"), sep1);
  EXPECT_EQ(at("2024-08-31T19:30:00-0430"), sep1);
  EXPECT_EQ(at("2024-02-29T23:59:59Z"), 1709251199);
  EXPECT_EQ(at("1969-12-31T23:59:59Z"), -1);
  for (std::string_view bad :
       {"", "2024-9-1", "2024-02-30", "2023-02-29T00:00:00Z", "2024-09-01T24:00:00Z",
        "2024-09-01X00:00:00", "2024-09-01T00:00:00Q", "2024-09-01T00:00:00.Z", "1725148800",
        "NULL"}) {
    EXPECT_FALSE(ParseFocusTimestamp(bad).ok()) << bad;
  }
  EXPECT_EQ(ParseFocusTimestamp("Sept 1").error().message,
            "expected a timestamp like 2024-09-01T00:00:00Z, got \"Sept 1\"");
}

TEST(FocusSchema, TagsBecomeCanonicalJson) {
  TagCanonicalizer tags;
  auto canonical = [&](std::string_view s) {
    auto c = tags.Canonical(s);
    return c.ok() ? std::string(*c) : "error: " + c.error().message;
  };
  EXPECT_EQ(canonical(R"({"team": "web", "env": "prod"})"), R"({"env":"prod","team":"web"})");
  EXPECT_EQ(canonical(R"({ "env":"prod","team":"web" })"), R"({"env":"prod","team":"web"})");
  EXPECT_EQ(
      canonical(R"({"valueless": true, "n": 12, "gone": null, "nested": {"b": 1, "a": [2]}})"),
      R"({"n":"12","nested":"{\"a\":[2],\"b\":1}","valueless":"true"})");
  EXPECT_EQ(canonical(R"({"ünï": "cödé"})"), R"({"ünï":"cödé"})");
  EXPECT_EQ(canonical("{}"), "");
  EXPECT_EQ(canonical("[1, 2]"), "error: expected a JSON object, got \"[1, 2]\"");
  EXPECT_EQ(canonical("team=web"), "error: expected a JSON object, got \"team=web\"");
  auto stripped = tags.CanonicalStripped(R"({"user_team": "web", "aws_createdBy": "x"})", "user_");
  ASSERT_TRUE(stripped.ok());
  EXPECT_EQ(*stripped, R"({"aws_createdBy":"x","team":"web"})");
}

}  // namespace
}  // namespace plinth::cost
