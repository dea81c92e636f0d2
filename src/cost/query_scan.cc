// The per-segment scan of RunQuery (see query.h for the strategy) and its hash tables.

#include "cost/query_scan.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <span>

namespace plinth::cost {
namespace {

constexpr int64_t kDay = 86400;
constexpr size_t kBatch = 1024;
constexpr int64_t kMaxDaySpan = 1 << 16;  // longer segments map periods through a sorted list
constexpr uint32_t kUnset = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kPending = kUnset - 1;

uint64_t HashWords(const uint64_t* key, size_t width) {
  uint64_t h = 0x9e3779b97f4a7c15ull;
  for (size_t i = 0; i < width; ++i) {
    h = (h ^ key[i]) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
  }
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 29);
}

const char* TypeName(ColumnType t) {
  switch (t) {
    case ColumnType::kString:
      return "string";
    case ColumnType::kDecimal:
      return "decimal";
    case ColumnType::kTime:
      return "time";
  }
  return "string";
}

Status CheckType(const Segment& segment, std::string_view name, ColumnType type) {
  const ColumnSpec* c = segment.column(name);
  if (c == nullptr || c->type == type) return {};
  return Error::Invalid("column \"" + std::string(name) + "\" is a " + TypeName(c->type) +
                        " column, not a " + TypeName(type) + " one");
}

}  // namespace

// ---- KeyTable ----

uint32_t KeyTable::FindOrAdd(const uint64_t* key) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  return Probe(key, HashWords(key, width_));
}

void KeyTable::FindOrAddBatch(const uint64_t* keys, size_t stride, size_t n, uint32_t* out) {
  while ((size_ + n) * 2 > slots_.size()) Grow();
  uint64_t hashes[kBatch];
  uint64_t key[16];
  const size_t mask = slots_.size() - 1;
  for (size_t i = 0; i < n; ++i) {
    for (size_t w = 0; w < width_; ++w) key[w] = keys[w * stride + i];
    hashes[i] = HashWords(key, width_);
    __builtin_prefetch(&slots_[(hashes[i] >> 32) & mask]);
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t w = 0; w < width_; ++w) key[w] = keys[w * stride + i];
    out[i] = Probe(key, hashes[i]);
  }
}

uint32_t KeyTable::Probe(const uint64_t* key, uint64_t hash) {
  const uint64_t tag = hash >> 32 << 32;
  const size_t mask = slots_.size() - 1;
  for (size_t i = (hash >> 32) & mask;; i = (i + 1) & mask) {
    uint64_t slot = slots_[i];
    if (slot == 0) {
      keys_.insert(keys_.end(), key, key + width_);
      slots_[i] = tag | ++size_;
      return static_cast<uint32_t>(size_ - 1);
    }
    if ((slot & ~uint64_t{0xffffffff}) != tag) continue;
    auto index = static_cast<uint32_t>(slot) - 1;
    const uint64_t* k = &keys_[size_t{index} * width_];
    size_t w = 0;
    while (w < width_ && k[w] == key[w]) ++w;
    if (w == width_) return index;
  }
}

void KeyTable::Grow() {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, 0);
  const size_t mask = slots_.size() - 1;
  for (uint64_t slot : old) {  // the slot's tag is its home: no key is read or hashed
    if (slot == 0) continue;
    size_t i = (slot >> 32) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void KeyTable::Clear() {
  size_ = 0;
  keys_.clear();
  std::fill(slots_.begin(), slots_.end(), 0);
}

// ---- Merge ----

Merge::Merge(const Plan& plan)
    : plan_(plan), strings_(plan.sources.size()), table_(1 + (plan.group_sources.size() + 2) / 2) {}

std::string_view Merge::KeyString(uint32_t g, size_t c) const {
  auto id = static_cast<uint32_t>(table_.key(g)[1 + c / 2] >> (c % 2 * 32));
  return strings_[c == 0 ? 0 : plan_.group_sources[c - 1]][id];
}

// ---- SegmentScanner ----

namespace {

// A plan source as one segment holds it: per-row codes and what their local ids mean.
struct SegmentSource {
  uint32_t source = 0;              // index into Plan::sources
  const uint32_t* codes = nullptr;  // nullptr: every row reads local id `fixed`
  uint32_t fixed = 0;               // absent column: 0 (NULL)
  std::vector<uint32_t> map;        // tags: code -> local id; empty: the id is the code
  const std::vector<std::string>* values = nullptr;  // local id -> value
  std::vector<std::string> tag_values;               // tags: the local values
  uint32_t n = 1;                                    // number of local ids
  std::vector<uint32_t> global;                      // local id -> Merge id, filled on first use

  // Replaces n <= kBatch local ids by their Merge ids, interning the values not yet mapped in
  // one batch.
  void ToGlobal(uint32_t* ids, size_t n, Merge& merge) {
    std::string_view pending[kBatch];
    uint32_t locals[kBatch], found[kBatch];
    size_t m = 0;
    for (size_t i = 0; i < n; ++i) {
      uint32_t& g = global[ids[i]];
      if (g != kUnset) continue;
      g = kPending;
      locals[m] = ids[i];
      pending[m++] = (*values)[ids[i]];
    }
    if (m > 0) merge.Ids(source, pending, m, found);
    for (size_t j = 0; j < m; ++j) global[locals[j]] = found[j];
    for (size_t i = 0; i < n; ++i) ids[i] = global[ids[i]];
  }
};

const std::vector<std::string> kNullOnly = {""};

void MapSource(const Segment& segment, const Source& s, SegmentSource& out) {
  const StringColumn* column = segment.strings(s.column);
  if (column == nullptr) {
    out.values = &kNullOnly;
  } else if (s.tag_key.empty()) {
    out.codes = column->codes.data();
    out.values = &column->dict;
    out.n = static_cast<uint32_t>(column->dict.size());
  } else {
    out.codes = column->codes.data();
    StringIndex values;
    values.Intern("");
    out.map.reserve(column->dict.size());
    for (const std::string& tags : column->dict)
      out.map.push_back(values.Intern(TagValue(tags, s.tag_key)));
    out.tag_values = values.Take();
    out.values = &out.tag_values;
    out.n = static_cast<uint32_t>(out.tag_values.size());
  }
  if (std::optional<uint32_t> code = segment.single_code(s.column)) {
    out.codes = nullptr;
    out.fixed = out.map.empty() ? *code : out.map[*code];
  }
  out.global.assign(out.n, kUnset);
}

// A filter as an allowed flag per code of its column.
struct SegmentFilter {
  const uint32_t* codes;
  std::vector<uint8_t> allowed;
};

// The filters that remove some rows of the segment; false when one removes all.
bool MapFilters(const Plan& plan, const std::vector<SegmentSource>& sources,
                std::vector<SegmentFilter>& out) {
  for (const PlanFilter& f : plan.filters) {
    const SegmentSource& s = sources[f.source];
    std::vector<uint8_t> by_id(s.n);
    bool all = true, none = true;
    for (uint32_t id = 0; id < s.n; ++id) {
      by_id[id] = (f.values.Find((*s.values)[id]) != StringIndex::kNotFound) != f.exclude;
      all = all && by_id[id];
      none = none && !by_id[id];
    }
    if (none || (s.codes == nullptr && !by_id[s.fixed])) return false;
    if (all || s.codes == nullptr) continue;
    if (s.map.empty()) {
      out.push_back({s.codes, std::move(by_id)});
    } else {
      std::vector<uint8_t> by_code(s.map.size());
      for (size_t c = 0; c < s.map.size(); ++c) by_code[c] = by_id[s.map[c]];
      out.push_back({s.codes, std::move(by_code)});
    }
  }
  return true;
}

// The periods of a segment's rows in range: local ids 0, 1, ... in time order.
class PeriodMap {
 public:
  // `lo`, `hi`: the first and last instant of the rows in range; `in_range` picks them.
  template <typename InRange>
  PeriodMap(Granularity g, int64_t lo, int64_t hi, std::span<const int64_t> t, InRange in_range)
      : granularity_(g), day0_s_(PeriodStart(Granularity::kDay, lo)) {
    if (g == Granularity::kTotal) {
      starts_.push_back(0);
    } else if (day0_s_ <= lo &&
               (static_cast<uint64_t>(hi) - static_cast<uint64_t>(day0_s_)) / uint64_t{kDay} <
                   uint64_t{kMaxDaySpan}) {
      for (int64_t d = day0_s_; d <= hi; d += kDay) {
        int64_t p = PeriodStart(g, d);
        if (starts_.empty() || starts_.back() != p) starts_.push_back(p);
        by_day_.push_back(static_cast<uint32_t>(starts_.size() - 1));
      }
    } else {
      for (int64_t s : t)
        if (in_range(s)) starts_.push_back(PeriodStart(g, s));
      std::sort(starts_.begin(), starts_.end());
      starts_.erase(std::unique(starts_.begin(), starts_.end()), starts_.end());
    }
  }

  size_t size() const { return starts_.size(); }
  int64_t start(uint32_t local) const { return starts_[local]; }
  // REQUIRES: lo <= t <= hi.
  uint32_t Local(int64_t t) const {
    if (!by_day_.empty()) return by_day_[static_cast<uint64_t>(t - day0_s_) / uint64_t{kDay}];
    if (granularity_ == Granularity::kTotal) return 0;
    auto it = std::lower_bound(starts_.begin(), starts_.end(), PeriodStart(granularity_, t));
    return static_cast<uint32_t>(it - starts_.begin());
  }

 private:
  Granularity granularity_;
  int64_t day0_s_;
  std::vector<int64_t> starts_;   // by local id
  std::vector<uint32_t> by_day_;  // local id by day since day0_s_; empty: use starts_
};

// One part of a segment's local group key: ids < radix.
struct Component {
  size_t slot;  // 0 period, 1 currency, 2.. group_by dimensions
  uint64_t radix;
  SegmentSource* source;  // nullptr: the period
};

// k[i] = k[i] * radix + the component's id of row row(i), i < n.
template <typename Row>
void AppendIds(const Component& c, const PeriodMap& periods, const int64_t* t, Row row, size_t n,
               uint64_t* k) {
  const uint64_t radix = c.radix;
  if (c.source == nullptr) {
    for (size_t i = 0; i < n; ++i) k[i] = k[i] * radix + periods.Local(t[row(i)]);
  } else if (const uint32_t* map = c.source->map.empty() ? nullptr : c.source->map.data()) {
    const uint32_t* codes = c.source->codes;
    for (size_t i = 0; i < n; ++i) k[i] = k[i] * radix + map[codes[row(i)]];
  } else {
    const uint32_t* codes = c.source->codes;
    for (size_t i = 0; i < n; ++i) k[i] = k[i] * radix + codes[row(i)];
  }
}

}  // namespace

Result<size_t> SegmentScanner::Scan(const Segment& segment, Merge& merge) {
  const CostQuery& query = *plan_.query;
  const char* metric = MetricColumn(query.metric);
  PLINTH_RETURN_IF_ERROR(CheckType(segment, kPeriodColumn, ColumnType::kTime));
  PLINTH_RETURN_IF_ERROR(CheckType(segment, metric, ColumnType::kDecimal));
  for (const Source& s : plan_.sources)
    PLINTH_RETURN_IF_ERROR(CheckType(segment, s.column, ColumnType::kString));

  const size_t rows = segment.rows();
  const TimeColumn* times = segment.times(kPeriodColumn);
  std::optional<TimeRange> range = segment.time_range(kPeriodColumn);
  if (times == nullptr || !range || range->max_s < plan_.from_s || range->min_s >= plan_.to_s)
    return size_t{0};
  const DecimalColumn* costs = segment.decimals(metric);
  if (costs == nullptr) return rows;  // every cost NULL

  // The dictionary work, once per segment.
  std::vector<SegmentSource> sources(plan_.sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    sources[i].source = static_cast<uint32_t>(i);
    MapSource(segment, plan_.sources[i], sources[i]);
  }
  std::vector<SegmentFilter> filters;
  if (!MapFilters(plan_, sources, filters)) return rows;
  const int64_t* t = times->seconds.data();
  const auto from = static_cast<uint64_t>(plan_.from_s);
  const uint64_t span = static_cast<uint64_t>(plan_.to_s) - from;
  auto in_range = [&](int64_t s) { return static_cast<uint64_t>(s) - from < span; };
  const PeriodMap periods(query.granularity, std::max(range->min_s, plan_.from_s),
                          std::min(range->max_s, plan_.to_s - 1), {t, rows}, in_range);

  // The local key: the components with more than one id, by mixed radix, if it fits a word.
  std::vector<Component> components;
  if (periods.size() > 1) components.push_back({0, periods.size(), nullptr});
  for (size_t c = 0; c <= plan_.group_sources.size(); ++c) {
    SegmentSource& s = sources[c == 0 ? 0 : plan_.group_sources[c - 1]];
    if (s.codes != nullptr && s.n > 1) components.push_back({1 + c, s.n, &s});
  }
  uint64_t product = 1;
  bool fits = true;
  for (const Component& c : components)
    fits = fits && !__builtin_mul_overflow(product, c.radix, &product);
  // Small key spaces sum into a dense array by local key; others straight into the merge.
  const bool dense = fits && product <= std::max<uint64_t>(uint64_t{1} << 16, 2 * rows);
  if (dense && dense_sums_.size() < product) {
    dense_sums_.resize(product);
    dense_seen_.resize(product);
  }

  const int64_t* cost = costs->values.data();
  const Int128 factor = Pow10(Amount::kScale - costs->scale);
  const size_t width = merge.width();
  const size_t ndims = plan_.group_sources.size();
  uint32_t sel[kBatch], groups[kBatch], ids[kBatch];
  std::vector<uint64_t> keys(width * kBatch);
  for (size_t b = 0; b < rows; b += kBatch) {
    // The rows in range with a cost, then those that pass every filter.
    size_t e = std::min(rows, b + kBatch), n = 0;
    for (size_t r = b; r < e; ++r) {
      sel[n] = static_cast<uint32_t>(r);
      n += in_range(t[r]) & (cost[r] != kNullDecimal);
    }
    for (const SegmentFilter& f : filters) {
      size_t m = 0;
      for (size_t i = 0; i < n; ++i) {
        uint32_t r = sel[i];
        sel[m] = r;
        m += f.allowed[f.codes[r]];
      }
      n = m;
    }
    if (n == 0) continue;
    if (dense) {
      // Sums by local key; rows by index when the batch kept them all (loops the compiler
      // vectorises), else through the selection.
      auto sum = [&](auto row) {
        uint64_t* k = keys.data();
        std::fill(k, k + n, 0);
        for (const Component& c : components) AppendIds(c, periods, t, row, n, k);
        Int128* sums = dense_sums_.data();
        uint8_t* seen = dense_seen_.data();
        for (size_t i = 0; i < n; ++i) {
          sums[k[i]] += cost[row(i)];
          seen[k[i]] = 1;
        }
      };
      if (n == e - b)
        sum([b](size_t i) { return b + i; });
      else
        sum([&sel](size_t i) { return sel[i]; });
      continue;
    }
    // The merge's key per row: the period start, then global ids two per word.
    std::fill(keys.begin(), keys.begin() + static_cast<ptrdiff_t>(width * kBatch), 0);
    for (size_t i = 0; i < n; ++i)
      keys[i] = static_cast<uint64_t>(periods.start(periods.Local(t[sel[i]])));
    for (size_t c = 0; c <= ndims; ++c) {
      SegmentSource& s = sources[c == 0 ? 0 : plan_.group_sources[c - 1]];
      if (s.codes == nullptr)
        std::fill(ids, ids + n, s.fixed);
      else if (s.map.empty())
        for (size_t i = 0; i < n; ++i) ids[i] = s.codes[sel[i]];
      else
        for (size_t i = 0; i < n; ++i) ids[i] = s.map[s.codes[sel[i]]];
      s.ToGlobal(ids, n, merge);
      uint64_t* k = &keys[(1 + c / 2) * kBatch];
      for (size_t i = 0; i < n; ++i) k[i] |= uint64_t{ids[i]} << (c % 2 * 32);
    }
    merge.Groups(keys.data(), kBatch, n, groups);
    for (size_t i = 0; i < n; ++i) merge.sums[groups[i]] += Int128{cost[sel[i]]} * factor;
  }
  if (!dense) return rows;

  // The dense groups into the merge, in units of 1e-18, a batch at a time: their local ids
  // decoded, mapped to global ids, then added to the merge's groups.
  uint64_t touched[kBatch];
  std::vector<uint32_t> slot_ids((2 + ndims) * kBatch);  // slot s of group j: [s * kBatch + j]
  for (uint64_t next = 0; next < product;) {
    size_t m = 0;
    for (; next < product && m < kBatch; ++next)
      if (dense_seen_[next]) touched[m++] = next;
    std::fill(slot_ids.begin(), slot_ids.begin() + kBatch, 0);
    for (size_t c = 0; c <= ndims; ++c) {
      uint32_t* out = &slot_ids[(1 + c) * kBatch];
      std::fill(out, out + kBatch, sources[c == 0 ? 0 : plan_.group_sources[c - 1]].fixed);
    }
    for (size_t j = 0; j < m; ++j) {
      uint64_t rest = touched[j];
      for (size_t c = components.size(); c-- > 0;) {
        slot_ids[components[c].slot * kBatch + j] =
            static_cast<uint32_t>(rest % components[c].radix);
        rest /= components[c].radix;
      }
    }
    std::fill(keys.begin(), keys.end(), 0);
    for (size_t j = 0; j < m; ++j) keys[j] = static_cast<uint64_t>(periods.start(slot_ids[j]));
    for (size_t c = 0; c <= ndims; ++c) {
      uint32_t* local = &slot_ids[(1 + c) * kBatch];
      sources[c == 0 ? 0 : plan_.group_sources[c - 1]].ToGlobal(local, m, merge);
      uint64_t* k = &keys[(1 + c / 2) * kBatch];
      for (size_t j = 0; j < m; ++j) k[j] |= uint64_t{local[j]} << (c % 2 * 32);
    }
    merge.Groups(keys.data(), kBatch, m, groups);
    for (size_t j = 0; j < m; ++j) {
      merge.sums[groups[j]] += dense_sums_[touched[j]] * factor;
      dense_seen_[touched[j]] = 0;
      dense_sums_[touched[j]] = 0;
    }
  }
  return rows;
}

}  // namespace plinth::cost
