#pragma once
// An SLO as plinth stores it (the spec of the catalog kind SLO, validated by catalog/schema.cc
// with the parsers here) and as the engines and the domain use it.
//
//   apiVersion: plinth/v1
//   kind: SLO
//   metadata: {name: checkout-availability, title: Checkout availability}
//   spec:
//     service: checkout-api              # required: the catalog service it measures
//     description: …
//     objective: 0.999                   # required, in (0, 1)
//     window: 30d                        # rolling; or {calendar: month, count: 1,
//                                        #   timeZone: Europe/Berlin, start: "2026-01-01T00:00"}
//     budgetingMethod: occurrences       # occurrences (default) | timeslices | ratioTimeslices
//     timeslice: {length: 1m, target: 0.95}        # the timeslice methods only
//     indicator:                         # exactly one of:
//       ratio: {good: QUERY, total: QUERY}         #   or {bad: QUERY, total: QUERY}
//       latency: {metric: http_request_duration_seconds, selector: 'job="api"', threshold: 0.3}
//       pushed: {}                       #   counts pushed over the API or imported from CSV
//     dataSource: prometheus-main        # a DataSource; required for ratio and latency
//     alerting:                          # optional
//       minEvents: 100                   # low-traffic guard: events in the long window
//       noData: 10m                      # no-data alert after this long without data; 0m: off
//       budgetExhausted: true
//       windows:                         # the burn-rate rules, instead of the period's defaults
//         pageQuick: {budgetPercent: 2, shortWindow: 5m, longWindow: 1h}
//         pageSlow: {budgetPercent: 5, shortWindow: 30m, longWindow: 6h}
//         ticketQuick: {budgetPercent: 10, shortWindow: 2h, longWindow: 1d}
//         ticketSlow: {budgetPercent: 10, shortWindow: 6h, longWindow: 3d}
//     policy: Freeze non-urgent changes while the budget is exhausted.
//
// QUERY is PromQL of a per-second rate with Sloth's {{.window}} placeholder for the range, e.g.
// sum(rate(http_requests_total{job="api",code!~"5.."}[{{.window}}])).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "slo/budget.h"
#include "slo/burn.h"

namespace plinth::slo {

struct Indicator {
  enum Kind { kRatio, kLatency, kPushed };
  Kind kind = kPushed;
  std::string good, bad, total;  // kRatio: good or bad, and total
  std::string metric;            // kLatency: histogram name without _bucket/_count
  std::string selector;          // kLatency: label matchers without braces, may be empty
  double threshold_s = 0;        // kLatency: a bucket boundary (le) in seconds

  // PromQL rates over {{.window}} of the bad (error) events and of all events.
  // REQUIRES: kind != kPushed.
  std::string ErrorQuery() const;
  std::string TotalQuery() const;
};

struct SloDefinition {
  std::string name;
  std::string title;
  std::string service;
  std::string description;
  std::string data_source;  // empty for pushed indicators
  std::string policy;       // the error-budget policy, for people
  SloParams params;
  Indicator indicator;
  AlertPolicy alerting;
};

// The definition of a canonical SLO document (as stored by the catalog). Assumes it is valid.
SloDefinition FromDocument(const Json& doc);

// "2026-01-01T00:00" (or with a space) -> local seconds (wall time, no zone); nullopt otherwise.
std::optional<int64_t> ParseLocalDateTime(std::string_view text);

// Formats a double as PromQL/YAML writes it: 0.3, 1, 2.5.
std::string FormatNumber(double v);

}  // namespace plinth::slo
