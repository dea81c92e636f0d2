#pragma once
// A small client for Prometheus's HTTP query API: range queries (GET /api/v1/query_range) that
// must return one series, as the SLO puller needs them. Failures are values whose message a
// person understands and that names the server: "Prometheus at http://prom:9090: connection
// refused", "... HTTP 503", "... bad_data: 1:5: parse error: ...", "... the query must return
// one series (got 3)".
//
// Abstract so it can be faked in tests; the real one is HttpPrometheus (cpp-httplib, HTTP or
// HTTPS with the system's CA certificates). Thread-safety: a PrometheusApi is used by one thread at
// a time.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace plinth::reliability {

// One sample of a range query's series. value may be NaN or ±Inf (Prometheus writes them as
// "NaN", "+Inf", "-Inf").
struct PromSample {
  int64_t time_s = 0;  // evaluation time, UTC seconds
  double value = 0;
};

class PrometheusApi {
 public:
  PrometheusApi() = default;
  PrometheusApi(const PrometheusApi&) = delete;
  PrometheusApi& operator=(const PrometheusApi&) = delete;
  virtual ~PrometheusApi() = default;

  // The one series of `query` evaluated at start_s, start_s + step_s, ..., up to end_s, by
  // time; the timestamps where it has no value are missing. An empty result (no series: e.g.
  // no counter matched the selector) is an empty vector, not an error. Several series are an
  // error. REQUIRES: start_s <= end_s, step_s > 0, at most 11,000 steps (Prometheus's limit).
  virtual Result<std::vector<PromSample>> QueryRange(std::string_view query, int64_t start_s,
                                                     int64_t end_s, int64_t step_s) = 0;
};

// Parses a query_range response body (status success, resultType matrix). `who` prefixes every
// message, e.g. "Prometheus at http://prom:9090". Exposed for tests.
Result<std::vector<PromSample>> ParseQueryRange(std::string_view body, std::string_view who);

// The real client. base_url is "http(s)://host[:port][/path prefix]".
class HttpPrometheus final : public PrometheusApi {
 public:
  // kInvalid for a URL that is not http(s)://host[:port][/path].
  // `timeout` bounds reading and writing; connecting takes at most min(timeout, 5 s).
  static Result<std::unique_ptr<HttpPrometheus>> Create(
      std::string_view base_url, std::chrono::milliseconds timeout = std::chrono::seconds(30));

  Result<std::vector<PromSample>> QueryRange(std::string_view query, int64_t start_s, int64_t end_s,
                                             int64_t step_s) override;

 private:
  HttpPrometheus(std::string base_url, std::string origin, std::string prefix,
                 std::chrono::milliseconds timeout)
      : base_url_(std::move(base_url)),
        origin_(std::move(origin)),
        prefix_(std::move(prefix)),
        timeout_(timeout) {}

  // Constant after construction.
  std::string base_url_;  // as configured, for messages
  std::string origin_;    // scheme://host[:port]
  std::string prefix_;    // path prefix without a trailing slash, may be empty
  std::chrono::milliseconds timeout_;
};

}  // namespace plinth::reliability
