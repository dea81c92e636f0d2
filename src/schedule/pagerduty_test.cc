// The PagerDuty import: the golden corpus under tests/golden/pagerduty/ (one directory per
// case: input.json, optional people.txt "ID-OR-EMAIL PERSON" lines and options.txt lines
// "input PATH" / "people PATH" / "name NAME" / "create_people" / "keep_partial_turns";
// the dump is compared exactly with expected.txt, PLINTH_UPDATE_GOLDEN=1 rewrites it), then
// targeted cases on small documents.

#include "schedule/pagerduty.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/time.h"
#include "schedule/resolve.h"
#include "schedule/spec.h"

namespace plinth::schedule {
namespace {

namespace fs = std::filesystem;

const fs::path kCases = fs::path(PLINTH_SOURCE_DIR) / "tests/golden/pagerduty";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int64_t Ms(const std::string& rfc3339) { return ParseRfc3339(rfc3339).value(); }
int64_t LocalS(const std::string& wall) { return Ms(wall + "Z") / 1000; }

std::string Dump(const Result<PagerDutyImport>& r) {
  if (!r.ok()) return "error: " + r.error().message + "\n" + r.error().ToString() + "\n";
  std::string out = "schedule " + r->schedule.name + "\n";
  if (!r->description.empty()) out += "description: " + r->description + "\n";
  out += ToSpec(r->schedule).dump(2) + "\n";
  for (size_t i = 0; i < r->layer_users.size(); ++i) {
    out += "layer " + r->schedule.layers[i].name + " pagerduty:";
    for (const PdUser& u : r->layer_users[i]) out += " " + u.id;
    out += "\n";
  }
  for (const Override& o : r->overrides) {
    out += "override " + o.id + " " + o.person + " " + FormatRfc3339(o.start_ms) + " " +
           FormatRfc3339(o.end_ms) + "\n";
  }
  for (const PdUserMapping& m : r->users) {
    out += "user " + m.user.id + " \"" + m.user.summary + "\" <" + m.user.email + "> -> " +
           m.person + (m.create ? " (create)" : "") + " at " + m.pointer + "\n";
  }
  for (const std::string& n : r->notes) out += "note: " + n + "\n";
  return out;
}

std::map<std::string, std::string> LoadPeople(const fs::path& p) {
  std::map<std::string, std::string> people;
  std::istringstream in(ReadFile(p));
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string key, person;
    if (words >> key >> person && !key.starts_with("#")) people[key] = person;
  }
  return people;
}

std::string RunCase(const fs::path& dir) {
  fs::path input = dir / "input.json", people = dir / "people.txt";
  PagerDutyImportOptions options;
  std::istringstream lines(ReadFile(dir / "options.txt"));
  for (std::string line; std::getline(lines, line);) {
    std::string key = line.substr(0, line.find(' '));
    std::string value = line.find(' ') == std::string::npos ? "" : line.substr(key.size() + 1);
    if (key == "input") input = dir / value;
    if (key == "people") people = dir / value;
    if (key == "name") options.name = value;
    if (key == "create_people") options.create_people = true;
    if (key == "keep_partial_turns") options.keep_partial_turns = true;
  }
  auto doc = ParseJson(ReadFile(input));
  if (!doc.ok()) return "bad input: " + doc.error().message;
  return Dump(
      ImportPagerDuty(*doc, input.filename().string(), PdPeopleTable(LoadPeople(people)), options));
}

TEST(PagerDutyGolden, Corpus) {
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(kCases)) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  ASSERT_GE(dirs.size(), 6u);
  bool update = std::getenv("PLINTH_UPDATE_GOLDEN") != nullptr;
  for (const fs::path& dir : dirs) {
    SCOPED_TRACE(dir.filename().string());
    std::string got = RunCase(dir);
    if (update) std::ofstream(dir / "expected.txt", std::ios::binary) << got;
    EXPECT_EQ(got, ReadFile(dir / "expected.txt"));
  }
}

Result<PagerDutyImport> ImportCase(const std::string& name, PagerDutyImportOptions options = {}) {
  Json doc = ParseJson(ReadFile(kCases / name / "input.json")).value();
  return ImportPagerDuty(doc, "input.json", PdPeopleTable(LoadPeople(kCases / name / "people.txt")),
                         options);
}

TEST(PagerDuty, TwoLayersExactModel) {
  auto r = ImportCase("two-layers");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  std::vector<Restriction> office;
  for (int day = 0; day < 5; ++day)
    office.push_back({Restriction::kWeekly, day, 9 * kHour, 8 * kHour});
  Schedule want{"payments-primary",
                "Europe/Berlin",
                {// PagerDuty's last layer (the base, "Layer 1") comes first. It took effect
                 // mid-turn on 2026-02-18, so it starts at the next handoff, turn 7 (Ben's).
                 {"primary-weekly",
                  {"ben", "chloe", "ana"},
                  kWeek,
                  LocalS("2026-02-23T09:00:00"),
                  std::nullopt,
                  {}},
                 {"office-hours",
                  {"dan", "ana"},
                  kDay,
                  LocalS("2026-01-05T09:00:00"),
                  std::nullopt,
                  office}}};
  EXPECT_EQ(r->schedule, want);
  EXPECT_EQ(r->overrides, (std::vector<Override>{{"PQ47DCP", "dan", Ms("2026-03-02T08:00:00Z"),
                                                  Ms("2026-03-09T08:00:00Z")}}));
  ASSERT_EQ(r->users.size(), 4u);
  // Dan's e-mail comes from the layer, so the override's reference (no e-mail) resolves too.
  EXPECT_EQ(r->users[0], (PdUserMapping{{"PDA78KL", "Dan Weber", "dan.weber@example.com"},
                                        "dan",
                                        false,
                                        "/schedule/schedule_layers/0/users/0/user"}));
  EXPECT_EQ(r->layer_users[0][0].id, "PBE34FG");
  EXPECT_EQ(r->description,
            "First responder for the payments API and the card processor integration");
  ASSERT_EQ(r->notes.size(), 1u);
  EXPECT_EQ(r->notes[0],
            "schedule.schedule_layers[1] \"Primary Weekly\": PagerDuty starts it at "
            "2026-02-18T13:37:12Z, mid-turn; plinth starts it at the next handoff, "
            "2026-02-23T08:00:00Z, so nobody is on this layer until then (ana's turn)");

  // The spec form reads back to the same model, and the top layer wins in office hours.
  EXPECT_EQ(FromSpec(want.name, ToSpec(r->schedule)), r->schedule);
  auto at = [&](const std::string& t) {
    return OnCallAt(r->schedule, r->overrides, Ms(t))->person;
  };
  EXPECT_EQ(at("2026-02-24T10:00:00+01:00"), "dan");  // Tuesday: office hours, turn 50
  EXPECT_EQ(at("2026-02-24T20:00:00+01:00"), "ben");  // Tuesday evening: the weekly layer
  EXPECT_EQ(at("2026-03-03T20:00:00+01:00"), "dan");  // the override
  EXPECT_EQ(at("2026-02-20T20:00:00+01:00"), "");     // before the weekly layer's first turn
}

// A document with one layer per name given, in the order given (PagerDuty's: top first).
Json Doc(const std::vector<std::string>& layer_names, const std::string& start,
         const std::string& virtual_start) {
  Json layers = Json::array();
  for (const auto& name : layer_names) {
    layers.push_back({{"id", "PLAYER" + std::to_string(layers.size())},
                      {"name", name},
                      {"start", start},
                      {"end", nullptr},
                      {"rotation_virtual_start", virtual_start},
                      {"rotation_turn_length_seconds", 86400},
                      {"users",
                       {{{"user", {{"id", "PA"}, {"summary", "A"}}}},
                        {{"user", {{"id", "PB"}, {"summary", "B"}}}},
                        {{"user", {{"id", "PC"}, {"summary", "C"}}}}}}});
  }
  return {{"schedule", {{"name", "Ops"}, {"time_zone", "UTC"}, {"schedule_layers", layers}}}};
}

PagerDutyImportOptions Options(std::string name, bool create_people = false,
                               bool keep_partial_turns = false) {
  return {std::move(name), create_people, keep_partial_turns};
}

const PdPersonResolver kLower = [](const PdUser& u) -> std::optional<std::string> {
  return u.summary == "A" ? "a" : u.summary == "B" ? "b" : "c";
};

TEST(PagerDuty, LayerOrderIsReversed) {
  auto r = ImportPagerDuty(Doc({"Layer 3", "Layer 2", "Layer 1", "Layer 1"}, "2026-01-01T00:00:00Z",
                               "2026-01-01T00:00:00Z"),
                           "f", kLower);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  std::vector<std::string> names;
  for (const Layer& l : r->schedule.layers) names.push_back(l.name);
  EXPECT_EQ(names, (std::vector<std::string>{"layer-1", "layer-1-2", "layer-2", "layer-3"}));
}

TEST(PagerDuty, StartAfterVirtualStartRotates) {
  Json doc = Doc({"L"}, "2026-01-05T12:00:00Z", "2026-01-01T00:00:00Z");
  auto r = ImportPagerDuty(doc, "f", kLower);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  // Turns: Jan 1 a, Jan 2 b, ... Jan 5 b (turn 4), Jan 6 c (turn 5).
  EXPECT_EQ(r->schedule.layers,
            (std::vector<Layer>{
                {"l", {"c", "a", "b"}, kDay, LocalS("2026-01-06T00:00:00"), std::nullopt, {}}}));
  EXPECT_EQ(r->notes,
            (std::vector<std::string>{
                "schedule.schedule_layers[0] \"L\": PagerDuty starts it at "
                "2026-01-05T12:00:00Z, mid-turn; plinth starts it at the next handoff, "
                "2026-01-06T00:00:00Z, so nobody is on this layer until then (b's turn)"}));

  auto exact = ImportPagerDuty(doc, "f", kLower, Options("", false, true));
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(
      exact->schedule.layers,
      (std::vector<Layer>{
          {"l-lead-in", {"b"}, kDay, LocalS("2026-01-05T12:00:00"), Ms("2026-01-06T00:00:00Z"), {}},
          {"l", {"c", "a", "b"}, kDay, LocalS("2026-01-06T00:00:00"), std::nullopt, {}}}));
  EXPECT_EQ(exact->layer_users[0], (std::vector<PdUser>{{"PB", "B", ""}}));

  doc["schedule"]["schedule_layers"][0]["end"] = "2026-01-05T18:00:00Z";
  doc["schedule"]["schedule_layers"].push_back(doc["schedule"]["schedule_layers"][0]);
  doc["schedule"]["schedule_layers"][1]["end"] = "2026-01-05T12:00:00Z";
  doc["schedule"]["schedule_layers"][1]["name"] = "M";
  r = ImportPagerDuty(doc, "f", kLower);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ToString(), "f: schedule.schedule_layers: no layer ever has anyone on call");
  EXPECT_EQ(ImportPagerDuty(doc, "f", kLower, Options("", false, true))->schedule.layers,
            (std::vector<Layer>{{"l-lead-in",
                                 {"b"},
                                 kDay,
                                 LocalS("2026-01-05T12:00:00"),
                                 Ms("2026-01-05T18:00:00Z"),
                                 {}}}));
}

TEST(PagerDuty, VirtualStartAfterStartCountsBack) {
  // Turn 0 on Jan 10 (a): Jan 6 is turn -4, c.
  auto r = ImportPagerDuty(Doc({"L"}, "2026-01-05T12:00:00Z", "2026-01-10T00:00:00Z"), "f", kLower);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->schedule.layers[0].participants, (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(r->schedule.layers[0].start_local_s, LocalS("2026-01-06T00:00:00"));
  EXPECT_EQ(r->notes.size(), 1u);
}

TEST(PagerDuty, FirstHandoffSkipsASpringForwardGap) {
  Json doc = Doc({"L"}, "2026-03-28T12:00:00+01:00", "2026-03-27T02:30:00+01:00");
  doc["schedule"]["time_zone"] = "Europe/Berlin";
  auto r = ImportPagerDuty(doc, "f", kLower);
  ASSERT_TRUE(r.ok());
  // 2026-03-29T02:30 does not exist in Berlin (turn 2); turn 3 is on the 30th.
  EXPECT_EQ(r->schedule.layers[0].start_local_s, LocalS("2026-03-30T02:30:00"));
  EXPECT_EQ(r->schedule.layers[0].participants, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(FromSpec("ops", ToSpec(r->schedule)), r->schedule);
}

TEST(PagerDuty, StartOnAHandoffNeedsNoNote) {
  auto r = ImportPagerDuty(Doc({"L"}, "2026-01-03T00:00:00Z", "2026-01-01T00:00:00Z"), "f", kLower);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->schedule.layers[0].participants, (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(r->schedule.layers[0].start_local_s, LocalS("2026-01-03T00:00:00"));
  EXPECT_TRUE(r->notes.empty());
}

TEST(PagerDuty, PeopleTableById) {
  auto table = PdPeopleTable({{"PA", "ana"}, {"Ben@Example.com", "ben"}, {"ana@example.com", "x"}});
  EXPECT_EQ(table({"PA", "Ana", "ana@example.com"}), "ana");  // the id wins
  EXPECT_EQ(table({"PB", "Ben", "ben@EXAMPLE.com"}), "ben");  // e-mail, any case
  EXPECT_EQ(table({"PC", "Cy", ""}), std::nullopt);
  EXPECT_EQ(table({"PD", "", "dan@example.com"}), std::nullopt);
}

TEST(PagerDuty, UnresolvedUsersAreErrorsUnlessCreated) {
  auto none = [](const PdUser&) -> std::optional<std::string> { return std::nullopt; };
  auto r =
      ImportPagerDuty(Doc({"L"}, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"), "pd.json", none);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "3 problems in the PagerDuty schedule");
  EXPECT_EQ(r.error().ToString(),
            "pd.json: schedule.schedule_layers[0].users[0].user: no plinth person for PagerDuty "
            "user PA \"A\" (map it, or create people: suggested name \"a\")\n"
            "pd.json: schedule.schedule_layers[0].users[1].user: no plinth person for PagerDuty "
            "user PB \"B\" (map it, or create people: suggested name \"b\")\n"
            "pd.json: schedule.schedule_layers[0].users[2].user: no plinth person for PagerDuty "
            "user PC \"C\" (map it, or create people: suggested name \"c\")");
  auto bad = [](const PdUser&) -> std::optional<std::string> { return "Ana Lopez"; };
  r = ImportPagerDuty(Doc({"L"}, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"), "", bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields[0].message,
            "PagerDuty user PA maps to \"Ana Lopez\", which is not a valid plinth name");
}

TEST(PagerDuty, ScheduleName) {
  Json doc = Doc({"L"}, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
  doc["schedule"]["name"] = "  Zürich  Ops (24/7)!  ";
  EXPECT_EQ(ImportPagerDuty(doc, "", kLower)->schedule.name, "zurich-ops-24-7");
  EXPECT_EQ(ImportPagerDuty(doc, "", kLower, Options("ops"))->schedule.name, "ops");
  EXPECT_EQ(ImportPagerDuty(doc, "", kLower, Options("-ops")).error().ToString(),
            "\"-ops\" is not a valid schedule name");
  doc["schedule"]["name"] = "運用";
  EXPECT_EQ(ImportPagerDuty(doc, "", kLower).error().ToString(),
            "schedule.name: \"運用\" has nothing usable in a plinth name; pass a name");
  doc["schedule"]["name"] = std::string(80, 'x');
  EXPECT_EQ(ImportPagerDuty(doc, "", kLower)->schedule.name, std::string(63, 'x'));
}

Json With(Json base, const Json& patch) {
  base.merge_patch(patch);
  return base;
}

struct BadCase {
  std::string pointer;  // into Doc({"L"}, ...)
  Json value;           // replaces it; null removes the key
  std::string want;
};

TEST(PagerDuty, BadInputs) {
  const std::string l = "/schedule/schedule_layers/0";
  const std::string r0 = l + "/restrictions/0";
  const Json daily = {
      {"type", "daily_restriction"}, {"start_time_of_day", "09:00:00"}, {"duration_seconds", 3600}};
  const std::vector<BadCase> cases = {
      {"/schedule", 5, "schedule: must be an object"},
      {"/schedule/name", nullptr, "schedule.name: is required"},
      {"/schedule/time_zone", "Europe/Berlln",
       "schedule.time_zone: unknown time zone \"Europe/Berlln\" (expected an IANA zone such as "
       "Europe/Berlin)"},
      {"/schedule/time_zone", 1, "schedule.time_zone: must be a string"},
      {"/schedule/schedule_layers", Json::array(),
       "schedule.schedule_layers: must list at least one layer"},
      {"/schedule/schedule_layers", Json::object(), "schedule.schedule_layers: must be an array"},
      {l, "x", "schedule.schedule_layers[0]: must be an object"},
      {l + "/start", "2026-13-01T00:00:00Z",
       "schedule.schedule_layers[0].start: invalid timestamp \"2026-13-01T00:00:00Z\" (expected "
       "RFC 3339, e.g. 2026-01-05T09:00:00+01:00)"},
      {l + "/end", true, "schedule.schedule_layers[0].end: must be a string"},
      {l + "/rotation_virtual_start", nullptr,
       "schedule.schedule_layers[0].rotation_virtual_start: is required"},
      {l + "/rotation_turn_length_seconds", -604800,
       "schedule.schedule_layers[0].rotation_turn_length_seconds: must be a positive integer"},
      {l + "/rotation_turn_length_seconds", 86400.5,
       "schedule.schedule_layers[0].rotation_turn_length_seconds: must be a positive integer"},
      {l + "/rotation_turn_length_seconds", 59,
       "schedule.schedule_layers[0].rotation_turn_length_seconds: must be at least 60 (one "
       "minute)"},
      {l + "/rotation_turn_length_seconds", 18446744073709551615ULL,
       "schedule.schedule_layers[0].rotation_turn_length_seconds: must be at most 31622400 (366 "
       "days)"},
      {l + "/users", Json::array(),
       "schedule.schedule_layers[0].users: must list at least one user"},
      {l + "/users/1",
       {{"user", nullptr}},
       "schedule.schedule_layers[0].users[1].user: is required"},
      {l + "/users/1/user", "PB", "schedule.schedule_layers[0].users[1].user: must be an object"},
      {l + "/users/1/user/id", 7, "schedule.schedule_layers[0].users[1].user.id: must be a string"},
      {l + "/restrictions", "daily", "schedule.schedule_layers[0].restrictions: must be an array"},
      {l + "/restrictions",
       {daily, 3},
       "schedule.schedule_layers[0].restrictions[1]: must be an object"},
      {l + "/restrictions",
       {With(daily, {{"type", "monthly_restriction"}}), daily},
       "schedule.schedule_layers[0].restrictions[0].type: unknown restriction type "
       "\"monthly_restriction\" (expected daily_restriction or weekly_restriction)"},
      {l + "/restrictions",
       {With(daily, {{"start_time_of_day", "24:00:00"}})},
       "schedule.schedule_layers[0].restrictions[0].start_time_of_day: invalid time of day "
       "\"24:00:00\" (expected HH:MM:SS)"},
      {l + "/restrictions",
       {With(daily, {{"duration_seconds", 86401}})},
       "schedule.schedule_layers[0].restrictions[0].duration_seconds: must be at most 86400 (one "
       "day) for a daily_restriction"},
      {l + "/restrictions",
       {With(daily, {{"type", "weekly_restriction"},
                     {"start_day_of_week", 1},
                     {"duration_seconds", 604801}})},
       "schedule.schedule_layers[0].restrictions[0].duration_seconds: must be at most 604800 (one "
       "week) for a weekly_restriction"},
      {l + "/restrictions",
       {With(daily, {{"type", "weekly_restriction"}})},
       "schedule.schedule_layers[0].restrictions[0].start_day_of_week: is required"},
      {l + "/restrictions",
       {With(daily, {{"type", "weekly_restriction"}, {"start_day_of_week", 0}})},
       "schedule.schedule_layers[0].restrictions[0].start_day_of_week: must be an integer from 1 "
       "(Monday) to 7 (Sunday)"},
      {"/overrides", {{"x", 1}}, "overrides.overrides: is required"},
      {"/overrides",
       {{{"id", "PO"},
         {"start", "2026-01-02T00:00:00Z"},
         {"end", "2026-01-01T00:00:00Z"},
         {"user", {{"id", "PA"}}}}},
       "overrides[0].end: must be after start"},
      {"/overrides",
       {{{"id", "PO"}, {"start", "2026-01-01T00:00:00Z"}, {"end", "2026-01-02T00:00:00Z"}}},
       "overrides[0].user: is required"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.pointer + " = " + c.value.dump());
    Json doc = Doc({"L"}, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
    Json::json_pointer ptr(c.pointer);
    if (c.value.is_null()) {
      doc[ptr.parent_pointer()].erase(ptr.back());
    } else {
      doc[ptr] = c.value;
    }
    auto r = ImportPagerDuty(doc, "f.json", kLower);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(r.error().ToString(), "f.json: " + c.want);
  }
}

// Every value of a real export replaced by each wrong-typed or extreme value: an error or a
// result, never a crash.
TEST(PagerDuty, NeverCrashesOnWrongTypes) {
  const Json doc = ParseJson(ReadFile(kCases / "two-layers/input.json")).value();
  std::vector<Json::json_pointer> pointers;
  std::function<void(const Json&, const Json::json_pointer&)> walk = [&](const Json& j, auto p) {
    pointers.push_back(p);
    if (j.is_object())
      for (auto& [k, v] : j.items()) walk(v, p / k);
    if (j.is_array())
      for (size_t i = 0; i < j.size(); ++i) walk(j[i], p / i);
  };
  walk(doc, Json::json_pointer());
  const std::vector<Json> values = {nullptr,
                                    0,
                                    -1,
                                    1e300,
                                    "",
                                    "x",
                                    true,
                                    Json::array(),
                                    Json::object(),
                                    9223372036854775807LL,
                                    60,
                                    86400,
                                    "0000-01-01T00:00:00Z",
                                    "9999-12-31T23:59:59+14:00"};
  for (const auto& p : pointers) {
    for (const Json& v : values) {
      Json bad = doc;
      bad[p] = v;
      auto r = ImportPagerDuty(bad, "f", [](const PdUser& u) { return std::optional(u.id); });
      if (!r.ok()) {
        EXPECT_FALSE(r.error().fields.empty()) << p.to_string() << " = " << v.dump();
      }
    }
  }
}

}  // namespace
}  // namespace plinth::schedule
