// The job runner: due by the injected clock, once per period, on its thread until stopped.

#include "server/jobs.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace plinth::server {
namespace {

TEST(JobRunnerTest, RunsWhenDueByTheClock) {
  ManualClock clock(1'000'000);
  JobRunner jobs(clock);
  std::vector<int64_t> seen;
  jobs.Every(std::chrono::seconds(60), "tick", [&](int64_t now) {
    seen.push_back(now);
    return Status{};
  });
  jobs.Every(std::chrono::seconds(10), "fails", [](int64_t) -> Status {
    return Error::Internal("boom");  // logged, the runner goes on
  });
  jobs.RunDue();
  jobs.RunDue();
  EXPECT_EQ(seen, std::vector<int64_t>{1'000'000});
  clock.AdvanceMs(59'999);
  jobs.RunDue();
  EXPECT_EQ(seen.size(), 1u);
  clock.AdvanceMs(1);
  jobs.RunDue();
  EXPECT_EQ(seen.back(), 1'060'000);
  // Down for ten minutes: one run, then every period from then on.
  clock.AdvanceMs(600'000);
  jobs.RunDue();
  jobs.RunDue();
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(jobs.runs("tick"), 3);
  EXPECT_EQ(jobs.runs("fails"), 3);
}

TEST(JobRunnerTest, ThreadRunsUntilStopped) {
  ManualClock clock(0);
  std::atomic<int> runs{0};
  {
    JobRunner jobs(clock);
    jobs.Every(std::chrono::seconds(60), "tick", [&](int64_t) {
      ++runs;
      return Status{};
    });
    jobs.Start();
    for (int i = 0; i < 200 && runs < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(runs, 1);
    clock.AdvanceMs(60'000);
    for (int i = 0; i < 300 && runs < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(runs, 2);
    jobs.Stop();
    clock.AdvanceMs(60'000);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(runs, 2);
  }  // the destructor after Stop is fine
}

}  // namespace
}  // namespace plinth::server
