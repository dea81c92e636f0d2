#include "server/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace plinth::server {

int64_t RateLimiter::Take(const std::string& key, int64_t now_ms) {
  if (per_second_ <= 0) return 0;
  std::lock_guard<std::mutex> lock(mu_);
  if (buckets_.size() > 100000) buckets_.clear();  // bound memory under address churn
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now_ms});
  Bucket& b = it->second;
  // Requests reach here out of arrival order (many threads): a time before the last one
  // refills nothing and must not move last_ms back, or that interval would refill twice.
  if (!inserted && now_ms > b.last_ms) {
    double elapsed_s = (now_ms - b.last_ms) / 1000.0;
    b.tokens = std::min(burst_, b.tokens + elapsed_s * per_second_);
    b.last_ms = now_ms;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return std::max<int64_t>(1, int64_t(std::ceil((1 - b.tokens) / per_second_)));
}

}  // namespace plinth::server
