#include "slo/rules_gofmt.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace plinth::slo::gofmt {

namespace {

// Shortest round-trip digits of |v| and the decimal exponent of the first one (v = 0.d * 10^dp).
void ShortestDigits(double v, std::string& digits, int& dp) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v < 0 ? -v : v, std::chars_format::scientific);
  std::string_view s(buf, res.ptr - buf);
  size_t e = s.find('e');
  digits.clear();
  for (char c : s.substr(0, e)) {
    if (c != '.') digits += c;
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exp = 0;
  std::from_chars(s.data() + e + (s[e + 1] == '+' ? 2 : 1), s.data() + s.size(), exp);
  dp = exp + 1;
}

std::string Fixed(bool neg, const std::string& d, int dp) {
  std::string out = neg ? "-" : "";
  if (dp <= 0) return out + "0." + std::string(-dp, '0') + d;
  if (dp >= static_cast<int>(d.size())) return out + d + std::string(dp - d.size(), '0');
  return out + d.substr(0, dp) + "." + d.substr(dp);
}

}  // namespace

std::string FormatG(double v) {
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  std::string d;
  int dp;
  ShortestDigits(v, d, dp);
  int exp = dp - 1;
  if (exp >= -4 && exp < 6) return Fixed(v < 0, d, dp);
  std::string out = v < 0 ? "-" : "";
  out += d.substr(0, 1);
  if (d.size() > 1) out += "." + d.substr(1);
  char buf[16];
  std::snprintf(buf, sizeof buf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  return out + buf;
}

std::string FormatF(double v) {
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  std::string d;
  int dp;
  ShortestDigits(v, d, dp);
  return Fixed(v < 0, d, dp);
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string GoDuration(int64_t ms) {
  if (ms == 0) return "0s";
  if (ms < 1000) return std::to_string(ms) + "ms";
  std::string secs = std::to_string(ms / 1000 % 60);
  if (ms % 1000 != 0) {
    std::string frac = std::to_string(1000 + ms % 1000).substr(1);
    frac.erase(frac.find_last_not_of('0') + 1);
    secs += "." + frac;
  }
  int64_t h = ms / 3600000, m = ms / 60000 % 60;
  if (h > 0) return std::to_string(h) + "h" + std::to_string(m) + "m" + secs + "s";
  if (m > 0) return std::to_string(m) + "m" + secs + "s";
  return secs + "s";
}

}  // namespace plinth::slo::gofmt
