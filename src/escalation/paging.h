#pragma once
// A service's paging settings (Service.spec.paging in the catalog) and the urgency of an alert.
// Pure; thread-safe.
//
//   paging:
//     escalationPolicy: payments-default   # required
//     urgency: severity            # high | low | severity (default): critical, error -> high;
//                                  #   warning, info -> low
//     supportHours: {...}          # optional Window (escalation/spec.h): outside, always low
//     acknowledgementTimeout: 30m  # optional: an acknowledged incident re-triggers after this
//     autoResolveTimeout: 4h       # optional: an incident open this long resolves itself
//     groupingWindow: 5m           # default 0s: a new alert joins the service's newest open
//                                  #   incident opened within this window

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "escalation/window.h"

namespace plinth::escalation {

enum class Urgency { kHigh, kLow };
const char* UrgencyName(Urgency u);                          // "high", "low"
std::optional<Urgency> ParseUrgency(std::string_view text);  // "high", "low"

struct ServicePaging {
  std::string policy;  // the EscalationPolicy's name
  enum class Rule { kHigh, kLow, kSeverity } urgency = Rule::kSeverity;
  std::optional<Window> support_hours;
  std::optional<int64_t> ack_timeout_ms;   // >= 1000 when set
  std::optional<int64_t> auto_resolve_ms;  // >= 1000 when set
  int64_t grouping_window_ms = 0;          // >= 0

  bool operator==(const ServicePaging&) const = default;
};

// The paging settings of a canonical Service spec; nullopt when it has no `paging`.
// Error::Field (pointer into the spec, e.g. "/paging/groupingWindow") when malformed.
Result<std::optional<ServicePaging>> ServicePagingFromSpec(const Json& canonical_service_spec);

// The urgency of an alert of `severity` (PagerDuty's critical, error, warning, info; anything
// else counts as high) arriving at now_ms: by the service's rule, then low outside the support
// hours, if the service has them.
Urgency UrgencyOf(const ServicePaging& s, std::string_view severity, int64_t now_ms);

}  // namespace plinth::escalation
