#pragma once
// The cost domain's background work, run by `plinth serve` (cli/cmd_serve.cc): the anomaly scan
// over the last 30 days, and budget alerts. A threshold crossed in a period is recorded once
// (cost_budget_alerts' key), so every replica may run the job: the one whose insert lands
// notifies. A notify target that is a service raises an alert in its paging (integration
// "cost-budgets"; 100% of actual is critical, the rest warning); a webhook gets one JSON POST.

#include <cstdint>

#include "base/result.h"
#include "finops/cost_data.h"
#include "notify/sender.h"
#include "store/store.h"

namespace plinth::server {

inline constexpr const char* kBudgetIntegration = "cost-budgets";

// Returns how many threshold crossings were new.
Result<int> RunBudgetAlerts(store::Store& store, finops::CostData& data, notify::Sender& sender,
                            int64_t now_ms);

}  // namespace plinth::server
