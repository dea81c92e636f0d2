#include "escalation/policy.h"

#include <cassert>

#include "escalation/spec.h"

namespace plinth::escalation {

namespace {

constexpr std::pair<Target::Kind, const char*> kTargetKeys[] = {
    {Target::Kind::kPerson, "person"},
    {Target::Kind::kSchedule, "schedule"},
    {Target::Kind::kTeam, "team"},
};

const Json* Find(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

Result<Target> TargetFromSpec(const Json& spec, const std::string& pointer) {
  if (!spec.is_object())
    return Error::Field(pointer, "must be a mapping with person, schedule or team");
  std::optional<Target> out;
  for (const auto& [kind, key] : kTargetKeys) {
    const Json* v = Find(spec, key);
    if (!v) continue;
    if (out) return Error::Field(pointer, "give exactly one of person, schedule and team");
    if (!v->is_string() || v->get_ref<const std::string&>().empty()) {
      return Error::Field(pointer + "/" + key, "must be a name");
    }
    out = Target{kind, v->get<std::string>()};
  }
  if (!out) return Error::Field(pointer, "give exactly one of person, schedule and team");
  return *out;
}

Result<Level> LevelFromSpec(const Json& spec, const std::string& pointer) {
  if (!spec.is_object()) return Error::Field(pointer, "must be a mapping with targets");
  Level level;
  if (const Json* v = Find(spec, "escalateAfter")) {
    auto ms = v->is_string() ? ParseDurationMs(v->get<std::string>(), false) : std::nullopt;
    if (!ms) return Error::Field(pointer + "/escalateAfter", "must be a duration such as 15m");
    level.escalate_after_ms = *ms;
  }
  if (const Json* v = Find(spec, "notify")) {
    if (*v == "roundRobin") {
      level.round_robin = true;
    } else if (*v != "all") {
      return Error::Field(pointer + "/notify", "must be one of all, roundRobin");
    }
  }
  if (const Json* v = Find(spec, "when")) {
    PLINTH_ASSIGN_OR_RETURN(level.when, WindowFromSpec(*v, pointer + "/when"));
  }
  const Json* targets = Find(spec, "targets");
  if (!targets || !targets->is_array() || targets->empty() || targets->size() > kMaxTargets) {
    return Error::Field(pointer + "/targets", "must list 1 to 50 targets");
  }
  for (size_t i = 0; i < targets->size(); ++i) {
    PLINTH_ASSIGN_OR_RETURN(
        Target t, TargetFromSpec((*targets)[i], pointer + "/targets/" + std::to_string(i)));
    level.targets.push_back(std::move(t));
  }
  return level;
}

}  // namespace

const char* KindName(Target::Kind kind) {
  for (const auto& [k, key] : kTargetKeys) {
    if (k == kind) return key;
  }
  return "person";
}

Result<Policy> PolicyFromSpec(std::string_view name, const Json& canonical_spec) {
  if (!canonical_spec.is_object()) return Error::Field("", "must be a mapping with levels");
  Policy p;
  p.name = std::string(name);
  if (const Json* v = Find(canonical_spec, "repeat")) {
    if (!v->is_number_integer() || v->get<int64_t>() < 0 || v->get<int64_t>() > kMaxRepeat) {
      return Error::Field("/repeat", "must be an integer from 0 to 9");
    }
    p.repeat = v->get<int>();
  }
  const Json* levels = Find(canonical_spec, "levels");
  if (!levels || !levels->is_array() || levels->empty() || levels->size() > kMaxLevels) {
    return Error::Field("/levels", "must list 1 to 20 levels");
  }
  for (size_t i = 0; i < levels->size(); ++i) {
    PLINTH_ASSIGN_OR_RETURN(Level level,
                            LevelFromSpec((*levels)[i], "/levels/" + std::to_string(i)));
    p.levels.push_back(std::move(level));
  }
  return p;
}

Json PolicyToJson(const Policy& p) {
  Json levels = Json::array();
  for (const Level& l : p.levels) {
    Json targets = Json::array();
    for (const Target& t : l.targets) targets.push_back({{KindName(t.kind), t.name}});
    Json level = {{"escalateAfter", FormatDurationMs(l.escalate_after_ms)},
                  {"notify", l.round_robin ? "roundRobin" : "all"},
                  {"targets", std::move(targets)}};
    if (l.when) level["when"] = WindowToSpec(*l.when);
    levels.push_back(std::move(level));
  }
  return {{"name", p.name}, {"repeat", p.repeat}, {"levels", std::move(levels)}};
}

std::optional<Step> Fire(const Policy& p, Position from, int64_t now_ms) {
  int n = static_cast<int>(p.levels.size());
  if (from.level < 0 || from.loop < 0) return std::nullopt;
  Position at = from;
  // Bounded by the number of positions left: at most levels * (repeat + 1) checks.
  while (at.loop <= p.repeat && at.level < n) {
    const Level& level = p.levels[at.level];
    Position next = at.level + 1 < n ? Position{at.level + 1, at.loop} : Position{0, at.loop + 1};
    if (!level.when || Inside(*level.when, now_ms)) {
      Step step{at, &level, std::nullopt, now_ms + level.escalate_after_ms};
      if (next.loop <= p.repeat) step.next = next;
      return step;
    }
    at = next;
  }
  return std::nullopt;
}

size_t RoundRobinPick(size_t n, int64_t incident_number, int loop) {
  assert(n > 0);
  int64_t k = static_cast<int64_t>(n);
  // Remainders first, so extreme incident numbers cannot overflow.
  int64_t i = (incident_number % k + k - 1 + loop % k) % k;
  return static_cast<size_t>(i < 0 ? i + k : i);
}

}  // namespace plinth::escalation
