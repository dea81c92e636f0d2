#include "cost/decimal.h"

#include <cstdlib>
#include <limits>

namespace plinth::cost {
namespace {

Error NotADecimal(std::string_view text) {
  return Error::Invalid("expected a decimal number, got \"" + std::string(text.substr(0, 40)) +
                        (text.size() > 40 ? "…" : "") + "\"");
}

}  // namespace

Int128 Pow10(int n) {
  Int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

Result<Decimal> ParseDecimal(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  // Digits without the point, the count after it, and whether any digit was seen.
  Int128 digits = 0;
  int fraction_digits = 0;
  int significant = 0;
  bool any_digit = false, point = false;
  int dropped_zeros = 0;  // integer-part zeros beyond int64 precision, kept as exponent
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    any_digit = true;
    if (digits == 0 && c == '0') {
      if (point) ++fraction_digits;
      continue;
    }
    if (significant >= 19) {
      if (c != '0') return Error::Invalid("\"" + std::string(text) +
                                          "\" has more than 18 significant digits");
      if (!point) ++dropped_zeros;
      continue;  // a trailing fractional zero beyond precision changes nothing
    }
    digits = digits * 10 + (c - '0');
    ++significant;
    if (point) ++fraction_digits;
  }
  if (!any_digit) return NotADecimal(text);
  int exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (i == text.size()) return NotADecimal(text);
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      exponent = exponent * 10 + (text[i] - '0');
      if (exponent > 400) return Error::Invalid("\"" + std::string(text) + "\" is out of range");
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != text.size()) return NotADecimal(text);
  int scale = fraction_digits - exponent - dropped_zeros;
  // Drop trailing zeros of the mantissa while the scale allows.
  while (digits != 0 && digits % 10 == 0 && scale > 0) {
    digits /= 10;
    --scale;
  }
  if (digits == 0) return Decimal{0, 0};
  while (scale < 0) {
    digits *= 10;
    ++scale;
    if (digits > std::numeric_limits<int64_t>::max())
      return Error::Invalid("\"" + std::string(text) + "\" is out of range");
  }
  if (scale > kMaxScale)
    return Error::Invalid("\"" + std::string(text) + "\" has more than 18 decimal places");
  if (digits > std::numeric_limits<int64_t>::max())
    return Error::Invalid("\"" + std::string(text) + "\" has more than 18 significant digits");
  auto mantissa = static_cast<int64_t>(digits);
  return Decimal{negative ? -mantissa : mantissa, scale};
}

Amount Amount::FromDecimal(Decimal d) { return FromScaled(d.mantissa, d.scale); }

Amount Amount::FromScaled(int64_t mantissa, int scale) {
  return Amount(Int128{mantissa} * Pow10(kScale - scale));
}

Amount Amount::Cents(int64_t cents) { return Amount(Int128{cents} * Pow10(kScale - 2)); }

namespace {

// |units| rounded half away from zero to `decimals` places, as an integer count of those places.
Int128 RoundTo(Int128 units, int decimals) {
  Int128 step = Pow10(Amount::kScale - decimals);
  Int128 magnitude = units < 0 ? -units : units;
  Int128 q = magnitude / step, r = magnitude % step;
  if (r * 2 >= step) ++q;
  return units < 0 ? -q : q;
}

std::string Digits(Int128 v) {  // v >= 0
  if (v == 0) return "0";
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return s;
}

std::string WithPoint(Int128 scaled, int decimals) {
  bool negative = scaled < 0;
  std::string digits = Digits(negative ? -scaled : scaled);
  if (decimals > 0) {
    if (static_cast<int>(digits.size()) <= decimals)
      digits.insert(0, static_cast<size_t>(decimals) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<size_t>(decimals), ".");
  }
  return negative ? "-" + digits : digits;
}

}  // namespace

std::string Amount::ToString(int decimals) const {
  return WithPoint(RoundTo(units_, decimals), decimals);
}

std::string Amount::ToExactString() const {
  int decimals = kScale;
  Int128 v = units_;
  while (decimals > 0 && v % 10 == 0) {
    v /= 10;
    --decimals;
  }
  return WithPoint(v, decimals);
}

int64_t Amount::RoundedCents() const { return static_cast<int64_t>(RoundTo(units_, 2)); }

double Amount::ToDouble() const {
  return static_cast<double>(units_) / 1e18;
}

}  // namespace plinth::cost
