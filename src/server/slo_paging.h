#pragma once
// SLO alerts page like any other alert: each firing burn-rate, budget-exhausted or no-data alert
// of an SLO is an alert of the SLO's service in paging (PagerDuty-style: page -> critical, so
// high urgency by default; ticket -> warning, low), resolved when the SLO alert ends. Run after
// every evaluator tick; idempotent, so replicas may run it side by side.

#include <cstdint>

#include "base/result.h"
#include "store/store.h"

namespace plinth::server {

// The built-in integration id SLO alerts arrive through.
inline constexpr const char* kSloIntegration = "slo-evaluator";

// Opens a paging alert for each firing SLO alert that has none, and resolves those whose SLO
// alert ended. Returns how many it opened and resolved.
Result<int> PageSloAlerts(store::Store& store, int64_t now_ms);

}  // namespace plinth::server
