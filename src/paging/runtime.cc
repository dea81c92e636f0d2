#include "paging/runtime.h"

#include <algorithm>

#include "base/log.h"
#include "paging/escalate.h"
#include "paging/links.h"
#include "paging/outbox.h"

namespace plinth::paging {

Runtime::Runtime(store::Store& store, const Clock& clock, std::unique_ptr<notify::Sender> sender,
                 RuntimeOptions options)
    : store_(store), clock_(clock), sender_(std::move(sender)), options_(std::move(options)) {}

Runtime::~Runtime() { Stop(); }

void Runtime::Start() {
  auto secret = LinkSecret(store_);
  if (secret.ok()) {
    link_secret_ = *secret;
  } else {
    LogError("paging: no link secret, notifications go without one-click links: " +
             secret.error().ToString());
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (started_) return;
  started_ = true;
  stop_ = false;
  threads_.emplace_back([this] { WriterLoop(); });
  threads_.emplace_back([this] { TimerLoop(); });
  for (int i = 0; i < options_.delivery_workers; ++i) {
    threads_.emplace_back([this] { DeliveryLoop(); });
  }
}

void Runtime::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_) return;
    stop_ = true;
  }
  queue_cv_.notify_all();
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
  std::lock_guard<std::mutex> lock(mu_);
  started_ = false;
  for (auto& p : queue_) p.done.set_value(Error::Unavailable("the server is stopping"));
  queue_.clear();
}

Result<Json> Runtime::Submit(Unit unit) {
  std::future<Result<Json>> result;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_ || stop_) {
      return store_.Write([&](store::Tx& tx) { return unit(tx); });
    }
    queue_.push_back({std::move(unit), {}});
    result = queue_.back().done.get_future();
  }
  queue_cv_.notify_one();
  return result.get();
}

void Runtime::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++wakes_;
  }
  cv_.notify_all();
}

void Runtime::WriterLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    queue_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    std::vector<Pending> batch;
    while (!queue_.empty() && batch.size() < options_.max_batch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    std::vector<Result<Json>> results;
    Status committed = store_.Write([&](store::Tx& tx) -> Status {
      results.clear();
      for (auto& p : batch) results.push_back(store::InSavepoint(tx, [&] { return p.unit(tx); }));
      return {};
    });
    std::vector<Pending> again;
    for (size_t i = 0; i < batch.size(); ++i) {
      Result<Json> r = committed.ok() ? std::move(results[i]) : Result<Json>(committed.error());
      // Two replicas opening the same alert at once: the loser's unit sees the winner's row
      // when it runs again.
      if (!r.ok() && r.error().code == ErrorCode::kConflict && ++batch[i].tries < 3) {
        again.push_back(std::move(batch[i]));
      } else {
        batch[i].done.set_value(std::move(r));
      }
    }
    Wake();
    lock.lock();
    for (auto it = again.rbegin(); it != again.rend(); ++it) queue_.push_front(std::move(*it));
  }
}

void Runtime::PollLoop(const char* what,
                       const std::function<Result<std::optional<int64_t>>()>& next_due,
                       const std::function<Result<int>()>& run) {
  while (true) {
    int64_t seen;  // read before looking, so a Wake() during the look is not lost
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      seen = wakes_;
    }
    int64_t wait_ms = options_.poll_ms;
    int64_t now = clock_.NowMs();
    // A read first: waking for nothing costs no write transaction (and no write lock).
    auto next = next_due();
    if (!next.ok()) {
      LogWarn(std::string("paging: ") + what + ": " + next.error().ToString());
    } else if (*next && **next <= now) {
      auto ran = run();
      if (!ran.ok()) {
        LogWarn(std::string("paging: ") + what + ": " + ran.error().ToString());
      } else if (*ran > 0) {
        wait_ms = 0;
      }
    } else if (*next) {
      wait_ms = std::min(**next - now, options_.poll_ms);
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (stop_) return;
    if (wait_ms > 0) {
      cv_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                   [&] { return stop_ || wakes_ != seen; });
    }
  }
}

void Runtime::TimerLoop() {
  PollLoop(
      "timers", [this] { return NextWorkDue(store_); },
      [this]() -> Result<int> {
        PLINTH_ASSIGN_OR_RETURN(int ran, RunDueWork(store_, clock_.NowMs()));
        if (ran > 0) Wake();  // their pages are due now
        return ran;
      });
}

void Runtime::DeliveryLoop() {
  PollLoop(
      "deliveries", [this] { return NextDeliveryDue(store_); }, [this] { return SendDue(2); });
}

void Runtime::AddLinks(notify::Notice& notice) const {
  const std::string& base = options_.public_url;
  notice.incident_url = base + "/incidents/" + std::to_string(notice.incident_number);
  if (link_secret_.empty() || notice.kind != "page") return;
  int64_t expires = notice.at_ms + kLinkLifetimeMs;
  notice.ack_url = base + "/act/" +
                   ActionToken(link_secret_, notice.incident_number, "acknowledge",
                               notice.person, expires);
  notice.resolve_url = base + "/act/" + ActionToken(link_secret_, notice.incident_number,
                                                    "resolve", notice.person, expires);
}

Result<int> Runtime::SendDue(int limit) {
  PLINTH_ASSIGN_OR_RETURN(auto items,
                          ClaimDeliveries(store_, clock_.NowMs(), limit, options_.lease_ms));
  for (auto& item : items) {
    AddLinks(item.delivery.notice);
    notify::Outcome outcome = sender_->Send(item.delivery);
    PLINTH_RETURN_IF_ERROR(FinishDelivery(store_, item, outcome, clock_.NowMs()));
  }
  return static_cast<int>(items.size());
}

Result<int> Runtime::RunOnce() {
  if (link_secret_.empty()) {
    PLINTH_ASSIGN_OR_RETURN(link_secret_, LinkSecret(store_));
  }
  int total = 0;
  while (true) {  // a timer may schedule another that is due at once
    PLINTH_ASSIGN_OR_RETURN(int timers, RunDueWork(store_, clock_.NowMs()));
    total += timers;
    if (timers == 0) break;
  }
  while (true) {
    PLINTH_ASSIGN_OR_RETURN(int sent, SendDue(16));
    total += sent;
    if (sent == 0) break;
  }
  return total;
}

}  // namespace plinth::paging
