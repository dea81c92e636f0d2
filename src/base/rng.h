#pragma once
// splitmix64: deterministic random numbers, the same on every machine and standard library
// (std's distributions are not), for generated data (the demo, the cost generator).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace plinth {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Unit() { return double(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  size_t Below(size_t n) { return size_t(Next() % n); }       // REQUIRES: n > 0
  std::string Hex() {                                          // 16 hex digits
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(Next()));
    return buf;
  }

 private:
  uint64_t state_;
};

}  // namespace plinth
