#include "cost/decimal.h"

#include <gtest/gtest.h>

namespace plinth::cost {
namespace {

Decimal Parse(std::string_view s) {
  auto d = ParseDecimal(s);
  EXPECT_TRUE(d.ok()) << s << ": " << d.error().message;
  return d.ok() ? *d : Decimal{};
}

TEST(Decimal, ParsesExactly) {
  EXPECT_EQ(Parse("0.00001605990"), (Decimal{160599, 10}));
  EXPECT_EQ(Parse("12"), (Decimal{12, 0}));
  EXPECT_EQ(Parse("-0.50"), (Decimal{-5, 1}));
  EXPECT_EQ(Parse("+1"), (Decimal{1, 0}));
  EXPECT_EQ(Parse(".5"), (Decimal{5, 1}));
  EXPECT_EQ(Parse("1.2E-7"), (Decimal{12, 8}));
  EXPECT_EQ(Parse("1e3"), (Decimal{1000, 0}));
  EXPECT_EQ(Parse("0.000"), (Decimal{0, 0}));
  EXPECT_EQ(Parse("2.000000000000000"), (Decimal{2, 0}));
  EXPECT_EQ(Parse("123456789012.123456"), (Decimal{123456789012123456, 6}));
}

TEST(Decimal, RejectsWhatIsNotANumber) {
  for (std::string_view bad : {"", "abc", "1.2.3", "1e", "--1", " 1", "1 ", "$3", "NULL", "1,5"}) {
    auto d = ParseDecimal(bad);
    EXPECT_FALSE(d.ok()) << bad;
  }
  EXPECT_EQ(ParseDecimal("abc").error().message, "expected a decimal number, got \"abc\"");
  EXPECT_EQ(ParseDecimal("1.0000000000000000001").error().message,
            "\"1.0000000000000000001\" has more than 18 significant digits");
  EXPECT_FALSE(ParseDecimal("1e-19").ok());
}

TEST(Amount, SumsExactlyAndRounds) {
  Amount sum;
  for (int i = 0; i < 1000; ++i) sum += Amount::FromDecimal(Parse("0.00001605990"));
  EXPECT_EQ(sum.ToExactString(), "0.0160599");
  EXPECT_EQ(sum.ToString(2), "0.02");
  EXPECT_EQ(Amount::FromDecimal(Parse("-12.345")).ToString(2), "-12.35");
  EXPECT_EQ(Amount::FromDecimal(Parse("-0.004")).ToString(2), "0.00");
  EXPECT_EQ(Amount::FromDecimal(Parse("2.5")).ToString(0), "3");
  EXPECT_EQ(Amount::FromDecimal(Parse("1234567.891")).RoundedCents(), 123456789);
  EXPECT_EQ(Amount::Cents(-5).ToString(2), "-0.05");
  EXPECT_EQ(Amount::FromScaled(5, 0).ToExactString(), "5");
  EXPECT_EQ(Amount().ToString(2), "0.00");
}

}  // namespace
}  // namespace plinth::cost
