#pragma once
// On-call schedules: the plain model the schedule engines work on (layer 3 of DESIGN.md: pure,
// no I/O, no clock reads). The YAML form is the catalog kind Schedule (spec.h parses it).
//
// Times: instants are UTC milliseconds since the epoch (`_ms`). Wall-clock times in a zone are
// "local seconds" (`_local_s`): seconds since 1970-01-01T00:00 on the zone's wall clock, i.e.
// date::local_seconds. Durations of wall-clock time are seconds (`_s`).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace plinth::schedule {

inline constexpr int64_t kMinute = 60;
inline constexpr int64_t kHour = 3600;
inline constexpr int64_t kDay = 86400;
inline constexpr int64_t kWeek = 7 * kDay;

// A local-time window in which a layer's participant is on call; outside every window of a
// layer that has restrictions, the layer has nobody (and lower layers show through).
struct Restriction {
  enum Kind { kDaily, kWeekly };
  Kind kind = kDaily;
  int start_day = 0;       // kWeekly: 0 = Monday ... 6 = Sunday; kDaily: 0
  int64_t start_s = 0;     // seconds after local midnight of start_day, [0, 86400)
  int64_t duration_s = 0;  // (0, 86400] for kDaily, (0, 604800] for kWeekly

  bool operator==(const Restriction&) const = default;
};

// One rotation. Turn k (k = 0, 1, ...) starts at the local wall time start_local_s + k * turn_s
// and belongs to participants[k % participants.size()]. Handoffs keep their local time across
// DST changes whatever the turn length: a handoff at a local time that occurs twice means its
// first occurrence; one that does not occur (spring-forward gap) happens when the clocks jump.
struct Layer {
  std::string name;
  std::vector<std::string> participants;  // person names in turn order; repeats allowed
  int64_t turn_s = kWeek;                 // >= 60
  int64_t start_local_s = 0;              // rotation start, local wall time of the schedule zone
  std::optional<int64_t> end_ms;          // the layer has nobody from here on
  std::vector<Restriction> restrictions;  // empty: on call around the clock

  bool operator==(const Layer&) const = default;
};

struct Schedule {
  std::string name;
  std::string time_zone;      // IANA zone, e.g. "Europe/Berlin"
  std::vector<Layer> layers;  // precedence: a later layer overrides an earlier one wherever it
                              // has someone on call

  bool operator==(const Schedule&) const = default;
};

// Someone else takes the slot [start_ms, end_ms); overrides beat every layer. Overlapping
// overrides are rejected when stored, so the engine never sees two for one instant.
struct Override {
  std::string id;
  std::string person;
  int64_t start_ms = 0;
  int64_t end_ms = 0;

  bool operator==(const Override&) const = default;
};

// One entry of a resolved schedule: `person` is on call in [start_ms, end_ms). An empty person
// is a gap (nobody on call). `source` is the layer name, "override", or "" for a gap.
struct Shift {
  std::string person;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::string source;
  std::string override_id;  // set when source == "override"

  bool operator==(const Shift&) const = default;
};

// A person as the fairness report and the planner see them.
struct WorkingHours {
  std::vector<int> days = {0, 1, 2, 3, 4};  // 0 = Monday ... 6 = Sunday
  int64_t start_s = 9 * kHour;              // local time of day
  int64_t end_s = 17 * kHour;               // > start_s

  bool operator==(const WorkingHours&) const = default;
};

struct Person {
  std::string name;
  std::string time_zone = "UTC";
  WorkingHours working_hours;
};

}  // namespace plinth::schedule
