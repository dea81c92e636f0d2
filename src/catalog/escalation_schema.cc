// The paging parts of the catalog: the EscalationPolicy kind, Service.spec.paging and
// Person.spec.notificationRules (see escalation/policy.h, paging.h and notify_rules.h for the
// YAML forms). The canonical specs written here are what escalation::PolicyFromSpec,
// ServicePagingFromSpec and PersonNotifyFromSpec read.

#include <algorithm>
#include <set>

#include "catalog/spec_context.h"
#include "escalation/policy.h"
#include "escalation/spec.h"
#include "schedule/spec.h"
#include "schedule/zone.h"

namespace plinth::catalog {

namespace {

const std::vector<std::string> kTargetKinds = {"person", "schedule", "team"};

// A duration at `key`: at least 1s, or 0 too when allow_zero. nullopt when absent or bad.
std::optional<std::string> Duration(FieldReader& r, std::string_view key, bool allow_zero) {
  auto text = r.Text(key);
  if (!text) return std::nullopt;
  auto ms = escalation::ParseDurationMs(*text, allow_zero);
  if (!ms) {
    r.Fail(key, std::string("must be a duration") + (allow_zero ? "" : " of at least 1s") +
                    " such as 30s, 15m or 1h30m (got \"" + *text + "\")");
    return std::nullopt;
  }
  return escalation::FormatDurationMs(*ms);
}

// One target of a level: exactly one of person, schedule and team.
Json TargetSpec(SpecContext& c, FieldReader& r, const std::string& pointer) {
  Json out = nullptr;
  int given = 0;
  for (const std::string& key : kTargetKinds) {
    if (r.Get(key)) ++given;
  }
  if (given != 1) r.FailAt(pointer, "give exactly one of person, schedule and team");
  for (const std::string& key : kTargetKinds) {
    auto name = r.Name(key);
    if (!name || given != 1) continue;
    std::string kind = key == "person" ? "Person" : key == "schedule" ? "Schedule" : "Team";
    c.Ref(kNotifies, kind, *name, r.Pointer(key));
    out = {{key, *name}};
  }
  return out;
}

Json LevelSpec(SpecContext& c, FieldReader& r) {
  Json out = Json::object();
  if (r.Get("escalateAfter")) {
    if (auto d = Duration(r, "escalateAfter", false)) out["escalateAfter"] = *d;
  } else {
    out["escalateAfter"] = escalation::FormatDurationMs(escalation::kDefaultEscalateAfterMs);
  }
  out["notify"] = r.Enum("notify", {"all", "roundRobin"}).value_or("all");
  if (const Json* when = r.Object("when")) {
    FieldReader w(*when, r.Pointer("when"), r.errors());
    out["when"] = WindowSpec(w);
    w.Finish();
  }
  const Json* targets = r.Array("targets");
  if (!r.Get("targets")) r.Fail("targets", "is required");
  if (!targets) return out;
  if (targets->empty() || targets->size() > escalation::kMaxTargets) {
    r.Fail("targets", "must list 1 to 50 targets (got " + std::to_string(targets->size()) + ")");
  }
  Json list = Json::array();
  for (size_t i = 0; i < targets->size() && i < escalation::kMaxTargets; ++i) {
    std::string p = r.Pointer("targets") + "/" + std::to_string(i);
    if (!(*targets)[i].is_object()) {
      r.FailAt(p, "must be a mapping with person, schedule or team");
      continue;
    }
    FieldReader t((*targets)[i], p, r.errors());
    Json target = TargetSpec(c, t, p);
    t.Finish();
    if (target.is_null()) continue;
    for (size_t k = 0; k < list.size(); ++k) {
      if (list[k] == target) {
        r.FailAt(p, "is already target " + std::to_string(k) + " of this level");
        target = nullptr;
        break;
      }
    }
    if (!target.is_null()) list.push_back(std::move(target));
  }
  out["targets"] = std::move(list);
  return out;
}

}  // namespace

Json WindowSpec(FieldReader& r) {
  Json out = Json::object();
  if (auto tz = r.Text("timeZone", true)) {
    if (auto z = schedule::FindZone(*tz); z.ok()) {
      out["timeZone"] = *tz;
    } else {
      r.Fail("timeZone", z.error().message);
    }
  }
  if (const Json* days = r.Array("days")) {
    std::set<int> unique;  // Monday first
    for (size_t i = 0; i < days->size(); ++i) {
      const Json& d = (*days)[i];
      auto day = d.is_string() ? schedule::ParseWeekday(d.get<std::string>()) : std::nullopt;
      if (day) {
        unique.insert(*day);
      } else {
        r.FailAt(r.Pointer("days") + "/" + std::to_string(i), "must be a day such as monday");
      }
    }
    if (!unique.empty()) {
      out["days"] = Json::array();
      for (int d : unique) out["days"].push_back(schedule::WeekdayName(d));
    }
  }
  if (auto start = TimeOfDay(r, "start", false)) out["start"] = schedule::FormatTimeOfDay(*start);
  if (auto end = TimeOfDay(r, "end", true)) out["end"] = schedule::FormatTimeOfDay(*end);
  return out;
}

void EscalationPolicySpec(SpecContext& c) {
  c.Owner();
  c.out["repeat"] = 0;
  if (const Json* repeat = c.in.Get("repeat")) {
    if (repeat->is_number_integer() && repeat->get<int64_t>() >= 0 &&
        repeat->get<int64_t>() <= escalation::kMaxRepeat) {
      c.out["repeat"] = repeat->get<int64_t>();
    } else {
      c.in.Fail("repeat", "must be an integer from 0 to 9 (got " + repeat->dump() + ")");
    }
  }
  const Json* levels = c.in.Array("levels");
  if (!c.in.Get("levels")) c.in.Fail("levels", "is required");
  if (!levels) return;
  if (levels->empty() || levels->size() > escalation::kMaxLevels) {
    c.in.Fail("levels", "must list 1 to 20 levels (got " + std::to_string(levels->size()) + ")");
  }
  Json out = Json::array();
  for (size_t i = 0; i < levels->size() && i < escalation::kMaxLevels; ++i) {
    std::string p = c.in.Pointer("levels") + "/" + std::to_string(i);
    if (!(*levels)[i].is_object()) {
      c.in.FailAt(p, "must be a mapping with targets");
      continue;
    }
    FieldReader r((*levels)[i], p, c.in.errors());
    out.push_back(LevelSpec(c, r));
    r.Finish();
  }
  c.out["levels"] = std::move(out);
}

void PagingSpec(SpecContext& c) {
  const Json* paging = c.in.Object("paging");
  if (!paging) return;
  FieldReader r(*paging, c.in.Pointer("paging"), c.in.errors());
  Json out = Json::object();
  if (auto policy = r.Name("escalationPolicy", true)) {
    out["escalationPolicy"] = *policy;
    c.Ref(kEscalatesVia, "EscalationPolicy", *policy, r.Pointer("escalationPolicy"));
  }
  out["urgency"] = r.Enum("urgency", {"high", "low", "severity"}).value_or("severity");
  if (const Json* hours = r.Object("supportHours")) {
    FieldReader w(*hours, r.Pointer("supportHours"), r.errors());
    out["supportHours"] = WindowSpec(w);
    w.Finish();
  }
  if (auto d = Duration(r, "acknowledgementTimeout", false)) out["acknowledgementTimeout"] = *d;
  if (auto d = Duration(r, "autoResolveTimeout", false)) out["autoResolveTimeout"] = *d;
  out["groupingWindow"] = Duration(r, "groupingWindow", true).value_or("0s");
  r.Finish();
  c.out["paging"] = std::move(out);
}

void NotificationRulesSpec(SpecContext& c, const std::set<std::string>& contact_types) {
  const Json* rules = c.in.Array("notificationRules");
  if (!rules) return;
  Json out = Json::array();
  for (size_t i = 0; i < rules->size(); ++i) {
    std::string p = c.in.Pointer("notificationRules") + "/" + std::to_string(i);
    if (!(*rules)[i].is_object()) {
      c.in.FailAt(p, "must be a mapping with after and contactTypes");
      continue;
    }
    FieldReader r((*rules)[i], p, c.in.errors());
    Json rule = Json::object();
    rule["after"] = Duration(r, "after", true).value_or("0s");
    const Json* types = r.Array("contactTypes");
    if (!r.Get("contactTypes") || (types && types->empty())) {
      r.Fail("contactTypes", "must list at least one contact method type");
    }
    std::set<std::string> unique;
    for (size_t k = 0; types && k < types->size(); ++k) {
      std::string tp = r.Pointer("contactTypes") + "/" + std::to_string(k);
      const Json& t = (*types)[k];
      std::string type = t.is_string() ? Trim(t.get<std::string>()) : "";
      if (std::find(kContactTypes.begin(), kContactTypes.end(), type) == kContactTypes.end()) {
        r.FailAt(tp, "must be one of email, sms, voice, slack, teams, webhook (got " +
                         (t.is_string() ? "\"" + type + "\"" : t.dump()) + ")");
        continue;
      }
      if (!contact_types.contains(type)) {
        r.FailAt(tp, "this person has no " + type + " contact method");
        continue;
      }
      unique.insert(type);
    }
    rule["contactTypes"] = Json(std::vector<std::string>(unique.begin(), unique.end()));
    rule["urgency"] = r.Enum("urgency", {"any", "high", "low"}).value_or("any");
    r.Finish();
    out.push_back(std::move(rule));
  }
  if (!out.empty()) c.out["notificationRules"] = std::move(out);
}

}  // namespace plinth::catalog
