#pragma once
// Incoming events in the formats plinth accepts, parsed and validated into one shape: the
// PagerDuty Events API v2 (alert and change events), the Alertmanager webhook v4, and generic
// JSON mapped by an integration's field pointers. Pure functions: no database, no clock.
//
// Errors are kInvalid with one FieldError per problem (JSON pointer into the body), all of them
// at once; the PagerDuty routes render them as PagerDuty does ("payload.summary: ...").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace plinth::paging {

enum class Action { kTrigger, kAcknowledge, kResolve };
std::string_view ActionName(Action a);  // "trigger", ...

inline constexpr size_t kMaxEventBytes = 512 * 1024;  // PagerDuty's limit
inline constexpr size_t kMaxSummary = 1024;
inline constexpr size_t kMaxDedupKey = 255;

// One alert event. Fields other than action and dedup_key matter for triggers only.
struct AlertEvent {
  Action action = Action::kTrigger;
  std::string dedup_key;  // "" on a trigger: the intake assigns a new one
  std::string group_key;  // groups alerts into one incident; "" means the dedup key
  std::string summary, source, severity, component, group, klass;
  std::optional<int64_t> timestamp_ms;  // when the sender detected it
  Json details = Json::object();        // custom_details, links, images, client, labels, ...
};

struct ChangeEvent {
  std::string summary, source;
  std::optional<int64_t> timestamp_ms;
  Json details = Json::object();  // custom_details and links
};

// POST /v2/enqueue.
struct PagerDutyAlert {
  std::string routing_key;
  AlertEvent event;
};
Result<PagerDutyAlert> ParsePagerDutyEvent(const Json& body);

// POST /v2/change/enqueue.
struct PagerDutyChange {
  std::string routing_key;
  ChangeEvent event;
};
Result<PagerDutyChange> ParsePagerDutyChange(const Json& body);

// Alertmanager webhook v4: one event per alert; the dedup key is the alert's fingerprint (or
// its sorted labels when the sender leaves it out) and the group key Alertmanager's groupKey.
// Severity comes from the `severity` label when it is one of PagerDuty's four, else "critical"
// as Alertmanager's own PagerDuty receiver sends.
Result<std::vector<AlertEvent>> ParseAlertmanagerWebhook(const Json& body);

// Generic JSON: `mapping` names a JSON pointer per field ({"summary": "/title", "dedup_key":
// "/id", "action": "/state", "severity": "/level", "source": "/host"}); an action value of
// "resolved"/"ok"/"resolve" resolves, "acknowledge(d)" acknowledges, anything else triggers.
Result<AlertEvent> ParseGenericEvent(const Json& body, const Json& mapping);
// Checks a generic integration's mapping: an object of known fields to JSON pointers.
Status CheckGenericMapping(const Json& mapping);

}  // namespace plinth::paging
