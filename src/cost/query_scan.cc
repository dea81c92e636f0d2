// The per-segment scan of RunQuery (see query.h for the strategy) and its hash tables.

#include "cost/query_scan.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace plinth::cost {
namespace {

constexpr int64_t kDay = 86400;
constexpr size_t kBatch = 1024;
constexpr int64_t kMaxDaySpan = 1 << 16;  // longer segments map periods through a sorted list
constexpr uint32_t kUnset = std::numeric_limits<uint32_t>::max();

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
  size_t mask = slots_.size() - 1;
  for (size_t i = HashWords(key, width_) & mask;; i = (i + 1) & mask) {
    uint32_t slot = slots_[i];
    if (slot == 0) {
      keys_.insert(keys_.end(), key, key + width_);
      slots_[i] = static_cast<uint32_t>(++size_);
      return static_cast<uint32_t>(size_ - 1);
    }
    if (std::memcmp(&keys_[(slot - 1) * width_], key, width_ * sizeof(uint64_t)) == 0)
      return slot - 1;
  }
}

void KeyTable::Grow() {
  slots_.assign(slots_.empty() ? 64 : slots_.size() * 2, 0);
  size_t mask = slots_.size() - 1;
  for (size_t k = 0; k < size_; ++k) {
    size_t i = HashWords(&keys_[k * width_], width_) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = static_cast<uint32_t>(k + 1);
  }
}

void KeyTable::Clear() {
  size_ = 0;
  keys_.clear();
  std::fill(slots_.begin(), slots_.end(), 0);
}

// ---- Merge ----

Merge::Merge(const Plan& plan)
    : strings(plan.sources.size()),
      plan_(plan),
      table_(1 + (plan.group_sources.size() + 2) / 2),
      key_(table_.width()) {}

void Merge::Add(int64_t period_start, const uint32_t* ids, Int128 units) {
  std::fill(key_.begin(), key_.end(), 0);
  key_[0] = static_cast<uint64_t>(period_start);
  for (size_t c = 0; c <= plan_.group_sources.size(); ++c)
    key_[1 + c / 2] |= uint64_t{ids[c]} << (c % 2 * 32);
  uint32_t g = table_.FindOrAdd(key_.data());
  if (g == periods.size()) {
    periods.push_back(period_start);
    sums.push_back(0);
  }
  sums[g] += units;
}

const std::string& Merge::KeyString(uint32_t g, size_t c) const {
  auto id = static_cast<uint32_t>(table_.key(g)[1 + c / 2] >> (c % 2 * 32));
  return strings[c == 0 ? 0 : plan_.group_sources[c - 1]][id];
}

// ---- SegmentScanner ----

// A plan source as one segment holds it: per-row codes and what their ids mean.
struct SegmentScanner::SegmentSource {
  const uint32_t* codes = nullptr;  // nullptr: the column is absent, every row reads id 0
  std::vector<uint32_t> map;        // tags: code -> local id; empty: the id is the code
  const std::vector<std::string>* values = nullptr;  // local id -> value
  StringIndex tag_values;                            // tags: the local values
  uint32_t n = 1;                                    // number of local ids
  std::vector<uint32_t> global;  // local id -> id in Merge::strings, filled on first use
};

// One part of the composite group key.
struct SegmentScanner::Component {
  size_t slot;                      // 0 period, 1 currency, 2.. group_by dimensions
  uint64_t radix;                   // ids are < radix
  const uint32_t* codes = nullptr;  // nullptr: the period
  const uint32_t* map = nullptr;    // tags: code -> id
};

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

  // Sources: the dictionary work, once per segment.
  static const std::vector<std::string> kNullOnly = {""};
  std::vector<SegmentSource> sources(plan_.sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    const Source& s = plan_.sources[i];
    SegmentSource& out = sources[i];
    const StringColumn* column = segment.strings(s.column);
    if (column == nullptr) {
      out.values = &kNullOnly;
    } else if (s.tag_key.empty()) {
      out.codes = column->codes.data();
      out.values = &column->dict;
      out.n = static_cast<uint32_t>(column->dict.size());
    } else {
      out.codes = column->codes.data();
      out.tag_values.Intern("");
      out.map.reserve(column->dict.size());
      for (const std::string& tags : column->dict)
        out.map.push_back(out.tag_values.Intern(TagValue(tags, s.tag_key)));
      out.values = &out.tag_values.values();
      out.n = static_cast<uint32_t>(out.tag_values.size());
    }
    out.global.assign(out.n, kUnset);
  }

  // Filters: an allowed flag per code; a filter on an absent column keeps all rows or none.
  struct SegmentFilter {
    const uint32_t* codes;
    std::vector<uint8_t> allowed;
  };
  std::vector<SegmentFilter> filters;
  for (const PlanFilter& f : plan_.filters) {
    const SegmentSource& s = sources[f.source];
    std::vector<uint8_t> by_id(s.n);
    bool all = true, none = true;
    for (uint32_t id = 0; id < s.n; ++id) {
      by_id[id] = (f.values.Find((*s.values)[id]) != StringIndex::kNotFound) != f.exclude;
      all = all && by_id[id];
      none = none && !by_id[id];
    }
    if (none) return rows;
    if (all) continue;
    if (s.map.empty()) {
      filters.push_back({s.codes, std::move(by_id)});
    } else {
      std::vector<uint8_t> by_code(s.map.size());
      for (size_t c = 0; c < s.map.size(); ++c) by_code[c] = by_id[s.map[c]];
      filters.push_back({s.codes, std::move(by_code)});
    }
  }

  // Periods: local ids of the periods met, from a table by day since day0 (or a sorted list).
  const int64_t* t = times->seconds.data();
  const auto from = static_cast<uint64_t>(plan_.from_s);
  const uint64_t span = static_cast<uint64_t>(plan_.to_s) - from;
  auto in_range = [&](int64_t s) { return static_cast<uint64_t>(s) - from < span; };
  const int64_t lo = std::max(range->min_s, plan_.from_s);
  const int64_t hi = std::min(range->max_s, plan_.to_s - 1);
  const int64_t day0_s = PeriodStart(Granularity::kDay, lo);
  std::vector<int64_t> period_starts;  // by local id, ascending
  std::vector<uint32_t> day_table;
  const bool by_period = query.granularity != Granularity::kTotal;
  if (by_period && (hi - day0_s) / kDay < kMaxDaySpan) {
    for (int64_t d = day0_s; d <= hi; d += kDay) {
      int64_t p = PeriodStart(query.granularity, d);
      if (period_starts.empty() || period_starts.back() != p) period_starts.push_back(p);
      day_table.push_back(static_cast<uint32_t>(period_starts.size() - 1));
    }
  } else if (by_period) {
    for (size_t r = 0; r < rows; ++r)
      if (in_range(t[r])) period_starts.push_back(PeriodStart(query.granularity, t[r]));
    std::sort(period_starts.begin(), period_starts.end());
    period_starts.erase(std::unique(period_starts.begin(), period_starts.end()),
                        period_starts.end());
  }

  // The composite key: components packed by mixed radix into words of < 2^63.
  std::vector<Component> components;
  if (period_starts.size() > 1) components.push_back({0, period_starts.size()});
  auto add_component = [&](size_t slot, uint32_t source) {
    const SegmentSource& s = sources[source];
    if (s.n > 1) components.push_back({slot, s.n, s.codes, s.map.empty() ? nullptr : s.map.data()});
  };
  add_component(1, 0);
  for (size_t d = 0; d < plan_.group_sources.size(); ++d)
    add_component(2 + d, plan_.group_sources[d]);
  std::vector<size_t> word_end;  // components [word_end[w-1], word_end[w]) form word w
  uint64_t product = 1;
  for (size_t c = 0; c < components.size(); ++c) {
    uint64_t next;
    if (__builtin_mul_overflow(product, components[c].radix, &next) || next >> 63) {
      word_end.push_back(c);
      product = components[c].radix;
    } else {
      product = next;
    }
  }
  word_end.push_back(components.size());
  const size_t width = word_end.size();
  const bool dense = width == 1 && product <= std::max<uint64_t>(uint64_t{1} << 16, 2 * rows);
  if (dense && dense_sums_.size() < product) {
    dense_sums_.resize(product);
    dense_seen_.resize(product);
  }
  if (!dense && local_.width() != width) local_ = KeyTable(width);

  // The scan, a batch of rows at a time.
  const int64_t* cost = costs->values.data();
  uint32_t sel[kBatch];
  std::vector<uint64_t> keys(width * kBatch);
  std::vector<uint64_t> key(width);
  for (size_t b = 0; b < rows; b += kBatch) {
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
    for (size_t w = 0, c = 0; w < width; ++w) {
      uint64_t* k = &keys[w * kBatch];
      std::fill(k, k + n, 0);
      for (; c < word_end[w]; ++c) {
        const Component& comp = components[c];
        const uint64_t radix = comp.radix;
        if (comp.codes == nullptr && !day_table.empty()) {
          const uint32_t* table = day_table.data();
          for (size_t i = 0; i < n; ++i)
            k[i] = k[i] * radix +
                   table[static_cast<uint64_t>(t[sel[i]] - day0_s) / static_cast<uint64_t>(kDay)];
        } else if (comp.codes == nullptr) {
          for (size_t i = 0; i < n; ++i) {
            int64_t p = PeriodStart(query.granularity, t[sel[i]]);
            k[i] = k[i] * radix + static_cast<uint64_t>(std::lower_bound(period_starts.begin(),
                                                                         period_starts.end(), p) -
                                                        period_starts.begin());
          }
        } else if (comp.map != nullptr) {
          for (size_t i = 0; i < n; ++i) k[i] = k[i] * radix + comp.map[comp.codes[sel[i]]];
        } else {
          for (size_t i = 0; i < n; ++i) k[i] = k[i] * radix + comp.codes[sel[i]];
        }
      }
    }
    if (dense) {
      Int128* sums = dense_sums_.data();
      uint8_t* seen = dense_seen_.data();
      for (size_t i = 0; i < n; ++i) {
        sums[keys[i]] += cost[sel[i]];
        seen[keys[i]] = 1;
      }
    } else {
      for (size_t i = 0; i < n; ++i) {
        for (size_t w = 0; w < width; ++w) key[w] = keys[w * kBatch + i];
        uint32_t g = local_.FindOrAdd(key.data());
        if (g == local_sums_.size()) local_sums_.push_back(0);
        local_sums_[g] += cost[sel[i]];
      }
    }
  }

  // Emit each local group into the merge, converted to units of 1e-18.
  const Int128 factor = Pow10(Amount::kScale - costs->scale);
  const size_t ndims = plan_.group_sources.size();
  uint32_t slot_ids[2 + kMaxGroupBy];
  uint32_t global_ids[1 + kMaxGroupBy];
  auto global = [&](uint32_t source, uint32_t local) {
    SegmentSource& s = sources[source];
    uint32_t& g = s.global[local];
    if (g == kUnset) g = merge.strings[source].Intern((*s.values)[local]);
    return g;
  };
  auto emit = [&](const uint64_t* words, Int128 sum) {
    std::fill(slot_ids, slot_ids + 2 + ndims, 0);
    for (size_t w = width, c = components.size(); w-- > 0;) {
      uint64_t k = words[w];
      for (; c > (w == 0 ? 0 : word_end[w - 1]); --c) {
        slot_ids[components[c - 1].slot] = static_cast<uint32_t>(k % components[c - 1].radix);
        k /= components[c - 1].radix;
      }
    }
    int64_t period = by_period ? period_starts[slot_ids[0]] : plan_.from_s;
    global_ids[0] = global(0, slot_ids[1]);
    for (size_t d = 0; d < ndims; ++d)
      global_ids[1 + d] = global(plan_.group_sources[d], slot_ids[2 + d]);
    merge.Add(period, global_ids, sum * factor);
  };
  if (dense) {
    for (uint64_t k = 0; k < product; ++k) {
      if (!dense_seen_[k]) continue;
      emit(&k, dense_sums_[k]);
      dense_seen_[k] = 0;
      dense_sums_[k] = 0;
    }
  } else {
    for (uint32_t g = 0; g < local_.size(); ++g) emit(local_.key(g), local_sums_[g]);
    local_.Clear();
    local_sums_.clear();
  }
  return rows;
}

}  // namespace plinth::cost
