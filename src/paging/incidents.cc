#include "paging/incidents.h"

#include "base/crypto.h"
#include "base/time.h"
#include "catalog/repository.h"
#include "escalation/policy.h"
#include "escalation/paging.h"
#include "paging/escalate.h"

namespace plinth::paging {

namespace {

constexpr const char* kIncidentColumns =
    "id, number, service, title, urgency, status, group_key, policy, level, loop_index, epoch, "
    "assignees, created_ms, last_alert_ms, acknowledged_ms, acknowledged_by, resolved_ms, "
    "resolved_by, snoozed_until_ms, actionable, alert_count";

Incident IncidentFromRow(const store::Row& r) {
  Incident i;
  i.id = r.Text(0);
  i.number = r.Int(1);
  i.service = r.Text(2);
  i.title = r.Text(3);
  i.urgency = r.Text(4);
  i.status = r.Text(5);
  i.group_key = r.Text(6);
  auto policy = ParseJson(r.Text(7));
  i.policy = policy.ok() ? *policy : Json();
  i.level = static_cast<int>(r.Int(8));
  i.loop = static_cast<int>(r.Int(9));
  i.epoch = static_cast<int>(r.Int(10));
  auto assignees = ParseJson(r.Text(11));
  if (assignees.ok()) i.assignees = *assignees;
  i.created_ms = r.Int(12);
  i.last_alert_ms = r.Int(13);
  i.acknowledged_ms = r.OptInt(14);
  i.acknowledged_by = r.Text(15);
  i.resolved_ms = r.OptInt(16);
  i.resolved_by = r.Text(17);
  i.snoozed_until_ms = r.OptInt(18);
  if (auto a = r.OptInt(19)) i.actionable = *a != 0;
  i.alert_count = r.Int(20);
  return i;
}

Result<Incident> QueryIncident(store::Tx& tx, const char* column, const store::Value& key,
                               bool lock, const std::string& what) {
  PLINTH_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kIncidentColumns +
                                                    " FROM paging_incidents WHERE " + column +
                                                    " = ?" + (lock ? ForUpdate(tx) : ""),
                                                {key}));
  if (!row) return Error::NotFound("incident " + what + " does not exist");
  return IncidentFromRow(*row);
}

// The service's paging settings; nullopt when it has none (or no longer exists).
Result<std::optional<escalation::ServicePaging>> ServicePaging(store::Tx& tx,
                                                               std::string_view service) {
  auto entity = catalog::Get(tx, "Service", service);
  if (!entity.ok()) {
    if (entity.error().code == ErrorCode::kNotFound) {
      return std::optional<escalation::ServicePaging>();
    }
    return std::move(entity).error();
  }
  return escalation::ServicePagingFromSpec(entity->doc.value("spec", Json::object()));
}

// The policy snapshot for a new incident: null when the service names none (or it is gone).
Result<Json> PolicySnapshot(store::Tx& tx, const std::optional<escalation::ServicePaging>& p) {
  if (!p || p->policy.empty()) return Json();
  auto entity = catalog::Get(tx, "EscalationPolicy", p->policy);
  if (!entity.ok()) {
    if (entity.error().code == ErrorCode::kNotFound) return Json();
    return std::move(entity).error();
  }
  PLINTH_ASSIGN_OR_RETURN(auto policy, escalation::PolicyFromSpec(
                                           p->policy, entity->doc.value("spec", Json::object())));
  return escalation::PolicyToJson(policy);
}

Result<int64_t> NextIncidentNumber(store::Tx& tx) {
  PLINTH_ASSIGN_OR_RETURN(auto row,
                          tx.QueryOne("UPDATE paging_counters SET value = value + 1 "
                                      "WHERE name = 'incident' RETURNING value"));
  if (!row) return Error::Internal("paging_counters has no incident row");
  return row->Int(0);
}

// Opens an incident for a new alert, starts its escalation and its auto-resolve timer.
Result<Incident> OpenIncident(store::Tx& tx, const Integration& in, const AlertEvent& e,
                              const std::string& group_key,
                              const std::optional<escalation::ServicePaging>& paging,
                              int64_t now_ms) {
  Incident inc;
  inc.id = "inc_" + RandomHex(8);
  PLINTH_ASSIGN_OR_RETURN(inc.number, NextIncidentNumber(tx));
  inc.service = in.service;
  inc.title = e.summary;
  bool high = paging ? escalation::UrgencyOf(*paging, e.severity, now_ms) ==
                           escalation::Urgency::kHigh
                     : (e.severity == "critical" || e.severity == "error");
  inc.urgency = high ? "high" : "low";
  inc.status = "triggered";
  inc.group_key = group_key;
  PLINTH_ASSIGN_OR_RETURN(inc.policy, PolicySnapshot(tx, paging));
  inc.created_ms = inc.last_alert_ms = now_ms;
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO paging_incidents (id, number, service, title, urgency, status, group_key, "
      "policy, created_ms, last_alert_ms, alert_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
      {inc.id, inc.number, inc.service, inc.title, inc.urgency, inc.status, inc.group_key,
       inc.policy.is_null() ? std::string() : inc.policy.dump(), now_ms, now_ms}));
  PLINTH_RETURN_IF_ERROR(LogIncident(tx, inc.id, now_ms, "triggered", "source:" + in.name,
                                     inc.urgency + " urgency: " + inc.title));
  if (inc.policy.is_null()) {
    PLINTH_RETURN_IF_ERROR(LogIncident(tx, inc.id, now_ms, "unassigned", "",
                                       "service \"" + inc.service +
                                           "\" has no escalation policy: nobody is paged"));
  } else {
    PLINTH_RETURN_IF_ERROR(ScheduleEscalation(tx, inc, {0, 0}, now_ms));
  }
  if (paging && paging->auto_resolve_ms) {
    PLINTH_RETURN_IF_ERROR(
        ScheduleWork(tx, kAutoResolve, inc.id, inc.epoch, now_ms + *paging->auto_resolve_ms));
  }
  return inc;
}

// The open incident a new alert joins: the one with its group key, else (with a grouping
// window) the service's newest opened within the window.
Result<std::optional<std::string>> GroupInto(store::Tx& tx, const std::string& service,
                                             const std::string& group_key, int64_t window_ms,
                                             int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM paging_incidents WHERE service = "
                                                "? AND status <> 'resolved' AND group_key = ? "
                                                "ORDER BY created_ms DESC LIMIT 1",
                                                {service, group_key}));
  if (!row && window_ms > 0) {
    PLINTH_ASSIGN_OR_RETURN(row, tx.QueryOne("SELECT id FROM paging_incidents WHERE service = ? "
                                             "AND status <> 'resolved' AND created_ms >= ? "
                                             "ORDER BY created_ms DESC LIMIT 1",
                                             {service, now_ms - window_ms}));
  }
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->Text(0));
}

Json AlertDetails(const AlertEvent& e) {
  Json d = e.details;
  if (e.timestamp_ms) d["timestamp"] = FormatRfc3339(*e.timestamp_ms);
  return d;
}

Result<EventOutcome> Trigger(store::Tx& tx, const Integration& in, AlertEvent& e,
                             int64_t now_ms) {
  EventOutcome out;
  if (e.dedup_key.empty()) e.dedup_key = RandomHex(16);
  out.dedup_key = e.dedup_key;
  PLINTH_ASSIGN_OR_RETURN(
      auto open, tx.QueryOne("SELECT a.id, a.incident_id, i.number FROM paging_alerts a JOIN "
                             "paging_incidents i ON i.id = a.incident_id WHERE "
                             "a.integration_id = ? AND a.dedup_key = ? AND a.status <> 'resolved'",
                             {in.id, e.dedup_key}));
  if (open) {
    PLINTH_RETURN_IF_ERROR(tx.Exec(
        "UPDATE paging_alerts SET summary = ?, source = ?, severity = ?, details = ?, "
        "event_count = event_count + 1, updated_ms = ? WHERE id = ?",
        {e.summary, e.source, e.severity, AlertDetails(e).dump(), now_ms, open->Text(0)}));
    out.result = "deduplicated";
    out.incident_id = open->Text(1);
    out.incident_number = open->Int(2);
    return out;
  }
  PLINTH_ASSIGN_OR_RETURN(auto paging, ServicePaging(tx, in.service));
  std::string group_key = e.group_key.empty() ? e.dedup_key : e.group_key;
  PLINTH_ASSIGN_OR_RETURN(
      auto existing,
      GroupInto(tx, in.service, group_key, paging ? paging->grouping_window_ms : 0, now_ms));
  Incident inc;
  if (existing) {
    PLINTH_ASSIGN_OR_RETURN(inc, GetIncidentById(tx, *existing, true));
    out.result = "grouped";
  } else {
    PLINTH_ASSIGN_OR_RETURN(inc, OpenIncident(tx, in, e, group_key, paging, now_ms));
    out.result = "created";
  }
  std::string alert_id = "alt_" + RandomHex(8);
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO paging_alerts (id, incident_id, integration_id, service, dedup_key, status, "
      "summary, source, severity, component, group_name, class, details, created_ms, "
      "updated_ms) VALUES (?, ?, ?, ?, ?, 'triggered', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {alert_id, inc.id, in.id, in.service, e.dedup_key, e.summary, e.source, e.severity,
       e.component, e.group, e.klass, AlertDetails(e).dump(), now_ms, now_ms}));
  PLINTH_RETURN_IF_ERROR(tx.Exec("UPDATE paging_incidents SET alert_count = alert_count + 1, "
                                 "last_alert_ms = ? WHERE id = ?",
                                 {now_ms, inc.id}));
  if (existing) {
    PLINTH_RETURN_IF_ERROR(
        LogIncident(tx, inc.id, now_ms, "alert", "source:" + in.name, e.summary));
  }
  out.incident_id = inc.id;
  out.incident_number = inc.number;
  return out;
}

}  // namespace

const char* ForUpdate(const store::Tx& tx) {
  return tx.dialect() == store::Dialect::kPostgres ? " FOR UPDATE" : "";
}

Json Incident::ToJson() const {
  Json out = {{"id", id},
              {"number", number},
              {"service", service},
              {"title", title},
              {"urgency", urgency},
              {"status", status},
              {"createdAt", FormatRfc3339(created_ms)},
              {"lastAlertAt", FormatRfc3339(last_alert_ms)},
              {"alertCount", alert_count},
              {"assignees", assignees},
              {"escalationPolicy", policy.is_null() ? Json() : policy.value("name", Json())},
              {"level", level + 1},
              {"loop", loop}};
  if (acknowledged_ms) {
    out["acknowledgedAt"] = FormatRfc3339(*acknowledged_ms);
    out["acknowledgedBy"] = acknowledged_by;
  }
  if (resolved_ms) {
    out["resolvedAt"] = FormatRfc3339(*resolved_ms);
    out["resolvedBy"] = resolved_by;
  }
  if (snoozed_until_ms) out["snoozedUntil"] = FormatRfc3339(*snoozed_until_ms);
  if (actionable) out["actionable"] = *actionable;
  return out;
}

Result<Incident> GetIncident(store::Tx& tx, int64_t number, bool lock) {
  return QueryIncident(tx, "number", number, lock, "#" + std::to_string(number));
}

Result<Incident> GetIncidentById(store::Tx& tx, std::string_view id, bool lock) {
  return QueryIncident(tx, "id", id, lock, "\"" + std::string(id) + "\"");
}

Status LogIncident(store::Tx& tx, std::string_view incident_id, int64_t at_ms,
                   std::string_view kind, std::string_view actor, std::string_view detail) {
  PLINTH_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO paging_incident_log (incident_id, at_ms, seq, kind, actor, detail) "
              "SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM paging_incident_log "
              "WHERE incident_id = ?",
              {incident_id, at_ms, kind, actor, detail, incident_id}));
  return {};
}

Result<EventOutcome> ApplyAlertEvent(store::Tx& tx, const Integration& in, AlertEvent event,
                                     int64_t now_ms) {
  if (event.action == Action::kTrigger) return Trigger(tx, in, event, now_ms);
  EventOutcome out;
  out.dedup_key = event.dedup_key;
  PLINTH_ASSIGN_OR_RETURN(
      auto open, tx.QueryOne("SELECT id, incident_id, status FROM paging_alerts WHERE "
                             "integration_id = ? AND dedup_key = ? AND status <> 'resolved'",
                             {in.id, event.dedup_key}));
  if (!open) {
    out.result = "dropped";
    return out;
  }
  PLINTH_ASSIGN_OR_RETURN(Incident inc, GetIncidentById(tx, open->Text(1), true));
  out.incident_id = inc.id;
  out.incident_number = inc.number;
  std::string actor = "source:" + in.name;
  if (event.action == Action::kAcknowledge) {
    PLINTH_RETURN_IF_ERROR(tx.Exec(
        "UPDATE paging_alerts SET status = 'acknowledged', updated_ms = ? WHERE id = ?",
        {now_ms, open->Text(0)}));
    PLINTH_RETURN_IF_ERROR(Acknowledge(tx, inc, actor, now_ms));
    out.result = "acknowledged";
    return out;
  }
  PLINTH_RETURN_IF_ERROR(tx.Exec("UPDATE paging_alerts SET status = 'resolved', updated_ms = ?, "
                                 "resolved_ms = ? WHERE id = ?",
                                 {now_ms, now_ms, open->Text(0)}));
  out.result = "resolved";
  PLINTH_ASSIGN_OR_RETURN(auto still_open,
                          tx.QueryOne("SELECT COUNT(*) FROM paging_alerts WHERE incident_id = ? "
                                      "AND status <> 'resolved'",
                                      {inc.id}));
  if (still_open && still_open->Int(0) > 0) {
    PLINTH_RETURN_IF_ERROR(LogIncident(tx, inc.id, now_ms, "alert resolved", actor, event.dedup_key));
    return out;
  }
  PLINTH_RETURN_IF_ERROR(Resolve(tx, inc, actor, now_ms));
  return out;
}

Result<std::map<std::string, std::string>> OpenAlertKeys(store::Tx& tx,
                                                         std::string_view integration_id) {
  PLINTH_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT dedup_key, service FROM paging_alerts "
                                              "WHERE integration_id = ? AND status <> "
                                              "'resolved'",
                                              {integration_id}));
  std::map<std::string, std::string> out;
  for (const auto& r : rows) out[r.Text(0)] = r.Text(1);
  return out;
}

Result<std::string> RecordChange(store::Tx& tx, const Integration& in, const ChangeEvent& event,
                                 int64_t now_ms) {
  std::string id = "chg_" + RandomHex(8);
  PLINTH_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO service_changes (id, service, integration_id, at_ms, received_ms, "
              "summary, source, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              {id, in.service, in.id, event.timestamp_ms.value_or(now_ms), now_ms, event.summary,
               event.source, event.details.dump()}));
  return id;
}

namespace {

// Stops escalation: a new epoch, the incident's timers dropped, pending notifications that only
// matter while triggered cancelled.
Status StopEscalation(store::Tx& tx, const Incident& inc) {
  PLINTH_RETURN_IF_ERROR(CancelWork(tx, inc.id));
  PLINTH_RETURN_IF_ERROR(
      tx.Exec("UPDATE notify_deliveries SET status = 'cancelled' WHERE incident_id = ? AND "
              "status = 'pending' AND only_if_triggered = 1",
              {inc.id}));
  PLINTH_RETURN_IF_ERROR(
      tx.Exec("UPDATE paging_incidents SET epoch = epoch + 1 WHERE id = ?", {inc.id}));
  return {};
}

}  // namespace

Status Acknowledge(store::Tx& tx, const Incident& inc, std::string_view actor, int64_t now_ms) {
  if (inc.status != "triggered") return {};
  PLINTH_RETURN_IF_ERROR(StopEscalation(tx, inc));
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "UPDATE paging_incidents SET status = 'acknowledged', acknowledged_ms = ?, "
      "acknowledged_by = ?, snoozed_until_ms = NULL WHERE id = ?",
      {now_ms, actor, inc.id}));
  PLINTH_RETURN_IF_ERROR(LogIncident(tx, inc.id, now_ms, "acknowledged", actor, ""));
  PLINTH_ASSIGN_OR_RETURN(auto paging, ServicePaging(tx, inc.service));
  if (paging && paging->ack_timeout_ms) {
    PLINTH_RETURN_IF_ERROR(ScheduleWork(tx, kAckTimeout, inc.id, inc.epoch + 1,
                                        now_ms + *paging->ack_timeout_ms));
  }
  return {};
}

Status Resolve(store::Tx& tx, const Incident& inc, std::string_view actor, int64_t now_ms,
               std::optional<bool> actionable) {
  if (inc.status == "resolved") {
    if (!actionable) return {};
    // A verdict given after the monitoring tool resolved it.
    PLINTH_RETURN_IF_ERROR(tx.Exec("UPDATE paging_incidents SET actionable = ? WHERE id = ?",
                                   {*actionable ? 1 : 0, inc.id}));
    return {};
  }
  PLINTH_RETURN_IF_ERROR(StopEscalation(tx, inc));
  PLINTH_RETURN_IF_ERROR(CancelWork(tx, inc.id, true));
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "UPDATE paging_incidents SET status = 'resolved', resolved_ms = ?, resolved_by = ?, "
      "snoozed_until_ms = NULL, actionable = ? WHERE id = ?",
      {now_ms, actor, actionable ? store::Value(*actionable ? 1 : 0) : store::Value(), inc.id}));
  PLINTH_RETURN_IF_ERROR(tx.Exec("UPDATE paging_alerts SET status = 'resolved', resolved_ms = ?, "
                                 "updated_ms = ? WHERE incident_id = ? AND status <> 'resolved'",
                                 {now_ms, now_ms, inc.id}));
  std::string verdict = !actionable ? "" : (*actionable ? "actionable" : "not actionable");
  return LogIncident(tx, inc.id, now_ms, "resolved", actor, verdict);
}

Status Snooze(store::Tx& tx, const Incident& inc, std::string_view actor, int64_t until_ms,
              int64_t now_ms) {
  if (inc.status == "resolved") {
    return Error::Conflict("incident #" + std::to_string(inc.number) + " is resolved");
  }
  if (until_ms <= now_ms) return Error::Field("/duration", "must be positive");
  PLINTH_RETURN_IF_ERROR(StopEscalation(tx, inc));
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "UPDATE paging_incidents SET status = 'acknowledged', acknowledged_ms = "
      "COALESCE(acknowledged_ms, ?), acknowledged_by = CASE WHEN acknowledged_by IS NULL THEN ? "
      "ELSE acknowledged_by END, snoozed_until_ms = ? WHERE id = ?",
      {now_ms, actor, until_ms, inc.id}));
  PLINTH_RETURN_IF_ERROR(ScheduleWork(tx, kUnsnooze, inc.id, inc.epoch + 1, until_ms));
  return LogIncident(tx, inc.id, now_ms, "snoozed", actor, "until " + FormatRfc3339(until_ms));
}

Status Reassign(store::Tx& tx, const Incident& inc, std::string_view actor,
                std::string_view person, int64_t now_ms) {
  if (inc.status == "resolved") {
    return Error::Conflict("incident #" + std::to_string(inc.number) + " is resolved");
  }
  auto who = catalog::Get(tx, "Person", person);
  if (!who.ok()) {
    if (who.error().code == ErrorCode::kNotFound) {
      return Error::Field("/person", "person \"" + std::string(person) + "\" does not exist");
    }
    return std::move(who).error();
  }
  PLINTH_RETURN_IF_ERROR(StopEscalation(tx, inc));
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "UPDATE paging_incidents SET status = 'triggered', snoozed_until_ms = NULL, level = 0, "
      "loop_index = 0, assignees = ? WHERE id = ?",
      {Json::array({person}).dump(), inc.id}));
  PLINTH_RETURN_IF_ERROR(
      LogIncident(tx, inc.id, now_ms, "reassigned", actor, "to " + std::string(person)));
  PLINTH_ASSIGN_OR_RETURN(Incident now, GetIncidentById(tx, inc.id));
  PLINTH_RETURN_IF_ERROR(PagePerson(tx, now, person, "", now_ms));
  if (!now.policy.is_null()) {
    PLINTH_ASSIGN_OR_RETURN(auto policy, escalation::PolicyFromSpec("", now.policy));
    PLINTH_RETURN_IF_ERROR(
        ScheduleEscalation(tx, now, {0, 0}, now_ms + policy.levels[0].escalate_after_ms));
  }
  return {};
}

Status Retrigger(store::Tx& tx, const Incident& inc, std::string_view reason, int64_t now_ms) {
  if (inc.status == "resolved") return {};
  PLINTH_RETURN_IF_ERROR(StopEscalation(tx, inc));
  PLINTH_RETURN_IF_ERROR(
      tx.Exec("UPDATE paging_incidents SET status = 'triggered', snoozed_until_ms = NULL, "
              "level = 0, loop_index = 0 WHERE id = ?",
              {inc.id}));
  PLINTH_RETURN_IF_ERROR(LogIncident(tx, inc.id, now_ms, "re-triggered", "", reason));
  PLINTH_ASSIGN_OR_RETURN(Incident now, GetIncidentById(tx, inc.id));
  if (now.policy.is_null()) return {};
  return ScheduleEscalation(tx, now, {0, 0}, now_ms);
}

}  // namespace plinth::paging
