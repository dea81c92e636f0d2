#include "cost/ingest_row.h"

#include <gtest/gtest.h>

#include <random>

namespace plinth::cost {
namespace {

TEST(IngestRow, PlainDecimalsParseLikeParseDecimal) {
  std::vector<std::string> texts = {"0",
                                    "-0",
                                    "0.000",
                                    "12",
                                    "-12.50",
                                    "0.00000080000",
                                    "2.000000000000000",
                                    "123456789012345678",
                                    ".5",
                                    "5.",
                                    "-0.00",
                                    "100",
                                    "1.10"};
  std::mt19937_64 random(42);
  for (int i = 0; i < 2000; ++i) {
    std::string t = random() % 3 == 0 ? "-" : "";
    int digits = 1 + static_cast<int>(random() % 20);
    int point = static_cast<int>(random() % (digits + 2));
    for (int d = 0; d < digits; ++d) {
      if (d == point) t += '.';
      t += static_cast<char>('0' + random() % (d % 4 == 0 ? 3 : 10));
    }
    texts.push_back(t);
  }
  int fast = 0;
  for (const std::string& t : texts) {
    Decimal plain;
    auto reference = ParseDecimal(t);
    if (ParsePlainDecimal(t, &plain)) {
      ++fast;
      ASSERT_TRUE(reference.ok()) << t;
      EXPECT_EQ(plain, *reference) << t;
    }
  }
  EXPECT_GT(fast, 1000);
  Decimal d;
  for (std::string_view other :
       {"1e3", "+1", "", "-", ".", "1.2.3", "abc", "1 ", "1234567890123456789"}) {
    EXPECT_FALSE(ParsePlainDecimal(other, &d)) << other;
  }
}

}  // namespace
}  // namespace plinth::cost
