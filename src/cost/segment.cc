// Segment: column lookup and the per-column blobs (format in segment.h).

#include "cost/segment.h"

#include <bit>
#include <cstring>
#include <limits>
#include <utility>

namespace plinth::cost {
namespace {

static_assert(std::endian::native == std::endian::little, "blobs are copied as little-endian");

constexpr char kMagic[4] = {'P', 'S', 'C', '1'};
constexpr size_t kHeaderSize = 12;

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

std::optional<uint32_t> Segment::SingleCode(const std::vector<uint32_t>& codes) {
  if (codes.empty()) return std::nullopt;
  uint32_t first = codes[0];
  bool same = true;
  for (uint32_t code : codes) same &= code == first;
  return same ? std::optional<uint32_t>(first) : std::nullopt;
}

std::optional<uint32_t> Segment::single_code(std::string_view name) const {
  const Column* c = Find(name, ColumnType::kString);
  return c ? c->single_code : std::nullopt;
}

std::optional<TimeRange> Segment::time_range(std::string_view name) const {
  const Column* c = Find(name, ColumnType::kTime);
  return c ? c->range : std::nullopt;
}

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

}  // namespace plinth::cost
