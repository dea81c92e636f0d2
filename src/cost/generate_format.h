#pragma once
// Text formatting for the FOCUS generator: a row buffer that appends without per-field stream
// formatting, fixed-point numbers, UTC timestamps, CSV quoting and canonical tag JSON. Internal
// to src/cost/generate*.cc.

#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/rng.h"

namespace plinth::cost::gen {

// Collects rows in a 1 MiB buffer and hands full buffers to the stream. Not thread-safe.
class RowBuffer {
 public:
  explicit RowBuffer(std::ostream& out) : out_(out), buf_(kSize) {}
  RowBuffer(const RowBuffer&) = delete;
  RowBuffer& operator=(const RowBuffer&) = delete;

  // Makes room for a row of up to `bytes`; flushes when the buffer is nearly full.
  void Reserve(size_t bytes) {
    if (pos_ + bytes > buf_.size()) {
      Flush();
      if (bytes > buf_.size()) buf_.resize(bytes);
    }
  }
  // REQUIRES: Reserve() covered what is put.
  void Put(std::string_view s) {
    std::memcpy(buf_.data() + pos_, s.data(), s.size());
    pos_ += s.size();
  }
  void Put(char c) { buf_[pos_++] = c; }
  // v / 10^decimals with exactly `decimals` fractional digits ("12.3400000000").
  void PutFixed(int64_t v, int decimals);
  // Writes what is buffered to the stream; false when the stream failed.
  bool Flush();

 private:
  static constexpr size_t kSize = 1 << 20;
  std::ostream& out_;
  std::vector<char> buf_;
  size_t pos_ = 0;
};

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d);

// "2025-01-31T23:00:00Z".
std::string FormatTime(int64_t s);
// v / 10^decimals with exactly `decimals` fractional digits, as RowBuffer::PutFixed.
std::string FormatFixed(int64_t v, int decimals);
// A non-negative amount of 1e-10 units with trailing zeros dropped: "0.23", "3", "0.0000004".
std::string FormatUnits(int64_t units);
// The field as RFC 4180 CSV: quoted (quotes doubled) when it holds a comma, quote or newline.
std::string CsvField(std::string_view v);
// {"k":"v",...} with keys sorted and no spaces; REQUIRES: keys unique.
std::string TagsJson(std::vector<std::pair<std::string, std::string>> tags);

// splitmix64 (base/rng.h): the same numbers on every machine and standard library.
using SplitMix = SplitMix64;

// FNV-1a: a stable hash of a name, the same on every platform (unlike std::hash).
inline uint64_t HashString(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

// One splitmix64 output for a key: stateless randomness (ids, per-resource constants).
inline uint64_t Mix(uint64_t key) { return SplitMix(key).Next(); }

}  // namespace plinth::cost::gen
