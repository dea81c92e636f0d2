#include "slo/budget.h"

#include <algorithm>
#include <limits>

namespace plinth::slo {

const char* MethodName(BudgetingMethod method) {
  switch (method) {
    case BudgetingMethod::kOccurrences:
      return "Occurrences";
    case BudgetingMethod::kTimeslices:
      return "Timeslices";
    case BudgetingMethod::kRatioTimeslices:
      return "RatioTimeslices";
  }
  return "?";
}

std::optional<BudgetingMethod> ParseMethod(std::string_view name) {
  for (BudgetingMethod m : {BudgetingMethod::kOccurrences, BudgetingMethod::kTimeslices,
                            BudgetingMethod::kRatioTimeslices}) {
    if (name == MethodName(m)) return m;
  }
  return std::nullopt;
}

Status Validate(const SloParams& slo) {
  if (!(slo.objective > 0 && slo.objective < 1)) {
    return Error::Field("/objective", "expected a share between 0 and 1, both exclusive");
  }
  PLINTH_RETURN_IF_ERROR(ValidateWindow(slo.window, "/window"));
  if (slo.timeslices()) {
    if (slo.slice.minutes < 1 || slo.slice.minutes > NominalMinutes(slo.window) ||
        slo.slice.minutes > 7 * kMinutesPerDay) {
      return Error::Field("/slice/minutes",
                          "expected a timeslice of at least 1m, at most 7d and the window");
    }
    if (slo.method == BudgetingMethod::kTimeslices &&
        !(slo.slice.target > 0 && slo.slice.target <= 1)) {
      return Error::Field("/slice/target", "expected a share in (0, 1]");
    }
  }
  if (slo.exhaustion_burn_minutes < 1 || slo.exhaustion_burn_minutes > 400 * kMinutesPerDay) {
    return Error::Field("/exhaustion_burn_minutes", "expected a duration from 1m to 400d");
  }
  return {};
}

std::optional<double> ErrorRatio(const SloParams& slo, const MinuteSeries& series, int64_t from,
                                 int64_t to) {
  if (slo.method == BudgetingMethod::kOccurrences) {
    EventSums e = series.Events(from, to);
    if (!(e.total > 0)) return std::nullopt;
    return e.bad / e.total;
  }
  SliceSums s = series.Slices(slo.slice, from, to);
  if (s.with_events == 0) return std::nullopt;
  if (slo.method == BudgetingMethod::kTimeslices) {
    return static_cast<double>(s.bad()) / static_cast<double>(s.with_events);
  }
  return std::max(0.0, 1 - s.ratio_sum / static_cast<double>(s.with_events));
}

std::optional<double> BurnRate(const SloParams& slo, const MinuteSeries& series, int64_t from,
                               int64_t to) {
  std::optional<double> ratio = ErrorRatio(slo, series, from, to);
  if (!ratio) return std::nullopt;
  return *ratio / (1 - slo.objective);
}

Result<BudgetStatus> Evaluate(const SloParams& slo, const MinuteSeries& series, int64_t at_ms) {
  PLINTH_RETURN_IF_ERROR(Validate(slo));
  return EvaluateIn(slo, series, BoundsAt(slo.window, at_ms));
}

BudgetStatus EvaluateIn(const SloParams& slo, const MinuteSeries& series,
                        const WindowBounds& bounds) {
  BudgetStatus st;
  st.window = bounds;
  const int64_t from = st.window.start_minute;
  const int64_t to = st.window.end_minute;
  const double allowed = 1 - slo.objective;
  st.events = series.Events(from, to);
  st.no_data = st.events.data_minutes == 0;

  double units = 0;  // what attainment divides by: events, or slices with events
  double good_units = 0;
  if (slo.method == BudgetingMethod::kOccurrences) {
    units = st.events.total;
    good_units = st.events.good;
    st.budget_total = allowed * st.events.total;
    st.budget_consumed = st.events.bad;
  } else {
    const int64_t len = slo.slice.minutes;
    st.slices = series.Slices(slo.slice, from, to);
    st.slices_in_window = FloorDiv(st.window.period_end_minute, len) - FloorDiv(from, len);
    units = static_cast<double>(st.slices.with_events);
    good_units = slo.method == BudgetingMethod::kTimeslices ? static_cast<double>(st.slices.good)
                                                            : st.slices.ratio_sum;
    st.budget_total = allowed * static_cast<double>(st.slices_in_window);
    st.budget_consumed = std::max(0.0, units - good_units);
  }
  if (st.no_data || !(units > 0)) return st;

  st.attainment = good_units / units;
  st.burn_rate = (st.budget_consumed / units) / allowed;
  if (st.budget_total > 0) st.remaining_ratio = 1 - st.budget_consumed / st.budget_total;

  st.current_burn_rate = BurnRate(slo, series, to - slo.exhaustion_burn_minutes, to);
  if (st.remaining_ratio && st.current_burn_rate) {
    if (*st.remaining_ratio <= 0) {
      st.minutes_to_exhaustion = 0.0;
    } else if (*st.current_burn_rate <= 0) {
      st.minutes_to_exhaustion = std::numeric_limits<double>::infinity();
    } else {
      st.minutes_to_exhaustion = *st.remaining_ratio *
                                 static_cast<double>(st.window.length_minutes()) /
                                 *st.current_burn_rate;
    }
  }
  return st;
}

}  // namespace plinth::slo
