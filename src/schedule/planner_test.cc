// The on-call planner: worked examples, then the property over many teams — a feasible plan
// checks clean over the four quarters; an infeasible one names a size that works while one
// person fewer does not.

#include "schedule/planner.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "schedule/spec.h"
#include "schedule/zone.h"

namespace plinth::schedule {
namespace {

const char* const kLosAngeles = "America/Los_Angeles";
const char* const kBerlin = "Europe/Berlin";
const char* const kKolkata = "Asia/Kolkata";
const char* const kSingapore = "Asia/Singapore";
const char* const kSydney = "Australia/Sydney";

// `counts[i]` people in `zones[i]`, named "<zone letter><n>" in zone order.
std::vector<Person> Team(const std::vector<const char*>& zones, const std::vector<int>& counts) {
  std::vector<Person> team;
  for (size_t z = 0; z < zones.size(); ++z) {
    for (int i = 0; i < counts[z]; ++i) {
      Person p;
      p.name = std::string(1, static_cast<char>('a' + z)) + std::to_string(i + 1);
      p.time_zone = zones[z];
      team.push_back(p);
    }
  }
  return team;
}

// Starting on Monday 2026-01-05 unless told.
PlanPolicy Policy(const char* zone, int max_weeks = 1, bool follow_the_sun = true,
                  const char* start = "2026-01-05T00:00") {
  PlanPolicy p;
  p.time_zone = zone;
  p.max_weeks_per_quarter = max_weeks;
  p.follow_the_sun = follow_the_sun;
  p.start_local_s = *ParseLocalTime(start, *FindZone(zone));
  return p;
}

Plan MustPlan(const std::vector<Person>& team, const PlanPolicy& policy) {
  Result<Plan> plan = PlanOnCall(team, policy);
  EXPECT_TRUE(plan.ok()) << (plan.ok() ? "" : plan.error().message);
  return plan.ok() ? std::move(plan).value() : Plan{};
}

std::string Notes(const Plan& plan) {
  std::string out;
  for (const std::string& n : plan.notes) out += "  " + n + "\n";
  return out;
}

int Violations(const Plan& plan, const std::vector<Person>& team, const PlanPolicy& policy) {
  Result<PlanCheck> check = CheckPlan(plan.schedule, team, policy);
  EXPECT_TRUE(check.ok());
  return check.ok() ? static_cast<int>(check->violations.size()) : -1;
}

TEST(PlannerTest, SixInOneZoneNeedFourteen) {
  PlanPolicy policy = Policy(kBerlin);
  std::vector<Person> team = Team({kBerlin}, {6});
  Plan plan = MustPlan(team, policy);
  EXPECT_FALSE(plan.feasible);
  EXPECT_FALSE(plan.follow_the_sun);
  EXPECT_EQ(plan.minimum_team_size, 14) << Notes(plan);
  ASSERT_EQ(plan.schedule.layers.size(), 1u);
  const Layer& layer = plan.schedule.layers[0];
  EXPECT_EQ(layer.name, "weekly");
  EXPECT_EQ(layer.turn_s, kWeek);
  EXPECT_EQ(layer.start_local_s, policy.start_local_s);  // Monday 00:00: a turn is one week
  EXPECT_TRUE(layer.restrictions.empty());
  ASSERT_EQ(plan.load.size(), 6u);
  // Every 6th week from 2026-01-05: 0, 6, 12 | 12, 18, 24 | 30, 36 | 42, 48.
  EXPECT_EQ(plan.load[0].weeks, (std::vector<int>{3, 3, 2, 2}));

  Plan fourteen = MustPlan(ScaledTeam(team, 14), policy);
  EXPECT_TRUE(fourteen.feasible) << Notes(fourteen);
  EXPECT_EQ(fourteen.load.size(), 14u);
  EXPECT_EQ(fourteen.load[6].person, "a1-2");
  EXPECT_FALSE(MustPlan(ScaledTeam(team, 13), policy).feasible);
}

TEST(PlannerTest, MoreWeeksPerQuarterNeedFewerPeople) {
  std::vector<Person> team = Team({kLosAngeles}, {3});
  EXPECT_EQ(MustPlan(team, Policy(kLosAngeles, 2)).minimum_team_size, 7);
  EXPECT_EQ(MustPlan(team, Policy(kLosAngeles, 3)).minimum_team_size, 5);
  Plan plan = MustPlan(team, Policy(kLosAngeles, 5));
  EXPECT_TRUE(plan.feasible) << Notes(plan);
  EXPECT_EQ(plan.minimum_team_size, 3);
}

TEST(PlannerTest, FollowTheSunInTwoRegions) {
  PlanPolicy policy = Policy(kLosAngeles);
  std::vector<Person> team = Team({kLosAngeles, kBerlin}, {14, 14});
  Plan plan = MustPlan(team, policy);
  ASSERT_TRUE(plan.feasible) << Notes(plan);
  EXPECT_TRUE(plan.follow_the_sun);
  EXPECT_EQ(plan.rotations[0].needed, 14);
  EXPECT_EQ(plan.rotations[1].needed, 14);
  // 14 Los Angeles and 13 Berlin people could also run a plain rotation of the 14 alone.
  EXPECT_EQ(plan.minimum_team_size, 27);
  ASSERT_EQ(plan.schedule.layers.size(), 2u);
  // Working hours 17:00-01:00 and 08:00-16:00 UTC: split at 16:30 and 04:30 UTC.
  const Layer& emea = plan.schedule.layers[0];
  EXPECT_EQ(emea.name, "follow-the-sun-emea");
  EXPECT_EQ(plan.rotations[0].window, "05:30-17:30 Europe/Berlin");
  ASSERT_EQ(emea.restrictions.size(), 1u);
  EXPECT_EQ(emea.restrictions[0].start_s, 20 * kHour + 30 * kMinute);  // in Los Angeles
  EXPECT_EQ(emea.restrictions[0].duration_s, 12 * kHour);
  // Handed over at 23:30 Berlin on Sunday night, 14:30 the Sunday before in Los Angeles.
  EXPECT_EQ(emea.start_local_s, policy.start_local_s - 9 * kHour - 30 * kMinute);
  EXPECT_EQ(plan.schedule.layers[1].name, "follow-the-sun-americas");
  EXPECT_EQ(plan.rotations[1].window, "08:30-20:30 America/Los_Angeles");
  for (const PlanLoad& l : plan.load) {
    // 4 of 12 h on weekdays and all 24 at the weekend: 44 of 84 h a week (+1 h around DST).
    EXPECT_LE(l.off_hours_ms * 84, l.on_call_ms * 45) << l.person;
    EXPECT_GT(l.on_call_ms, 0) << l.person;
    for (int w : l.weeks) EXPECT_LE(w, 1) << l.person;
  }
  EXPECT_EQ(Violations(plan, team, policy), 0);
}

TEST(PlannerTest, ThreeZonesOfFive) {
  PlanPolicy policy = Policy(kBerlin);
  std::vector<Person> team = Team({kLosAngeles, kBerlin, kKolkata}, {5, 5, 5});
  Plan plan = MustPlan(team, policy);
  EXPECT_FALSE(plan.feasible);
  EXPECT_TRUE(plan.follow_the_sun) << Notes(plan);
  // Two regions (Los Angeles; Berlin with Kolkata) of 14 each: with a third of the team in Los
  // Angeles that takes 40 people (14, 13, 13).
  ASSERT_EQ(plan.rotations.size(), 2u) << Notes(plan);
  EXPECT_EQ(plan.rotations[0].needed, 14);
  EXPECT_EQ(plan.rotations[1].needed, 14);
  EXPECT_EQ(plan.minimum_team_size, 40) << Notes(plan);
  Plan enough = MustPlan(ScaledTeam(team, 40), policy);
  EXPECT_TRUE(enough.feasible) << Notes(enough);
  EXPECT_FALSE(MustPlan(ScaledTeam(team, 39), policy).feasible);
}

TEST(PlannerTest, ThreeRegionsOfFourteen) {
  PlanPolicy policy = Policy(kBerlin);
  std::vector<Person> team = Team({kLosAngeles, kBerlin, kSydney}, {14, 14, 14});
  Plan plan = MustPlan(team, policy);
  ASSERT_TRUE(plan.feasible) << Notes(plan);
  ASSERT_EQ(plan.rotations.size(), 3u);
  // Working hours 22:00-06:00, 08:00-16:00 and 17:00-01:00 UTC, split in the middle of each
  // overlap or gap: 07:00, 16:30 and 23:30 UTC.
  EXPECT_EQ(plan.rotations[0].layer, "follow-the-sun-apac");
  EXPECT_EQ(plan.rotations[0].window, "10:30-18:00 Australia/Sydney");
  EXPECT_EQ(plan.rotations[1].window, "08:00-17:30 Europe/Berlin");
  EXPECT_EQ(plan.rotations[2].window, "08:30-15:30 America/Los_Angeles");
  int64_t day = 0;
  for (const Layer& l : plan.schedule.layers) day += l.restrictions.at(0).duration_s;
  EXPECT_EQ(day, kDay);
  // Handed over in each region's night: Monday 02:15 Sydney, 00:45 Berlin, 00:00 Los Angeles.
  const date::time_zone* berlin = *FindZone(kBerlin);
  EXPECT_EQ(FormatLocalTime(plan.schedule.layers[0].start_local_s), "2026-01-04T16:15");
  EXPECT_EQ(FormatLocalTime(plan.schedule.layers[1].start_local_s), "2025-12-29T00:45");
  int64_t americas = LocalToUtcMs(berlin, plan.schedule.layers[2].start_local_s);
  EXPECT_EQ(FormatLocalTime(UtcToLocalS(*FindZone(kLosAngeles), americas)), "2025-12-29T00:00");
  // The proposal is a valid spec.
  EXPECT_EQ(FromSpec(plan.schedule.name, ToSpec(plan.schedule)), plan.schedule);
  for (const PlanLoad& l : plan.load) {
    for (int w : l.weeks) EXPECT_LE(w, 1) << l.person;
  }
}

TEST(PlannerTest, NoSizeWhenNobodyIsOnTheScheduleClock) {
  // Monday 00:00 in Berlin is 04:30 or 05:30 on Monday in Kolkata: every turn touches two of
  // their calendar weeks, so no number of Kolkata people keeps to one week a quarter.
  Plan plan = MustPlan(Team({kKolkata}, {20}), Policy(kBerlin));
  EXPECT_FALSE(plan.feasible);
  EXPECT_EQ(plan.minimum_team_size, 0);
  EXPECT_EQ(plan.rotations.at(0).needed, 0);
  EXPECT_EQ(MustPlan(Team({kKolkata}, {20}), Policy(kKolkata)).minimum_team_size, 14);
}

TEST(PlannerTest, LeavesOutPeopleWhoseTurnsSpanTwoWeeks) {
  PlanPolicy policy = Policy(kLosAngeles);
  std::vector<Person> team = Team({kLosAngeles, kBerlin}, {18, 2});
  Plan plan = MustPlan(team, policy);
  ASSERT_TRUE(plan.feasible) << Notes(plan);
  EXPECT_FALSE(plan.follow_the_sun);
  EXPECT_EQ(plan.rotations[0].people.size(), 18u);
  EXPECT_EQ(plan.rotations[0].needed, 14);
  EXPECT_EQ(plan.minimum_team_size, 15);  // 15 in the mix of 18 to 2 has 14 in Los Angeles
  EXPECT_EQ(plan.load[18].weeks, (std::vector<int>{0, 0, 0, 0}));
}

TEST(PlannerTest, NoSizeWhenATurnIsLongerThanTheLimit) {
  PlanPolicy policy = Policy(kBerlin);
  policy.turn_s = 2 * kWeek;
  Plan plan = MustPlan(Team({kBerlin}, {20}), policy);
  EXPECT_FALSE(plan.feasible);
  EXPECT_EQ(plan.minimum_team_size, 0);
  EXPECT_EQ(plan.rotations[0].needed, 0);
}

TEST(PlannerTest, RejectsBadInput) {
  PlanPolicy policy = Policy(kBerlin);
  EXPECT_FALSE(PlanOnCall({}, policy).ok());
  std::vector<Person> twice = Team({kBerlin}, {1});
  twice.push_back(twice[0]);
  EXPECT_FALSE(PlanOnCall(twice, policy).ok());
  std::vector<Person> nowhere = Team({"Mars/Olympus"}, {1});
  EXPECT_FALSE(PlanOnCall(nowhere, policy).ok());
  PlanPolicy tuesday = policy;
  tuesday.start_local_s += kDay;
  EXPECT_FALSE(PlanOnCall(Team({kBerlin}, {3}), tuesday).ok());
  PlanPolicy daily = policy;
  daily.turn_s = kDay;
  EXPECT_EQ(PlanOnCall(Team({kBerlin}, {3}), daily).error().message,
            "the turn must be a whole number of weeks (1w, 2w, ...)");
}

struct Case {
  std::vector<const char*> zones;
  std::vector<int> counts;
  const char* schedule_zone;
  int max_weeks;
  bool follow_the_sun;
  std::optional<int64_t> handoff_s = std::nullopt;
};

// Feasible: no violation and no gap over the four quarters. Infeasible: the scaled team of the
// minimum size is feasible and one person fewer is not. Each case starts on 2026-01-05 and on
// 2026-03-09, when Los Angeles has moved to summer time and Berlin and Sydney have not.
TEST(PlannerTest, PropertyOverTeams) {
  const std::vector<Case> cases = {
      {{kBerlin}, {3}, kBerlin, 1, true},
      {{kBerlin}, {20}, kBerlin, 1, true},
      {{kSydney}, {9}, kSydney, 2, true},
      {{kLosAngeles}, {14}, kLosAngeles, 1, false},
      {{kBerlin}, {10}, kBerlin, 2, true, 9 * kHour},
      {{kLosAngeles, kBerlin}, {4, 4}, kLosAngeles, 1, true},
      {{kLosAngeles, kBerlin}, {10, 3}, kBerlin, 2, true},
      {{kBerlin, kSingapore}, {7, 8}, kSingapore, 2, true},
      {{kLosAngeles, kSydney}, {5, 6}, kLosAngeles, 1, true},
      {{kKolkata, kSingapore}, {6, 6}, kKolkata, 3, true},
      {{kLosAngeles, kBerlin, kKolkata}, {5, 5, 5}, kBerlin, 1, true},
      {{kLosAngeles, kBerlin, kSingapore}, {7, 7, 6}, kLosAngeles, 2, true},
      {{kLosAngeles, kBerlin, kSydney}, {3, 3, 3}, kSydney, 3, true},
      {{kLosAngeles, kBerlin, kSydney}, {14, 14, 14}, kBerlin, 1, true},
      {{kLosAngeles, kBerlin, kKolkata}, {6, 6, 6}, kBerlin, 1, false},
      {{kBerlin, kKolkata}, {10, 10}, kBerlin, 1, false},
      {{kLosAngeles, kKolkata, kSydney}, {2, 3, 4}, kKolkata, 2, true},
  };
  int feasible = 0, sized = 0, unsized = 0;
  for (const char* start : {"2026-01-05T00:00", "2026-03-09T00:00"}) {
    for (const Case& c : cases) {
      std::vector<Person> team = Team(c.zones, c.counts);
      PlanPolicy policy = Policy(c.schedule_zone, c.max_weeks, c.follow_the_sun, start);
      policy.handoff_s = c.handoff_s;
      std::string label = std::to_string(team.size()) + " people, first zone " + c.zones[0] +
                          ", max " + std::to_string(c.max_weeks) + ", from " + start;
      Plan plan = MustPlan(team, policy);
      if (plan.feasible) {
        ++feasible;
        EXPECT_EQ(Violations(plan, team, policy), 0) << label;
        continue;
      }
      EXPECT_GT(Violations(plan, team, policy), 0) << label;
      if (plan.minimum_team_size == 0) {  // the notes say why no size is enough
        ++unsized;
        continue;
      }
      ++sized;
      std::vector<Person> enough = ScaledTeam(team, plan.minimum_team_size);
      ASSERT_EQ(static_cast<int>(enough.size()), plan.minimum_team_size) << label;
      Plan scaled = MustPlan(enough, policy);
      EXPECT_TRUE(scaled.feasible) << label << "\n" << Notes(scaled);
      EXPECT_EQ(Violations(scaled, enough, policy), 0) << label;
      std::vector<Person> fewer = ScaledTeam(team, plan.minimum_team_size - 1);
      Plan short_plan = MustPlan(fewer, policy);
      EXPECT_FALSE(short_plan.feasible) << label << "\n" << Notes(short_plan);
      EXPECT_GT(Violations(short_plan, fewer, policy), 0) << label;
    }
  }
  EXPECT_GE(feasible, 10);
  EXPECT_GE(sized, 10);
  std::printf("%d feasible, %d infeasible with a size, %d with none\n", feasible, sized, unsized);
}

}  // namespace
}  // namespace plinth::schedule
