// The exact arithmetic of allocation: shares of an amount in proportion to weights (a 128 x 128
// -> 256-bit product and a long division, so no share is ever rounded through a double), and
// the glob patterns of the rules.

#include <algorithm>
#include <cassert>
#include <numeric>

#include "cost/allocation.h"

namespace plinth::cost {

namespace {

__extension__ typedef unsigned __int128 U128;

struct U256 {
  U128 hi = 0, lo = 0;
};

U256 Multiply(U128 a, U128 b) {
  const U128 kLow = ~uint64_t{0};
  U128 a0 = a & kLow, a1 = a >> 64, b0 = b & kLow, b1 = b >> 64;
  U128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  U128 mid = (p00 >> 64) + (p01 & kLow) + (p10 & kLow);
  return {p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64), (mid << 64) | (p00 & kLow)};
}

// n / d and n % d. REQUIRES: 0 < d < 2^127 and a quotient below 2^128.
void DivMod(U256 n, U128 d, U128* quotient, U128* remainder) {
  if (n.hi == 0) {
    *quotient = n.lo / d;
    *remainder = n.lo % d;
    return;
  }
  U128 q = 0, r = 0;
  for (int i = 255; i >= 0; --i) {
    U128 bit = i >= 128 ? (n.hi >> (i - 128)) & 1 : (n.lo >> i) & 1;
    r = (r << 1) | bit;
    q <<= 1;
    if (r >= d) {
      r -= d;
      q |= 1;
    }
  }
  *quotient = q;
  *remainder = r;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::vector<Amount> SplitExactly(Amount amount, std::span<const Int128> weights) {
  assert(!weights.empty());
  Int128 units = amount.units();
  bool negative = units < 0;
  U128 total = negative ? U128(0) - static_cast<U128>(units) : static_cast<U128>(units);
  U128 sum = 0;
  for (Int128 w : weights) sum += static_cast<U128>(std::max<Int128>(w, 0));
  assert(sum > 0);
  std::vector<U128> shares(weights.size()), remainders(weights.size());
  U128 given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    U128 w = static_cast<U128>(std::max<Int128>(weights[i], 0));
    DivMod(Multiply(total, w), sum, &shares[i], &remainders[i]);
    given += shares[i];
  }
  // Fewer units are left than there are weights: each remainder is below `sum`, so their total
  // (left * sum) is below n * sum.
  U128 left = total - given;
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (size_t i = 0; i < order.size() && left > 0; ++i, --left) ++shares[order[i]];
  std::vector<Amount> out;
  out.reserve(shares.size());
  for (U128 s : shares) {
    Int128 v = static_cast<Int128>(s);
    out.push_back(Amount::FromUnits(negative ? -v : v));
  }
  return out;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && (pattern[p] == '?' || Lower(pattern[p]) == Lower(text[t]))) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace plinth::cost
