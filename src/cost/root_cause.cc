#include "cost/root_cause.h"

#include <algorithm>
#include <map>

namespace plinth::cost {
namespace {

// units / n rounded half away from zero; REQUIRES n > 0.
Amount DivideRounded(Amount a, int n) {
  const Int128 u = a.units();
  Int128 q = u / n;
  const Int128 r = u % n;
  if (2 * (r < 0 ? -r : r) >= n) q += u < 0 ? -1 : 1;
  return Amount::FromUnits(q);
}

struct Sums {
  Amount actual;
  Amount baseline;  // the baseline days' cost, each counted once per window day it predicts
  Amount expected;
};

std::vector<Contribution> Rank(const std::map<std::vector<std::string>, Sums>& groups,
                               Amount total_impact, size_t top) {
  std::vector<Contribution> out;
  out.reserve(groups.size());
  for (const auto& [keys, s] : groups) {
    Contribution c{keys, s.actual, s.expected, s.actual - s.expected, std::nullopt};
    if (!total_impact.is_zero()) c.share = c.impact.ToDouble() / total_impact.ToDouble() * 100;
    out.push_back(std::move(c));
  }
  const bool down = total_impact < Amount();
  std::stable_sort(out.begin(), out.end(), [down](const Contribution& a, const Contribution& b) {
    return down ? a.impact < b.impact : a.impact > b.impact;
  });  // the map already ordered equal impacts by keys
  if (top > 0 && out.size() > top) out.resize(top);
  return out;
}

}  // namespace

int64_t RootCauseQueryStart(int64_t start_day, int64_t end_day, int baseline_weeks) {
  return start_day - 7 * (baseline_weeks + std::max<int64_t>(0, end_day - start_day) / 7);
}

Result<RootCauses> RankRootCauses(const RootCauseInput& in) {
  const size_t dims = in.dimensions.size();
  if (dims == 0) return Error::Invalid("root cause: no dimensions");
  if (in.end_day < in.start_day) return Error::Invalid("root cause: end_day is before start_day");
  if (in.baseline_weeks < 1 || in.baseline_weeks > 52) {
    return Error::Invalid("root cause: baseline_weeks must be in 1..52");
  }
  std::map<std::vector<std::string>, Sums> combos;
  for (const BreakdownRow& row : in.rows) {
    if (row.keys.size() != dims) {
      return Error::Invalid("root cause: a row has " + std::to_string(row.keys.size()) +
                            " keys for " + std::to_string(dims) + " dimensions");
    }
    Amount actual, baseline;
    if (row.day >= in.start_day && row.day <= in.end_day) actual = row.cost;
    if (row.day < in.start_day) {
      // The window days on this row's weekday whose baseline weeks include it.
      const int64_t first = row.day + 7 * ((in.start_day - row.day + 6) / 7);
      for (int64_t d = first; d <= in.end_day; d += 7) {
        const int64_t k = (d - row.day) / 7 - (d - in.start_day) / 7;
        if (k >= 1 && k <= in.baseline_weeks) baseline += row.cost;
      }
    }
    if (actual.is_zero() && baseline.is_zero()) continue;
    Sums& s = combos[row.keys];
    s.actual += actual;
    s.baseline += baseline;
  }

  RootCauses out;
  std::vector<std::map<std::vector<std::string>, Sums>> singles(dims);
  for (auto& [keys, s] : combos) {
    s.expected = DivideRounded(s.baseline, in.baseline_weeks);
    out.actual += s.actual;
    out.expected += s.expected;
    for (size_t d = 0; d < dims; ++d) {
      Sums& one = singles[d][{keys[d]}];
      one.actual += s.actual;
      one.expected += s.expected;
    }
  }
  out.impact = out.actual - out.expected;
  out.combinations = Rank(combos, out.impact, in.top);
  for (const auto& one : singles) out.by_dimension.push_back(Rank(one, out.impact, in.top));
  return out;
}

}  // namespace plinth::cost
