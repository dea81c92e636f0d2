#include "paging/escalate.h"

#include <algorithm>

#include "base/crypto.h"
#include "base/log.h"
#include "base/time.h"
#include "catalog/repository.h"
#include "escalation/notify_rules.h"
#include "escalation/paging.h"
#include "notify/notice.h"
#include "oncall/oncall.h"

namespace plinth::paging {

namespace {

// A person a level names, and the schedule that made them the target ("" when named directly
// or through a team).
struct Paged {
  std::string person;
  std::string schedule;
};

// The people behind a level's targets at now_ms, in target order, each once. `notes` collects
// what could not be resolved (a gap, a deleted schedule) for the timeline.
Result<std::vector<Paged>> Expand(store::Tx& tx, const escalation::Level& level, int64_t now_ms,
                                  std::vector<std::string>& notes) {
  std::vector<Paged> out;
  auto add = [&](const std::string& person, const std::string& schedule) {
    for (const auto& p : out) {
      if (p.person == person) return;
    }
    out.push_back({person, schedule});
  };
  for (const auto& t : level.targets) {
    using Kind = escalation::Target::Kind;
    if (t.kind == Kind::kPerson) {
      add(t.name, "");
    } else if (t.kind == Kind::kSchedule) {
      auto at = oncall::OnCallAt(tx, t.name, now_ms);
      if (!at.ok()) {
        if (at.error().code != ErrorCode::kNotFound) return std::move(at).error();
        notes.push_back("schedule \"" + t.name + "\" does not exist");
      } else if (at->shift.person.empty()) {
        notes.push_back("schedule \"" + t.name + "\" has nobody on call");
      } else {
        add(at->shift.person, t.name);
      }
    } else {
      auto team = catalog::Get(tx, "Team", t.name);
      if (!team.ok()) {
        if (team.error().code != ErrorCode::kNotFound) return std::move(team).error();
        notes.push_back("team \"" + t.name + "\" does not exist");
        continue;
      }
      Json members = team->doc["spec"].value("members", Json::array());
      if (members.empty()) notes.push_back("team \"" + t.name + "\" has no members");
      for (const auto& m : members) add(m.get<std::string>(), "");
    }
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

std::string SkipLocked(const store::Tx& tx) {
  return tx.dialect() == store::Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
}

// One timer, inside the claiming transaction.
Status Perform(store::Tx& tx, const store::Row& item, int64_t now_ms) {
  std::string kind = item.Text(1);
  auto found = GetIncidentById(tx, item.Text(2), true);
  if (!found.ok()) {
    return found.error().code == ErrorCode::kNotFound ? Status() : Status(found.error());
  }
  const Incident& inc = *found;
  if (kind == kAutoResolve) {
    if (inc.status == "resolved") return {};
    return Resolve(tx, inc, "timeout", now_ms);
  }
  if (item.Int(3) != inc.epoch) return {};  // escalation was stopped or restarted since
  if (kind == kEscalate) {
    if (inc.status != "triggered") return {};
    PLINTH_ASSIGN_OR_RETURN(Json payload, ParseJson(item.Text(4)));
    escalation::Position from{payload.value("level", 0), payload.value("loop", 0)};
    return Escalate(tx, inc, from, now_ms);
  }
  if (kind == kAckTimeout) {
    if (inc.status != "acknowledged") return {};
    return Retrigger(tx, inc, "not resolved within the acknowledgement timeout", now_ms);
  }
  if (kind == kUnsnooze) {
    if (inc.status != "acknowledged") return {};
    return Retrigger(tx, inc, "snooze ended", now_ms);
  }
  return Error::Invalid("unknown timer kind \"" + kind + "\"");
}

}  // namespace

Status ScheduleWork(store::Tx& tx, std::string_view kind, std::string_view incident_id,
                    int epoch, int64_t due_ms, const Json& payload) {
  PLINTH_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO work_items (id, kind, ref, epoch, due_ms, payload, created_ms) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)",
              {"wrk_" + RandomHex(8), kind, incident_id, epoch, due_ms, payload.dump(), due_ms}));
  return {};
}

Status CancelWork(store::Tx& tx, std::string_view incident_id, bool all) {
  PLINTH_RETURN_IF_ERROR(tx.Exec("DELETE FROM work_items WHERE ref = ? AND (? = 1 OR kind <> ?)",
                                 {incident_id, all ? 1 : 0, kAutoResolve}));
  return {};
}

Status ScheduleEscalation(store::Tx& tx, const Incident& inc, escalation::Position from,
                          int64_t due_ms) {
  return ScheduleWork(tx, kEscalate, inc.id, inc.epoch, due_ms,
                      {{"level", from.level}, {"loop", from.loop}});
}

Result<int> RunDueWork(store::Store& store, int64_t now_ms, int limit) {
  return store.Write([&](store::Tx& tx) -> Result<int> {
    PLINTH_ASSIGN_OR_RETURN(
        auto items, tx.Query("SELECT id, kind, ref, epoch, payload FROM work_items WHERE "
                             "due_ms <= ? ORDER BY due_ms, id LIMIT ?" + SkipLocked(tx),
                             {now_ms, limit}));
    for (const auto& item : items) {
      PLINTH_RETURN_IF_ERROR(tx.Exec("DELETE FROM work_items WHERE id = ?", {item.Text(0)}));
      auto done = store::InSavepoint(tx, [&] { return Perform(tx, item, now_ms); });
      if (!done.ok()) {
        if (done.error().code != ErrorCode::kInvalid && done.error().code != ErrorCode::kNotFound) {
          return std::move(done).error();
        }
        LogWarn("paging: dropped timer " + item.Text(1) + " of " + item.Text(2) + ": " +
                done.error().ToString());
      }
    }
    return static_cast<int>(items.size());
  });
}

Result<std::optional<int64_t>> NextWorkDue(store::Store& store) {
  return store.Read([](store::Tx& tx) -> Result<std::optional<int64_t>> {
    PLINTH_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT MIN(due_ms) FROM work_items"));
    if (!row || row->IsNull(0)) return std::optional<int64_t>();
    return std::optional<int64_t>(row->Int(0));
  });
}

Status Escalate(store::Tx& tx, const Incident& inc, escalation::Position from, int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(auto policy, escalation::PolicyFromSpec("", inc.policy));
  auto step = escalation::Fire(policy, from, now_ms);
  if (!step) {
    return LogIncident(tx, inc.id, now_ms, "escalation ended", "",
                       "no level of the escalation policy is left to notify");
  }
  std::vector<std::string> notes;
  PLINTH_ASSIGN_OR_RETURN(auto people, Expand(tx, *step->level, now_ms, notes));
  if (step->level->round_robin && !people.empty()) {
    people = {people[escalation::RoundRobinPick(people.size(), inc.number, step->at.loop)]};
  }
  Json assignees = Json::array();
  std::vector<std::string> names;
  for (const auto& p : people) {
    assignees.push_back(p.person);
    names.push_back(p.person);
  }
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "UPDATE paging_incidents SET level = ?, loop_index = ?, assignees = ? WHERE id = ?",
      {step->at.level, step->at.loop, assignees.dump(), inc.id}));
  std::string detail = "level " + std::to_string(step->at.level + 1);
  if (step->at.loop > 0) detail += ", pass " + std::to_string(step->at.loop + 1);
  detail += ": " + (names.empty() ? std::string("nobody to notify") : Join(names, ", "));
  if (!notes.empty()) detail += " (" + Join(notes, "; ") + ")";
  PLINTH_RETURN_IF_ERROR(LogIncident(tx, inc.id, now_ms, "escalated", "", detail));
  Incident at = inc;
  at.level = step->at.level;
  at.loop = step->at.loop;
  for (const auto& p : people) {
    PLINTH_RETURN_IF_ERROR(PagePerson(tx, at, p.person, p.schedule, now_ms));
  }
  if (step->next) return ScheduleEscalation(tx, inc, *step->next, step->next_at_ms);
  return LogIncident(tx, inc.id, now_ms, "escalation ended", "",
                     "the last level of the escalation policy has been notified");
}

Status PagePerson(store::Tx& tx, const Incident& inc, std::string_view person,
                  std::string_view schedule, int64_t now_ms) {
  std::string page_id = "pg_" + RandomHex(8);
  PLINTH_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO paging_pages (id, incident_id, person, at_ms, level, loop_index, "
              "schedule) VALUES (?, ?, ?, ?, ?, ?, ?)",
              {page_id, inc.id, person, now_ms, inc.level, inc.loop, schedule}));
  auto entity = catalog::Get(tx, "Person", person);
  if (!entity.ok()) {
    if (entity.error().code != ErrorCode::kNotFound) return std::move(entity).error();
    return LogIncident(tx, inc.id, now_ms, "not notified", std::string(person),
                       "person \"" + std::string(person) + "\" does not exist");
  }
  auto notify = escalation::PersonNotifyFromSpec(entity->doc.value("spec", Json::object()));
  auto urgency = inc.urgency == "low" ? escalation::Urgency::kLow : escalation::Urgency::kHigh;
  auto plan = escalation::PlanNotifications(notify, urgency);
  if (plan.empty()) {
    return LogIncident(tx, inc.id, now_ms, "not notified", std::string(person),
                       "no contact method for " + inc.urgency + " urgency");
  }
  notify::Notice notice;
  notice.kind = "page";
  notice.incident_number = inc.number;
  notice.incident_id = inc.id;
  notice.title = inc.title;
  notice.service = inc.service;
  notice.urgency = inc.urgency;
  notice.status = "triggered";
  notice.person = std::string(person);
  notice.at_ms = now_ms;
  std::string notice_json = notify::NoticeToJson(notice).dump();
  for (size_t i = 0; i < plan.size(); ++i) {
    const auto& p = plan[i];
    std::string id = "dlv_" + RandomHex(8);
    PLINTH_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO notify_deliveries (id, incident_id, person, channel, address, "
        "idempotency_key, notice, only_if_triggered, status, due_ms, created_ms) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, 1, 'pending', ?, ?)",
        {id, inc.id, person, p.type, p.address, page_id + "-" + std::to_string(i), notice_json,
         now_ms + p.after_ms, now_ms}));
  }
  return {};
}

}  // namespace plinth::paging
