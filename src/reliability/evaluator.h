#pragma once
// The SLO evaluator: one tick evaluates every SLO's alert conditions (slo/burn.h) at `now` and
// records their transitions in slo_alerts: a row opens (end_ms NULL) when a condition starts and
// gets its end_ms when it stops. Idempotent: a repeated tick, or two replicas ticking at once,
// never open a condition twice (the check for an open row and the insert share one transaction,
// and the unique index slo_alerts_open refuses a second open row).
//
// Thread-safety: Tick may run on any thread; the cache is shared.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "reliability/slos.h"
#include "store/store.h"

namespace plinth::reliability {

struct TickResult {
  int64_t slos = 0;    // SLOs evaluated
  int64_t opened = 0;  // alert rows opened
  int64_t closed = 0;  // alert rows closed
  std::vector<std::string> errors;  // "slo: message" for SLOs that could not be evaluated
};

// Evaluates every SLO at now_ms (conditions at the minute boundary at or before it).
Result<TickResult> Tick(store::Store& store, SeriesCache& cache, int64_t now_ms);

// One SLO's tick; adds to *result.
Status TickOne(store::Store& store, SeriesCache& cache, const Slo& slo, int64_t now_ms,
               TickResult* result);

struct AlertRecord {
  std::string id;
  std::string condition;
  std::string severity;
  int64_t start_ms = 0;
  std::optional<int64_t> end_ms;  // nullopt while firing
  std::string detail;
};

// The recorded alerts of `slo` that overlap [from_ms, to_ms), newest first.
Result<std::vector<AlertRecord>> ListAlerts(store::Tx& tx, std::string_view slo, int64_t from_ms,
                                            int64_t to_ms);

Json AlertJson(const AlertRecord& a);

// Every SLO's alerts that are firing now, as (slo, alert), oldest first.
Result<std::vector<std::pair<std::string, AlertRecord>>> FiringAlerts(store::Tx& tx);

}  // namespace plinth::reliability
