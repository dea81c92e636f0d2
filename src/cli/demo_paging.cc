#include "cli/demo_paging.h"

#include <algorithm>
#include <string>

#include "base/crypto.h"
#include "catalog/repository.h"
#include "cli/demo_paging_stories.h"
#include "oncall/oncall.h"

namespace plinth::cli {

namespace {

using demo_paging::kDay;
using demo_paging::kDays;
using demo_paging::kMinute;
using demo_paging::kSecond;
using demo_paging::Rng;
using demo_paging::Story;
using demo_paging::Svc;
using demo_paging::World;

// created_by of the demo's integrations, so a refresh replaces them and nothing else.
constexpr const char* kDemoActor = "plinth demo";

std::string NameOf(const Json& doc) { return doc["metadata"]["name"].get<std::string>(); }

const char* const kWeekdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday"};

Result<World> LoadWorld(store::Tx& tx, int64_t now) {
  World w;
  w.now = now;
  PLINTH_ASSIGN_OR_RETURN(auto schedules, oncall::LoadSchedules(tx));
  for (const auto& s : schedules) {
    PLINTH_ASSIGN_OR_RETURN(auto r,
                            oncall::Final(tx, s.model.name, now - (kDays + 1) * kDay, now + kDay));
    w.finals[s.model.name] = std::move(r.final);
    w.schedule_zone[s.model.name] = s.model.time_zone;
  }
  PLINTH_ASSIGN_OR_RETURN(auto teams, catalog::All(tx, "Team"));
  for (const auto& t : teams) {
    for (const auto& m : t.doc["spec"].value("members", Json::array())) {
      w.members[t.name].push_back(m.get<std::string>());
    }
  }
  PLINTH_ASSIGN_OR_RETURN(auto people, oncall::LoadPeople(tx));
  for (const auto& p : people) w.zone_of[p.name] = p.time_zone;
  PLINTH_ASSIGN_OR_RETURN(auto policies, catalog::All(tx, "EscalationPolicy"));
  for (const auto& p : policies) {
    PLINTH_ASSIGN_OR_RETURN(w.policies[p.name], escalation::PolicyFromSpec(
                                                    p.name, p.doc.value("spec", Json::object())));
  }
  PLINTH_ASSIGN_OR_RETURN(auto services, catalog::All(tx, "Service"));
  for (const auto& e : services) {
    const Json& spec = e.doc["spec"];
    PLINTH_ASSIGN_OR_RETURN(auto paging, escalation::ServicePagingFromSpec(spec));
    if (!paging || !w.policies.count(paging->policy)) continue;
    Svc s;
    s.name = e.name;
    s.team = spec.value("owner", "");
    s.type = spec.value("type", "service");
    s.tier = spec.value("tier", 4);
    s.paging = *paging;
    w.services[s.name] = std::move(s);
  }
  return w;
}

// --- rows ------------------------------------------------------------------------------------

struct Rows {
  std::vector<store::Params> incidents, alerts, pages, log;
};

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// Walks the incident through its policy as the paging engine would (escalation::Fire level by
// level until acknowledged or resolved) and writes its rows.
void Materialize(const World& w, const Story& st, int64_t number, Rng& rng, Rows& rows) {
  const Svc& s = *st.svc;
  const escalation::Policy& policy = w.policies.at(s.paging.policy);
  const int64_t created = st.alerts[0].at;
  const std::string id = "inc_" + rng.Hex();
  const std::string actor = "source:" + st.integration;
  const std::string urgency =
      escalation::UrgencyOf(s.paging, st.alerts[0].severity, created) == escalation::Urgency::kHigh
          ? "high"
          : "low";
  const std::string title = st.alerts[0].summary;
  struct Entry {
    int64_t at;
    std::string kind, actor, detail;
  };
  std::vector<Entry> log = {{created, "triggered", actor, urgency + " urgency: " + title}};
  for (size_t i = 1; i < st.alerts.size(); ++i) {
    log.push_back({st.alerts[i].at, "alert", actor, st.alerts[i].summary});
  }

  int64_t stop = std::min({st.ack_ms.value_or(w.now), st.resolve_ms.value_or(w.now), w.now});
  escalation::Position pos;
  int64_t at = created;
  int level = 0, loop = 0;
  std::vector<std::string> assignees, first_paged;
  for (int guard = 0; guard < 64; ++guard) {
    auto step = escalation::Fire(policy, pos, at);
    if (!step) {
      log.push_back(
          {at, "escalation ended", "", "no level of the escalation policy is left to notify"});
      break;
    }
    std::vector<std::pair<std::string, std::string>> people;  // person, schedule
    auto add = [&](const std::string& person, const std::string& schedule) {
      for (const auto& p : people) {
        if (p.first == person) return;
      }
      people.emplace_back(person, schedule);
    };
    for (const auto& t : step->level->targets) {
      using K = escalation::Target::Kind;
      if (t.kind == K::kPerson) {
        add(t.name, "");
      } else if (t.kind == K::kSchedule) {
        if (std::string p = w.OnCall(t.name, at); !p.empty()) add(p, t.name);
      } else if (auto m = w.members.find(t.name); m != w.members.end()) {
        for (const auto& p : m->second) add(p, "");
      }
    }
    level = step->at.level;
    loop = step->at.loop;
    assignees.clear();
    for (const auto& [person, schedule] : people) {
      assignees.push_back(person);
      rows.pages.push_back({"pg_" + rng.Hex(), id, person, at, level, loop, schedule});
    }
    if (first_paged.empty()) first_paged = assignees;
    std::string detail = "level " + std::to_string(level + 1);
    if (loop > 0) detail += ", pass " + std::to_string(loop + 1);
    detail += ": " + (assignees.empty() ? std::string("nobody to notify") : Join(assignees, ", "));
    log.push_back({at, "escalated", "", detail});
    if (!step->next || step->next_at_ms >= stop) break;
    pos = *step->next;
    at = step->next_at_ms;
  }

  // Who responds: the first person paged, or after an escalation now and then someone else.
  const auto& team = w.members.count(s.team) ? w.members.at(s.team) : std::vector<std::string>{};
  std::string responder = !first_paged.empty() ? first_paged[0] : !team.empty() ? team[0] : "";
  if ((level > 0 || loop > 0) && assignees.size() > 1 && rng.Unit() < 0.5) {
    responder = assignees[rng.Below(assignees.size())];
  }
  if (st.ack_ms) log.push_back({*st.ack_ms, "acknowledged", responder, ""});
  std::string resolved_by;
  if (st.resolve_ms) {
    resolved_by = st.resolver == "source"    ? actor
                  : st.resolver == "timeout" ? std::string("timeout")
                                             : responder;
    std::string verdict;
    if (st.resolver == "person" && st.verdict >= 0) {
      verdict = st.verdict ? "actionable" : "not actionable";
    }
    log.push_back({*st.resolve_ms, "resolved", resolved_by, verdict});
  }
  std::stable_sort(log.begin(), log.end(),
                   [](const Entry& a, const Entry& b) { return a.at < b.at; });
  for (size_t i = 0; i < log.size(); ++i) {
    rows.log.push_back({id, log[i].at, int64_t(i + 1), log[i].kind, log[i].actor, log[i].detail});
  }

  const std::string integration_id = st.integration == "prometheus"   ? s.prometheus
                                     : st.integration == "synthetics" ? s.synthetics
                                                                      : st.integration;
  const char* status = st.resolve_ms ? "resolved" : "triggered";
  for (const auto& a : st.alerts) {
    rows.alerts.push_back({"alt_" + rng.Hex(), id, integration_id, s.name,
                           a.dedup.empty() ? rng.Hex() + rng.Hex() : a.dedup, status, a.summary,
                           a.source, a.severity, a.klass, a.at, st.resolve_ms.value_or(a.at),
                           st.resolve_ms});
  }
  Json assigned = Json::array();
  for (const auto& a : assignees) assigned.push_back(a);
  rows.incidents.push_back(
      {id,
       number,
       s.name,
       title,
       urgency,
       st.resolve_ms ? "resolved"
       : st.ack_ms   ? "acknowledged"
                     : "triggered",
       st.group_key.empty() ? st.alerts[0].dedup : st.group_key,
       escalation::PolicyToJson(policy).dump(),
       level,
       loop,
       int64_t(st.ack_ms ? 1 : 0) + int64_t(st.resolve_ms ? 1 : 0),
       assigned.dump(),
       created,
       st.alerts.back().at,
       st.ack_ms,
       st.ack_ms ? store::Value(responder) : store::Value(),
       st.resolve_ms,
       st.resolve_ms ? store::Value(resolved_by) : store::Value(),
       st.resolve_ms && st.verdict >= 0 ? store::Value(st.verdict) : store::Value(),
       int64_t(st.alerts.size())});
}

// INSERTs of many rows at once (at most ~900 parameters each, SQLite's old limit being 999).
Status InsertRows(store::Tx& tx, const std::string& table, const std::vector<std::string>& columns,
                  const std::vector<store::Params>& rows) {
  const size_t per = std::max<size_t>(1, 900 / columns.size());
  std::string one = "(";
  for (size_t i = 0; i < columns.size(); ++i) one += i ? ", ?" : "?";
  one += ")";
  for (size_t i = 0; i < rows.size(); i += per) {
    std::string sql = "INSERT INTO " + table + " (" + Join(columns, ", ") + ") VALUES ";
    store::Params params;
    for (size_t j = i; j < std::min(rows.size(), i + per); ++j) {
      sql += (j > i ? ", " : "") + one;
      params.insert(params.end(), rows[j].begin(), rows[j].end());
    }
    PLINTH_RETURN_IF_ERROR(tx.Exec(sql, params));
  }
  return {};
}

}  // namespace

std::vector<Json> DemoEscalationPolicies(const std::vector<Json>& teams) {
  std::vector<Json> out;
  for (const auto& t : teams) {
    std::string team = NameOf(t);
    Json levels = Json::array();
    levels.push_back(
        {{"escalateAfter", "15m"}, {"targets", Json::array({{{"schedule", team + "-primary"}}})}});
    if (team == "platform") {
      levels.push_back({{"escalateAfter", "15m"},
                        {"targets", Json::array({{{"schedule", "incident-commander"}}})}});
    }
    levels.push_back({{"escalateAfter", "30m"}, {"targets", Json::array({{{"team", team}}})}});
    std::string title = t["metadata"].value("title", team);
    out.push_back({{"apiVersion", "plinth/v1"},
                   {"kind", "EscalationPolicy"},
                   {"metadata", {{"name", team + "-default"}, {"title", title + " escalation"}}},
                   {"spec", {{"owner", team}, {"repeat", 1}, {"levels", std::move(levels)}}}});
  }
  return out;
}

void AddDemoPaging(std::vector<Json>& services, std::vector<Json>& people) {
  for (auto& s : services) {
    Json& spec = s["spec"];
    int tier = spec.value("tier", 4);
    if (tier > 2) continue;
    Json paging = {{"escalationPolicy", spec.value("owner", "") + "-default"},
                   {"urgency", "severity"}};
    if (tier == 1) {
      paging["groupingWindow"] = "5m";
    } else {
      paging["autoResolveTimeout"] = "4h";
    }
    if (NameOf(s) == "payouts") {  // settlement runs in office hours; nights can wait
      paging["supportHours"] = {{"timeZone", "Europe/Berlin"},
                                {"days", Json(kWeekdays)},
                                {"start", "08:00"},
                                {"end", "20:00"}};
    }
    spec["paging"] = std::move(paging);
  }
  for (auto& p : people) {
    bool sms = false;
    for (const auto& m : p["spec"].value("contactMethods", Json::array())) {
      sms = sms || m.value("type", "") == "sms";
    }
    if (!sms) continue;
    p["spec"]["notificationRules"] = Json::array(
        {{{"after", "0m"}, {"contactTypes", Json::array({"slack", "email"})}},
         {{"after", "5m"}, {"contactTypes", Json::array({"sms"})}, {"urgency", "high"}}});
  }
}

Result<DemoPagingData> WriteDemoPagingData(store::Tx& tx, int64_t now_ms, uint64_t seed) {
  for (const char* table : {"paging_alerts", "paging_incident_log", "paging_pages",
                            "notify_deliveries", "work_items", "paging_incidents"}) {
    PLINTH_RETURN_IF_ERROR(tx.Exec(std::string("DELETE FROM ") + table));
  }
  PLINTH_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM paging_integrations WHERE created_by = ?", {kDemoActor}));

  PLINTH_ASSIGN_OR_RETURN(World w, LoadWorld(tx, now_ms / kSecond * kSecond));
  Rng rng(seed ^ 0x7061676967ULL ^ static_cast<uint64_t>(w.now / kMinute));
  DemoPagingData data;

  // Integrations: their keys are never shown (the demo's users create their own).
  std::vector<store::Params> integrations;
  for (auto& [name, s] : w.services) {
    for (const char* kind : {"prometheus", "synthetics"}) {
      if (std::string(kind) == "synthetics" && s.tier != 1) continue;
      std::string id = "int_" + rng.Hex();
      std::string key = rng.Hex() + rng.Hex();
      (std::string(kind) == "prometheus" ? s.prometheus : s.synthetics) = id;
      integrations.push_back({id, name,
                              std::string(kind) == "prometheus" ? "alertmanager" : "events-v2",
                              kind, Sha256Hex(key), key.substr(key.size() - 4), "{}", kDemoActor,
                              w.now - (kDays + 30) * kDay});
    }
  }
  PLINTH_RETURN_IF_ERROR(InsertRows(tx, "paging_integrations",
                                    {"id", "service", "type", "name", "key_hash", "key_hint",
                                     "mapping", "created_by", "created_ms"},
                                    integrations));
  data.integrations = int64_t(integrations.size());

  PLINTH_ASSIGN_OR_RETURN(auto stories, demo_paging::Stories(tx, w, rng));

  Rows rows;
  for (size_t i = 0; i < stories.size(); ++i) {
    Materialize(w, stories[i], int64_t(i + 1), rng, rows);
  }
  PLINTH_RETURN_IF_ERROR(InsertRows(
      tx, "paging_incidents", {"id",          "number",        "service",         "title",
                               "urgency",     "status",        "group_key",       "policy",
                               "level",       "loop_index",    "epoch",           "assignees",
                               "created_ms",  "last_alert_ms", "acknowledged_ms", "acknowledged_by",
                               "resolved_ms", "resolved_by",   "actionable",      "alert_count"},
      rows.incidents));
  PLINTH_RETURN_IF_ERROR(InsertRows(
      tx, "paging_alerts",
      {"id", "incident_id", "integration_id", "service", "dedup_key", "status", "summary", "source",
       "severity", "class", "created_ms", "updated_ms", "resolved_ms"},
      rows.alerts));
  PLINTH_RETURN_IF_ERROR(InsertRows(
      tx, "paging_pages",
      {"id", "incident_id", "person", "at_ms", "level", "loop_index", "schedule"}, rows.pages));
  PLINTH_RETURN_IF_ERROR(InsertRows(tx, "paging_incident_log",
                                    {"incident_id", "at_ms", "seq", "kind", "actor", "detail"},
                                    rows.log));
  PLINTH_RETURN_IF_ERROR(tx.Exec("UPDATE paging_counters SET value = ? WHERE name = 'incident'",
                                 {int64_t(stories.size())}));
  data.incidents = int64_t(rows.incidents.size());
  data.alerts = int64_t(rows.alerts.size());
  data.pages = int64_t(rows.pages.size());
  return data;
}

}  // namespace plinth::cli
