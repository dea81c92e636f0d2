// The escalation golden corpus: every folder under tests/golden/escalation/ is one case. Its
// `input.yaml` holds
//   zone: Europe/Berlin        # the wall clock shown next to each UTC instant (default UTC)
//   incident: 7                # incident number for round-robin picks (default 1)
//   policy: {...}              # an EscalationPolicy spec (escalation/policy.h)
//   run: "2026-01-09T22:45:00Z"  # optional: follow one incident nobody acknowledges: fire at
//                              #   this instant from level 1, then at each step's next time
//   fires:                     # optional: single calls of Fire
//     - {at: "...", level: 2, pass: 1, incident: 3}   # level and pass from 1 (default 1)
//   service: {...}             # optional: a Service spec with paging, and
//   alerts: [{at: "...", severity: critical}]         #   the urgency of each alert
//   person: {...}              # optional: a Person spec; its plans for high and low urgency
// `expected.txt` holds each fire as one table row, every instant in UTC and on the wall clock;
// levels and passes are counted from 1 there (Position is 0-based). SKIPPED lists the levels
// passed over because their `when` excluded the instant. PLINTH_UPDATE_GOLDEN=1 rewrites
// expected.txt instead (review the diff line by line!).

#include "store/golden.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "base/time.h"
#include "base/yaml.h"
#include "escalation/notify_rules.h"
#include "escalation/paging.h"
#include "escalation/policy.h"
#include "escalation/spec.h"
#include "schedule/model.h"
#include "schedule/spec.h"
#include "schedule/zone.h"

namespace plinth::escalation {
namespace {

namespace fs = std::filesystem;

const fs::path kCases = fs::path(PLINTH_SOURCE_DIR) / "tests/golden/escalation";
constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr int kMaxRunSteps = 250;

std::string Str(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

int Int(const Json& obj, const char* key, int fallback) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

// "2026-03-29T07:00:00Z (09:00 +02:00 Sun)": the instant in UTC and on the zone's wall clock.
std::string When(const date::time_zone* zone, int64_t ms) {
  int64_t local = schedule::UtcToLocalS(zone, ms);
  int64_t offset = local - schedule::FloorDiv(ms, 1000);
  int64_t abs = offset < 0 ? -offset : offset;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset < 0 ? '-' : '+',
                static_cast<int>(abs / schedule::kHour),
                static_cast<int>(abs / schedule::kMinute % 60));
  int64_t tod = local - schedule::FloorDiv(local, schedule::kDay) * schedule::kDay;
  return FormatRfc3339(ms) + " (" + schedule::FormatTimeOfDay(tod) + " " + buf + " " +
         kDays[schedule::WeekdayOf(local)] + ")";
}

std::string Pos(Position p) {
  return "L" + std::to_string(p.level + 1) + " P" + std::to_string(p.loop + 1);
}

std::string Targets(const Level& level, int64_t incident, int loop) {
  auto text = [](const Target& t) { return std::string(KindName(t.kind)) + " " + t.name; };
  if (level.round_robin) {
    size_t pick = RoundRobinPick(level.targets.size(), incident, loop);
    return "roundRobin: " + text(level.targets[pick]) + " (" + std::to_string(pick + 1) + " of " +
           std::to_string(level.targets.size()) + ")";
  }
  std::string out = "all:";
  for (size_t i = 0; i < level.targets.size(); ++i) {
    out += (i ? ", " : " ") + text(level.targets[i]);
  }
  return out;
}

// The levels passed over between `from` and `to` (exclusive), or up to the end of the policy.
std::string Skipped(const Policy& p, Position from, std::optional<Position> to) {
  std::string out;
  for (Position at = from; at.loop <= p.repeat && at.level < int(p.levels.size());) {
    if (to && at == *to) break;
    out += (out.empty() ? "" : ", ") + Pos(at);
    at = at.level + 1 < int(p.levels.size()) ? Position{at.level + 1, at.loop}
                                             : Position{0, at.loop + 1};
  }
  return out.empty() ? "-" : out;
}

std::vector<std::string> Row(const Policy& p, const date::time_zone* zone, int64_t now,
                             Position from, int64_t incident) {
  auto step = Fire(p, from, now);
  if (!step) return {When(zone, now), Pos(from), "nothing", Skipped(p, from, std::nullopt)};
  return {When(zone, now),
          Pos(from),
          Pos(step->at),
          Skipped(p, from, step->at),
          Targets(*step->level, incident, step->at.loop),
          step->next ? Pos(*step->next) : "end",
          When(zone, step->next_at_ms)};
}

const std::vector<std::string> kHeader = {"AT",       "FROM", "FIRES",  "SKIPPED",
                                          "NOTIFIES", "NEXT", "NEXT AT"};

std::string RunCase(const std::string& name, const fs::path& dir) {
  auto docs = ParseYaml(golden::ReadFile(dir / "input.yaml"), "input.yaml");
  if (!docs.ok()) return "error: " + docs.error().ToString() + "\n";
  if (docs->size() != 1) return "error: input.yaml must hold one document\n";
  const Json& in = (*docs)[0].value;
  std::string zone_name = in.contains("zone") ? Str(in, "zone") : "UTC";
  auto zone = schedule::FindZone(zone_name);
  if (!zone.ok()) return "error: " + zone.error().message + "\n";
  int64_t incident = Int(in, "incident", 1);
  std::string out = "wall clock " + zone_name + "\n";

  if (in.contains("policy")) {
    auto policy = PolicyFromSpec(name, in["policy"]);
    if (!policy.ok()) {
      const Error& e = policy.error();
      return out + "error: " + (e.fields.empty() ? "" : e.fields[0].pointer + ": ") +
             (e.fields.empty() ? e.message : e.fields[0].message) + "\n";
    }
    const Policy& p = *policy;
    out += "policy " + name + ": " + std::to_string(p.levels.size()) + " levels, repeat " +
           std::to_string(p.repeat) + ", incident " + std::to_string(incident) + "\n";
    if (in.contains("run")) {
      auto start = ParseRfc3339(Str(in, "run"));
      if (!start.ok()) return out + "error: run must be an RFC 3339 instant\n";
      out += "\nrun from " + When(*zone, *start) + "\n";
      std::vector<std::vector<std::string>> rows = {kHeader};
      std::optional<Position> at = Position{};
      int64_t now = *start;
      for (int i = 0; at && i < kMaxRunSteps; ++i) {
        rows.push_back(Row(p, *zone, now, *at, incident));
        auto step = Fire(p, *at, now);
        if (!step) break;
        at = step->next;
        now = step->next_at_ms;
      }
      out += golden::Table(rows);
    }
    if (auto it = in.find("fires"); it != in.end() && it->is_array()) {
      out += "\nfires\n";
      std::vector<std::vector<std::string>> rows = {kHeader};
      for (const Json& f : *it) {
        auto at = ParseRfc3339(Str(f, "at"));
        if (!at.ok()) return out + "error: each fire needs an RFC 3339 `at`\n";
        Position from{Int(f, "level", 1) - 1, Int(f, "pass", 1) - 1};
        rows.push_back(Row(p, *zone, *at, from, Int(f, "incident", int(incident))));
      }
      out += golden::Table(rows);
    }
  }

  if (in.contains("service")) {
    auto paging = ServicePagingFromSpec(in["service"]);
    if (!paging.ok()) return out + "error: " + paging.error().ToString() + "\n";
    if (!*paging) return out + "\nservice has no paging settings\n";
    out += "\nalerts (service paging: policy " + (*paging)->policy + ")\n";
    std::vector<std::vector<std::string>> rows = {{"AT", "SEVERITY", "URGENCY"}};
    if (auto it = in.find("alerts"); it != in.end() && it->is_array()) {
      for (const Json& a : *it) {
        auto at = ParseRfc3339(Str(a, "at"));
        if (!at.ok()) return out + "error: each alert needs an RFC 3339 `at`\n";
        rows.push_back({When(*zone, *at), Str(a, "severity"),
                        UrgencyName(UrgencyOf(**paging, Str(a, "severity"), *at))});
      }
    }
    out += golden::Table(rows);
  }

  if (in.contains("person")) {
    PersonNotify person = PersonNotifyFromSpec(in["person"]);
    for (Urgency u : {Urgency::kHigh, Urgency::kLow}) {
      out += std::string("\nplan for a ") + UrgencyName(u) + "-urgency page\n";
      std::vector<std::vector<std::string>> rows = {{"AFTER", "TYPE", "ADDRESS"}};
      for (const Planned& n : PlanNotifications(person, u)) {
        rows.push_back({FormatDurationMs(n.after_ms), n.type, n.address});
      }
      out += golden::Table(rows);
    }
  }
  return out;
}

std::vector<std::string> CaseNames() { return golden::CaseNames(kCases); }

class EscalationGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(EscalationGoldenTest, MatchesExpected) {
  const std::string& name = GetParam();
  fs::path dir = kCases / name;
  golden::ExpectMatches(dir, RunCase(name, dir));
}

TEST(GoldenEscalationCorpus, HasCases) { EXPECT_GE(CaseNames().size(), 10u); }

INSTANTIATE_TEST_SUITE_P(Golden, EscalationGoldenTest, ::testing::ValuesIn(CaseNames()),
                         golden::ParamName);

}  // namespace
}  // namespace plinth::escalation
