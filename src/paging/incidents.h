#pragma once
// Alerts and incidents: what an event does (PagerDuty's dedup rules), grouping alerts into
// incidents, urgency, and the incident actions — acknowledge, resolve, snooze, reassign — that
// responders, senders and timers take. Escalation steps and the timers themselves are in
// escalate.h; the notification outbox in outbox.h.
//
// Every function runs inside the caller's write transaction, so an event, its incident, its
// timeline entries, its timers and its notifications commit together or not at all. Times come
// from the caller; nothing here reads a clock.
//
// Incident states: triggered -> acknowledged -> resolved; acknowledged -> triggered again on the
// acknowledgement timeout, at the end of a snooze, or on reassignment. Each change that stops or
// restarts escalation bumps the incident's epoch; timers of an older epoch do nothing.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "paging/events.h"
#include "paging/integrations.h"
#include "store/store.h"

namespace plinth::paging {

// What an event did, for the sender's response and the tests.
struct EventOutcome {
  std::string dedup_key;    // the alert's key (generated for a trigger without one)
  std::string result;       // "created" | "grouped" | "deduplicated" | "acknowledged" |
                            // "resolved" | "dropped" (nothing open with that key)
  std::string incident_id;  // "" when dropped
  int64_t incident_number = 0;
};

// Applies one alert event from `in` at now_ms.
Result<EventOutcome> ApplyAlertEvent(store::Tx& tx, const Integration& in, AlertEvent event,
                                     int64_t now_ms);

// The open alerts of integration `integration_id` as dedup key -> service.
Result<std::map<std::string, std::string>> OpenAlertKeys(store::Tx& tx,
                                                         std::string_view integration_id);

// Records a change event on the integration's service; returns the change id.
Result<std::string> RecordChange(store::Tx& tx, const Integration& in, const ChangeEvent& event,
                                 int64_t now_ms);

// An incident as stored.
struct Incident {
  std::string id;
  int64_t number = 0;
  std::string service, title, urgency, status, group_key;
  Json policy;  // the escalation policy snapshot; null when the service had none
  int level = 0, loop = 0, epoch = 0;
  Json assignees = Json::array();
  int64_t created_ms = 0, last_alert_ms = 0;
  std::optional<int64_t> acknowledged_ms, resolved_ms, snoozed_until_ms;
  std::string acknowledged_by, resolved_by;
  std::optional<bool> actionable;
  int64_t alert_count = 0;

  Json ToJson() const;
};

// By number; kNotFound naming it. With `lock`, the row is locked for the transaction (FOR UPDATE
// on PostgreSQL; SQLite's write transaction already is exclusive).
Result<Incident> GetIncident(store::Tx& tx, int64_t number, bool lock = false);
Result<Incident> GetIncidentById(store::Tx& tx, std::string_view id, bool lock = false);

// Responder actions. `actor` is a person or user name, "source:<integration>" for an event, or
// "timeout". Acknowledging an acknowledged incident, or resolving a resolved one, changes
// nothing and is not an error.
Status Acknowledge(store::Tx& tx, const Incident& incident, std::string_view actor,
                   int64_t now_ms);
// `actionable`: the responder's verdict for alert quality (nullopt: not given).
Status Resolve(store::Tx& tx, const Incident& incident, std::string_view actor, int64_t now_ms,
               std::optional<bool> actionable = std::nullopt);
// Acknowledges and re-triggers at `until_ms`. kConflict on a resolved incident.
Status Snooze(store::Tx& tx, const Incident& incident, std::string_view actor, int64_t until_ms,
              int64_t now_ms);
// Pages `person` now; escalation restarts at the policy's first level after that level's delay.
// kConflict on a resolved incident; kNotFound for an unknown person.
Status Reassign(store::Tx& tx, const Incident& incident, std::string_view actor,
                std::string_view person, int64_t now_ms);
// Back to triggered and escalation from the first level now (acknowledgement timeout, end of a
// snooze).
Status Retrigger(store::Tx& tx, const Incident& incident, std::string_view reason,
                 int64_t now_ms);

// Appends to the incident's timeline.
Status LogIncident(store::Tx& tx, std::string_view incident_id, int64_t at_ms,
                   std::string_view kind, std::string_view actor, std::string_view detail);

// " FOR UPDATE" on PostgreSQL, "" on SQLite.
const char* ForUpdate(const store::Tx& tx);

}  // namespace plinth::paging
