#pragma once
// Token-bucket rate limiting per key (an API token, a user, or a client address).
// Thread-safe.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace plinth::server {

class RateLimiter {
 public:
  // `per_second` tokens refill each second up to `burst`. per_second <= 0 disables limiting.
  RateLimiter(double per_second, double burst) : per_second_(per_second), burst_(burst) {}

  // Takes one token for `key` at `now_ms`. Returns 0 when allowed, else the whole seconds to
  // wait before a token is available (for Retry-After).
  int64_t Take(const std::string& key, int64_t now_ms);

 private:
  struct Bucket {
    double tokens;
    int64_t last_ms;
  };

  // Constant after construction
  const double per_second_;
  const double burst_;

  // Guarded by mu_
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace plinth::server
