// StringIndex and SegmentBuilder: the ingest side of segments (segment.h).

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>
#include <utility>

#include "cost/segment.h"

namespace plinth::cost {
namespace {

constexpr std::array<int64_t, 19> kPow10 = [] {
  std::array<int64_t, 19> p{};
  p[0] = 1;
  for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

std::optional<TimeRange> RangeOf(const std::vector<int64_t>& seconds) {
  std::optional<TimeRange> range;
  for (int64_t s : seconds) {
    if (s == kNullTime) continue;
    if (!range)
      range = TimeRange{s, s};
    else if (s < range->min_s)
      range->min_s = s;
    else if (s > range->max_s)
      range->max_s = s;
  }
  return range;
}

}  // namespace

uint64_t StringIndex::Hash(std::string_view v) {
  // Eight bytes per multiply; quality enough for a table that compares the full value.
  const char* p = v.data();
  size_t n = v.size();
  uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull);
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
  }
  if (n > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * 0x94d049bb133111ebull;
  }
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  return h ^ (h >> 32);
}

uint32_t StringIndex::Find(std::string_view v) const {
  if (slots_.empty()) return kNotFound;
  uint64_t tag = Hash(v) >> 32 << 32;
  size_t mask = slots_.size() - 1;
  for (size_t i = (tag >> 32) & mask;; i = (i + 1) & mask) {
    uint64_t slot = slots_[i];
    if (slot == 0) return kNotFound;
    if ((slot & 0xffffffff00000000ull) == tag) {
      auto id = static_cast<uint32_t>(slot) - 1;
      if ((*this)[id] == v) return id;
    }
  }
}

uint32_t StringIndex::Intern(std::string_view v) {
  if ((size() + 1) * 2 > slots_.size()) Grow();
  return Probe(v, Hash(v) >> 32 << 32);
}

void StringIndex::InternBatch(const std::string_view* values, size_t n, uint32_t* out) {
  assert(n <= 1024);
  while ((size() + n) * 2 > slots_.size()) Grow();
  uint64_t tags[1024];
  const size_t mask = slots_.size() - 1;
  for (size_t i = 0; i < n; ++i) {
    tags[i] = Hash(values[i]) >> 32 << 32;
    __builtin_prefetch(&slots_[(tags[i] >> 32) & mask]);
  }
  for (size_t i = 0; i < n; ++i) out[i] = Probe(values[i], tags[i]);
}

uint32_t StringIndex::Probe(std::string_view v, uint64_t tag) {
  const size_t mask = slots_.size() - 1;
  for (size_t i = (tag >> 32) & mask;; i = (i + 1) & mask) {
    uint64_t slot = slots_[i];
    if (slot == 0) {
      auto id = static_cast<uint32_t>(size());
      arena_.append(v);
      starts_.push_back(arena_.size());
      slots_[i] = tag | (uint64_t{id} + 1);
      return id;
    }
    if ((slot & 0xffffffff00000000ull) == tag) {
      auto id = static_cast<uint32_t>(slot) - 1;
      if ((*this)[id] == v) return id;
    }
  }
}

void StringIndex::Grow() {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 16 : old.size() * 2, 0);
  size_t mask = slots_.size() - 1;
  for (uint64_t slot : old) {  // the slot's tag is its home: no value is read or hashed
    if (slot == 0) continue;
    size_t i = (slot >> 32) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

std::vector<std::string> StringIndex::Take() {
  std::vector<std::string> values;
  values.reserve(size());
  for (uint32_t id = 0; id < size(); ++id) values.emplace_back((*this)[id]);
  arena_.clear();
  starts_.resize(1);
  std::fill(slots_.begin(), slots_.end(), 0);  // keep the capacity: the next segment is alike
  return values;
}

SegmentBuilder::SegmentBuilder(std::vector<ColumnSpec> columns) : specs_(std::move(columns)) {
  for (const ColumnSpec& spec : specs_) {
    switch (spec.type) {
      case ColumnType::kString:
        slots_.push_back({spec.type, static_cast<uint32_t>(strings_.size())});
        strings_.emplace_back().dict.Intern("");
        break;
      case ColumnType::kDecimal:
        slots_.push_back({spec.type, static_cast<uint32_t>(decimals_.size())});
        decimals_.emplace_back();
        break;
      case ColumnType::kTime:
        slots_.push_back({spec.type, static_cast<uint32_t>(times_.size())});
        times_.emplace_back();
        break;
    }
  }
}

void SegmentBuilder::SetString(size_t col, std::string_view v) {
  assert(slots_[col].type == ColumnType::kString);
  StringState& s = strings_[slots_[col].index];
  if (v.empty()) {
    s.pending = 0;
  } else if (s.last_code != 0 && v == s.dict[s.last_code]) {
    s.pending = s.last_code;
  } else {
    s.pending = s.last_code = s.dict.Intern(v);
  }
}

void SegmentBuilder::SetNull(size_t col) {
  const Slot& slot = slots_[col];
  switch (slot.type) {
    case ColumnType::kString:
      strings_[slot.index].pending = 0;
      break;
    case ColumnType::kDecimal:
      decimals_[slot.index].pending_scale = -1;
      break;
    case ColumnType::kTime:
      times_[slot.index].pending = kNullTime;
      break;
  }
}

void SegmentBuilder::SetDecimal(size_t col, Decimal v) {
  assert(slots_[col].type == ColumnType::kDecimal);
  DecimalState& d = decimals_[slots_[col].index];
  d.pending = v;
  d.pending_scale = static_cast<int8_t>(v.scale);
}

void SegmentBuilder::SetTime(size_t col, int64_t seconds) {
  assert(slots_[col].type == ColumnType::kTime);
  times_[slots_[col].index].pending = seconds;
}

void SegmentBuilder::EndRow() {
  assert(rows_ < kMaxSegmentRows);
  for (StringState& s : strings_) {
    s.codes.push_back(s.pending);
    s.pending = 0;
  }
  for (DecimalState& d : decimals_) {
    d.mantissas.push_back(d.pending.mantissa);
    d.scales.push_back(d.pending_scale);
    if (d.pending_scale > d.max_scale) d.max_scale = d.pending_scale;
    d.pending_scale = -1;
  }
  for (TimeState& t : times_) {
    t.seconds.push_back(t.pending);
    t.pending = kNullTime;
  }
  ++rows_;
}

namespace {

// mantissa / 10^from rescaled to `to` places: exact when to >= from (false on int64 overflow,
// or when the result would be the NULL sentinel), else rounded half-even (`*rounded` set when
// digits were dropped).
bool Rescale(int64_t mantissa, int from, int to, int64_t* out, bool* rounded) {
  if (to >= from) {
    int64_t r;
    if (__builtin_mul_overflow(mantissa, kPow10[to - from], &r) || r == kNullDecimal) return false;
    *out = r;
    return true;
  }
  int64_t d = kPow10[from - to];
  int64_t q = mantissa / d, rem = mantissa % d;
  *rounded = rem != 0;
  int64_t twice = rem < 0 ? -rem : rem;
  twice = twice > d / 2 ? 2 : twice * 2 == d ? 1 : 0;  // 2: above half, 1: exactly half
  if (twice == 2 || (twice == 1 && (q & 1) != 0)) q += mantissa < 0 ? -1 : 1;
  *out = q;
  return true;
}

}  // namespace

Segment SegmentBuilder::Finish() {
  Segment seg(rows_);
  for (size_t i = 0; i < specs_.size(); ++i) {
    Segment::Column& c = seg.Add(specs_[i]);
    const Slot& slot = slots_[i];
    switch (slot.type) {
      case ColumnType::kString: {
        StringState& s = strings_[slot.index];
        c.strings.dict = s.dict.Take();
        c.strings.codes = std::move(s.codes);
        c.single_code = Segment::SingleCode(c.strings.codes);
        s.dict.Intern("");
        s.codes = {};
        s.codes.reserve(rows_);
        s.last_code = 0;
        break;
      }
      case ColumnType::kDecimal: {
        DecimalState& d = decimals_[slot.index];
        std::vector<int64_t>& out = c.decimals.values;
        out.resize(rows_);
        int scale = d.max_scale;
        int64_t rounded = 0;
        for (;; --scale) {
          rounded = 0;
          bool fits = true;
          for (size_t r = 0; r < rows_ && fits; ++r) {
            int from = d.scales[r];
            if (from < 0) {
              out[r] = kNullDecimal;
            } else if (from == scale) {
              out[r] = d.mantissas[r];
            } else {
              bool lost = false;
              fits = Rescale(d.mantissas[r], from, scale, &out[r], &lost);
              rounded += lost;
            }
          }
          if (fits || scale == 0) break;
        }
        c.decimals.scale = scale;
        rounded_values_ += rounded;
        d.mantissas.clear();
        d.scales.clear();
        d.max_scale = 0;
        break;
      }
      case ColumnType::kTime: {
        TimeState& t = times_[slot.index];
        c.range = RangeOf(t.seconds);
        c.times.seconds = std::move(t.seconds);
        t.seconds = {};
        t.seconds.reserve(rows_);
        break;
      }
    }
  }
  rows_ = 0;
  return seg;
}

}  // namespace plinth::cost
