#pragma once
// The SLO error-budget engine, pure (no I/O, no clock reads): an SLO's attainment, error
// budget, burn rates and time to exhaustion at an instant, from its per-minute data
// (series.h). OpenSLO v1 budgeting methods; the Google SRE Workbook's burn rate.
//
// Budgeting methods (the "unit" is what the budget counts):
//   Occurrences      unit = events. attainment = good/total, count-weighted over the window
//                    (never a mean of ratios). budget = (1 - objective) * total events so far;
//                    consumed = bad events.
//   Timeslices       unit = slices (series.h: epoch-aligned, a slice counts in the window in
//                    which it completes). attainment = good slices / slices with events.
//                    budget = (1 - objective) * every slice of the whole window (a calendar
//                    window's future slices too, as Nobl9 does: a slice without events never
//                    burns budget); consumed = bad slices.
//   RatioTimeslices  unit = slices. attainment = mean of good/total over slices with events.
//                    budget as Timeslices; consumed = sum of (1 - ratio) over those slices.
// Burn rate over a range of minutes = error ratio / (1 - objective), where the error ratio is
// bad/total (Occurrences), bad slices / slices with events (Timeslices) or 1 - mean ratio
// (RatioTimeslices). A burn rate of 1 spends exactly the budget over the window.
//
// Thread-safety: plain values and pure functions; a MinuteSeries may be shared.
//
// Time to exhaustion = remaining_ratio * window length / current burn rate, the current burn
// rate being the one over the last `exhaustion_burn_minutes` (1h by default): the budget is
// read as spread evenly over the window, so at burn rate b the remaining share goes in
// remaining * length / b; data rolling out of a rolling window and a calendar period's end
// are ignored. +infinity when the current burn rate is 0, 0 when the budget is already spent.

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.h"
#include "slo/series.h"
#include "slo/window.h"

namespace plinth::slo {

enum class BudgetingMethod { kOccurrences, kTimeslices, kRatioTimeslices };

// "Occurrences", "Timeslices", "RatioTimeslices" (OpenSLO spelling).
const char* MethodName(BudgetingMethod method);
std::optional<BudgetingMethod> ParseMethod(std::string_view name);

// An SLO's parameters as the budget engine needs them.
struct SloParams {
  double objective = 0.999;  // target share of good units, in (0, 1) exclusive
  BudgetingMethod method = BudgetingMethod::kOccurrences;
  SliceSpec slice;  // timeslice methods only; 1m <= slice.minutes <= min(7d, the window)
  TimeWindow window;

  // Time to exhaustion uses the burn rate over the last this many minutes (1..400 days).
  int64_t exhaustion_burn_minutes = 60;

  bool timeslices() const { return method != BudgetingMethod::kOccurrences; }
};

// Checks every field; field errors name "/objective", "/slice/minutes", "/window/...".
Status Validate(const SloParams& slo);

// An SLO at one instant.
struct BudgetStatus {
  WindowBounds window;  // evaluated minutes [start_minute, end_minute)

  // Events in the window, every method (exact count-weighted sums).
  EventSums events;
  // The timeslice methods: slices completed in the window, and slices_in_window = every slice
  // of the whole window (rolling: length / slice; calendar: the period's, future ones too).
  SliceSums slices;
  int64_t slices_in_window = 0;

  // True when no minute of the window has data; then attainment, remaining_ratio, burn_rate
  // and time to exhaustion are absent too. They are also absent when minutes have data but
  // nothing countable (zero events, or no slice with events): there is nothing to judge.
  bool no_data = true;
  std::optional<double> attainment;

  double budget_total = 0;                // in the method's unit (events or slices)
  double budget_consumed = 0;             // same unit; may exceed budget_total
  std::optional<double> remaining_ratio;  // 1 - consumed/total; negative once overspent
  std::optional<double> burn_rate;        // over the evaluated window

  std::optional<double> current_burn_rate;  // over the last exhaustion_burn_minutes
  // Minutes until the budget is spent at current_burn_rate; +infinity when that is 0; absent
  // when remaining_ratio or current_burn_rate is.
  std::optional<double> minutes_to_exhaustion;

  bool exhausted() const { return remaining_ratio && *remaining_ratio <= 0; }
};

// The SLO at `at_ms`: the window that holds it (rolling: [at - d, at); calendar: the current
// period up to at), the minute in progress excluded. kInvalid when Validate(slo) fails. O(1)
// for Occurrences, and for the timeslice methods when series indexes slo.slice.
Result<BudgetStatus> Evaluate(const SloParams& slo, const MinuteSeries& series, int64_t at_ms);

// Evaluate with the window already found (bounds = BoundsAt(slo.window, at_ms)), for callers
// that step through time and keep a calendar period. REQUIRES: Validate(slo).
BudgetStatus EvaluateIn(const SloParams& slo, const MinuteSeries& series,
                        const WindowBounds& bounds);

// The error ratio over minutes [from, to) in the method's terms (see above); absent when
// nothing there is countable. REQUIRES: Validate(slo).
std::optional<double> ErrorRatio(const SloParams& slo, const MinuteSeries& series, int64_t from,
                                 int64_t to);

// The burn rate over minutes [from, to): ErrorRatio / (1 - objective).
std::optional<double> BurnRate(const SloParams& slo, const MinuteSeries& series, int64_t from,
                               int64_t to);

}  // namespace plinth::slo
