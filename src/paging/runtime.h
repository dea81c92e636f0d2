#pragma once
// The paging runtime of a server: group commit for incoming events, the timer thread that fires
// escalations and timeouts (escalate.h), and delivery workers that send the outbox (outbox.h).
//
// Group commit: Submit() hands a unit of work (one event) to the writer thread, which runs
// every unit waiting at that moment in one write transaction, each in its own savepoint, and
// answers them all after the commit. An event is acknowledged (HTTP 202) only once it is
// committed, so it survives kill -9, and a burst costs one fsync rather than one per event.
//
// Thread-safety: Submit, Wake and RunOnce from any thread; Start and Stop from one thread.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "base/result.h"
#include "notify/sender.h"
#include "store/store.h"

namespace plinth::paging {

struct RuntimeOptions {
  std::string public_url;      // base of links in notifications, e.g. https://plinth.example.org
  int delivery_workers = 4;    // concurrent sends
  int64_t poll_ms = 1000;      // how often to look for work other replicas scheduled
  int64_t lease_ms = 60'000;   // a claimed delivery's lease
  size_t max_batch = 512;      // units per group commit
};

class Runtime {
 public:
  using Unit = std::function<Result<Json>(store::Tx&)>;

  // `store` and `clock` must outlive the runtime.
  Runtime(store::Store& store, const Clock& clock, std::unique_ptr<notify::Sender> sender,
          RuntimeOptions options);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  void Start();
  void Stop();

  // Runs `unit` in a shared write transaction (after Start; before it, in one of its own) and
  // returns its result once committed. A unit's error undoes only its own writes.
  Result<Json> Submit(Unit unit);
  // Timers or deliveries may have become due (after an event or an API action).
  void Wake();
  // One pass of due timers and deliveries on the calling thread (tests with a ManualClock).
  Result<int> RunOnce();

  const RuntimeOptions& options() const { return options_; }

 private:
  struct Pending {
    Unit unit;
    std::promise<Result<Json>> done;
    int tries = 0;  // a unit that lost a race on a unique key (another replica) runs again
  };
  void WriterLoop();
  void TimerLoop();
  void DeliveryLoop();
  // Sends up to `limit` due deliveries; returns how many it claimed.
  Result<int> SendDue(int limit);
  // Fills the incident and one-click links of a notice.
  void AddLinks(notify::Notice& notice) const;
  // Until Stop(): runs `run` whenever `next_due` (a read) says work is due, else sleeps until
  // it will be (at most poll_ms) or a Wake().
  void PollLoop(const char* what, const std::function<Result<std::optional<int64_t>>()>& next_due,
                const std::function<Result<int>()>& run);

  // Constant after construction
  store::Store& store_;
  const Clock& clock_;
  const std::unique_ptr<notify::Sender> sender_;
  const RuntimeOptions options_;
  std::string link_secret_;  // set by Start()

  // Guarded by mu_
  std::mutex mu_;
  std::condition_variable queue_cv_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool started_ = false;
  bool stop_ = false;
  int64_t wakes_ = 0;

  std::vector<std::thread> threads_;
};

}  // namespace plinth::paging
