#include "cost/segment.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstring>
#include <utility>

namespace plinth::cost {
namespace {

static_assert(std::endian::native == std::endian::little, "blobs are copied as little-endian");

constexpr char kMagic[4] = {'P', 'S', 'C', '1'};
constexpr size_t kHeaderSize = 12;

constexpr std::array<int64_t, 19> kPow10 = [] {
  std::array<int64_t, 19> p{};
  p[0] = 1;
  for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

uint8_t TypeByte(ColumnType type) {
  switch (type) {
    case ColumnType::kString:
      return 0;
    case ColumnType::kDecimal:
      return 1;
    case ColumnType::kTime:
      return 2;
  }
  return 0;
}

void PutLE(std::string& out, uint64_t v, size_t width) {
  char bytes[8];
  for (size_t i = 0; i < width; ++i) bytes[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out.append(bytes, width);
}

uint64_t GetLE(const char* p, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v |= uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return v;
}

// Narrows each value to U (little-endian hosts store U's bytes as the format wants).
template <typename U, typename V, typename F>
void PutEach(std::string& out, const std::vector<V>& values, F narrow) {
  size_t start = out.size();
  out.resize(start + values.size() * sizeof(U));
  char* p = out.data() + start;
  for (size_t r = 0; r < values.size(); ++r) {
    U u = narrow(values[r]);
    std::memcpy(p + r * sizeof(U), &u, sizeof(U));
  }
}

// Appends `values` in frame-of-reference encoding (see segment.h): i64 base, then rows values;
// sets the header's width byte.
void PutInts(std::string& out, const std::vector<int64_t>& values, size_t width_pos) {
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = kNullDecimal;
  for (int64_t v : values) {  // NULL (INT64_MIN) never lowers lo; hi >= lo once any is seen
    lo = v != kNullDecimal && v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  if (hi == kNullDecimal) lo = hi = 0;  // all NULL
  uint64_t range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  size_t width = range < 0xff ? 1 : range < 0xffff ? 2 : range < 0xffffffffu ? 4 : 8;
  out[width_pos] = static_cast<char>(width);
  const auto base = static_cast<uint64_t>(width == 8 ? 0 : lo);
  PutLE(out, base, 8);
  auto offsets = [&](auto null) {
    using U = decltype(null);
    PutEach<U>(out, values, [&](int64_t v) {
      return v == kNullDecimal ? null : static_cast<U>(static_cast<uint64_t>(v) - base);
    });
  };
  if (width == 1)
    offsets(uint8_t{0xff});
  else if (width == 2)
    offsets(uint16_t{0xffff});
  else if (width == 4)
    offsets(uint32_t{0xffffffff});
  else
    PutEach<int64_t>(out, values, [](int64_t v) { return v; });
}

// A bounds-checked cursor over a blob.
class Reader {
 public:
  explicit Reader(std::string_view blob) : blob_(blob) {}
  bool Has(size_t n) const { return blob_.size() - pos_ >= n; }
  const char* Take(size_t n) {  // REQUIRES: Has(n)
    const char* p = blob_.data() + pos_;
    pos_ += n;
    return p;
  }
  size_t remaining() const { return blob_.size() - pos_; }

 private:
  std::string_view blob_;
  size_t pos_ = 0;
};

Error Corrupt(const ColumnSpec& spec, std::string_view what) {
  return Error::Invalid("column \"" + spec.name + "\": corrupt segment blob: " + std::string(what));
}

// Reads `rows` frame-of-reference values of `width` bytes (see PutInts); `range` gets the min
// and max of the non-NULL values.
Status GetInts(const ColumnSpec& spec, Reader& in, size_t rows, size_t width,
               std::vector<int64_t>& out, std::optional<TimeRange>& range) {
  if (width != 1 && width != 2 && width != 4 && width != 8) return Corrupt(spec, "bad width");
  if (!in.Has(8)) return Corrupt(spec, "truncated");
  const uint64_t base = GetLE(in.Take(8), 8);
  if (width == 8 ? base != 0 : static_cast<int64_t>(base) == kNullDecimal)
    return Corrupt(spec, "bad base");
  if (in.remaining() != rows * width) return Corrupt(spec, "wrong length");
  const char* p = in.Take(rows * width);
  out.resize(rows);
  range.reset();
  if (width == 8) {
    std::memcpy(out.data(), p, rows * 8);
    int64_t lo = std::numeric_limits<int64_t>::max(), hi = kNullDecimal;
    for (int64_t v : out) {
      lo = v != kNullDecimal && v < lo ? v : lo;
      hi = v > hi ? v : hi;
    }
    if (hi != kNullDecimal) range = TimeRange{lo, hi};
    return {};
  }
  const uint64_t max_offset = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - base;
  bool bad = false;
  auto decode = [&](auto null) {
    using U = decltype(null);
    U lo = null, hi = 0;
    bool any = false;
    for (size_t r = 0; r < rows; ++r) {
      U u;
      std::memcpy(&u, p + r * sizeof(U), sizeof(U));
      lo = u < lo ? u : lo;
      hi = u != null && u > hi ? u : hi;
      any |= u != null;
      out[r] = u == null ? kNullDecimal : static_cast<int64_t>(base + u);
    }
    // Every non-NULL offset is <= hi; base + hi must stay an int64.
    bad = any && hi > max_offset;
    if (any) range = TimeRange{static_cast<int64_t>(base + lo), static_cast<int64_t>(base + hi)};
  };
  if (width == 1)
    decode(uint8_t{0xff});
  else if (width == 2)
    decode(uint16_t{0xffff});
  else
    decode(uint32_t{0xffffffff});
  if (bad) return Corrupt(spec, "value out of range");
  return {};
}

// The code every one of `codes` has, if they agree and there are any.
std::optional<uint32_t> SingleCode(const std::vector<uint32_t>& codes) {
  if (codes.empty()) return std::nullopt;
  uint32_t first = codes[0];
  bool same = true;
  for (uint32_t code : codes) same &= code == first;
  return same ? std::optional<uint32_t>(first) : std::nullopt;
}

// Reads `rows` dictionary codes of `width` bytes, each < n.
Status GetCodes(const ColumnSpec& spec, const char* p, size_t rows, size_t width, uint64_t n,
                std::vector<uint32_t>& out) {
  out.resize(rows);
  uint32_t max_code = 0;
  auto decode = [&](auto tag) {
    using U = decltype(tag);
    for (size_t r = 0; r < rows; ++r) {
      U u;
      std::memcpy(&u, p + r * sizeof(U), sizeof(U));
      out[r] = u;
      max_code = u > max_code ? u : max_code;
    }
  };
  if (width == 1)
    decode(uint8_t{});
  else if (width == 2)
    decode(uint16_t{});
  else
    decode(uint32_t{});
  if (rows > 0 && max_code >= n) return Corrupt(spec, "code out of range");
  return {};
}

}  // namespace

const ColumnSpec* Segment::column(std::string_view name) const {
  for (const ColumnSpec& c : columns_)
    if (c.name == name) return &c;
  return nullptr;
}

const Segment::Column* Segment::Find(std::string_view name, ColumnType type) const {
  for (size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].name == name) return columns_[i].type == type ? &data_[i] : nullptr;
  return nullptr;
}

Segment::Column& Segment::Add(ColumnSpec spec) {
  columns_.push_back(std::move(spec));
  return data_.emplace_back();
}

const StringColumn* Segment::strings(std::string_view name) const {
  const Column* c = Find(name, ColumnType::kString);
  return c ? &c->strings : nullptr;
}

const DecimalColumn* Segment::decimals(std::string_view name) const {
  const Column* c = Find(name, ColumnType::kDecimal);
  return c ? &c->decimals : nullptr;
}

const TimeColumn* Segment::times(std::string_view name) const {
  const Column* c = Find(name, ColumnType::kTime);
  return c ? &c->times : nullptr;
}

std::optional<uint32_t> Segment::single_code(std::string_view name) const {
  const Column* c = Find(name, ColumnType::kString);
  return c ? c->single_code : std::nullopt;
}

std::optional<TimeRange> Segment::time_range(std::string_view name) const {
  const Column* c = Find(name, ColumnType::kTime);
  return c ? c->range : std::nullopt;
}

namespace {

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

std::string Segment::SerializeColumn(std::string_view name) const {
  size_t i = 0;
  while (i < columns_.size() && columns_[i].name != name) ++i;
  if (i == columns_.size()) return "";
  const Column& c = data_[i];
  std::string out(kMagic, 4);
  out.push_back(static_cast<char>(TypeByte(columns_[i].type)));
  size_t width_pos = out.size();
  out.push_back(0);  // width
  out.push_back(static_cast<char>(columns_[i].type == ColumnType::kDecimal ? c.decimals.scale : 0));
  out.push_back(0);
  PutLE(out, rows_, 4);
  switch (columns_[i].type) {
    case ColumnType::kString: {
      const StringColumn& s = c.strings;
      size_t n = s.dict.size();
      size_t width = n <= 0x100 ? 1 : n <= 0x10000 ? 2 : 4;
      out[width_pos] = static_cast<char>(width);
      PutLE(out, n, 4);
      for (const std::string& v : s.dict) {
        PutLE(out, v.size(), 4);
        out += v;
      }
      auto narrow = [](auto tag) {
        return [](uint32_t code) { return static_cast<decltype(tag)>(code); };
      };
      if (width == 1)
        PutEach<uint8_t>(out, s.codes, narrow(uint8_t{}));
      else if (width == 2)
        PutEach<uint16_t>(out, s.codes, narrow(uint16_t{}));
      else
        PutEach<uint32_t>(out, s.codes, narrow(uint32_t{}));
      break;
    }
    case ColumnType::kDecimal:
      PutInts(out, c.decimals.values, width_pos);
      break;
    case ColumnType::kTime:
      PutInts(out, c.times.seconds, width_pos);
      break;
  }
  return out;
}

Status Segment::LoadColumn(const ColumnSpec& spec, std::string_view blob, size_t rows) {
  if (column(spec.name)) return Error::Invalid("column \"" + spec.name + "\" is already loaded");
  if (columns_.empty() && rows_ == 0) rows_ = rows;
  if (rows != rows_)
    return Error::Invalid("column \"" + spec.name + "\" has " + std::to_string(rows) +
                          " rows, the segment " + std::to_string(rows_));
  if (rows > kMaxSegmentRows) return Corrupt(spec, "too many rows");
  Reader in(blob);
  if (!in.Has(kHeaderSize)) return Corrupt(spec, "truncated header");
  const char* h = in.Take(kHeaderSize);
  if (std::memcmp(h, kMagic, 4) != 0) return Corrupt(spec, "bad magic");
  if (static_cast<uint8_t>(h[4]) != TypeByte(spec.type)) return Corrupt(spec, "type mismatch");
  size_t width = static_cast<uint8_t>(h[5]);
  int scale = static_cast<uint8_t>(h[6]);
  if (h[7] != 0) return Corrupt(spec, "bad header");
  if (GetLE(h + 8, 4) != rows) return Corrupt(spec, "row count mismatch");

  Column c;
  switch (spec.type) {
    case ColumnType::kString: {
      if (!in.Has(4)) return Corrupt(spec, "truncated dictionary");
      uint64_t n = GetLE(in.Take(4), 4);
      if (n == 0 || n > in.remaining() / 4) return Corrupt(spec, "bad dictionary size");
      if (width != (n <= 0x100 ? 1u : n <= 0x10000 ? 2u : 4u)) return Corrupt(spec, "bad width");
      c.strings.dict.reserve(n);
      for (uint64_t i = 0; i < n; ++i) {
        if (!in.Has(4)) return Corrupt(spec, "truncated dictionary");
        uint64_t len = GetLE(in.Take(4), 4);
        if (!in.Has(len)) return Corrupt(spec, "truncated dictionary");
        c.strings.dict.emplace_back(in.Take(len), len);
      }
      if (!c.strings.dict[0].empty()) return Corrupt(spec, "dictionary entry 0 is not empty");
      if (in.remaining() != rows * width) return Corrupt(spec, "wrong length");
      const char* p = in.Take(rows * width);
      PLINTH_RETURN_IF_ERROR(GetCodes(spec, p, rows, width, n, c.strings.codes));
      c.single_code = SingleCode(c.strings.codes);
      break;
    }
    case ColumnType::kDecimal:
      if (scale > kMaxScale) return Corrupt(spec, "bad scale");
      c.decimals.scale = scale;
      PLINTH_RETURN_IF_ERROR(GetInts(spec, in, rows, width, c.decimals.values, c.range));
      c.range.reset();
      break;
    case ColumnType::kTime:
      if (scale != 0) return Corrupt(spec, "bad header");
      PLINTH_RETURN_IF_ERROR(GetInts(spec, in, rows, width, c.times.seconds, c.range));
      break;
  }
  Add(spec) = std::move(c);
  return {};
}

// ---- StringIndex ----

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

// ---- SegmentBuilder ----

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
        c.single_code = SingleCode(c.strings.codes);
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
