#pragma once
// The status of one SLO at an instant, as the API, the CLI and the console show it: the budget
// (slo/budget.h), burn rates over the alert windows, active alert conditions (slo/burn.h), the
// error-budget policy status, and why there is no data (a failing Prometheus pull).
//
// policy_status: "exhausted" when remaining_ratio <= 0; "at risk" when the budget runs out
// sooner than the time left in the window at the current burn rate (rolling windows: the
// window's length) or a page condition is active; else "ok" (also without data).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "reliability/slos.h"
#include "slo/budget.h"
#include "slo/burn.h"
#include "store/store.h"

namespace plinth::reliability {

struct SloStatus {
  Slo slo;
  int64_t at_ms = 0;
  slo::BudgetStatus budget;
  std::vector<std::pair<std::string, std::optional<double>>> burn_rates;  // "5m" .. "3d"
  std::vector<slo::ActiveCondition> alerts;
  std::optional<std::string> pull_error;  // slo_pull_state.last_error
  std::string policy_status;              // "ok", "at risk", "exhausted"

  bool no_data() const { return budget.no_data || pull_error.has_value(); }
};

// The burn-rate windows reported: 5m, 30m, 1h, 2h, 6h, 1d, 3d.
const std::vector<std::pair<std::string, int64_t>>& BurnRateWindows();

Result<SloStatus> StatusOf(store::Tx& tx, SeriesCache& cache, const Slo& slo, int64_t at_ms);

// The API's status object (docs/openapi.yaml SloStatus); burn_rates only with `burn_rates`.
Json StatusJson(const SloStatus& status, bool burn_rates);

// The remaining budget and attainment over the window up to `at_ms`, one point per hour (per
// 10 minutes for windows of at most two days).
Result<Json> BurndownJson(store::Tx& tx, SeriesCache& cache, const Slo& slo, int64_t at_ms);

// The window object: {"description","start","end","length_minutes"}.
Json WindowJson(const slo::TimeWindow& window, const slo::WindowBounds& bounds);

}  // namespace plinth::reliability
