#pragma once
// Escalation policies (PagerDuty's model, plus Grafana OnCall's day-of-week and time-of-day
// conditions) and the pure step function that walks an incident through one. The paging domain
// stores a PolicyToJson snapshot with each incident, so an incident follows the policy as it was
// when the incident opened. Pure; thread-safe.
//
//   spec:                          # the catalog kind EscalationPolicy
//   (catalog/escalation_schema.cc)
//     owner: payments              # the catalog's; PolicyFromSpec ignores it
//     repeat: 2                    # 0..9: after the last level, start again at level 1 this often
//     levels:                      # 1..20, in order
//       - escalateAfter: 15m       # default 30m: until the next level fires if nobody acknowledged
//         notify: all              # all (default) | roundRobin: one person per incident, rotating
//         when: {...}              # optional Window (escalation/spec.h); outside it, skipped
//         targets:                 # 1..50, each exactly one of person/schedule/team
//           - schedule: payments-primary
//           - person: ana
//           - team: payments

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "escalation/window.h"

namespace plinth::escalation {

inline constexpr int kMaxRepeat = 9;
inline constexpr size_t kMaxLevels = 20;
inline constexpr size_t kMaxTargets = 50;
inline constexpr int64_t kDefaultEscalateAfterMs = 30 * 60 * 1000;

// Who a level notifies: a person, everyone on call in a schedule when the level fires, or every
// member of a team.
struct Target {
  enum class Kind { kPerson, kSchedule, kTeam } kind = Kind::kPerson;
  std::string name;

  bool operator==(const Target&) const = default;
};
const char* KindName(Target::Kind kind);  // "person", "schedule", "team"

struct Level {
  int64_t escalate_after_ms = kDefaultEscalateAfterMs;  // >= 1000
  bool round_robin = false;     // notify one person per incident (RoundRobinPick), else all
  std::optional<Window> when;   // nullopt: always eligible
  std::vector<Target> targets;  // not empty

  bool operator==(const Level&) const = default;
};

struct Policy {
  std::string name;
  int repeat = 0;             // 0..kMaxRepeat extra passes over the levels (PagerDuty's num_loops)
  std::vector<Level> levels;  // 1..kMaxLevels

  bool operator==(const Policy&) const = default;
};

// The policy of a canonical EscalationPolicy spec (or a PolicyToJson snapshot, whose "name" is
// ignored). Missing optional fields take their defaults; anything else malformed or out of range
// is Error::Field with a pointer into `canonical_spec`.
Result<Policy> PolicyFromSpec(std::string_view name, const Json& canonical_spec);

// The snapshot stored with an incident: the canonical spec without owner, plus "name".
// PolicyFromSpec(p.name, PolicyToJson(p)) == p for every policy PolicyFromSpec returns.
Json PolicyToJson(const Policy& p);

// A place in the walk: level index and pass (0-based; loop 0 is the first pass, the last pass
// is loop == repeat).
struct Position {
  int level = 0;
  int loop = 0;

  bool operator==(const Position&) const = default;
};

struct Step {
  Position at;                   // the level that fires
  const Level* level = nullptr;  // its targets and round_robin (points into the policy)
  std::optional<Position> next;  // nullopt: the policy is exhausted after this step
  int64_t next_at_ms = 0;        // when `next` fires (now + at's escalate_after); set also
                                 // when next is nullopt: the end of the last level's delay
};

// The level to fire at now_ms for an incident that reached `from`: the first level at or after
// `from` (in pass order, through the remaining passes) whose `when` includes now_ms. Skipped
// levels cost no time. nullopt when nothing is left to fire: `from` is past the end or outside
// the policy, or no remaining level is eligible now. `next` is the position right after the
// fired level; whether it is eligible is decided when it fires. At most levels * (repeat + 1)
// checks. The returned Step points into `p`, which must outlive it.
std::optional<Step> Fire(const Policy& p, Position from, int64_t now_ms);

// Which of n people a round-robin level notifies: incident 1 starts with the first, each later
// incident with the next one, and each later pass of the same incident moves on by one.
// REQUIRES: n > 0.
size_t RoundRobinPick(size_t n, int64_t incident_number, int loop);

}  // namespace plinth::escalation
