#pragma once
// RunQuery's internals, shared by query.cc (plan, order, limit) and query_scan.cc (the
// per-segment scan). Not for use outside the query engine.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cost/query.h"
#include "cost/segment.h"

namespace plinth::cost {

inline constexpr std::string_view kPeriodColumn = "ChargePeriodStart";
inline constexpr std::string_view kCurrencyColumn = "BillingCurrency";
inline constexpr std::string_view kTagsColumn = "Tags";
inline constexpr std::string_view kTagPrefix = "tag:";

// Where a dimension's value comes from: a string column, or one key of the Tags column.
struct Source {
  std::string column;
  std::string tag_key;  // non-empty for "tag:<key>"
};

struct PlanFilter {
  uint32_t source;  // index into Plan::sources
  StringIndex values;
  bool exclude = false;
};

// A validated query. Constant after MakePlan.
struct Plan {
  const CostQuery* query = nullptr;
  int64_t from_s = 0, to_s = 0;         // from_s > kNullTime
  std::vector<Source> sources;          // [0] is BillingCurrency; no duplicates
  std::vector<uint32_t> group_sources;  // per group_by dimension, an index into sources
  std::vector<PlanFilter> filters;
};

// An open-addressing map from fixed-width keys (`width` uint64 words) to dense indices 0, 1, ...
// in order of insertion.
class KeyTable {
 public:
  explicit KeyTable(size_t width) : width_(width) {}
  // The key's index; a new key gets size().
  uint32_t FindOrAdd(const uint64_t* key);
  // FindOrAdd of n keys stored word-major (word w of key i at keys[w * stride + i]), into
  // out[0..n); hashes and prefetches their slots first, since big tables miss the cache.
  // REQUIRES: n <= 1024.
  void FindOrAddBatch(const uint64_t* keys, size_t stride, size_t n, uint32_t* out);
  size_t size() const { return size_; }
  size_t width() const { return width_; }
  const uint64_t* key(uint32_t i) const { return &keys_[i * width_]; }
  void Clear();

 private:
  void Grow();
  uint32_t Probe(const uint64_t* key, uint64_t hash);

  size_t width_;
  size_t size_ = 0;
  std::vector<uint64_t> keys_;  // size_ keys of width_ words
  // A power of two, at most half full: 0 empty, else (hash >> 32) << 32 | (index + 1); a key's
  // home slot is (hash >> 32) & mask.
  std::vector<uint64_t> slots_;
};

// The result groups of all segments so far, keyed by period start and the global ids of their
// key strings: word 0 the period start, then the ids two per word, currency first.
class Merge {
 public:
  explicit Merge(const Plan& plan);

  size_t width() const { return table_.width(); }
  // The group of a key of width() words, added with a zero sum when new.
  uint32_t Group(const uint64_t* key) {
    uint32_t g = table_.FindOrAdd(key);
    if (g == sums.size()) sums.push_back(0);
    return g;
  }
  // Group() of n keys stored word-major, as KeyTable::FindOrAddBatch.
  void Groups(const uint64_t* keys, size_t stride, size_t n, uint32_t* out) {
    table_.FindOrAddBatch(keys, stride, n, out);
    sums.resize(table_.size());
  }
  // The global ids of n <= 1024 values of plan source `source`.
  void Ids(uint32_t source, const std::string_view* values, size_t n, uint32_t* out) {
    strings_[source].InternBatch(values, n, out);
  }

  size_t size() const { return table_.size(); }
  int64_t period(uint32_t g) const { return static_cast<int64_t>(table_.key(g)[0]); }
  // Key string c of group g: c == 0 the currency, c >= 1 group_by dimension c - 1.
  std::string_view KeyString(uint32_t g, size_t c) const;
  // The key without its period, and its width.
  const uint64_t* SeriesKey(uint32_t g) const { return table_.key(g) + 1; }
  size_t series_width() const { return table_.width() - 1; }

  std::vector<Int128> sums;  // per group, in units of 1e-18

 private:
  const Plan& plan_;
  std::vector<StringIndex> strings_;  // per plan source: the global ids of its values
  KeyTable table_;
};

// Scans segments into a Merge; keeps its buffers from one segment to the next.
class SegmentScanner {
 public:
  explicit SegmentScanner(const Plan& plan) : plan_(plan) {}
  // The rows of the segment if its period range meets the query's, else 0. Error: a column of
  // another type than the query reads.
  Result<size_t> Scan(const Segment& segment, Merge& merge);

 private:
  const Plan& plan_;
  // Reused across segments: sums by local key for small key spaces, all zero between segments.
  std::vector<Int128> dense_sums_;
  std::vector<uint8_t> dense_seen_;
};

}  // namespace plinth::cost
