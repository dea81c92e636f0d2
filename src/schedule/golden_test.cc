// The schedule golden corpus: every folder under tests/golden/schedule/ is one case. Its
// `input.yaml` holds `schedule` (the spec as a user writes it), `overrides` (a list of
// {person, start, end} in RFC 3339, optional `id`, default o1, o2, ...), `from` and `to`;
// `expected.txt` is the resolved final schedule and each layer's shifts as tables, every
// instant in UTC and on the schedule's wall clock, compared exactly. SOURCE is the layer or
// "override <id>", "-" for a gap; LENGTH is the real (elapsed) length.
// PLINTH_UPDATE_GOLDEN=1 rewrites expected.txt instead (review the diff line by line!).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "base/time.h"
#include "base/yaml.h"
#include "schedule/resolve.h"
#include "schedule/spec.h"
#include "schedule/zone.h"
#include "store/golden.h"

namespace plinth::schedule {
namespace {

namespace fs = std::filesystem;

const fs::path kCases = fs::path(PLINTH_SOURCE_DIR) / "tests/golden/schedule";
constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

std::string Str(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// "2026-03-29T07:00:00Z (09:00 +02:00 Sun)": the instant in UTC and on the zone's wall clock.
std::string When(const date::time_zone* zone, int64_t ms) {
  int64_t local = UtcToLocalS(zone, ms);
  int64_t offset = local - FloorDiv(ms, 1000);
  int64_t abs = offset < 0 ? -offset : offset;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset < 0 ? '-' : '+',
                static_cast<int>(abs / kHour), static_cast<int>(abs / kMinute % 60));
  return FormatRfc3339(ms) + " (" + FormatTimeOfDay(local - FloorDiv(local, kDay) * kDay) + " " +
         buf + " " + kDays[WeekdayOf(local)] + ")";
}

std::vector<std::string> Row(const date::time_zone* zone, const Shift& s, bool with_source) {
  std::vector<std::string> row = {When(zone, s.start_ms), When(zone, s.end_ms),
                                  s.person.empty() ? "(gap)" : s.person};
  if (with_source && s.source.empty()) row.push_back("-");
  if (with_source && !s.source.empty()) {
    row.push_back(s.override_id.empty() ? s.source : s.source + " " + s.override_id);
  }
  row.push_back(FormatDuration((s.end_ms - s.start_ms) / 1000));
  return row;
}

// The case's output: the final schedule, then each layer's shifts, or the error.
std::string RunCase(const std::string& name, const fs::path& dir) {
  auto docs = ParseYaml(golden::ReadFile(dir / "input.yaml"), "input.yaml");
  if (!docs.ok()) return "error: " + docs.error().ToString() + "\n";
  if (docs->size() != 1) return "error: input.yaml must hold one document\n";
  const Json& in = (*docs)[0].value;
  Schedule schedule = FromSpec(name, in.value("schedule", Json::object()));
  std::vector<Override> overrides;
  if (auto it = in.find("overrides"); it != in.end() && it->is_array()) {
    for (const Json& o : *it) {
      std::string id = Str(o, "id");
      if (id.empty()) id = "o" + std::to_string(overrides.size() + 1);
      auto start = ParseRfc3339(Str(o, "start"));
      auto end = ParseRfc3339(Str(o, "end"));
      if (!start.ok() || !end.ok()) return "error: bad override times\n";
      overrides.push_back({id, Str(o, "person"), *start, *end});
    }
  }
  auto from = ParseRfc3339(Str(in, "from"));
  auto to = ParseRfc3339(Str(in, "to"));
  if (!from.ok() || !to.ok()) return "error: from and to must be RFC 3339 instants\n";
  auto r = Resolve(schedule, overrides, *from, *to);
  if (!r.ok()) return "error: " + r.error().ToString() + "\n";
  const date::time_zone* zone = *FindZone(schedule.time_zone);

  std::string out = "schedule " + name + " in " + schedule.time_zone + "\n";
  out += "from " + When(zone, *from) + "\nto   " + When(zone, *to) + "\n\n";
  out += "final schedule\n";
  std::vector<std::vector<std::string>> rows = {{"START", "END", "PERSON", "SOURCE", "LENGTH"}};
  for (const Shift& s : r->final) rows.push_back(Row(zone, s, true));
  out += golden::Table(rows);
  for (size_t i = 0; i < schedule.layers.size(); ++i) {
    out += "\nlayer " + std::to_string(i) + ": " + schedule.layers[i].name + "\n";
    if (r->layers[i].empty()) {
      out += "(no shifts)\n";
      continue;
    }
    rows = {{"START", "END", "PERSON", "LENGTH"}};
    for (const Shift& s : r->layers[i]) rows.push_back(Row(zone, s, false));
    out += golden::Table(rows);
  }
  return out;
}

std::vector<std::string> CaseNames() { return golden::CaseNames(kCases); }

class ScheduleGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ScheduleGoldenTest, MatchesExpected) {
  const std::string& name = GetParam();
  fs::path dir = kCases / name;
  std::string actual = RunCase(name, dir);
  golden::ExpectMatches(dir, actual);
}

TEST(GoldenScheduleCorpus, HasCases) { EXPECT_GE(CaseNames().size(), 14u); }

INSTANTIATE_TEST_SUITE_P(Golden, ScheduleGoldenTest, ::testing::ValuesIn(CaseNames()),
                         golden::ParamName);

}  // namespace
}  // namespace plinth::schedule
