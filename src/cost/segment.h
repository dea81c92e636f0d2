#pragma once
// Columnar segments of cost line items. A Segment holds up to kMaxSegmentRows rows of one
// partition (billing account and period), column by column:
//   string columns   dictionary-encoded: code 0 is NULL (and the empty string), dict[0] == "";
//   decimal columns  one int64 mantissa per row at one scale for the whole column;
//   time columns     UTC epoch seconds.
// A Segment is immutable once built, movable and not copyable (a copy would be millions of
// rows); it may be read from several threads at once.
//
// Persistence is one blob per column, so a reader loads only the columns a query needs. Blob
// format (all integers little-endian):
//   "PSC1" | u8 type (0 string, 1 decimal, 2 time) | u8 width | u8 scale | u8 0 | u32 rows
//   string:   u32 dict size n (>= 1) | n x (u32 length | bytes) | rows x code (width bytes:
//             1 when n <= 256, 2 when n <= 65536, else 4)
//   decimal,
//   time:     i64 base | rows x value: with width 8 the raw int64 (INT64_MIN is NULL); with
//             width 1, 2 or 4 the unsigned offset from base, all-ones being NULL
//             (frame-of-reference encoding: the smallest width that holds max - min).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cost/decimal.h"

namespace plinth::cost {

inline constexpr size_t kMaxSegmentRows = size_t{1} << 20;
inline constexpr int64_t kNullDecimal = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kNullTime = std::numeric_limits<int64_t>::min();

enum class ColumnType { kString, kDecimal, kTime };

struct ColumnSpec {
  std::string name;
  ColumnType type = ColumnType::kString;
  friend bool operator==(const ColumnSpec&, const ColumnSpec&) = default;
};

// code 0 == NULL, dict[0] == ""; every code < dict.size(); codes.size() == rows.
struct StringColumn {
  std::vector<std::string> dict;
  std::vector<uint32_t> codes;
};

// value = v / 10^scale (0 <= scale <= 18); kNullDecimal is NULL.
struct DecimalColumn {
  int scale = 0;
  std::vector<int64_t> values;
};

// UTC epoch seconds; kNullTime is NULL.
struct TimeColumn {
  std::vector<int64_t> seconds;
};

// The smallest and largest non-NULL value of a time column.
struct TimeRange {
  int64_t min_s = 0;
  int64_t max_s = 0;
};

class Segment {
 public:
  Segment() = default;
  // An empty segment of `rows` rows without columns, to LoadColumn into.
  explicit Segment(size_t rows) : rows_(rows) {}
  Segment(Segment&&) = default;
  Segment& operator=(Segment&&) = default;
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;

  size_t rows() const { return rows_; }
  // The loaded columns, in build or load order.
  const std::vector<ColumnSpec>& columns() const { return columns_; }
  const ColumnSpec* column(std::string_view name) const;

  // nullptr when absent, not loaded, or of another type. Pointers stay valid while the Segment
  // lives (also across moves and later LoadColumn calls).
  const StringColumn* strings(std::string_view name) const;
  const DecimalColumn* decimals(std::string_view name) const;
  const TimeColumn* times(std::string_view name) const;
  // Min and max of a time column's non-NULL values; nullopt when absent or all NULL.
  std::optional<TimeRange> time_range(std::string_view name) const;
  // The code of every row of a string column when they all have the same one (a segment holds
  // one billing account and currency, say); nullopt when absent, empty or varied.
  std::optional<uint32_t> single_code(std::string_view name) const;

  // The column's blob (format above); "" when the column is absent.
  std::string SerializeColumn(std::string_view name) const;
  // Adds a column from its blob. Checks every byte: a truncated or corrupt blob, a type or row
  // count other than `spec` and `rows` say, or a name already loaded is an Error, never a crash.
  // On a default-constructed Segment without columns, the first load sets rows().
  Status LoadColumn(const ColumnSpec& spec, std::string_view blob, size_t rows);

 private:
  friend class SegmentBuilder;
  struct Column {
    StringColumn strings;
    DecimalColumn decimals;
    TimeColumn times;
    std::optional<TimeRange> range;       // time columns only
    std::optional<uint32_t> single_code;  // string columns only
  };
  static std::optional<uint32_t> SingleCode(const std::vector<uint32_t>& codes);
  const Column* Find(std::string_view name, ColumnType type) const;
  Column& Add(ColumnSpec spec);

  size_t rows_ = 0;
  std::vector<ColumnSpec> columns_;
  std::deque<Column> data_;  // data_[i] belongs to columns_[i]; a deque keeps addresses stable
};

// Interns strings to dense ids 0, 1, 2, ... in order of first sight: an open-addressing hash
// table over a byte arena holding the values (one cache miss for the slot, one for the bytes).
// Used for segment dictionaries and query group keys.
class StringIndex {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  uint32_t Find(std::string_view v) const;  // kNotFound when absent
  uint32_t Intern(std::string_view v);      // the existing id, or a new one
  // Intern of n values into out[0..n); hashes them and prefetches their slots first, since a
  // big index misses the cache. REQUIRES: n <= 1024.
  void InternBatch(const std::string_view* values, size_t n, uint32_t* out);
  size_t size() const { return starts_.size() - 1; }
  // Valid until the next Intern.
  std::string_view operator[](uint32_t id) const {
    return std::string_view(arena_.data() + starts_[id], starts_[id + 1] - starts_[id]);
  }
  // Copies the values out and empties the index (keeping its capacity).
  std::vector<std::string> Take();

  static uint64_t Hash(std::string_view v);

 private:
  void Grow();
  uint32_t Probe(std::string_view v, uint64_t tag);  // REQUIRES: room for one more

  std::string arena_;                // the values, back to back
  std::vector<uint64_t> starts_{0};  // value i is arena_[starts_[i], starts_[i + 1])
  // 0 empty, else (hash >> 32) << 32 | (id + 1); a value's home slot is (hash >> 32) & mask,
  // so growing needs no value. At most half full.
  std::vector<uint64_t> slots_;
};

// Builds one Segment row by row; on the ingest hot path, so every call is O(1) amortised and
// allocation-free for repeated strings. Decimal scale per column is chosen at Finish: the
// largest scale seen, lowered (half-even rounding) only as far as needed for every value to fit
// an int64. Not thread-safe.
class SegmentBuilder {
 public:
  explicit SegmentBuilder(std::vector<ColumnSpec> columns);
  SegmentBuilder(const SegmentBuilder&) = delete;
  SegmentBuilder& operator=(const SegmentBuilder&) = delete;

  const std::vector<ColumnSpec>& columns() const { return specs_; }

  // Set a value of the current row; a later call for the same column wins. REQUIRES: col <
  // columns().size() and of the matching type (SetNull: any type). "" is NULL.
  void SetString(size_t col, std::string_view v);
  void SetNull(size_t col);
  void SetDecimal(size_t col, Decimal v);
  void SetTime(size_t col, int64_t seconds);  // kNullTime is NULL
  // Ends the current row; its unset columns are NULL. REQUIRES: rows() < kMaxSegmentRows.
  void EndRow();

  size_t rows() const { return rows_; }
  // The segment of the rows so far (possibly empty); the builder starts a new segment.
  Segment Finish();
  // Decimal values rounded by lowering a column's scale, over every Finish so far.
  int64_t rounded_values() const { return rounded_values_; }

 private:
  struct StringState {
    StringIndex dict;  // id == code; "" is code 0
    std::vector<uint32_t> codes;
    uint32_t last_code = 0;  // the most recent non-NULL code: consecutive rows repeat values
    uint32_t pending = 0;
  };
  struct DecimalState {
    std::vector<int64_t> mantissas;
    std::vector<int8_t> scales;  // -1 is NULL
    int max_scale = 0;
    Decimal pending;
    int8_t pending_scale = -1;
  };
  struct TimeState {
    std::vector<int64_t> seconds;
    int64_t pending = kNullTime;
  };
  struct Slot {
    ColumnType type;
    uint32_t index;  // into strings_, decimals_ or times_
  };

  // Constant after construction
  std::vector<ColumnSpec> specs_;
  std::vector<Slot> slots_;

  std::vector<StringState> strings_;
  std::vector<DecimalState> decimals_;
  std::vector<TimeState> times_;
  size_t rows_ = 0;
  int64_t rounded_values_ = 0;
};

}  // namespace plinth::cost
