#pragma once
// Time source. Abstract so it can be faked in tests: the real one is RealClock; tests drive a
// ManualClock. Nothing else in plinth reads the system clock.

#include <atomic>
#include <cstdint>

namespace plinth {

class Clock {
 public:
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  virtual ~Clock() = default;

  // Milliseconds since the Unix epoch, UTC. Thread-safe.
  virtual int64_t NowMs() const = 0;
};

class RealClock final : public Clock {
 public:
  int64_t NowMs() const override;
};

// Starts at a given instant and moves only when told. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ms) : now_ms_(start_ms) {}
  int64_t NowMs() const override { return now_ms_.load(); }
  void AdvanceMs(int64_t delta_ms) { now_ms_ += delta_ms; }
  void SetMs(int64_t now_ms) { now_ms_ = now_ms; }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace plinth
