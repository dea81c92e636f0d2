#pragma once
// A small runner of periodic background jobs on one thread, started by `plinth serve` and
// `plinth demo`: each job runs when due by the server's Clock (so tests can drive it with a
// ManualClock), first at Start(), then every period. A job's error is logged, never fatal.
//
//   jobs.Every(std::chrono::seconds(60), "slo-evaluate", [&](int64_t now_ms) { return ...; });
//
// Thread-safety: Every() before Start(); Start() and Stop() from one thread. Jobs run one at a
// time on the runner's thread. Stop() waits for a running job to finish.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/result.h"

namespace plinth::server {

class JobRunner {
 public:
  using Job = std::function<Status(int64_t now_ms)>;

  explicit JobRunner(const Clock& clock) : clock_(clock) {}
  ~JobRunner() { Stop(); }
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // REQUIRES: before Start(); period > 0.
  void Every(std::chrono::milliseconds period, std::string name, Job fn);

  void Start();
  void Stop();

  // Runs every job that is due at the clock's now, on the calling thread (for tests).
  void RunDue();

  // Runs of `name` so far (for tests).
  int64_t runs(const std::string& name) const;

 private:
  struct Entry {
    std::string name;
    int64_t period_ms = 0;
    Job fn;
    int64_t next_ms = 0;  // due time by clock_; 0: at once
    int64_t runs = 0;
  };
  // Runs the due jobs; returns how long until the next is due (ms, by clock_).
  int64_t RunDueLocked(std::unique_lock<std::mutex>& lock);

  // Constant after construction
  const Clock& clock_;

  // Guarded by mu_
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Entry> jobs_;
  bool stop_ = false;
  bool running_ = false;

  std::thread thread_;
};

}  // namespace plinth::server
