#pragma once
// Schedule resolution (pure): the shifts of each layer and the final schedule for a time range,
// as PagerDuty defines them — layers stacked in order (a later layer wins wherever it has
// someone on call), restrictions as local-time windows, overrides on top of everything.

#include <cstdint>
#include <optional>
#include <vector>

#include "base/result.h"
#include "schedule/model.h"

namespace plinth::schedule {

struct Resolution {
  // layers[i]: the shifts of schedule.layers[i] alone, clipped to [from, to), no gaps listed.
  std::vector<std::vector<Shift>> layers;
  // The final schedule: covers [from, to) exactly, in order, with gaps as shifts with an empty
  // person; adjacent entries of the same person and source are merged.
  std::vector<Shift> final;
};

// Resolves `schedule` (with `overrides`) over [from_ms, to_ms). kInvalid for an unknown time
// zone, from_ms >= to_ms, a range longer than 5 years (1830 days) or outside the years 1900 to
// 9999, and a layer with more than 1,000,000 shifts in the range (e.g. 60s turns for years).
// The schedule is assumed valid (spec.h checks it). Two adjacent overrides of one person stay
// two entries (each keeps its override_id). Cost: O(turns + restriction windows) per layer plus
// a sweep over the boundaries; nothing is stepped through minute by minute.
Result<Resolution> Resolve(const Schedule& schedule, const std::vector<Override>& overrides,
                           int64_t from_ms, int64_t to_ms);

// The final-schedule entry in effect at `at_ms` with its full extent (the shift's real start and
// end, not clipped to `at_ms`), looking at most `horizon_ms` either side: the extent is clipped
// to [at_ms - horizon_ms, at_ms + horizon_ms). A gap is returned as a shift with an empty
// person. kInvalid as Resolve, and for a horizon over 2.5 years.
Result<Shift> OnCallAt(const Schedule& schedule, const std::vector<Override>& overrides,
                       int64_t at_ms, int64_t horizon_ms = 35LL * 86400 * 1000);

}  // namespace plinth::schedule
