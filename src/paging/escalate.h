#pragma once
// Durable timers (work_items) and the escalation step they drive. A timer is a row with a due
// time; RunDueWork claims due rows in a write transaction (FOR UPDATE SKIP LOCKED on
// PostgreSQL, so replicas take different rows), performs each and deletes it in that same
// transaction: a timer fires once, not zero times nor twice, whichever replica runs it and
// whether or not one dies mid-way.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "escalation/policy.h"
#include "paging/incidents.h"
#include "store/store.h"

namespace plinth::paging {

// Timer kinds.
inline constexpr std::string_view kEscalate = "escalate";          // payload {level, loop}
inline constexpr std::string_view kAckTimeout = "ack-timeout";     // re-triggers
inline constexpr std::string_view kUnsnooze = "unsnooze";          // re-triggers
inline constexpr std::string_view kAutoResolve = "auto-resolve";   // resolves; any epoch

Status ScheduleWork(store::Tx& tx, std::string_view kind, std::string_view incident_id,
                    int epoch, int64_t due_ms, const Json& payload = Json::object());
// Drops the incident's timers: every one with `all`, else all but auto-resolve.
Status CancelWork(store::Tx& tx, std::string_view incident_id, bool all = false);
// An escalate timer for `inc` at its current epoch, firing `from` at due_ms.
Status ScheduleEscalation(store::Tx& tx, const Incident& inc, escalation::Position from,
                          int64_t due_ms);

// Performs up to `limit` timers due at now_ms; returns how many it took. A timer whose action
// fails with a bad-input error (say, a policy snapshot that no longer parses) is dropped with a
// log line rather than retried forever; a database error rolls the batch back for a later try.
Result<int> RunDueWork(store::Store& store, int64_t now_ms, int limit = 100);
// The earliest due time of any timer, or nullopt.
Result<std::optional<int64_t>> NextWorkDue(store::Store& store);

// Fires the escalation level reached from `from` at now_ms: pages its people, records the
// step, and schedules the next one.
Status Escalate(store::Tx& tx, const Incident& inc, escalation::Position from, int64_t now_ms);

// Pages one person for the incident: a page row and their notifications by their rules and the
// incident's urgency (outbox rows due now and after each rule's delay). `schedule` is the
// schedule that made them the target, or "".
Status PagePerson(store::Tx& tx, const Incident& inc, std::string_view person,
                  std::string_view schedule, int64_t now_ms);

}  // namespace plinth::paging
