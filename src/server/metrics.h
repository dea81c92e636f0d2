#pragma once
// plinth's own metrics, served at /metrics in the OpenMetrics text format: HTTP requests and
// latency by route, and store statistics. Thread-safe.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "store/store.h"

namespace plinth::server {

class Metrics {
 public:
  // Records one finished request. `route` is the route pattern, not the raw path, so the
  // number of series stays bounded.
  void RecordRequest(const std::string& method, const std::string& route, int status,
                     double seconds);
  std::string Render(const store::StoreStats& store_stats) const;

 private:
  struct Histogram {
    std::vector<int64_t> buckets;  // cumulative counts per kBuckets bound
    double sum = 0;
    int64_t count = 0;
  };
  using Key = std::tuple<std::string, std::string>;  // method, route

  // Guarded by mu_
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, int64_t> requests_;
  std::map<Key, Histogram> latency_;
};

}  // namespace plinth::server
