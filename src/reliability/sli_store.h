#pragma once
// Per-minute SLI counts of SLOs in the SQL store (table slo_minutes). Writing a minute again
// replaces it, so a retried push, a re-imported CSV or a Prometheus pull that overlaps the last
// one never counts anything twice.
//
// REQUIRES: a write transaction for Upsert and Delete.

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "slo/series.h"
#include "store/store.h"

namespace plinth::reliability {

// Stores `points` (any order; later points win for a repeated minute). Points must be valid:
// finite, 0 <= good <= total (CheckPoint). Returns the number of minutes written.
Result<int64_t> UpsertMinutes(store::Tx& tx, std::string_view slo,
                              const std::vector<slo::MinutePoint>& points);

// The minutes of `slo` in [from_minute, to_minute), by minute.
Result<std::vector<slo::MinutePoint>> LoadMinutes(store::Tx& tx, std::string_view slo,
                                                  int64_t from_minute, int64_t to_minute);

// Every stored minute of `slo` goes (the SLO was deleted).
Status DeleteMinutes(store::Tx& tx, std::string_view slo);

// "" when fine, else what is wrong with the point: "good must not exceed total", ...
std::string CheckPoint(const slo::MinutePoint& p);

}  // namespace plinth::reliability
