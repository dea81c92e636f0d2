#include "cost/query.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace plinth::cost {
namespace {

// "YYYY-MM-DDTHH:MM:SS" in UTC.
int64_t T(const std::string& text) {
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
  EXPECT_EQ(std::sscanf(text.c_str(), "%d-%u-%uT%u:%u:%u", &y, &mo, &d, &h, &mi, &s), 6) << text;
  int64_t days =
      date::sys_days{date::year{y} / date::month{mo} / date::day{d}}.time_since_epoch().count();
  return days * 86400 + h * 3600 + mi * 60 + s;
}

std::string Day(int64_t t) {
  return date::format("%F", date::sys_seconds{std::chrono::seconds{t}});
}

// One line item; "" is NULL.
struct Item {
  std::string start, service, currency, effective, billed, tags, team;
};

Segment Build(const std::vector<Item>& items, bool with_team, bool with_billed) {
  std::vector<ColumnSpec> specs = {{"ChargePeriodStart", ColumnType::kTime},
                                   {"ServiceName", ColumnType::kString},
                                   {"BillingCurrency", ColumnType::kString},
                                   {"EffectiveCost", ColumnType::kDecimal},
                                   {"Tags", ColumnType::kString}};
  if (with_billed) specs.push_back({"BilledCost", ColumnType::kDecimal});
  if (with_team) specs.push_back({"x_Team", ColumnType::kString});
  SegmentBuilder b(specs);
  for (const Item& i : items) {
    b.SetTime(0, T(i.start));
    b.SetString(1, i.service);
    b.SetString(2, i.currency);
    if (!i.effective.empty()) b.SetDecimal(3, ParseDecimal(i.effective).value());
    b.SetString(4, i.tags);
    if (with_billed && !i.billed.empty()) b.SetDecimal(5, ParseDecimal(i.billed).value());
    if (with_team) b.SetString(specs.size() - 1, i.team);
    b.EndRow();
  }
  return b.Finish();
}

// Three segments: EffectiveCost at scales 2 and 3, different dictionaries, a missing x_Team and
// BilledCost column in the second, the third in April only.
class QueryTest : public ::testing::Test {
 protected:
  QueryTest() {
    segments_.push_back(Build(
        {
            {"2024-02-29T23:59:59", "EC2", "USD", "10.25", "11", R"({"env":"prod","team":"web"})",
             "A"},
            {"2024-03-01T00:00:00", "EC2", "USD", "1.50", "2", R"({"team":"web"})", "A"},
            {"2024-03-03T12:00:00", "S3", "USD", "0.05", "", "", ""},  // a Sunday
            {"2024-03-04T00:00:00", "S3", "USD", "2.00", "2", R"({"env":"dev"})", "B"},
            {"2024-03-04T05:00:00", "", "USD", "", "", R"({"team":"data"})", "B"},
        },
        true, true));
    segments_.push_back(Build(
        {
            {"2024-03-01T08:00:00", "S3", "USD", "0.125", "", R"({"team":"data"})", ""},
            {"2024-03-02T00:00:00", "EC2", "EUR", "3.333", "", R"({"team":"web"})", ""},
            {"2024-03-04T23:59:59", "S3", "USD", "-0.5", "", R"({"team":"data"})", ""},
            {"2024-03-31T23:59:59", "RDS", "USD", "4", "", R"({"env":"prod"})", ""},
            {"2024-04-01T00:00:00", "RDS", "USD", "100", "", R"({"env":"prod"})", ""},
        },
        false, false));
    segments_.push_back(
        Build({{"2024-04-02T00:00:00", "RDS", "USD", "7", "", "", ""}}, false, false));
    for (const Segment& s : segments_) pointers_.push_back(&s);
  }

  static CostQuery March() {
    CostQuery q;
    q.from_s = T("2024-03-01T00:00:00");
    q.to_s = T("2024-04-01T00:00:00");
    return q;
  }

  // One line per row: "period currency key... cost".
  std::string Run(const CostQuery& query, size_t* scanned = nullptr) {
    Result<CostResult> result = RunQuery(query, pointers_);
    if (!result.ok()) return "error: " + result.error().message;
    if (scanned) *scanned = result->rows_scanned;
    std::string out;
    for (const CostRow& row : result->rows) {
      out += Day(row.period_start_s) + " " + row.currency;
      for (const std::string& k : row.keys) out += " [" + k + "]";
      out += " " + row.cost.ToExactString() + "\n";
    }
    return out;
  }

  std::vector<Segment> segments_;
  std::vector<const Segment*> pointers_;
};

TEST_F(QueryTest, TotalByServiceSkipsSegmentsOutsideTheRange) {
  CostQuery q = March();
  q.group_by = {{"ServiceName"}};
  size_t scanned = 0;
  EXPECT_EQ(Run(q, &scanned),
            "2024-03-01 USD [RDS] 4\n"
            "2024-03-01 EUR [EC2] 3.333\n"
            "2024-03-01 USD [S3] 1.675\n"
            "2024-03-01 USD [EC2] 1.5\n");
  EXPECT_EQ(scanned, 10u);
}

TEST_F(QueryTest, MonthsSplitAtMidnightUtc) {
  CostQuery q;
  q.from_s = T("2024-02-01T00:00:00");
  q.to_s = T("2024-05-01T00:00:00");
  q.granularity = Granularity::kMonth;
  EXPECT_EQ(Run(q),
            "2024-02-01 USD 10.25\n"
            "2024-03-01 USD 7.175\n"
            "2024-03-01 EUR 3.333\n"
            "2024-04-01 USD 107\n");
}

TEST_F(QueryTest, WeeksStartOnMondayAndTagsGroup) {
  CostQuery q = March();
  q.granularity = Granularity::kWeek;
  q.group_by = {{"tag:team"}};
  EXPECT_EQ(Run(q),
            "2024-02-26 EUR [web] 3.333\n"
            "2024-02-26 USD [web] 1.5\n"
            "2024-02-26 USD [data] 0.125\n"
            "2024-02-26 USD [] 0.05\n"
            "2024-03-04 USD [] 2\n"
            "2024-03-04 USD [data] -0.5\n"
            "2024-03-25 USD [] 4\n");
}

TEST_F(QueryTest, DaysWithTwoDimensions) {
  CostQuery q = March();
  q.to_s = T("2024-03-05T00:00:00");
  q.granularity = Granularity::kDay;
  q.group_by = {{"ServiceName"}, {"tag:env"}};
  EXPECT_EQ(Run(q),
            "2024-03-01 USD [EC2] [] 1.5\n"
            "2024-03-01 USD [S3] [] 0.125\n"
            "2024-03-02 EUR [EC2] [] 3.333\n"
            "2024-03-03 USD [S3] [] 0.05\n"
            "2024-03-04 USD [S3] [dev] 2\n"
            "2024-03-04 USD [S3] [] -0.5\n");
}

TEST_F(QueryTest, FiltersMatchNullWithTheEmptyString) {
  CostQuery q = March();
  q.group_by = {{"ServiceName"}};
  q.filters = {{{"tag:team"}, {"", "data"}, false}};
  EXPECT_EQ(Run(q),
            "2024-03-01 USD [RDS] 4\n"
            "2024-03-01 USD [S3] 1.675\n");
  q.filters.push_back({{"ServiceName"}, {"RDS"}, true});
  EXPECT_EQ(Run(q), "2024-03-01 USD [S3] 1.675\n");
  // x_Team is absent from the second segment: NULL there.
  q.filters = {{{"x_Team"}, {""}, false}};
  EXPECT_EQ(Run(q),
            "2024-03-01 USD [RDS] 4\n"
            "2024-03-01 EUR [EC2] 3.333\n"
            "2024-03-01 USD [S3] -0.325\n");
  q.filters = {{{"x_Team"}, {"A"}, false}};
  EXPECT_EQ(Run(q), "2024-03-01 USD [EC2] 1.5\n");
  q.filters = {{{"x_Team"}, {"A", "B"}, true}, {{"BillingCurrency"}, {"EUR"}, true}};
  EXPECT_EQ(Run(q),
            "2024-03-01 USD [RDS] 4\n"
            "2024-03-01 USD [S3] -0.325\n");
  q.filters = {{{"ServiceName"}, {"Lambda"}, false}};
  EXPECT_EQ(Run(q), "");
}

TEST_F(QueryTest, LimitKeepsTheLargestGroupsOverAllPeriods) {
  CostQuery q = March();
  q.granularity = Granularity::kDay;
  q.group_by = {{"ServiceName"}};
  q.limit = 2;
  EXPECT_EQ(Run(q),
            "2024-03-02 EUR [EC2] 3.333\n"
            "2024-03-31 USD [RDS] 4\n");
  q.limit = 1;
  q.filters = {{{"ServiceName"}, {"RDS"}, true}};
  q.granularity = Granularity::kTotal;
  EXPECT_EQ(Run(q), "2024-03-01 EUR [EC2] 3.333\n");
  q.limit = 10;
  EXPECT_EQ(Run(q),
            "2024-03-01 EUR [EC2] 3.333\n"
            "2024-03-01 USD [S3] 1.675\n"
            "2024-03-01 USD [EC2] 1.5\n");
}

TEST_F(QueryTest, LimitRanksByMagnitude) {
  CostQuery q = March();
  q.to_s = T("2024-03-05T00:00:00");
  q.group_by = {{"tag:team"}};
  q.filters = {{{"BillingCurrency"}, {"USD"}, false}};
  q.limit = 2;  // totals: web 1.5, "" 2.05, data -0.375
  EXPECT_EQ(Run(q),
            "2024-03-01 USD [] 2.05\n"
            "2024-03-01 USD [web] 1.5\n");
  q.filters.push_back({{"tag:team"}, {""}, true});
  q.limit = 1;  // web 1.5, data -0.375
  EXPECT_EQ(Run(q), "2024-03-01 USD [web] 1.5\n");
}

TEST_F(QueryTest, MetricsAndMissingColumns) {
  CostQuery q = March();
  q.metric = CostMetric::kBilled;  // only the first segment has BilledCost
  EXPECT_EQ(Run(q), "2024-03-01 USD 4\n");
  q.metric = CostMetric::kList;  // no segment has ListCost
  EXPECT_EQ(Run(q), "");
  q.metric = CostMetric::kEffective;
  q.group_by = {{"x_Missing"}};
  EXPECT_EQ(Run(q),
            "2024-03-01 USD [] 7.175\n"
            "2024-03-01 EUR [] 3.333\n");
}

TEST_F(QueryTest, TheRangeIsHalfOpen) {
  CostQuery q;
  q.from_s = T("2024-03-04T00:00:00");
  q.to_s = T("2024-03-04T23:59:59");
  q.group_by = {{"ServiceName"}};
  size_t scanned = 0;
  EXPECT_EQ(Run(q, &scanned), "2024-03-04 USD [S3] 2\n");
  EXPECT_EQ(scanned, 10u);
}

TEST_F(QueryTest, RejectsBadQueries) {
  CostQuery q = March();
  q.to_s = q.from_s;
  EXPECT_EQ(Run(q), "error: the time range is empty (from >= to)");
  q = March();
  q.group_by.assign(9, {"ServiceName"});
  EXPECT_EQ(Run(q), "error: at most 8 group-by dimensions, got 9");
  q.group_by = {{"tag:"}};
  EXPECT_EQ(Run(q), "error: dimension \"tag:\" names no tag key");
  q.group_by = {};
  q.filters = {{{""}, {"x"}, false}};
  EXPECT_EQ(Run(q), "error: a dimension has an empty name");
  q.filters = {};
  q.group_by = {{"EffectiveCost"}};
  EXPECT_EQ(Run(q), "error: column \"EffectiveCost\" is a decimal column, not a string one");
}

TEST(QueryExtremesTest, FarTimesAndAnOpenRange) {
  SegmentBuilder b({{"ChargePeriodStart", ColumnType::kTime},
                    {"EffectiveCost", ColumnType::kDecimal},
                    {"BillingCurrency", ColumnType::kString}});
  for (int64_t t : {-(int64_t{1} << 62), int64_t{0}, int64_t{1} << 62, int64_t{86399}}) {
    b.SetTime(0, t);
    b.SetDecimal(1, Decimal{1, 0});
    b.SetString(2, "USD");
    b.EndRow();
  }
  Segment segment = b.Finish();
  const Segment* segments[] = {&segment};
  CostQuery q;
  q.from_s = std::numeric_limits<int64_t>::min();
  q.to_s = std::numeric_limits<int64_t>::max();
  for (Granularity g : {Granularity::kDay, Granularity::kWeek, Granularity::kMonth}) {
    q.granularity = g;
    Result<CostResult> result = RunQuery(q, segments);
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result->rows.size(), 3u) << GranularityName(g);
    EXPECT_EQ(result->rows[0].period_start_s, PeriodStart(g, -(int64_t{1} << 62)));
    EXPECT_EQ(result->rows[1].period_start_s, PeriodStart(g, 0));
    EXPECT_EQ(result->rows[1].cost, Amount::FromDecimal({2, 0}));
    EXPECT_EQ(result->rows[2].period_start_s, PeriodStart(g, int64_t{1} << 62));
  }
}

TEST(QueryExtremesTest, SumsPastInt64StayExact) {
  SegmentBuilder b({{"ChargePeriodStart", ColumnType::kTime},
                    {"EffectiveCost", ColumnType::kDecimal},
                    {"BillingCurrency", ColumnType::kString}});
  for (int64_t m : {int64_t{9000000000000000000}, int64_t{9000000000000000000},
                    int64_t{9000000000000000000}, int64_t{-5}}) {
    b.SetTime(0, 100);
    b.SetDecimal(1, Decimal{m, 0});
    b.SetString(2, "USD");
    b.EndRow();
  }
  Segment segment = b.Finish();
  const Segment* segments[] = {&segment};
  CostQuery q;
  q.from_s = 0;
  q.to_s = 1000;
  Result<CostResult> result = RunQuery(q, segments);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->rows.size(), 1u);
  EXPECT_EQ(result->rows[0].cost.ToExactString(), "26999999999999999995");
}

TEST(QueryColumnsTest, RequiredColumns) {
  CostQuery q;
  q.metric = CostMetric::kBilled;
  q.group_by = {{"ServiceName"}, {"tag:team"}, {"tag:env"}};
  q.filters = {{{"x_Team"}, {"a"}, false}, {{"ServiceName"}, {"b"}, false}};
  std::vector<ColumnSpec> want = {{"ChargePeriodStart", ColumnType::kTime},
                                  {"BilledCost", ColumnType::kDecimal},
                                  {"BillingCurrency", ColumnType::kString},
                                  {"ServiceName", ColumnType::kString},
                                  {"Tags", ColumnType::kString},
                                  {"x_Team", ColumnType::kString}};
  EXPECT_EQ(RequiredColumns(q), want);
}

TEST(QueryPeriodTest, PeriodStarts) {
  EXPECT_EQ(PeriodStart(Granularity::kDay, T("2024-03-03T23:59:59")), T("2024-03-03T00:00:00"));
  EXPECT_EQ(PeriodStart(Granularity::kWeek, T("2024-03-03T23:59:59")), T("2024-02-26T00:00:00"));
  EXPECT_EQ(PeriodStart(Granularity::kWeek, T("2024-03-04T00:00:00")), T("2024-03-04T00:00:00"));
  EXPECT_EQ(PeriodStart(Granularity::kWeek, T("1970-01-01T00:00:00")), T("1969-12-29T00:00:00"));
  EXPECT_EQ(PeriodStart(Granularity::kWeek, T("1969-12-28T10:00:00")), T("1969-12-22T00:00:00"));
  EXPECT_EQ(PeriodStart(Granularity::kMonth, T("2024-02-29T23:59:59")), T("2024-02-01T00:00:00"));
  EXPECT_EQ(PeriodStart(Granularity::kMonth, T("1969-12-31T23:59:59")), T("1969-12-01T00:00:00"));
  EXPECT_EQ(PeriodStart(Granularity::kTotal, 12345), 12345);
  EXPECT_EQ(ParseGranularity("week"), Granularity::kWeek);
  EXPECT_EQ(ParseGranularity("year"), std::nullopt);
  EXPECT_EQ(ParseMetric("contracted"), CostMetric::kContracted);
  EXPECT_STREQ(MetricColumn(CostMetric::kList), "ListCost");
}

TEST(TagValueTest, ReadsOneKey) {
  EXPECT_EQ(TagValue(R"({"env":"prod","team":"web"})", "team"), "web");
  EXPECT_EQ(TagValue(R"({"env":"prod","team":"web"})", "env"), "prod");
  EXPECT_EQ(TagValue(R"({"env":"prod","team":"web"})", "owner"), "");
  EXPECT_EQ(TagValue(R"({ "a" : {"x":[1,"}"]}, "team" : "web" })", "team"), "web");
  EXPECT_EQ(TagValue(R"({"a":"q\"uote","team":"w\u00e9b"})", "team"),
            "w\xc3\xa9"
            "b");
  EXPECT_EQ(TagValue(R"({"team":null})", "team"), "");
  EXPECT_EQ(TagValue(R"({"team":12.50})", "team"), "12.5");
  EXPECT_EQ(TagValue(R"({"team":{"b":1,"a":2}})", "team"), R"({"a":2,"b":1})");
  EXPECT_EQ(TagValue(R"({"team":true})", "team"), "true");
  EXPECT_EQ(TagValue("", "team"), "");
  EXPECT_EQ(TagValue("not json", "team"), "");
  EXPECT_EQ(TagValue(R"(["team"])", "team"), "");
  EXPECT_EQ(TagValue(R"({"team":"web")", "team"), "web");  // what a scan can tell
  EXPECT_EQ(TagValue(R"({"a":"b")", "team"), "");
}

// ---- Randomised: the engine against a direct computation, over every key layout ----

std::vector<CostRow> Naive(const CostQuery& q, const std::vector<const Segment*>& segments) {
  std::map<std::tuple<int64_t, std::vector<std::string>, std::string>, Amount> sums;
  for (const Segment* s : segments) {
    const TimeColumn* t = s->times("ChargePeriodStart");
    const DecimalColumn* c = s->decimals(MetricColumn(q.metric));
    auto value = [&](const std::string& name, size_t r) -> std::string {
      std::string column = name.starts_with("tag:") ? "Tags" : name;
      const StringColumn* sc = s->strings(column);
      std::string v = sc ? sc->dict[sc->codes[r]] : "";
      return name.starts_with("tag:") ? TagValue(v, name.substr(4)) : v;
    };
    for (size_t r = 0; r < s->rows(); ++r) {
      int64_t at = t->seconds[r];
      if (at == kNullTime || at < q.from_s || at >= q.to_s || c->values[r] == kNullDecimal)
        continue;
      bool pass = true;
      for (const Filter& f : q.filters) {
        std::string v = value(f.dim.name, r);
        bool in = std::find(f.values.begin(), f.values.end(), v) != f.values.end();
        pass = pass && in != f.exclude;
      }
      if (!pass) continue;
      std::vector<std::string> keys;
      for (const Dimension& d : q.group_by) keys.push_back(value(d.name, r));
      int64_t period =
          q.granularity == Granularity::kTotal ? q.from_s : PeriodStart(q.granularity, at);
      sums[{period, keys, value("BillingCurrency", r)}] +=
          Amount::FromScaled(c->values[r], c->scale);
    }
  }
  std::vector<CostRow> rows;
  for (const auto& [key, sum] : sums)
    rows.push_back({std::get<1>(key), std::get<0>(key), std::get<2>(key), sum});
  std::sort(rows.begin(), rows.end(), [](const CostRow& a, const CostRow& b) {
    if (a.period_start_s != b.period_start_s) return a.period_start_s < b.period_start_s;
    if (a.cost != b.cost) return a.cost > b.cost;
    if (a.keys != b.keys) return a.keys < b.keys;
    return a.currency < b.currency;
  });
  return rows;
}

Segment RandomSegment(std::mt19937_64& rng, size_t rows, int cardinality, int64_t t0) {
  std::vector<ColumnSpec> specs = {{"ChargePeriodStart", ColumnType::kTime},
                                   {"EffectiveCost", ColumnType::kDecimal},
                                   {"BillingCurrency", ColumnType::kString},
                                   {"Tags", ColumnType::kString}};
  for (int d = 0; d < 8; ++d) specs.push_back({"D" + std::to_string(d), ColumnType::kString});
  SegmentBuilder b(specs);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  for (size_t r = 0; r < rows; ++r) {
    if (pick(50) != 0) b.SetTime(0, t0 + pick(90) * 86400 + pick(86400));
    if (pick(20) != 0) b.SetDecimal(1, Decimal{pick(2000000) - 1000000, pick(5)});
    b.SetString(2, pick(10) == 0 ? "EUR" : "USD");
    if (pick(4) != 0) b.SetString(3, R"({"team":"t)" + std::to_string(pick(cardinality)) + R"("})");
    for (int d = 0; d < 8; ++d)
      if (pick(8) != 0) b.SetString(4 + d, "v" + std::to_string(pick(cardinality)));
    b.EndRow();
  }
  return b.Finish();
}

TEST(QueryRandomTest, MatchesADirectComputation) {
  std::mt19937_64 rng(7);
  for (int cardinality : {3, 40, 400}) {
    std::vector<Segment> segments;
    for (int i = 0; i < 3; ++i)
      segments.push_back(
          RandomSegment(rng, 3000, cardinality, T("2024-01-01T00:00:00") + i * 86400 * 20));
    std::vector<const Segment*> pointers;
    for (const Segment& s : segments) pointers.push_back(&s);
    for (int dims : {0, 1, 2, 8}) {
      for (Granularity g : {Granularity::kTotal, Granularity::kDay, Granularity::kMonth}) {
        CostQuery q;
        q.from_s = T("2024-01-15T00:00:00");
        q.to_s = T("2024-04-01T00:00:00");
        q.granularity = g;
        for (int d = 0; d < dims; ++d)
          q.group_by.push_back({d == 1 ? "tag:team" : "D" + std::to_string(d)});
        if (dims == 2) q.filters = {{{"D5"}, {"", "v1", "v2"}, true}, {{"tag:team"}, {"t0"}, true}};
        Result<CostResult> got = RunQuery(q, pointers);
        ASSERT_TRUE(got.ok()) << got.error().message;
        std::vector<CostRow> want = Naive(q, pointers);
        ASSERT_EQ(got->rows.size(), want.size())
            << "cardinality " << cardinality << " dims " << dims << " " << GranularityName(g);
        EXPECT_TRUE(got->rows == want)
            << "cardinality " << cardinality << " dims " << dims << " " << GranularityName(g);
      }
    }
  }
}

}  // namespace
}  // namespace plinth::cost
