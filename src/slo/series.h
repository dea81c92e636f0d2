#pragma once
// Per-minute SLI data of one SLO, indexed for O(1) sums over any range of minutes: prefix sums
// of total and bad events, and a bitmap with rank counts of the minutes that have data. A
// minute without a point has no data, which is not the same as a minute with zero events.
//
// Memory: 16 bytes per minute of the series' span plus 1.5 bits for the data bitmap, so about
// 700 KB for 30 days; with a slice index another 16 bytes per slice (built at Build time).
// Sums are exact for integral counts up to 2^53; fractional counts are summed with Kahan
// compensation and a range whose true sum of bad events is zero reads as exactly zero.
//
// Immutable after Build; safe to share between threads. Rebuild it after a backfill.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/result.h"

namespace plinth::slo {

// One minute of data: minute m is the instant range [m * 60000, (m + 1) * 60000) ms.
struct MinutePoint {
  int64_t minute = 0;  // UTC epoch minute
  double good = 0;     // 0 <= good <= total, finite
  double total = 0;
};

// Timeslices of `minutes` each, aligned to the UTC epoch: slice k is the minutes
// [k * minutes, (k + 1) * minutes). A slice has events when its total > 0; it is good when
// good/total >= target (within 1e-12), counting every minute of the slice that has data.
struct SliceSpec {
  int64_t minutes = 1;   // >= 1
  double target = 0.99;  // (0, 1]; unused by the mean-of-ratios method

  bool operator==(const SliceSpec&) const = default;
};

// Event sums over a range of minutes.
struct EventSums {
  double good = 0;
  double total = 0;
  double bad = 0;            // total - good
  int64_t data_minutes = 0;  // minutes with data
};

// The slices that complete in a range of minutes (see MinuteSeries::Slices).
struct SliceSums {
  int64_t slices = 0;       // every slice that completes in the range, with data or not
  int64_t with_events = 0;  // of those, slices with events (total > 0)
  int64_t good = 0;         // of those, good slices
  double ratio_sum = 0;     // sum of good/total over the slices with events

  int64_t bad() const { return with_events - good; }
};

class MinuteSeries {
 public:
  MinuteSeries() = default;  // no data anywhere

  // The series of `points`, in strictly increasing minute order; kInvalid names the first bad
  // point. With `slices`, also indexes those timeslices so that Slices() with the same spec is
  // O(1). The span from the first to the last point is at most 10 years.
  static Result<MinuteSeries> Build(std::span<const MinutePoint> points,
                                    std::optional<SliceSpec> slices = std::nullopt);

  // Minutes [first_minute(), end_minute()) are stored; every other minute has no data.
  int64_t first_minute() const { return first_; }
  int64_t end_minute() const { return first_ + size(); }
  bool empty() const { return size() == 0; }

  // Sums over the minutes [from, to), any range (clamped to the stored span). O(1).
  EventSums Events(int64_t from, int64_t to) const;

  // The number of minutes with data in [from, to). O(1).
  int64_t DataMinutes(int64_t from, int64_t to) const;

  // The slices of `spec` that complete in the range: slice k counts when its end (k + 1) *
  // spec.minutes lies in (from, to]. A slice belongs to the window in which it completes, so
  // the slice in progress at `to` is not counted and one straddling `from` is, whole. O(1)
  // when spec == indexed_slices(), else O((to - from) / spec.minutes).
  SliceSums Slices(const SliceSpec& spec, int64_t from, int64_t to) const;

  const std::optional<SliceSpec>& indexed_slices() const { return slice_spec_; }

  // Heap bytes held.
  size_t MemoryBytes() const;

 private:
  int64_t size() const {
    return static_cast<int64_t>(total_prefix_.empty() ? 0 : total_prefix_.size() - 1);
  }
  int64_t Rank(int64_t minute) const;  // minutes with data in [first_, minute)
  SliceSums ScanSlices(const SliceSpec& spec, int64_t k_from, int64_t k_to) const;

  // Constant after Build.
  int64_t first_ = 0;
  std::vector<double> total_prefix_;  // [i]: total events of minutes [first_, first_ + i)
  std::vector<double> bad_prefix_;    // [i]: bad events of minutes [first_, first_ + i)
  std::vector<uint64_t> data_bits_;   // bit i % 64 of word i / 64: minute first_ + i has data
  std::vector<uint32_t> data_rank_;   // [w]: set bits in words [0, w)

  std::optional<SliceSpec> slice_spec_;
  int64_t first_slice_ = 0;              // the slice of index 0 in the arrays below
  std::vector<uint32_t> slice_events_;   // [i]: slices with events among [first_slice_, +i)
  std::vector<uint32_t> slice_good_;     // [i]: good slices among them
  std::vector<double> slice_ratio_sum_;  // [i]: sum of their ratios
};

}  // namespace plinth::slo
