#include "cost/showback.h"

#include <gtest/gtest.h>

namespace plinth::cost {
namespace {

constexpr int64_t kJan = 1767225600;  // 2026-01-01T00:00:00Z

Amount Money(std::string_view text) { return Amount::FromDecimal(*ParseDecimal(text)); }

TEST(Showback, RoundToCentsAddsUpToTheTarget) {
  std::vector<Amount> thirds = {Money("3.333"), Money("3.333"), Money("3.333")};
  EXPECT_EQ(RoundToCents(thirds, 1000), (std::vector<int64_t>{334, 333, 333}));
  std::vector<Amount> mixed = {Money("10.004"), Money("0.505"), Money("-0.015"), Money("-0.015")};
  // floors 10.00, 0.50, -0.02, -0.02; remainders .4, .5, .5, .5 of a cent; 10.479 -> 10.48.
  EXPECT_EQ(RoundToCents(mixed, 1048), (std::vector<int64_t>{1000, 51, -1, -2}));
  EXPECT_EQ(RoundToCents({}, 0), (std::vector<int64_t>{}));
  std::vector<Amount> exact = {Money("1.25"), Money("-0.25")};
  EXPECT_EQ(RoundToCents(exact, 100), (std::vector<int64_t>{125, -25}));
}

TEST(Showback, MonthAndCentsText) {
  EXPECT_EQ(MonthText(kJan), "2026-01");
  EXPECT_EQ(MonthText(kJan + 31 * 86400), "2026-02");
  EXPECT_EQ(CentsText(1234), "12.34");
  EXPECT_EQ(CentsText(-5), "-0.05");
  EXPECT_EQ(CentsText(0), "0.00");
}

// One month: two teams, one pool, an unallocated line with a text that needs CSV care.
AllocationReport Report() {
  AllocationMonth m;
  m.month_start_s = kJan;
  m.currency = "USD";
  m.pools = {"support"};
  m.pool_totals = {Money("0.10")};
  m.teams = {{"payments", Money("10.004"), {Money("0.0667")}, Money("10.0707")},
             {"search", Money("5.004"), {Money("0.0333")}, Money("5.0373")}};
  m.lines = {{"payments", "checkout", "shop", "prod", Money("6.002")},
             {"payments", "ledger", "", "", Money("4.002")},
             {"search", "", "", "", Money("5.004")}};
  m.unallocated = Money("1.005");
  m.reasons = {{"no rule matches", Money("1.005")}};
  m.top_unallocated = {
      {"=cmd|calc", "name, \"quoted\"", "Amazon EC2", "111", "no rule matches", Money("1.005")}};
  m.total = Money("16.113");
  AllocationReport r;
  r.months.push_back(m);
  r.warnings = {"service \"web\" is not a catalog service"};
  return r;
}

TEST(Showback, CsvReportsAddUp) {
  AllocationReport r = Report();
  EXPECT_EQ(ShowbackCsv(r),
            "month,currency,team,direct,shared:support,shared,total,percent\r\n"
            "2026-01,USD,payments,10.00,0.07,0.07,10.07,62.51\r\n"
            "2026-01,USD,search,5.00,0.03,0.03,5.03,31.22\r\n"
            "2026-01,USD,(unallocated),1.01,0.00,0.00,1.01,6.27\r\n"
            "2026-01,USD,(total),16.01,0.10,0.10,16.11,100.00\r\n");
  EXPECT_EQ(ChargebackCsv(r),
            "month,currency,team,amount\r\n"
            "2026-01,USD,payments,10.07\r\n"
            "2026-01,USD,search,5.03\r\n"
            "2026-01,USD,(unallocated),1.01\r\n");
  EXPECT_EQ(BreakdownCsv(r),
            "month,currency,team,service,product,environment,cost\r\n"
            "2026-01,USD,payments,checkout,shop,prod,6.00\r\n"
            "2026-01,USD,payments,ledger,,,4.00\r\n"
            "2026-01,USD,search,,,,5.00\r\n");
  // A text cell that a spreadsheet would run as a formula gets an apostrophe.
  EXPECT_EQ(UnallocatedCsv(r),
            "month,currency,resource_id,resource_name,service,account,reason,cost\r\n"
            "2026-01,USD,'=cmd|calc,\"name, \"\"quoted\"\"\",Amazon EC2,111,no rule matches,"
            "1.01\r\n");
}

TEST(Showback, TextAndJson) {
  AllocationReport r = Report();
  EXPECT_EQ(ShowbackText(r),
            "2026-01 USD: total 16.11, allocated 15.10, unallocated 1.01, coverage 93.76%\n"
            "  team           direct  shared:support  shared  total  percent\n"
            "  payments        10.00            0.07    0.07  10.07    62.51\n"
            "  search           5.00            0.03    0.03   5.03    31.22\n"
            "  (unallocated)    1.01            0.00    0.00   1.01     6.27\n"
            "  (total)         16.01            0.10    0.10  16.11   100.00\n"
            "  unallocated by reason:\n"
            "    1.01  no rule matches\n"
            "  top unallocated:\n"
            "    1.01  =cmd|calc  name, \"quoted\"  Amazon EC2  111  no rule matches\n"
            "warning: service \"web\" is not a catalog service\n");
  Json j = ShowbackJson(r);
  const Json& m = j["months"][0];
  EXPECT_EQ(m["month"], "2026-01");
  EXPECT_EQ(m["total"], "16.11");
  EXPECT_EQ(m["allocated"], "15.10");
  EXPECT_EQ(m["unallocated"], "1.01");
  EXPECT_EQ(m["coverage"], 93.76);
  EXPECT_EQ(m["teams"][0].dump(),
            R"({"direct":"10.00","shared":{"support":"0.07"},"sharedTotal":"0.07",)"
            R"("team":"payments","total":"10.07"})");
  EXPECT_EQ(m["lines"].size(), 3u);
  EXPECT_EQ(m["unallocatedReasons"][0]["cost"], "1.01");
  EXPECT_EQ(m["topUnallocated"][0]["resourceId"], "=cmd|calc");
  EXPECT_EQ(j["warnings"][0], "service \"web\" is not a catalog service");
}

TEST(Showback, XlsxHasTheThreeSheets) {
  std::string showback = ShowbackXlsx(Report());
  EXPECT_EQ(showback.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_NE(showback.find("xl/worksheets/sheet3.xml"), std::string::npos);
  EXPECT_EQ(showback.find("xl/worksheets/sheet4.xml"), std::string::npos);
  std::string chargeback = ChargebackXlsx(Report());
  EXPECT_NE(chargeback.find("xl/worksheets/sheet1.xml"), std::string::npos);
  EXPECT_EQ(chargeback.find("xl/worksheets/sheet2.xml"), std::string::npos);
}

}  // namespace
}  // namespace plinth::cost
