#include "paging/queries.h"

#include "base/time.h"
#include "paging/incidents.h"
#include "paging/outbox.h"

namespace plinth::paging {

namespace {

Json ParsedOr(const std::string& text, Json fallback) {
  auto j = ParseJson(text);
  return j.ok() ? *j : fallback;
}

}  // namespace

Result<Json> ListIncidents(store::Tx& tx, const IncidentQuery& q) {
  if (!q.status.empty() && q.status != "open" && q.status != "triggered" &&
      q.status != "acknowledged" && q.status != "resolved") {
    return Error::Field("/status", "must be open, triggered, acknowledged or resolved (got \"" +
                                       q.status + "\")");
  }
  PLINTH_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT number FROM paging_incidents WHERE "
               "(? = '' OR (? = 'open' AND status <> 'resolved') OR status = ?) "
               "AND (? = '' OR service = ?) "
               "AND (? = '' OR service IN (SELECT name FROM catalog_entities WHERE kind = "
               "'Service' AND owner = ?)) "
               "AND number < ? ORDER BY number DESC LIMIT ?",
               {q.status, q.status, q.status, q.service, q.service, q.team, q.team,
                q.before.value_or(INT64_MAX), q.limit + 1}));
  Json items = Json::array();
  std::string next;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (static_cast<int>(i) == q.limit) {
      next = std::to_string(rows[i - 1].Int(0));
      break;
    }
    PLINTH_ASSIGN_OR_RETURN(Incident inc, GetIncident(tx, rows[i].Int(0)));
    items.push_back(inc.ToJson());
  }
  return Json{{"items", std::move(items)}, {"nextCursor", next}};
}

Result<Json> IncidentDetail(store::Tx& tx, int64_t number) {
  PLINTH_ASSIGN_OR_RETURN(Incident inc, GetIncident(tx, number));
  Json out = inc.ToJson();
  PLINTH_ASSIGN_OR_RETURN(
      auto alerts,
      tx.Query("SELECT a.id, a.dedup_key, a.status, a.summary, a.source, a.severity, "
               "a.component, a.group_name, a.class, a.details, a.event_count, a.created_ms, "
               "a.updated_ms, a.resolved_ms, i.name, i.type FROM paging_alerts a LEFT JOIN "
               "paging_integrations i ON i.id = a.integration_id WHERE a.incident_id = ? "
               "ORDER BY a.created_ms, a.id",
               {inc.id}));
  out["alerts"] = Json::array();
  for (const auto& r : alerts) {
    Json a = {{"id", r.Text(0)},
              {"dedupKey", r.Text(1)},
              {"status", r.Text(2)},
              {"summary", r.Text(3)},
              {"source", r.Text(4)},
              {"severity", r.Text(5)},
              {"details", ParsedOr(r.Text(9), Json::object())},
              {"eventCount", r.Int(10)},
              {"createdAt", FormatRfc3339(r.Int(11))},
              {"updatedAt", FormatRfc3339(r.Int(12))},
              {"integration", r.Text(14)},
              {"integrationType", r.Text(15)}};
    if (!r.Text(6).empty()) a["component"] = r.Text(6);
    if (!r.Text(7).empty()) a["group"] = r.Text(7);
    if (!r.Text(8).empty()) a["class"] = r.Text(8);
    if (auto t = r.OptInt(13)) a["resolvedAt"] = FormatRfc3339(*t);
    out["alerts"].push_back(std::move(a));
  }
  PLINTH_ASSIGN_OR_RETURN(auto log, tx.Query("SELECT at_ms, kind, actor, detail FROM "
                                             "paging_incident_log WHERE incident_id = ? "
                                             "ORDER BY seq",
                                             {inc.id}));
  out["log"] = Json::array();
  for (const auto& r : log) {
    out["log"].push_back({{"at", FormatRfc3339(r.Int(0))},
                          {"kind", r.Text(1)},
                          {"actor", r.Text(2)},
                          {"detail", r.Text(3)}});
  }
  PLINTH_ASSIGN_OR_RETURN(auto pages, tx.Query("SELECT person, at_ms, level, loop_index, "
                                               "schedule FROM paging_pages WHERE incident_id "
                                               "= ? ORDER BY at_ms, id",
                                               {inc.id}));
  out["pages"] = Json::array();
  for (const auto& r : pages) {
    Json p = {{"person", r.Text(0)},
              {"at", FormatRfc3339(r.Int(1))},
              {"level", r.Int(2) + 1},
              {"loop", r.Int(3)}};
    if (!r.Text(4).empty()) p["schedule"] = r.Text(4);
    out["pages"].push_back(std::move(p));
  }
  PLINTH_ASSIGN_OR_RETURN(out["deliveries"], DeliveriesJson(tx, inc.id));
  return out;
}

Result<Json> ServiceChanges(store::Tx& tx, std::string_view service, int limit) {
  PLINTH_ASSIGN_OR_RETURN(auto rows,
                          tx.Query("SELECT id, at_ms, received_ms, summary, source, details "
                                   "FROM service_changes WHERE service = ? ORDER BY at_ms DESC, "
                                   "id LIMIT ?",
                                   {service, limit}));
  Json out = Json::array();
  for (const auto& r : rows) {
    out.push_back({{"id", r.Text(0)},
                   {"at", FormatRfc3339(r.Int(1))},
                   {"receivedAt", FormatRfc3339(r.Int(2))},
                   {"summary", r.Text(3)},
                   {"source", r.Text(4)},
                   {"details", ParsedOr(r.Text(5), Json::object())}});
  }
  return Json{{"items", std::move(out)}};
}

}  // namespace plinth::paging
