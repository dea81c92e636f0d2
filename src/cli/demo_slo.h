#pragma once
// SLOs of the demo organisation and their history: ten SLOs on nine tier-1 and tier-2 services
// (pushed indicators, as the demo has no Prometheus; availability and latency; rolling 30d and
// 28d windows, a calendar month in Europe/Berlin, one timeslice SLO), and 90 days of per-minute
// good/total counts ending at the demo's start, with a daily and weekly traffic shape:
//   - cart-availability spent its whole budget in an incident two weeks ago (exhausted);
//   - payments-api-availability has been failing 3% of requests for the last two hours, so
//     its page alerts hold at the demo's start (burn rate about 60);
//   - every other SLO is healthy (small blips only).
// The alert history those minutes imply (slo/burn.h AlertHistory) is written to slo_alerts, so
// the console shows past alerts; conditions still active stay open for the evaluator.
//
// Deterministic: the same seed and start minute give the same data.

#include <cstdint>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "slo/series.h"
#include "store/store.h"

namespace plinth::cli {

// The SLO documents (catalog kind SLO), on services of DemoCatalog.
std::vector<Json> DemoSlos();

// The minutes of the demo SLO `name` over the 90 days before now_minute (exclusive).
std::vector<slo::MinutePoint> DemoSloMinutes(const std::string& name, int64_t now_minute,
                                             uint64_t seed);

struct DemoSloData {
  int64_t minutes = 0;  // minutes written, every SLO
  int64_t alerts = 0;   // alert rows written
};

// Replaces the demo SLOs' minutes and alert rows with 90 days ending at now_ms.
// REQUIRES: a write transaction; the SLOs of DemoSlos() applied.
Result<DemoSloData> WriteDemoSloData(store::Tx& tx, int64_t now_ms, uint64_t seed = 20261122);

}  // namespace plinth::cli
