#pragma once
// Root causes of a cost anomaly, pure: which (service, account, region, usage type)
// combinations, and which single values of each dimension, moved the spend in the anomaly's
// window, ranked by their contribution to the total impact (AWS Cost Anomaly Detection's
// RootCause: the dollar contribution to the anomaly's TotalImpact).
//
// The caller runs one cost query grouped by the dimensions and by day from
// RootCauseQueryStart(...) to end_day and passes its rows. For a day d of the window, in its
// o-th week (o = (d - start_day) / 7), a combination's expected cost is the mean of its cost
// on the same weekday in the baseline_weeks weeks before the window's o-th week
// (d - 7(o+1), ..., d - 7(o+baseline_weeks)), so the baseline never reads the window itself;
// a day without a row counts 0. Its impact is actual - expected summed over the window.
// docs/cost-anomalies.md, "Root cause".
// Thread-safety: pure functions.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "cost/decimal.h"

namespace plinth::cost {

// One day's cost of one combination of dimension values; keys[i] is the value of
// RootCauseInput::dimensions[i] ("" for NULL). Several rows of one day and key add up.
struct BreakdownRow {
  int64_t day = 0;  // UTC day number
  std::vector<std::string> keys;
  Amount cost;
};

struct RootCauseInput {
  std::vector<std::string> dimensions;  // e.g. ServiceName, SubAccountId, RegionId, SkuId
  std::vector<BreakdownRow> rows;
  int64_t start_day = 0;  // the anomaly's window, inclusive
  int64_t end_day = 0;
  int baseline_weeks = 4;  // 1..52
  size_t top = 10;         // how many contributions to keep per list; 0 = all
};

struct Contribution {
  std::vector<std::string> keys;  // every dimension's value (combinations) or one (by value)
  Amount actual;                  // over the window
  Amount expected;                // over the window; see the header comment
  Amount impact;                  // actual - expected
  std::optional<double> share;    // impact / total impact * 100; absent when the total is 0
};

struct RootCauses {
  Amount actual, expected, impact;  // totals over every combination
  // Ranked by impact in the direction of the total (descending when the total impact is >= 0,
  // ascending when negative), ties by keys; the top `top` of each list.
  std::vector<Contribution> combinations;
  std::vector<std::vector<Contribution>> by_dimension;  // one list per dimension, same order
};

// The first day whose rows RankRootCauses reads for this window.
int64_t RootCauseQueryStart(int64_t start_day, int64_t end_day, int baseline_weeks);

// Errors: no dimensions, a row whose key count differs from the dimensions, end < start,
// baseline_weeks out of range.
Result<RootCauses> RankRootCauses(const RootCauseInput& input);

}  // namespace plinth::cost
