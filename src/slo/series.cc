#include "slo/series.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <string>

#include "base/time.h"
#include "slo/calendar.h"

namespace plinth::slo {
namespace {

constexpr int64_t kMaxSpanMinutes = 10 * 366 * 1440;
constexpr double kSnap = 4 * std::numeric_limits<double>::epsilon();
constexpr double kRatioSlack = 1e-12;

// prefix[b] - prefix[a] for a <= b, read as 0 when it is within rounding of zero.
double Diff(const std::vector<double>& prefix, int64_t a, int64_t b) {
  double d = prefix[b] - prefix[a];
  return d <= kSnap * prefix[b] ? 0 : d;
}

// Kahan-compensated running sum.
struct Sum {
  double sum = 0;
  double carry = 0;
  void Add(double x) {
    double y = x - carry;
    double t = sum + y;
    carry = (t - sum) - y;
    sum = t;
  }
};

std::string PointName(const MinutePoint& p) {
  return "minute " + std::to_string(p.minute) + " (" + FormatRfc3339(p.minute * 60000) + ")";
}

}  // namespace

Result<MinuteSeries> MinuteSeries::Build(std::span<const MinutePoint> points,
                                         std::optional<SliceSpec> slices) {
  MinuteSeries s;
  if (slices && (slices->minutes < 1 || !(slices->target > 0 && slices->target <= 1))) {
    return Error::Invalid("a timeslice needs at least 1 minute and a target in (0, 1]");
  }
  s.slice_spec_ = slices;
  if (points.empty()) return s;
  s.first_ = points.front().minute;
  int64_t span = points.back().minute - s.first_ + 1;
  if (span < 1 || span > kMaxSpanMinutes) {
    return Error::Invalid("points must be in increasing minute order and span at most 10 years");
  }
  s.total_prefix_.assign(span + 1, 0);
  s.bad_prefix_.assign(span + 1, 0);
  s.data_bits_.assign((span + 63) / 64, 0);
  Sum total, bad;
  int64_t next = s.first_;  // the next minute to fill
  for (size_t i = 0; i < points.size(); ++i) {
    const MinutePoint& p = points[i];
    if (i > 0 && p.minute <= points[i - 1].minute) {
      return Error::Invalid(PointName(p) + ": points must be in strictly increasing minute order");
    }
    if (!std::isfinite(p.good) || !std::isfinite(p.total) || p.good < 0 || p.good > p.total) {
      return Error::Invalid(PointName(p) +
                            ": expected finite counts with 0 <= good <= total, got good " +
                            std::to_string(p.good) + " total " + std::to_string(p.total));
    }
    for (; next < p.minute; ++next) {  // minutes without data keep the running sums
      s.total_prefix_[next - s.first_ + 1] = total.sum;
      s.bad_prefix_[next - s.first_ + 1] = bad.sum;
    }
    int64_t off = p.minute - s.first_;
    total.Add(p.total);
    bad.Add(p.total - p.good);
    s.total_prefix_[off + 1] = total.sum;
    s.bad_prefix_[off + 1] = bad.sum;
    s.data_bits_[off / 64] |= uint64_t{1} << (off % 64);
    next = p.minute + 1;
  }
  s.data_rank_.resize(s.data_bits_.size());
  uint32_t rank = 0;
  for (size_t w = 0; w < s.data_bits_.size(); ++w) {
    s.data_rank_[w] = rank;
    rank += static_cast<uint32_t>(std::popcount(s.data_bits_[w]));
  }

  if (slices) {
    const int64_t len = slices->minutes;
    s.first_slice_ = FloorDiv(s.first_, len);
    int64_t end_slice = FloorDiv(s.end_minute() - 1, len) + 1;
    size_t n = static_cast<size_t>(end_slice - s.first_slice_);
    s.slice_events_.assign(n + 1, 0);
    s.slice_good_.assign(n + 1, 0);
    s.slice_ratio_sum_.assign(n + 1, 0);
    Sum ratio;
    for (size_t i = 0; i < n; ++i) {
      int64_t k = s.first_slice_ + static_cast<int64_t>(i);
      SliceSums one = s.ScanSlices(*slices, k, k + 1);
      s.slice_events_[i + 1] = s.slice_events_[i] + static_cast<uint32_t>(one.with_events);
      s.slice_good_[i + 1] = s.slice_good_[i] + static_cast<uint32_t>(one.good);
      ratio.Add(one.ratio_sum);
      s.slice_ratio_sum_[i + 1] = ratio.sum;
    }
  }
  return s;
}

EventSums MinuteSeries::Events(int64_t from, int64_t to) const {
  EventSums out;
  int64_t a = std::max(from, first_) - first_;
  int64_t b = std::min(to, end_minute()) - first_;
  if (a >= b) return out;
  out.total = Diff(total_prefix_, a, b);
  out.bad = std::min(Diff(bad_prefix_, a, b), out.total);
  out.good = out.total - out.bad;
  out.data_minutes = Rank(b + first_) - Rank(a + first_);
  return out;
}

int64_t MinuteSeries::DataMinutes(int64_t from, int64_t to) const {
  int64_t a = std::max(from, first_);
  int64_t b = std::min(to, end_minute());
  return a < b ? Rank(b) - Rank(a) : 0;
}

int64_t MinuteSeries::Rank(int64_t minute) const {
  int64_t i = minute - first_;
  if (i <= 0) return 0;
  if (i >= size()) return data_rank_.back() + std::popcount(data_bits_.back());
  uint64_t below = data_bits_[i / 64] & ((uint64_t{1} << (i % 64)) - 1);
  return data_rank_[i / 64] + std::popcount(below);
}

SliceSums MinuteSeries::ScanSlices(const SliceSpec& spec, int64_t k_from, int64_t k_to) const {
  SliceSums out;
  out.slices = k_to - k_from;
  // Only slices that overlap the stored span can have events.
  k_from = std::max(k_from, FloorDiv(first_, spec.minutes));
  k_to = std::min(k_to, FloorDiv(end_minute() - 1, spec.minutes) + 1);
  for (int64_t k = k_from; k < k_to; ++k) {
    EventSums e = Events(k * spec.minutes, (k + 1) * spec.minutes);
    if (!(e.total > 0)) continue;
    double ratio = e.good / e.total;
    ++out.with_events;
    if (ratio >= spec.target - kRatioSlack) ++out.good;
    out.ratio_sum += ratio;
  }
  return out;
}

SliceSums MinuteSeries::Slices(const SliceSpec& spec, int64_t from, int64_t to) const {
  int64_t k_from = FloorDiv(from, spec.minutes);
  int64_t k_to = FloorDiv(to, spec.minutes);
  if (k_to <= k_from) return {};
  if (empty()) return {k_to - k_from, 0, 0, 0};
  if (!slice_spec_ || !(spec == *slice_spec_)) return ScanSlices(spec, k_from, k_to);
  SliceSums out;
  out.slices = k_to - k_from;
  int64_t n = static_cast<int64_t>(slice_events_.size()) - 1;
  int64_t a = std::clamp<int64_t>(k_from - first_slice_, 0, n);
  int64_t b = std::clamp<int64_t>(k_to - first_slice_, 0, n);
  if (a >= b) return out;
  out.with_events = slice_events_[b] - slice_events_[a];
  out.good = slice_good_[b] - slice_good_[a];
  out.ratio_sum = std::max(0.0, slice_ratio_sum_[b] - slice_ratio_sum_[a]);
  return out;
}

size_t MinuteSeries::MemoryBytes() const {
  return (total_prefix_.capacity() + bad_prefix_.capacity() + slice_ratio_sum_.capacity()) *
             sizeof(double) +
         data_bits_.capacity() * sizeof(uint64_t) +
         (data_rank_.capacity() + slice_events_.capacity() + slice_good_.capacity()) *
             sizeof(uint32_t);
}

}  // namespace plinth::slo
