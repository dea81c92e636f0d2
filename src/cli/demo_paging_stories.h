#pragma once
// The demo's paging history as stories, one per incident (demo_paging.h describes what
// happens): who was on call and what each service's paging settings are (World, read from the
// applied catalog), and what each incident went through (Story). demo_paging.cc walks every
// story through its escalation policy and writes the rows. Internal to the demo.

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/demo_rng.h"
#include "escalation/paging.h"
#include "escalation/policy.h"
#include "schedule/model.h"
#include "store/store.h"

namespace date {
class time_zone;
}

namespace plinth::cli::demo_paging {

inline constexpr int64_t kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute,
                         kDay = 24 * kHour;
inline constexpr int64_t kDays = 90;  // of history

// The demo's generator with times in whole seconds.
class Rng : public DemoRng {
 public:
  using DemoRng::DemoRng;
  // A whole number of seconds in [lo_ms, hi_ms), in milliseconds.
  int64_t Between(int64_t lo_ms, int64_t hi_ms) {
    return (lo_ms + int64_t(Unit() * double(hi_ms - lo_ms))) / kSecond * kSecond;
  }
};

// A service with paging settings.
struct Svc {
  std::string name, team, type;
  int tier = 4;
  escalation::ServicePaging paging;
  std::string prometheus, synthetics;  // integration ids; synthetics only on tier 1
};

// The catalog as the history needs it, over the 90 days and a day either side.
struct World {
  int64_t now = 0;
  std::map<std::string, std::vector<schedule::Shift>> finals;  // schedule -> final shifts
  std::map<std::string, std::string> schedule_zone;
  std::map<std::string, std::vector<std::string>> members;  // team -> people
  std::map<std::string, std::string> zone_of;               // person -> time zone
  std::map<std::string, escalation::Policy> policies;
  std::map<std::string, Svc> services;  // the services with paging settings

  // Who is on call on `schedule` at `at`; "" in a gap or for an unknown schedule.
  std::string OnCall(const std::string& schedule, int64_t at) const;
  // The zone named `name`, UTC when unknown.
  const date::time_zone* Zone(const std::string& name) const;
  // The instant of local time `local_s` (seconds after midnight) on the local date of `at` in
  // `zone`.
  int64_t LocalTimeOn(const std::string& zone, int64_t at, int64_t local_s) const;
};

struct AlertSpec {
  int64_t at = 0;
  std::string klass, severity, summary, source;
  std::string dedup;  // "" for a fresh key
};

// One incident as the generator decides it.
struct Story {
  const Svc* svc = nullptr;                // points into World::services
  std::string integration = "prometheus";  // "synthetics", or an integration id (the SLO one)
  std::string group_key;
  std::vector<AlertSpec> alerts;  // by time, not empty; the first opens the incident
  std::optional<int64_t> ack_ms, resolve_ms;
  std::string resolver;  // "source" | "timeout" | "person"
  int verdict = -1;      // 1 actionable, 0 noise, -1 none
};

// Every story of the 90 days before w.now, by creation time. Reads the SLO alerts still
// firing (written by demo_slo.h before).
Result<std::vector<Story>> Stories(store::Tx& tx, const World& w, Rng& rng);

}  // namespace plinth::cli::demo_paging
