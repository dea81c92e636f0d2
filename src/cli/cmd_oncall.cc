// `plinth oncall ...`: who is on call, final schedules (table, JSON, iCalendar), overrides, the
// fairness report, the planner, and the PagerDuty import.

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>

#include "base/time.h"
#include "catalog/apply.h"
#include "catalog/manifest.h"
#include "catalog/repository.h"
#include "cli/commands.h"
#include "oncall/oncall.h"
#include "oncall/overrides.h"
#include "schedule/ical.h"
#include "schedule/pagerduty.h"
#include "schedule/planner.h"
#include "schedule/spec.h"
#include "schedule/zone.h"

namespace plinth::cli {

namespace {

constexpr int64_t kDayMs = 86400LL * 1000;

Result<int64_t> TimeFlag(const Flags& flags, const std::string& name, int64_t fallback) {
  auto v = flags.Get(name);
  if (!v) return fallback;
  auto t = ParseRfc3339(*v);
  if (!t.ok()) {
    return Error::Invalid("--" + name + ": expected an RFC 3339 time such as "
                                        "2026-11-22T09:00:00Z (got \"" + *v + "\")");
  }
  return *t;
}

// --name N, a whole number from 1 to 52; `fallback` when absent.
Result<int> WeeksFlag(const Flags& flags, const std::string& name, int fallback) {
  auto v = flags.Get(name);
  if (!v) return fallback;
  int n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < 1 || n > 52) {
    return Error::Invalid("--" + name + ": expected a whole number from 1 to 52 (got \"" + *v + "\")");
  }
  return n;
}

Result<std::string> FormatFlag(const Flags& flags, std::vector<std::string> allowed) {
  std::string f = flags.GetOr("format", "table");
  for (const auto& a : allowed) {
    if (a == f) return f;
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  return Error::Invalid("--format: expected one of " + list + " (got \"" + f + "\")");
}

Result<std::string> OnePositional(const Flags& flags, const char* what) {
  if (flags.positional().size() != 1) return Error::Invalid(std::string("expected one ") + what);
  return flags.positional()[0];
}

// "2026-11-23 09:00 +01:00 Mon" in `zone`.
std::string LocalText(const date::time_zone* zone, int64_t ms) {
  int64_t local = schedule::UtcToLocalS(zone, ms);
  int64_t offset_min = (local - schedule::FloorDiv(ms, 1000)) / 60;
  char off[16];
  std::snprintf(off, sizeof off, "%c%02d:%02d", offset_min < 0 ? '-' : '+',
                static_cast<int>(std::abs(offset_min) / 60), static_cast<int>(std::abs(offset_min) % 60));
  std::string text = schedule::FormatLocalTime(local);
  text[10] = ' ';
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  return text + " " + off + " " + kDays[schedule::WeekdayOf(local)];
}

void PrintShiftTable(const date::time_zone* zone, const std::vector<schedule::Shift>& shifts) {
  std::printf("%-26s  %-26s  %-20s  %s\n", "START", "END", "PERSON", "SOURCE");
  for (const auto& s : shifts) {
    std::printf("%-26s  %-26s  %-20s  %s\n", LocalText(zone, s.start_ms).c_str(),
                LocalText(zone, s.end_ms).c_str(),
                s.person.empty() ? "(nobody)" : s.person.c_str(),
                s.source.empty() ? "gap" : s.source.c_str());
  }
}

Json ShiftList(const std::vector<schedule::Shift>& shifts) {
  Json out = Json::array();
  for (const auto& s : shifts) out.push_back(oncall::ShiftJson(s));
  return out;
}

// The catalog people of `team` as the planner sees them.
Result<std::vector<schedule::Person>> TeamPeople(store::Tx& tx, const std::string& team) {
  PLINTH_ASSIGN_OR_RETURN(auto t, catalog::Get(tx, "Team", team));
  PLINTH_ASSIGN_OR_RETURN(auto people, oncall::LoadPeople(tx));
  std::vector<schedule::Person> out;
  const Json& spec = t.doc["spec"];
  if (!spec.contains("members")) return Error::Invalid("team \"" + team + "\" has no members");
  for (const auto& m : spec["members"]) {
    for (const auto& p : people) {
      if (p.name == m.get<std::string>()) out.push_back(p);
    }
  }
  return out;
}

Json ScheduleDoc(const schedule::Schedule& s, const std::string& team,
                 const std::string& description) {
  Json md = {{"name", s.name}};
  if (!description.empty()) md["description"] = description;
  return {{"apiVersion", "plinth/v1"},
          {"kind", "Schedule"},
          {"metadata", md},
          {"spec", schedule::ToSpec(s, team)}};
}

}  // namespace

Status RunOncallWho(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(std::string name, OnePositional(flags, "SCHEDULE"));
  PLINTH_ASSIGN_OR_RETURN(std::string format, FormatFlag(flags, {"table", "json"}));
  PLINTH_ASSIGN_OR_RETURN(int64_t at, TimeFlag(flags, "at", SystemClock().NowMs()));
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(auto now, store->Read([&](store::Tx& tx) {
    return oncall::OnCallAt(tx, name, at);
  }));
  PLINTH_ASSIGN_OR_RETURN(auto zone, schedule::FindZone(now.schedule.model.time_zone));
  const schedule::Shift& shift = now.shift;
  if (format == "json") {
    Json out = {{"schedule", name}, {"at", FormatRfc3339(at)}, {"shift", oncall::ShiftJson(shift)}};
    std::printf("%s\n", out.dump(2).c_str());
  } else if (shift.person.empty()) {
    std::printf("nobody is on call on %s at %s (a gap until %s)\n", name.c_str(),
                LocalText(zone, at).c_str(), LocalText(zone, shift.end_ms).c_str());
  } else {
    std::printf("%s is on call on %s (%s) from %s until %s\n", shift.person.c_str(), name.c_str(),
                shift.source.c_str(), LocalText(zone, shift.start_ms).c_str(),
                LocalText(zone, shift.end_ms).c_str());
  }
  return {};
}

Status RunOncallFinal(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(std::string name, OnePositional(flags, "SCHEDULE"));
  PLINTH_ASSIGN_OR_RETURN(std::string format, FormatFlag(flags, {"table", "json", "ical"}));
  PLINTH_ASSIGN_OR_RETURN(int64_t from, TimeFlag(flags, "from", SystemClock().NowMs()));
  PLINTH_ASSIGN_OR_RETURN(int64_t to, TimeFlag(flags, "to", from + 14 * kDayMs));
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(auto s, store->Read([&](store::Tx& tx) {
    return oncall::LoadSchedule(tx, name);
  }));
  PLINTH_ASSIGN_OR_RETURN(auto r, store->Read([&](store::Tx& tx) {
    return oncall::Final(tx, name, from, to);
  }));
  if (format == "json") {
    Json layers = Json::array();
    for (size_t i = 0; i < r.layers.size(); ++i) {
      layers.push_back({{"name", s.model.layers[i].name}, {"shifts", ShiftList(r.layers[i])}});
    }
    Json out = {{"schedule", name},         {"timeZone", s.model.time_zone},
                {"from", FormatRfc3339(from)}, {"to", FormatRfc3339(to)},
                {"final", ShiftList(r.final)}, {"layers", std::move(layers)}};
    std::printf("%s\n", out.dump(2).c_str());
  } else if (format == "ical") {
    schedule::CalendarInfo info{schedule::ScheduleCalendarName(name), s.model.time_zone,
                                SystemClock().NowMs()};
    std::fputs(schedule::RenderCalendar(info, schedule::EventsOf(name, r.final)).c_str(), stdout);
  } else {
    PLINTH_ASSIGN_OR_RETURN(auto zone, schedule::FindZone(s.model.time_zone));
    std::printf("%s (%s)\n", name.c_str(), s.model.time_zone.c_str());
    PrintShiftTable(zone, r.final);
  }
  return {};
}

Status RunOncallOverride(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(std::string name, OnePositional(flags, "SCHEDULE"));
  auto person = flags.Get("person");
  if (!person) return Error::Invalid("--person is required");
  if (!flags.Has("from") || !flags.Has("to")) return Error::Invalid("--from and --to are required");
  PLINTH_ASSIGN_OR_RETURN(int64_t from, TimeFlag(flags, "from", 0));
  PLINTH_ASSIGN_OR_RETURN(int64_t to, TimeFlag(flags, "to", 0));
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  oncall::NewOverride o{name, *person, from, to, flags.GetOr("reason", "")};
  PLINTH_ASSIGN_OR_RETURN(auto created, store->Write([&](store::Tx& tx) {
    return oncall::CreateOverride(tx, o, CliActor(), SystemClock().NowMs());
  }));
  std::printf("created override %s: %s on %s from %s to %s\n", created.id.c_str(),
              created.person.c_str(), name.c_str(), FormatRfc3339(from).c_str(),
              FormatRfc3339(to).c_str());
  return {};
}

Status RunOncallReport(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(std::string format, FormatFlag(flags, {"table", "json"}));
  PLINTH_ASSIGN_OR_RETURN(auto utc, schedule::FindZone("UTC"));
  schedule::Period period = schedule::QuarterOf(SystemClock().NowMs(), utc);
  std::string quarter = flags.GetOr("quarter", "");
  if (!quarter.empty()) {
    auto p = schedule::ParseQuarter(quarter, utc);
    if (!p.ok()) return Error::Invalid("--quarter: " + p.error().message);
    period = *p;
  }
  schedule::FairnessPolicy policy = oncall::DefaultFairnessPolicy();
  PLINTH_ASSIGN_OR_RETURN(policy.max_weeks_per_quarter, WeeksFlag(flags, "max-weeks", 1));
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(auto report, store->Read([&](store::Tx& tx) {
    return oncall::Report(tx, period, policy);
  }));
  if (format == "json") {
    std::printf("%s\n", oncall::ReportJson(report, policy, quarter).dump(2).c_str());
    return {};
  }
  std::printf("on call %s to %s (policy: at most %d week%s per quarter)\n\n",
              FormatRfc3339(period.from_ms).c_str(), FormatRfc3339(period.to_ms).c_str(),
              policy.max_weeks_per_quarter, policy.max_weeks_per_quarter == 1 ? "" : "s");
  std::printf("%-20s  %8s  %5s  %9s  %s\n", "PERSON", "HOURS", "WEEKS", "OFF-HOURS", "FLAG");
  for (const auto& p : report.people) {
    if (p.on_call_ms == 0 && !p.unknown) continue;
    std::printf("%-20s  %8s  %5d  %9s  %s\n", p.name.c_str(),
                schedule::FormatHours(p.on_call_ms).c_str(), p.weeks_on_call,
                schedule::FormatHours(p.off_hours_ms).c_str(), p.reason.c_str());
  }
  std::printf("\n%-28s  %8s  %9s  %7s\n", "SCHEDULE", "HOURS", "GAP-HOURS", "BALANCE");
  for (const auto& s : report.schedules) {
    std::printf("%-28s  %8s  %9s  %7.2f\n", s.schedule.c_str(),
                schedule::FormatHours(s.on_call_ms).c_str(),
                schedule::FormatHours(s.gap_ms).c_str(), s.balance);
  }
  return {};
}

Status RunOncallPlan(const Flags& flags) {
  auto team = flags.Get("team");
  if (!team) return Error::Invalid("--team is required");
  schedule::PlanPolicy policy;
  PLINTH_ASSIGN_OR_RETURN(policy.max_weeks_per_quarter, WeeksFlag(flags, "max-weeks", 1));
  policy.follow_the_sun = !flags.Has("no-follow-the-sun");
  policy.time_zone = flags.GetOr("zone", "UTC");
  policy.name = flags.GetOr("name", *team + "-oncall");
  PLINTH_ASSIGN_OR_RETURN(auto zone, schedule::FindZone(policy.time_zone));
  std::string start = flags.GetOr("start", "");
  if (start.empty()) {
    // The Monday after today, 00:00 in the schedule's zone.
    int64_t local = schedule::UtcToLocalS(zone, SystemClock().NowMs());
    int64_t day = schedule::FloorDiv(local, schedule::kDay) * schedule::kDay;
    policy.start_local_s = day + (7 - schedule::WeekdayOf(day)) * schedule::kDay;
  } else {
    PLINTH_ASSIGN_OR_RETURN(policy.start_local_s, schedule::ParseLocalTime(start + "T00:00", zone));
    if (schedule::WeekdayOf(policy.start_local_s) != 0) {
      return Error::Invalid("--start: expected a Monday (got " + start + ")");
    }
  }
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(auto people, store->Read([&](store::Tx& tx) {
    return TeamPeople(tx, *team);
  }));
  PLINTH_ASSIGN_OR_RETURN(auto plan, schedule::PlanOnCall(people, policy));
  for (const auto& note : plan.notes) std::fprintf(stderr, "# %s\n", note.c_str());
  if (!plan.feasible) {
    std::fprintf(stderr, "# the policy cannot be met by %zu people; it needs at least %d\n",
                 people.size(), plan.minimum_team_size);
  }
  std::fputs(catalog::ExportYaml(ScheduleDoc(plan.schedule, *team, "")).c_str(), stdout);
  if (!plan.feasible) return Error::Invalid("the proposal above does not meet the policy");
  return {};
}

Status RunOncallImport(const Flags& flags) {
  if (flags.positional().size() != 2 || flags.positional()[0] != "pagerduty") {
    return Error::Invalid("expected: pagerduty FILE");
  }
  const std::string& path = flags.positional()[1];
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Invalid(path + ": cannot read the file");
  std::string text(std::istreambuf_iterator<char>(in), {});
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded()) return Error::Invalid(path + ": not valid JSON");
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  // PagerDuty users map to people by id (the annotation pagerduty.com/user-id, as Backstage's
  // PagerDuty plugin writes it) or by email.
  std::map<std::string, std::string> table;
  PLINTH_RETURN_IF_ERROR(store->Read([&](store::Tx& tx) -> Status {
    PLINTH_ASSIGN_OR_RETURN(auto people, catalog::All(tx, "Person"));
    for (const auto& p : people) {
      const Json& spec = p.doc["spec"];
      if (spec.contains("email")) table[spec["email"].get<std::string>()] = p.name;
      const Json& md = p.doc["metadata"];
      if (md.contains("annotations") && md["annotations"].contains("pagerduty.com/user-id")) {
        table[md["annotations"]["pagerduty.com/user-id"].get<std::string>()] = p.name;
      }
    }
    return {};
  }));
  schedule::PagerDutyImportOptions options;
  options.name = flags.GetOr("name", "");
  options.create_people = flags.Has("create-people");
  PLINTH_ASSIGN_OR_RETURN(auto imported, schedule::ImportPagerDuty(doc, path,
                                                                   schedule::PdPeopleTable(table),
                                                                   options));
  for (const auto& note : imported.notes) std::printf("note: %s\n", note.c_str());
  std::vector<catalog::ManifestFile> files;
  for (const auto& u : imported.users) {
    if (!u.create) continue;
    Json spec = Json::object();
    if (!u.user.summary.empty()) spec["displayName"] = u.user.summary;
    if (!u.user.email.empty()) spec["email"] = u.user.email;
    Json person = {{"apiVersion", "plinth/v1"},
                   {"kind", "Person"},
                   {"metadata", {{"name", u.person}}},
                   {"spec", spec}};
    files.push_back({path + " (user " + u.user.id + ")", catalog::ExportYaml(person)});
  }
  files.push_back({path, catalog::ExportYaml(ScheduleDoc(imported.schedule,
                                                         flags.GetOr("team", ""),
                                                         imported.description))});
  PLINTH_ASSIGN_OR_RETURN(auto set, catalog::LoadManifestFiles(files));
  int64_t now = SystemClock().NowMs();
  PLINTH_ASSIGN_OR_RETURN(auto result, store->Write([&](store::Tx& tx) -> Result<std::pair<catalog::Plan, int>> {
    PLINTH_ASSIGN_OR_RETURN(auto plan, catalog::Apply(tx, set, false, CliActor(), now));
    int created = 0;
    for (const auto& o : imported.overrides) {
      PLINTH_ASSIGN_OR_RETURN(auto existing, oncall::ListOverrides(tx, imported.schedule.name,
                                                                   o.start_ms, o.end_ms));
      bool same = existing.size() == 1 && existing[0].person == o.person &&
                  existing[0].start_ms == o.start_ms && existing[0].end_ms == o.end_ms;
      if (same) continue;  // imported before
      PLINTH_RETURN_IF_ERROR(oncall::CreateOverride(
          tx, {imported.schedule.name, o.person, o.start_ms, o.end_ms, "imported from PagerDuty " + o.id},
          CliActor(), now));
      ++created;
    }
    return std::make_pair(std::move(plan), created);
  }));
  std::fputs(catalog::FormatPlan(result.first, true).c_str(), stdout);
  std::printf("%d override%s imported\n", result.second, result.second == 1 ? "" : "s");
  return {};
}

}  // namespace plinth::cli
