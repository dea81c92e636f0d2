// The schedule quality report on hand-computed figures. Working hours are the default
// Monday-Friday 09:00-17:00 in each person's own zone.

#include "schedule/fairness.h"

#include <gtest/gtest.h>

#include "base/time.h"
#include "schedule/zone.h"

namespace plinth::schedule {
namespace {

int64_t Ms(const char* rfc3339) { return *ParseRfc3339(rfc3339); }
int64_t Hours(double h) { return static_cast<int64_t>(h * kHourMs); }

const date::time_zone* Zone(const char* name) { return *FindZone(name); }

Person MakePerson(std::string name, std::string zone) {
  Person p;
  p.name = std::move(name);
  p.time_zone = std::move(zone);
  return p;
}

Shift On(std::string person, const char* from, const char* to, std::string source = "primary") {
  return {std::move(person), Ms(from), Ms(to), std::move(source), ""};
}

const PersonLoad& Find(const FairnessReport& report, const std::string& name) {
  for (const PersonLoad& p : report.people) {
    if (p.name == name) return p;
  }
  static const PersonLoad kMissing;
  ADD_FAILURE() << "no person " << name;
  return kMissing;
}

TEST(FairnessTest, OffHoursInThePersonsOwnZone) {
  // A Berlin schedule: ana holds a week Monday 09:00 to Monday 09:00 Berlin time; cy, in New
  // York, holds the Berlin business day 09:00-17:00 (03:00-11:00 in New York) Monday-Friday.
  Period q1 = *ParseQuarter("2026Q1", Zone("Europe/Berlin"));
  std::vector<Shift> shifts = {On("ana", "2026-01-05T08:00:00Z", "2026-01-12T08:00:00Z")};
  for (const char* day : {"12", "13", "14", "15", "16"}) {
    std::string d = std::string("2026-01-") + day;
    shifts.push_back(On("cy", (d + "T08:00:00Z").c_str(), (d + "T16:00:00Z").c_str(), "day"));
  }
  Result<FairnessReport> report = BuildFairnessReport(
      q1, {MakePerson("ana", "Europe/Berlin"), MakePerson("cy", "America/New_York")},
      {{"payments-primary", shifts}});
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->people.size(), 2u);

  const PersonLoad& ana = report->people[0];
  EXPECT_EQ(ana.name, "ana");
  EXPECT_EQ(ana.on_call_ms, Hours(168));
  EXPECT_EQ(ana.off_hours_ms, Hours(128));  // 168 h minus five 8-hour working days
  EXPECT_EQ(ana.weeks_on_call, 2);          // Monday 09:00 handoffs touch two calendar weeks
  EXPECT_EQ(ana.shifts, 1);
  EXPECT_EQ(ana.pages_received, 0);
  EXPECT_TRUE(ana.over_policy);
  EXPECT_EQ(ana.reason, "2 weeks on call this quarter (policy: at most 1)");

  const PersonLoad& cy = report->people[1];
  EXPECT_EQ(cy.time_zone, "America/New_York");
  EXPECT_FALSE(cy.unknown);
  EXPECT_EQ(cy.on_call_ms, Hours(40));
  EXPECT_EQ(cy.off_hours_ms, Hours(30));  // 03:00-09:00 New York time, five days
  EXPECT_EQ(cy.weeks_on_call, 1);
  EXPECT_EQ(cy.shifts, 5);
  EXPECT_FALSE(cy.over_policy);
  EXPECT_EQ(cy.reason, "");

  ASSERT_EQ(report->schedules.size(), 1u);
  const ScheduleHealth& s = report->schedules[0];
  EXPECT_EQ(s.schedule, "payments-primary");
  EXPECT_EQ(s.on_call_ms, Hours(208));
  EXPECT_EQ(s.gap_ms, 0);
  using Load = std::pair<std::string, int64_t>;
  EXPECT_EQ(s.load_ms, (std::vector<Load>{{"ana", Hours(168)}, {"cy", Hours(40)}}));
  EXPECT_DOUBLE_EQ(s.balance, 80.0 / 208.0);  // 2 * min / (a + b)
}

TEST(FairnessTest, WeeksFollowLocalTimeAcrossDst) {
  // eva (Berlin) from Monday 23 March 00:00 CET to Monday 30 March 09:00 CEST; the clocks go
  // forward on Sunday 29 March, so the first calendar week has 167 hours. An override takes
  // the last 9 hours: still one person, two calendar weeks, 176 hours.
  // cy (New York) is on call Monday 9 March 00:00-09:00 EDT, the day after the US change; a
  // fixed -05:00 offset would put the start on Sunday and count the week before.
  Period march{Ms("2026-03-01T00:00:00Z"), Ms("2026-04-01T00:00:00Z")};
  std::vector<Person> people = {MakePerson("eva", "Europe/Berlin"),
                                MakePerson("cy", "America/New_York")};
  std::vector<ScheduleShifts> schedules = {
      {"eu",
       {On("eva", "2026-03-22T23:00:00Z", "2026-03-29T22:00:00Z"),
        On("eva", "2026-03-29T22:00:00Z", "2026-03-30T07:00:00Z", "override")}},
      {"us", {On("cy", "2026-03-09T04:00:00Z", "2026-03-09T13:00:00Z")}},
  };
  Result<FairnessReport> report = BuildFairnessReport(march, people, schedules);
  ASSERT_TRUE(report.ok());
  const PersonLoad& eva = Find(*report, "eva");
  EXPECT_EQ(eva.on_call_ms, Hours(176));
  EXPECT_EQ(eva.off_hours_ms, Hours(136));  // Mon 30 March ends at 09:00: no working hours
  EXPECT_EQ(eva.weeks_on_call, 2);
  EXPECT_EQ(eva.shifts, 2);
  const PersonLoad& cy = Find(*report, "cy");
  EXPECT_EQ(cy.on_call_ms, Hours(9));
  EXPECT_EQ(cy.off_hours_ms, Hours(9));
  EXPECT_EQ(cy.weeks_on_call, 1);

  // With a threshold, eva's 9 hours in the week of 30 March no longer count.
  FairnessPolicy policy;
  policy.week_min_ms = Hours(12);
  report = BuildFairnessReport(march, people, schedules, policy);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Find(*report, "eva").weeks_on_call, 1);
  EXPECT_FALSE(Find(*report, "eva").over_policy);
}

TEST(FairnessTest, PolicyFlags) {
  // ana: three Tuesdays 09:00-17:00 Berlin (no off-hours) and a whole Saturday.
  Period q1 = *ParseQuarter("2026Q1", Zone("Europe/Berlin"));
  std::vector<ScheduleShifts> schedules = {
      {"a",
       {On("ana", "2026-01-06T08:00:00Z", "2026-01-06T16:00:00Z"),
        On("ana", "2026-01-20T08:00:00Z", "2026-01-20T16:00:00Z"),
        On("ana", "2026-02-03T08:00:00Z", "2026-02-03T16:00:00Z")}},
      {"b", {On("ana", "2026-01-09T23:00:00Z", "2026-01-10T23:00:00Z")}},
  };
  std::vector<Person> people = {MakePerson("ana", "Europe/Berlin")};
  Result<FairnessReport> report = BuildFairnessReport(q1, people, schedules);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->people[0].on_call_ms, Hours(48));
  EXPECT_EQ(report->people[0].off_hours_ms, Hours(24));
  EXPECT_EQ(report->people[0].weeks_on_call, 3);  // the Saturday is in the first week
  EXPECT_EQ(report->people[0].reason, "3 weeks on call this quarter (policy: at most 1)");

  FairnessPolicy policy;
  policy.max_weeks_per_quarter = 3;
  policy.max_off_hours_ms = Hours(10);
  report = BuildFairnessReport(q1, people, schedules, policy);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->people[0].over_policy);
  EXPECT_EQ(report->people[0].reason,
            "24 hours on call outside working hours (policy: at most 10)");

  policy.max_weeks_per_quarter = 0;
  policy.max_off_hours_ms = Hours(1.5);
  report = BuildFairnessReport(q1, people, {schedules[1]}, policy);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->people[0].reason,
            "1 week on call this quarter (policy: at most 0); "
            "24 hours on call outside working hours (policy: at most 1.5)");
}

TEST(FairnessTest, GapsAndBalance) {
  // Clipped to the period: ben's shift starts 10 hours before it.
  Period period{Ms("2026-04-01T00:00:00Z"), Ms("2026-04-08T00:00:00Z")};
  std::vector<Shift> shifts = {
      On("ben", "2026-03-31T14:00:00Z", "2026-04-03T12:00:00Z"),  // 60 h in the period
      On("", "2026-04-03T12:00:00Z", "2026-04-03T16:00:00Z", ""),
      On("ana", "2026-04-03T16:00:00Z", "2026-04-07T20:00:00Z"),  // 100 h
      On("", "2026-04-07T20:00:00Z", "2026-04-07T21:30:00Z", ""),
      On("ana", "2026-04-07T21:30:00Z", "2026-04-08T09:00:00Z"),  // 2.5 h in the period
  };
  Result<FairnessReport> report = BuildFairnessReport(
      period, {MakePerson("ana", "UTC"), MakePerson("ben", "UTC")}, {{"db", shifts}});
  ASSERT_TRUE(report.ok());
  const ScheduleHealth& s = report->schedules[0];
  EXPECT_EQ(s.gaps, (std::vector<CoverageGap>{
                        {Ms("2026-04-03T12:00:00Z"), Ms("2026-04-03T16:00:00Z"), Hours(4)},
                        {Ms("2026-04-07T20:00:00Z"), Ms("2026-04-07T21:30:00Z"), Hours(1.5)}}));
  EXPECT_EQ(s.gap_ms, Hours(5.5));
  EXPECT_EQ(s.on_call_ms, Hours(162.5));
  EXPECT_EQ(s.on_call_ms + s.gap_ms, period.to_ms - period.from_ms);
  EXPECT_DOUBLE_EQ(s.balance, 2 * 60.0 / 162.5);
  EXPECT_EQ(Find(*report, "ana").shifts, 2);
  EXPECT_EQ(Find(*report, "ben").on_call_ms, Hours(60));

  EXPECT_DOUBLE_EQ(BalanceScore({100, 60}), 0.75);
  EXPECT_DOUBLE_EQ(BalanceScore({100, 60, 20}), 5.0 / 9.0);
  EXPECT_DOUBLE_EQ(BalanceScore({50, 50, 50}), 1);
  EXPECT_DOUBLE_EQ(BalanceScore({10, 0}), 0);
  EXPECT_DOUBLE_EQ(BalanceScore({10, 0, 0}), 0);
  EXPECT_DOUBLE_EQ(BalanceScore({7}), 1);
  EXPECT_DOUBLE_EQ(BalanceScore({}), 1);
}

TEST(FairnessTest, UnknownPeopleAndOverlaps) {
  // zed is not in the people list: UTC, default working hours, listed after the known people.
  // ana is on call for two schedules at once on Monday 10:00-12:00 UTC: counted once.
  Period period{Ms("2026-01-05T00:00:00Z"), Ms("2026-01-12T00:00:00Z")};
  std::vector<ScheduleShifts> schedules = {
      {"one",
       {On("zed", "2026-01-05T16:00:00Z", "2026-01-05T20:00:00Z"),
        On("ana", "2026-01-05T08:00:00Z", "2026-01-05T12:00:00Z")}},
      {"two", {On("ana", "2026-01-05T10:00:00Z", "2026-01-05T14:00:00Z")}},
  };
  Result<FairnessReport> report = BuildFairnessReport(
      period, {MakePerson("ana", "UTC"), MakePerson("ben", "Asia/Tokyo")}, schedules);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->people.size(), 3u);
  EXPECT_EQ(report->people[0].name, "ana");
  EXPECT_EQ(report->people[0].on_call_ms, Hours(6));
  EXPECT_EQ(report->people[0].off_hours_ms, Hours(1));  // 08:00-09:00
  EXPECT_EQ(report->people[0].shifts, 2);
  EXPECT_EQ(report->people[1].name, "ben");  // never on call: zero figures
  EXPECT_EQ(report->people[1].on_call_ms, 0);
  EXPECT_EQ(report->people[1].weeks_on_call, 0);
  EXPECT_FALSE(report->people[1].over_policy);
  const PersonLoad& zed = report->people[2];
  EXPECT_EQ(zed.name, "zed");
  EXPECT_TRUE(zed.unknown);
  EXPECT_EQ(zed.time_zone, "UTC");
  EXPECT_EQ(zed.on_call_ms, Hours(4));
  EXPECT_EQ(zed.off_hours_ms, Hours(3));  // 17:00-20:00
  EXPECT_EQ(report->schedules[0].on_call_ms, Hours(8));
  EXPECT_EQ(report->schedules[1].on_call_ms, Hours(4));
}

TEST(FairnessTest, Errors) {
  Period period{Ms("2026-01-05T00:00:00Z"), Ms("2026-01-05T00:00:00Z")};
  Result<FairnessReport> report = BuildFairnessReport(period, {}, {});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().message, "the report period is empty: from must be before to");

  period.to_ms += kHourMs;
  report = BuildFairnessReport(period, {MakePerson("ana", "Mars/Olympus")}, {});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(report.error().message,
            "person \"ana\": unknown time zone \"Mars/Olympus\" (expected an IANA zone such as "
            "Europe/Berlin)");
}

TEST(FairnessTest, Quarters) {
  const date::time_zone* berlin = Zone("Europe/Berlin");
  Period q4{Ms("2026-09-30T22:00:00Z"), Ms("2026-12-31T23:00:00Z")};
  EXPECT_EQ(QuarterOf(Ms("2026-11-22T08:00:00Z"), berlin), q4);
  EXPECT_EQ(QuarterOf(q4.from_ms, berlin), q4);
  EXPECT_EQ(QuarterOf(q4.to_ms - 1, berlin), q4);
  // 23:30 UTC on New Year's Eve is already 2027 in Berlin.
  EXPECT_EQ(QuarterOf(Ms("2026-12-31T23:30:00Z"), berlin),
            (Period{Ms("2026-12-31T23:00:00Z"), Ms("2027-03-31T22:00:00Z")}));
  EXPECT_EQ(*ParseQuarter("2026Q4", berlin), q4);
  EXPECT_EQ(*ParseQuarter("2026-q1", Zone("UTC")),
            (Period{Ms("2026-01-01T00:00:00Z"), Ms("2026-04-01T00:00:00Z")}));
  EXPECT_EQ(*ParseQuarter("2026Q1", Zone("America/New_York")),
            (Period{Ms("2026-01-01T05:00:00Z"), Ms("2026-04-01T04:00:00Z")}));
  for (const char* bad : {"", "2026", "2026Q", "2026Q0", "2026Q5", "26Q1", "2026Q1x", "2026 Q1"}) {
    EXPECT_FALSE(ParseQuarter(bad, berlin).ok()) << bad;
  }
  EXPECT_EQ(ParseQuarter("2026Q5", berlin).error().message,
            "invalid quarter \"2026Q5\" (expected YEARQn, e.g. 2026Q4)");
}

TEST(FairnessTest, FormatsHours) {
  EXPECT_EQ(FormatHours(Hours(130)), "130");
  EXPECT_EQ(FormatHours(90 * 60000), "1.5");
  EXPECT_EQ(FormatHours(80 * 60000), "1.3");
  EXPECT_EQ(FormatHours(117 * 60000), "2");
  EXPECT_EQ(FormatHours(0), "0");
}

}  // namespace
}  // namespace plinth::schedule
