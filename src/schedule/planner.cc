#include "schedule/planner.h"

#include <date/date.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/time.h"
#include "schedule/resolve.h"
#include "schedule/spec.h"
#include "schedule/zone.h"

namespace plinth::schedule {

namespace {

constexpr int kQuarters = 4;
constexpr int64_t kClusterGap = 3 * kHour;  // zones closer than this share a region
constexpr int64_t kBoundaryStep = 30 * kMinute;
constexpr int kMaxRegions = 3;
constexpr int kMaxTeam = 1000;  // the largest minimum team size looked for

int64_t Mod(int64_t a, int64_t m) { return a - FloorDiv(a, m) * m; }
int64_t Signed(int64_t s) { return Mod(s + kDay / 2, kDay) - kDay / 2; }  // in [-12h, 12h)
int CeilDiv(int a, int b) { return (a + b - 1) / b; }
int64_t OffsetAt(const date::time_zone* z, int64_t ms) { return UtcToLocalS(z, ms) - ms / 1000; }
// Monday-start week number of a local time (1970-01-05 was a Monday).
int64_t WeekOf(int64_t local_s) { return FloorDiv(local_s - 4 * kDay, kWeek); }

std::string QuarterName(int64_t utc_ms, const date::time_zone* zone) {
  date::year_month_day ymd{date::sys_days{date::days{FloorDiv(UtcToLocalS(zone, utc_ms), kDay)}}};
  return std::to_string(static_cast<int>(ymd.year())) + "Q" +
         std::to_string((static_cast<unsigned>(ymd.month()) - 1) / 3 + 1);
}

using Quota = std::pair<std::string, int>;  // (zone, people)

// Each zone's share of `n` people (largest remainder, earlier zones first on ties), zones in the
// order they first appear in `people`.
std::vector<Quota> Quotas(const std::vector<Person>& people, int n) {
  std::vector<Quota> zones;  // members of each zone, then its quota
  for (const Person& p : people) {
    auto it = std::find_if(zones.begin(), zones.end(),
                           [&](const Quota& z) { return z.first == p.time_zone; });
    if (it == zones.end()) zones.push_back({p.time_zone, 0}), it = zones.end() - 1;
    ++it->second;
  }
  const auto total = static_cast<int>(people.size());
  std::vector<std::pair<int, size_t>> rest;  // (-remainder, zone)
  int given = 0;
  for (size_t z = 0; z < zones.size(); ++z) {
    int share = n * zones[z].second;
    given += zones[z].second = share / total;
    rest.push_back({-(share % total), z});
  }
  std::stable_sort(rest.begin(), rest.end());
  for (size_t i = 0; given < n; ++i, ++given) ++zones[rest[i % rest.size()].second].second;
  return zones;
}

// `people` resized to `n` with the same mix of zones (Quotas): each zone's members in order,
// then copies of them round-robin named "<name>-2", "<name>-3", ...
std::vector<Person> Resize(const std::vector<Person>& people, int n) {
  std::vector<Person> out;
  for (const auto& [zone, quota] : Quotas(people, n)) {
    std::vector<const Person*> members;
    for (const Person& p : people) {
      if (p.time_zone == zone) members.push_back(&p);
    }
    const auto size = static_cast<int>(members.size());
    for (int j = 0; j < quota; ++j) {
      out.push_back(*members[j % size]);
      if (j >= size) out.back().name += "-" + std::to_string(j / size + 1);
    }
  }
  return out;
}

std::vector<std::string> Names(const std::vector<Person>& people) {
  std::vector<std::string> out;
  for (const Person& p : people) out.push_back(p.name);
  return out;
}

// The team, the policy and their zones, read once.
struct Context {
  const std::vector<Person>& team;
  const PlanPolicy& policy;
  const date::time_zone* zone = nullptr;  // the schedule's
  int64_t start_ms = 0;
  std::vector<int64_t> offsets;  // of each member at the start, seconds east of UTC
};

// A shape before it is chosen: a layer per rotation, whose participants the sizing replaces.
struct Candidate {
  bool follow_the_sun = false;
  bool straddles = false;  // some turns touch two calendar weeks of their holder
  std::string label;       // for the notes
  std::string summary;     // the first note when chosen
  Schedule schedule;
  std::vector<PlanRotation> rotations;
  std::vector<std::vector<Person>> members;  // per rotation
  int minimum = 0;                           // in the team's mix of zones; 0: none
  bool feasible = false;
  PlanCheck check;  // of the schedule with the real team
};

// Fewest people (Resize of `members`) for whom `layer` alone keeps every weeks-on-call count
// within the policy, searched upwards from the count; 0 when none up to a bound does.
int Needed(const Layer& layer, const std::vector<Person>& members, bool straddles,
           const Context& c) {
  const int max = c.policy.max_weeks_per_quarter;
  const auto turn_weeks = static_cast<int>(c.policy.turn_s / kWeek);
  if (members.empty() || turn_weeks > max || (straddles && 2 * turn_weeks > max)) return 0;
  const int lower = CeilDiv(13, max);  // every quarter has 13 weeks, each held by somebody
  for (int n = lower; n <= lower + 2 * CeilDiv(14, max) + 2; ++n) {
    std::vector<Person> people = Resize(members, n);
    Schedule s{c.policy.name, c.policy.time_zone, {layer}};
    s.layers[0].participants = Names(people);
    Result<PlanCheck> check = CheckPlan(s, people, c.policy);
    if (!check.ok()) return 0;
    const auto& v = check->violations;
    if (std::none_of(v.begin(), v.end(), [](const PlanViolation& x) {
          return x.kind == PlanViolation::kTooManyWeeks;
        })) {
      return n;
    }
  }
  return 0;
}

// Sizes each rotation, finds the smallest team in the team's mix of zones that staffs them all,
// and checks the candidate with the real team.
void Evaluate(Candidate& cand, const Context& c) {
  for (size_t i = 0; i < cand.rotations.size(); ++i) {
    cand.rotations[i].needed = Needed(cand.schedule.layers[i], cand.members[i], cand.straddles, c);
  }
  auto enough = [&](const std::vector<Quota>& quotas) {
    for (size_t i = 0; i < cand.rotations.size(); ++i) {
      int count = 0;
      for (const auto& [zone, quota] : quotas) {
        const std::vector<Person>& m = cand.members[i];
        bool in =
            std::any_of(m.begin(), m.end(), [&](const Person& p) { return p.time_zone == zone; });
        count += in ? quota : 0;
      }
      if (cand.rotations[i].needed == 0 || count < cand.rotations[i].needed) return false;
    }
    return true;
  };
  for (int n = 1; n <= kMaxTeam && cand.minimum == 0; ++n) {
    if (enough(Quotas(c.team, n))) cand.minimum = n;
  }
  Result<PlanCheck> check = CheckPlan(cand.schedule, c.team, c.policy);
  if (check.ok()) cand.check = std::move(check).value();
  cand.feasible = check.ok() && cand.check.ok();
}

void AddRotation(Candidate& cand, Layer layer, std::vector<Person> members, std::string window) {
  layer.participants = Names(members);
  cand.rotations.push_back({layer.name, std::move(window), layer.participants, 0});
  cand.schedule.layers.push_back(std::move(layer));
  cand.members.push_back(std::move(members));
}

// The plain weekly rotation of `members`, handed over on Mondays in the schedule zone; a handoff
// after 00:00 starts the rotation the week before, so the first week has no gap.
Candidate Plain(const Context& c, std::vector<Person> members, bool straddles, std::string label,
                std::string summary) {
  Candidate cand;
  cand.straddles = straddles;
  cand.label = std::move(label);
  cand.summary = std::move(summary);
  cand.schedule = {c.policy.name, c.policy.time_zone, {}};
  Layer layer;
  layer.name = "weekly";
  layer.turn_s = c.policy.turn_s;
  int64_t handoff = c.policy.handoff_s.value_or(0);
  layer.start_local_s = c.policy.start_local_s + handoff - (handoff > 0 ? kWeek : 0);
  AddRotation(cand, std::move(layer), std::move(members), "");
  return cand;
}

// A region's people and daily windows, in UTC seconds of the day.
struct Region {
  std::vector<size_t> members;         // team indexes
  int64_t arc_start = 0, arc_len = 0;  // the members' working hours together
  int64_t win_start = 0, win_len = 0;  // its on-call window
};

// The team cut into `k` regions at the k widest gaps (over kClusterGap) between the UTC offsets
// in use, round the clock, with their windows split at the middle of the overlap or gap between
// neighbours' working hours; empty when there are fewer such gaps.
std::vector<Region> Group(const Context& c, int k) {
  std::vector<int64_t> offs = c.offsets;
  std::sort(offs.begin(), offs.end());
  offs.erase(std::unique(offs.begin(), offs.end()), offs.end());
  std::vector<std::pair<int64_t, size_t>> gaps;  // (-gap, index of the offset before it)
  for (size_t i = 0; i < offs.size(); ++i) {
    int64_t gap = (i + 1 < offs.size() ? offs[i + 1] : offs[0] + kDay) - offs[i];
    if (gap > kClusterGap) gaps.push_back({-gap, i});
  }
  if (static_cast<int>(gaps.size()) < k || offs.size() < 2) return {};
  std::stable_sort(gaps.begin(), gaps.end());
  std::vector<size_t> cuts;
  for (int i = 0; i < k; ++i) cuts.push_back(gaps[i].second);
  std::sort(cuts.begin(), cuts.end());
  std::vector<Region> regions(k);
  for (size_t m = 0; m < c.team.size(); ++m) {
    size_t pos = std::lower_bound(offs.begin(), offs.end(), c.offsets[m]) - offs.begin();
    size_t r = std::lower_bound(cuts.begin(), cuts.end(), pos) - cuts.begin();
    regions[r % k].members.push_back(m);  // past the last cut: the region that wraps round
  }
  for (Region& r : regions) {
    int64_t ref = 0, lo = kDay, hi = -kDay;
    for (size_t m : r.members) {
      const WorkingHours& w = c.team[m].working_hours;
      int64_t start = Mod(w.start_s - c.offsets[m], kDay);
      if (m == r.members[0]) ref = start;
      lo = std::min(lo, Signed(start - ref));
      hi = std::max(hi, Signed(start - ref) + w.end_s - w.start_s);
    }
    r.arc_start = Mod(ref + lo, kDay);
    r.arc_len = std::min(hi - lo, kDay);
  }
  std::sort(regions.begin(), regions.end(), [](const Region& a, const Region& b) {
    return Mod(a.arc_start + a.arc_len / 2, kDay) < Mod(b.arc_start + b.arc_len / 2, kDay);
  });
  for (int i = 0; i < k; ++i) {
    const Region& a = regions[i];
    int64_t end = a.arc_start + a.arc_len;
    int64_t split = end + Signed(regions[(i + 1) % k].arc_start - end) / 2;
    regions[(i + 1) % k].win_start =
        Mod(FloorDiv(split + kBoundaryStep / 2, kBoundaryStep) * kBoundaryStep, kDay);
  }
  for (int i = 0; i < k; ++i) {
    regions[i].win_len = Mod(regions[(i + 1) % k].win_start - regions[i].win_start, kDay);
  }
  return regions;
}

// The follow-the-sun shape in `k` regions; nullopt, with the reason in `why` unless there are
// not k regions at all, when a window would cross a member's midnight (a turn would touch two of
// their weeks) or lie mostly outside their working hours.
std::optional<Candidate> FollowTheSun(const Context& c, int k, std::string& why) {
  why.clear();
  std::vector<Region> regions = Group(c, k);
  if (regions.empty()) return std::nullopt;
  Candidate cand;
  cand.follow_the_sun = true;
  cand.label = "follow-the-sun in " + std::to_string(k) + " regions";
  cand.summary = "F" + cand.label.substr(1) +
                 ": each on call in its daily window, with a "
                 "weekly rotation handed over in the region's night from Sunday to Monday.";
  cand.schedule = {c.policy.name, c.policy.time_zone, {}};
  std::set<std::string> used;
  for (const Region& r : regions) {
    for (size_t m : r.members) {
      const WorkingHours& w = c.team[m].working_hours;
      int64_t local = Mod(r.win_start + c.offsets[m], kDay);
      int64_t inside = std::min(local + r.win_len, w.end_s) - std::max(local, w.start_s);
      std::string window = "the window " + FormatTimeOfDay(local) + "-" +
                           FormatTimeOfDay(Mod(local + r.win_len, kDay)) + " " +
                           c.team[m].time_zone;
      if (r.win_len < kHour || local < kHour || local + r.win_len > kDay - kHour) {
        why = window + " would cross midnight (with an hour to spare for DST)";
      } else if (2 * inside < r.win_len) {
        why = window + " would lie mostly outside " + c.team[m].name + "'s working hours";
      }
      if (!why.empty()) return std::nullopt;
    }
    int64_t mean = 0;
    for (size_t m : r.members) mean += c.offsets[m] / static_cast<int64_t>(r.members.size());
    std::string name = mean < -2 * kHour ? "americas" : mean <= 4 * kHour ? "emea" : "apac";
    const std::string base = name;
    for (int i = 2; !used.insert(name).second; ++i) name = base + "-" + std::to_string(i);
    Layer layer;
    layer.name = "follow-the-sun-" + name;
    layer.turn_s = c.policy.turn_s;
    layer.restrictions = {
        {Restriction::kDaily, 0, Mod(r.win_start + OffsetAt(c.zone, c.start_ms), kDay), r.win_len}};
    // The handoff: the middle of the region's night nearest Monday 00:00 of its first member,
    // as a wall time of the schedule zone at or before the rotation start.
    const Person& ref = c.team[r.members[0]];
    const int64_t ref_offset = c.offsets[r.members[0]];
    int64_t night = Mod(r.win_start + r.win_len + (kDay - r.win_len) / 2 + ref_offset, kDay);
    int64_t local =
        FloorDiv(c.policy.start_local_s, kDay) * kDay + night - (night >= kDay / 2 ? kDay : 0);
    int64_t start = UtcToLocalS(c.zone, LocalToUtcMs(*FindZone(ref.time_zone), local));
    while (start > c.policy.start_local_s) start -= kWeek;
    layer.start_local_s = start + (IsNonexistent(c.zone, start) ? kHour : 0);
    std::vector<Person> members;
    for (size_t m : r.members) members.push_back(c.team[m]);
    int64_t ref_start = Mod(r.win_start + ref_offset, kDay);
    AddRotation(cand, std::move(layer), std::move(members),
                FormatTimeOfDay(ref_start) + "-" +
                    FormatTimeOfDay(Mod(ref_start + r.win_len, kDay)) + " " + ref.time_zone);
  }
  return cand;
}

Status Validate(const std::vector<Person>& team, const PlanPolicy& policy) {
  if (team.empty()) return Error::Invalid("the team is empty");
  std::set<std::string> names;
  for (const Person& p : team) {
    if (p.name.empty()) return Error::Invalid("a person without a name");
    if (!names.insert(p.name).second) return Error::Invalid("\"" + p.name + "\" twice in the team");
    PLINTH_RETURN_IF_ERROR(FindZone(p.time_zone));
    const WorkingHours& w = p.working_hours;
    if (w.start_s < 0 || w.end_s > kDay || w.end_s <= w.start_s) {
      return Error::Invalid(p.name + ": working hours must end after they start, within a day");
    }
  }
  PLINTH_RETURN_IF_ERROR(FindZone(policy.time_zone));
  if (policy.max_weeks_per_quarter < 1) return Error::Invalid("max weeks per quarter must be >= 1");
  if (policy.turn_s <= 0 || policy.turn_s % kWeek != 0) {
    return Error::Invalid("the turn must be a whole number of weeks (1w, 2w, ...)");
  }
  if (Mod(policy.start_local_s, kDay) != 0 || WeekdayOf(policy.start_local_s) != 0) {
    return Error::Invalid("the rotation must start on a Monday at 00:00");
  }
  if (policy.handoff_s && (*policy.handoff_s < 0 || *policy.handoff_s >= kDay)) {
    return Error::Invalid("the handoff must be a time of day");
  }
  return {};
}

// Whether people in `time_zone` see the schedule zone's wall clock at every plain handoff.
bool SameClock(const Context& c, const std::string& time_zone) {
  const date::time_zone* z = *FindZone(time_zone);
  int64_t local = c.policy.start_local_s + c.policy.handoff_s.value_or(0);
  for (int week = 0; week < 60; ++week, local += kWeek) {
    int64_t at = LocalToUtcMs(c.zone, local);
    if (UtcToLocalS(z, at) != UtcToLocalS(c.zone, at)) return false;
  }
  return true;
}

std::string Count(int n, const std::string& what) {
  return n > 0 ? "enough with " + std::to_string(n) + " " + what
               : "no team size in the team's mix of zones is enough";
}

// The notes after the summary: the count, each rotation's staffing, the other shapes, the load.
void Explain(const Candidate& chosen, const std::vector<Candidate>& all, const Context& c,
             std::vector<std::string>& notes) {
  const int max = c.policy.max_weeks_per_quarter;
  std::string weeks;
  int most = 0;
  for (size_t q = 0; q < chosen.check.quarters.size(); ++q) {
    const Period& p = chosen.check.quarters[q];
    int64_t touched =
        WeekOf(UtcToLocalS(c.zone, p.to_ms - 1000)) - WeekOf(UtcToLocalS(c.zone, p.from_ms)) + 1;
    most = std::max(most, static_cast<int>(touched));
    weeks += (q ? ", " : "") + chosen.check.quarter_names[q] + " " + std::to_string(touched);
  }
  notes.push_back(
      "Weeks on call are Monday-to-Monday calendar weeks in each person's own zone with any "
      "on-call time in the quarter. From the rotation start the quarters touch " +
      weeks + " such weeks; each needs someone in every rotation, so with at most " +
      std::to_string(max) + " per person a rotation needs " + std::to_string(CeilDiv(most, max)) +
      " people or more.");
  for (const PlanRotation& r : chosen.rotations) {
    const auto have = static_cast<int>(r.people.size());
    std::string line = r.layer + (r.window.empty() ? "" : " (" + r.window + ")") + ": " +
                       std::to_string(have) + " people, ";
    if (r.needed == 0 && c.policy.turn_s / kWeek > max) {
      line += "no number is enough: one turn alone is " + FormatDuration(c.policy.turn_s);
    } else if (r.needed == 0) {
      line +=
          "no number is enough: a turn touches two calendar weeks of some of them (a "
          "schedule zone on their clock avoids that)";
    } else {
      line += "needs " + std::to_string(r.needed) +
              (have < r.needed ? ": add " + std::to_string(r.needed - have) + " in its zones" : "");
    }
    notes.push_back(line + ".");
  }
  for (const Candidate& other : all) {
    if (&other == &chosen) continue;
    notes.push_back("Also considered: " + other.label + ": " +
                    (other.feasible ? "feasible, " : "not feasible, ") +
                    Count(other.minimum, "people in the team's mix of zones") + ".");
  }
  int64_t off = 0, worst = 0;
  std::string worst_name;
  for (const PlanLoad& l : chosen.check.load) {
    off += l.off_hours_ms;
    if (l.off_hours_ms > worst) worst = l.off_hours_ms, worst_name = l.person;
  }
  notes.push_back("Off-hours on call over the " + std::to_string(kQuarters) +
                  " quarters: " + FormatHours(off) + " h in all" +
                  (worst > 0 ? ", at most " + FormatHours(worst) + " h (" + worst_name + ")" : "") +
                  ".");
  if (!chosen.check.violations.empty()) {
    notes.push_back(std::to_string(chosen.check.violations.size()) + " violations, e.g. " +
                    chosen.check.violations[0].message + ".");
  }
}

}  // namespace

Result<PlanCheck> CheckPlan(const Schedule& schedule, const std::vector<Person>& team,
                            const PlanPolicy& policy) {
  PLINTH_ASSIGN_OR_RETURN(const date::time_zone* zone, FindZone(policy.time_zone));
  const int64_t start_ms = LocalToUtcMs(zone, policy.start_local_s);
  PlanCheck out;
  std::vector<Period> full;  // the quarters in the schedule zone, unclipped
  for (int64_t at = start_ms; full.size() < kQuarters; at = full.back().to_ms) {
    full.push_back(QuarterOf(at, zone));
    out.quarter_names.push_back(QuarterName(full.back().from_ms, zone));
    out.quarters.push_back({std::max(full.back().from_ms, start_ms), full.back().to_ms});
  }
  // The same quarters in each member's zone: the ones holding the middle of the schedule's.
  std::map<std::string, std::vector<Period>> quarters;  // by zone
  std::map<std::string, std::vector<Person>> people;    // by zone
  int64_t end_ms = out.quarters.back().to_ms;
  for (const Person& p : team) {
    people[p.time_zone].push_back(p);
    auto [it, added] = quarters.try_emplace(p.time_zone);
    if (!added) continue;
    PLINTH_ASSIGN_OR_RETURN(const date::time_zone* z, FindZone(p.time_zone));
    for (const Period& q : full) {
      Period mine = QuarterOf(q.from_ms + (q.to_ms - q.from_ms) / 2, z);
      mine.from_ms = std::max(mine.from_ms, start_ms);
      end_ms = std::max(end_ms, mine.to_ms);
      it->second.push_back(mine);
    }
  }
  PLINTH_ASSIGN_OR_RETURN(Resolution resolved, Resolve(schedule, {}, start_ms, end_ms));
  const std::vector<ScheduleShifts> shifts = {{schedule.name, std::move(resolved.final)}};
  FairnessPolicy fairness;
  fairness.max_weeks_per_quarter = policy.max_weeks_per_quarter;
  std::map<std::pair<std::string, int>, PersonLoad> loads;  // by (name, quarter)
  for (const auto& [zone_name, periods] : quarters) {
    for (int q = 0; q < kQuarters; ++q) {
      PLINTH_ASSIGN_OR_RETURN(FairnessReport report,
                              BuildFairnessReport(periods[q], people[zone_name], shifts, fairness));
      for (PersonLoad& l : report.people) {
        if (!l.unknown) loads[{l.name, q}] = std::move(l);
      }
    }
  }
  for (const Person& p : team) {
    PlanLoad load{p.name, p.time_zone, {}, 0, 0};
    for (int q = 0; q < kQuarters; ++q) {
      const PersonLoad& l = loads[{p.name, q}];
      load.weeks.push_back(l.weeks_on_call);
      load.on_call_ms += l.on_call_ms;
      load.off_hours_ms += l.off_hours_ms;
    }
    out.load.push_back(std::move(load));
  }
  for (int q = 0; q < kQuarters; ++q) {
    for (const PlanLoad& l : out.load) {
      if (l.weeks[q] <= policy.max_weeks_per_quarter) continue;
      const Period& mine = quarters[l.time_zone][q];
      out.violations.push_back({PlanViolation::kTooManyWeeks, l.person, q, mine.from_ms, mine.to_ms,
                                l.person + ": " + std::to_string(l.weeks[q]) +
                                    " weeks on call in " + out.quarter_names[q] +
                                    " (policy: at most " +
                                    std::to_string(policy.max_weeks_per_quarter) + ")"});
    }
  }
  for (const Shift& s : shifts[0].shifts) {
    int64_t from = std::max(s.start_ms, start_ms);
    int64_t to = std::min(s.end_ms, out.quarters.back().to_ms);
    if (!s.person.empty() || from >= to) continue;
    int q = 0;
    while (q + 1 < kQuarters && out.quarters[q].to_ms <= from) ++q;
    out.violations.push_back(
        {PlanViolation::kGap, "", q, from, to,
         "nobody on call from " + FormatRfc3339(from) + " to " + FormatRfc3339(to)});
  }
  std::set<std::string> known;
  for (const Person& p : team) known.insert(p.name);
  for (const Layer& layer : schedule.layers) {
    for (const std::string& name : layer.participants) {
      if (!known.insert(name).second) continue;
      out.violations.push_back({PlanViolation::kUnknownPerson, name, -1, 0, 0,
                                name + " is on call in " + layer.name + " but not in the team"});
    }
  }
  return out;
}

std::vector<Person> ScaledTeam(const std::vector<Person>& team, int size) {
  return Resize(team, size);
}

Result<Plan> PlanOnCall(const std::vector<Person>& team, const PlanPolicy& policy) {
  PLINTH_RETURN_IF_ERROR(Validate(team, policy));
  Context c{team, policy, *FindZone(policy.time_zone), 0, {}};
  c.start_ms = LocalToUtcMs(c.zone, policy.start_local_s);
  for (const Person& p : team) c.offsets.push_back(OffsetAt(*FindZone(p.time_zone), c.start_ms));

  std::vector<Candidate> all;
  std::vector<std::string> notes;
  if (policy.follow_the_sun) {
    std::string why;
    for (int k = kMaxRegions; k >= 2; --k) {
      if (std::optional<Candidate> cand = FollowTheSun(c, k, why)) {
        all.push_back(std::move(*cand));
      } else if (!why.empty()) {
        notes.push_back("Follow-the-sun in " + std::to_string(k) +
                        " regions is not possible: " + why + ".");
      }
    }
    if (all.empty() && notes.empty()) {
      notes.push_back("Follow-the-sun needs people in zones more than 3 hours apart.");
    }
  } else {
    notes.push_back("Follow-the-sun is off in the policy.");
  }
  std::vector<Person> same_clock;
  std::string left;
  for (const Person& p : team) {
    if (SameClock(c, p.time_zone)) {
      same_clock.push_back(p);
    } else {
      left += (left.empty() ? "" : ", ") + p.name;
    }
  }
  const bool off_midnight = policy.handoff_s.value_or(0) != 0;
  const std::string handoff = "handed over on Monday at " +
                              FormatTimeOfDay(policy.handoff_s.value_or(0)) + " " +
                              policy.time_zone;
  all.push_back(Plain(c, team, off_midnight || !left.empty(), "a plain rotation of everyone",
                      "A plain weekly rotation of everyone, " + handoff + "."));
  if (!same_clock.empty() && !left.empty()) {
    all.push_back(Plain(c, same_clock, off_midnight,
                        "a plain rotation of the people on the " + policy.time_zone + " clock",
                        "A plain weekly rotation of the people on the " + policy.time_zone +
                            " clock, " + handoff + "; left out: " + left +
                            ", whose turns would touch two of their calendar weeks."));
  }
  for (Candidate& cand : all) Evaluate(cand, c);

  // The first feasible; else the follow-the-sun shape needing the fewest people; else the first
  // plain one some size staffs; else the first.
  const Candidate* chosen = nullptr;
  const Candidate* smallest = nullptr;  // the minimum over all shapes
  for (const Candidate& cand : all) {
    if (cand.feasible && !chosen) chosen = &cand;
    if (cand.minimum > 0 && (!smallest || cand.minimum < smallest->minimum)) smallest = &cand;
  }
  for (const Candidate& cand : all) {
    if (chosen && (chosen->feasible || !chosen->follow_the_sun || !cand.follow_the_sun ||
                   cand.minimum >= chosen->minimum)) {
      continue;
    }
    if (cand.minimum > 0) chosen = &cand;
  }
  if (!chosen) chosen = &all.front();

  Plan plan;
  plan.feasible = chosen->feasible;
  plan.follow_the_sun = chosen->follow_the_sun;
  plan.minimum_team_size = smallest ? smallest->minimum : 0;
  plan.schedule = chosen->schedule;
  plan.rotations = chosen->rotations;
  plan.load = chosen->check.load;
  plan.notes.push_back(chosen->summary);
  for (std::string& n : notes) plan.notes.push_back(std::move(n));
  plan.notes.push_back(
      !smallest ? "No team size in the team's mix of zones meets the policy."
                : "Minimum team size in the team's mix of zones: " +
                      std::to_string(smallest->minimum) + " (" + smallest->label + ")" +
                      (smallest == chosen || chosen->minimum == 0
                           ? "."
                           : "; this plan is " + Count(chosen->minimum, "people") + "."));
  Explain(*chosen, all, c, plan.notes);
  return plan;
}

}  // namespace plinth::schedule
