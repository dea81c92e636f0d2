#pragma once
// The demo organisation's cloud bill: 13 months of FOCUS 1.2 line items up to today for the
// demo's services and teams (cost/generate.h), with an untagged group of GPU instances, a
// service whose resources lack the team tag, shared support and networking costs, and a burst
// of CloudWatch Logs cost a few days ago for anomaly detection to find. Imported through the
// same path as `plinth cost import`. Deterministic for a given day.

#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "catalog/manifest.h"
#include "store/store.h"

namespace plinth::cli {

struct DemoCostSummary {
  int64_t rows = 0;
  std::string total;  // effective cost of all months, USD to the cent
};

Result<DemoCostSummary> WriteDemoCostData(store::Store& store, const Clock& clock);

// CostAllocation rules, budgets and a unit metric for the demo (demo/cost.yaml).
catalog::ManifestFile DemoCostManifest();

}  // namespace plinth::cli
