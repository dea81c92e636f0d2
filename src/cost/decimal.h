#pragma once
// Exact decimal money and quantities for billing data. Costs in FOCUS exports carry up to ~11
// fractional digits; they are parsed exactly (never through a double) and summed as 128-bit
// integers, so a month of line items adds up to the invoice to the last digit.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace plinth::cost {

__extension__ typedef __int128 Int128;

// A parsed decimal literal: value = mantissa / 10^scale. Trailing fractional zeros are dropped,
// so "1.50" is {15, 1}. 0 <= scale <= kMaxScale.
struct Decimal {
  int64_t mantissa = 0;
  int scale = 0;
  friend bool operator==(const Decimal&, const Decimal&) = default;
};

inline constexpr int kMaxScale = 18;

// Parses "12", "-0.50", "+1", ".5", "1.2E-7", "1e3". Digits past what an int64 mantissa can hold
// are an error unless they are zeros ("more precision than 18 significant digits"); so is an
// exponent that would need a scale over 18. Leading/trailing spaces are not accepted.
Result<Decimal> ParseDecimal(std::string_view text);

// An exact amount: a signed 128-bit count of 1e-18 units (range ±1.7e20).
class Amount {
 public:
  static constexpr int kScale = 18;
  Amount() = default;
  static Amount FromDecimal(Decimal d);
  // mantissa / 10^scale, for a column stored at one scale (0..18).
  static Amount FromScaled(int64_t mantissa, int scale);
  static Amount FromUnits(Int128 units) { return Amount(units); }
  static Amount Cents(int64_t cents);

  Int128 units() const { return units_; }
  bool is_zero() const { return units_ == 0; }
  Amount operator-() const { return Amount(-units_); }
  Amount operator+(Amount o) const { return Amount(units_ + o.units_); }
  Amount operator-(Amount o) const { return Amount(units_ - o.units_); }
  Amount& operator+=(Amount o) { units_ += o.units_; return *this; }
  Amount& operator-=(Amount o) { units_ -= o.units_; return *this; }
  friend auto operator<=>(const Amount&, const Amount&) = default;

  // Rounded half away from zero to `decimals` (0..18) places: "-12.35", "0.00".
  std::string ToString(int decimals = 2) const;
  // Every digit, trailing zeros dropped: "0.0000160599", "-3", "12.5".
  std::string ToExactString() const;
  int64_t RoundedCents() const;  // half away from zero
  double ToDouble() const;

 private:
  explicit Amount(Int128 units) : units_(units) {}
  Int128 units_ = 0;
};

// 10^n for 0 <= n <= 38.
Int128 Pow10(int n);

}  // namespace plinth::cost
