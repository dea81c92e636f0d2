#include "server/jobs.h"

#include <algorithm>

#include "base/log.h"

namespace plinth::server {

void JobRunner::Every(std::chrono::milliseconds period, std::string name, Job fn) {
  std::lock_guard lock(mu_);
  jobs_.push_back({std::move(name), std::max<int64_t>(1, period.count()), std::move(fn), 0, 0});
}

int64_t JobRunner::RunDueLocked(std::unique_lock<std::mutex>& lock) {
  int64_t now = clock_.NowMs();
  for (size_t i = 0; i < jobs_.size() && !stop_; ++i) {
    if (jobs_[i].next_ms > now) continue;
    Job fn = jobs_[i].fn;
    std::string name = jobs_[i].name;
    lock.unlock();
    Status s = fn(now);
    lock.lock();
    if (!s.ok()) LogError("job " + name + ": " + s.error().ToString());
    jobs_[i].runs++;
    // The next run: a period after this one's due time, skipping periods missed while down.
    int64_t next = std::max(jobs_[i].next_ms, now - jobs_[i].period_ms) + jobs_[i].period_ms;
    jobs_[i].next_ms = next <= now ? now + jobs_[i].period_ms : next;
    now = clock_.NowMs();
  }
  int64_t wait = INT64_MAX;
  for (const auto& j : jobs_) wait = std::min(wait, j.next_ms - now);
  return std::max<int64_t>(0, wait);
}

void JobRunner::RunDue() {
  std::unique_lock lock(mu_);
  RunDueLocked(lock);
}

void JobRunner::Start() {
  std::lock_guard lock(mu_);
  if (running_ || jobs_.empty()) return;
  running_ = true;
  stop_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      int64_t wait = RunDueLocked(lock);
      // Wake at least every second: a ManualClock moves without notifying anyone.
      cv_.wait_for(lock, std::chrono::milliseconds(std::clamp<int64_t>(wait, 1, 1000)),
                   [this] { return stop_; });
    }
  });
}

void JobRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  running_ = false;
}

int64_t JobRunner::runs(const std::string& name) const {
  std::lock_guard lock(mu_);
  for (const auto& j : jobs_) {
    if (j.name == name) return j.runs;
  }
  return 0;
}

}  // namespace plinth::server
