#include "server/metrics.h"

#include <cstdio>

namespace plinth::server {

namespace {

constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                               0.05,   0.1,   0.25,   0.5,   1,    2.5};

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Metrics::RecordRequest(const std::string& method, const std::string& route, int status,
                            double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  requests_[{method, route, status}]++;
  Histogram& h = latency_[{method, route}];
  if (h.buckets.empty()) h.buckets.assign(std::size(kBuckets), 0);
  for (size_t i = 0; i < std::size(kBuckets); ++i) {
    if (seconds <= kBuckets[i]) h.buckets[i]++;
  }
  h.sum += seconds;
  h.count++;
}

std::string Metrics::Render(const store::StoreStats& s) const {
  std::string out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    out += "# TYPE plinth_http_requests counter\n";
    out += "# HELP plinth_http_requests HTTP requests by method, route and status.\n";
    for (const auto& [key, n] : requests_) {
      const auto& [method, route, status] = key;
      out += "plinth_http_requests_total{method=\"" + method + "\",route=\"" + Escape(route) +
             "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
    }
    out += "# TYPE plinth_http_request_duration_seconds histogram\n";
    out += "# HELP plinth_http_request_duration_seconds HTTP request latency by route.\n";
    for (const auto& [key, h] : latency_) {
      const auto& [method, route] = key;
      std::string labels = "method=\"" + method + "\",route=\"" + Escape(route) + "\"";
      for (size_t i = 0; i < std::size(kBuckets); ++i) {
        out += "plinth_http_request_duration_seconds_bucket{" + labels + ",le=\"" +
               Num(kBuckets[i]) + "\"} " + std::to_string(h.buckets[i]) + "\n";
      }
      out += "plinth_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
             std::to_string(h.count) + "\n";
      out += "plinth_http_request_duration_seconds_sum{" + labels + "} " + Num(h.sum) + "\n";
      out += "plinth_http_request_duration_seconds_count{" + labels + "} " +
             std::to_string(h.count) + "\n";
    }
  }
  auto counter = [&](const char* name, const char* help, int64_t v) {
    out += std::string("# TYPE ") + name + " counter\n# HELP " + name + " " + help + "\n" +
           name + "_total " + std::to_string(v) + "\n";
  };
  counter("plinth_store_transactions", "Store transactions started.", s.transactions.load());
  counter("plinth_store_rollbacks", "Store transactions rolled back.", s.rollbacks.load());
  counter("plinth_store_statements", "SQL statements executed.", s.statements.load());
  counter("plinth_store_errors", "SQL statements that failed.", s.errors.load());
  out += "# TYPE plinth_store_pool_wait_seconds counter\n"
         "# HELP plinth_store_pool_wait_seconds Time spent waiting for a database connection.\n"
         "plinth_store_pool_wait_seconds_total " +
         Num(s.wait_ms.load() / 1000.0) + "\n";
  out += "# EOF\n";
  return out;
}

}  // namespace plinth::server
