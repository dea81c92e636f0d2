#pragma once
// Cost anomaly monitoring over the visible line items: the daily cost of every value of each
// monitored dimension (service, account, team tag) goes through cost/anomaly.h; anomalies found
// are recorded once (keyed by monitor, value, currency and start day) with their root causes
// (cost/root_cause.h), and grow while they last. People's feedback (expected, unexpected,
// planned) is stored on the anomaly and fed back to detection, which then accepts that level.
//
// Thread-safety: free functions; replicas may scan side by side (upserts on a unique key).

#include <cstdint>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cost/anomaly.h"
#include "finops/cost_data.h"
#include "store/store.h"

namespace plinth::finops {

// A monitored dimension: its name in the API and the query dimension behind it.
struct Monitor {
  std::string name;       // "service", "account", "team"
  std::string dimension;  // "ServiceName", "SubAccountId", "tag:team"
};
const std::vector<Monitor>& Monitors();

struct ScanResult {
  int series = 0;     // dimension values judged
  int anomalies = 0;  // recorded or updated
};

// Judges the last `days` days (with the history before them) as of the UTC day `today_s`
// (exclusive: the day in progress is incomplete). Anomalies starting before the judged days are
// left as recorded.
Result<ScanResult> ScanAnomalies(store::Store& store, CostData& data, int64_t today_s,
                                 int days = 30, const cost::AnomalyOptions& options = {});

// Anomalies, newest first; `open_only`: those without feedback.
Result<Json> ListAnomalies(store::Store& store, bool open_only, int limit);
// One anomaly with its root causes and the series around it (actual, expected, band).
Result<Json> AnomalyDetail(store::Store& store, CostData& data, const std::string& id);
// Records feedback; returns the anomaly as listed.
Result<Json> SetAnomalyFeedback(store::Store& store, const std::string& id,
                                cost::FeedbackKind kind, const std::string& actor, int64_t now_ms);

}  // namespace plinth::finops
