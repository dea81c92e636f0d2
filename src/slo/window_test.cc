// Unit tests of SLO windows and calendar periods (window.h, calendar.h).

#include "slo/window.h"

#include <gtest/gtest.h>

#include "base/time.h"
#include "slo/calendar.h"

namespace plinth::slo {
namespace {

int64_t Ms(const char* rfc3339) { return *ParseRfc3339(rfc3339); }
std::string Utc(int64_t ms) { return FormatRfc3339(ms); }

// The period holding `at` as "start .. end" in UTC.
std::string PeriodAt(const CalendarSpec& spec, const char* at) {
  const date::time_zone* zone = *FindZone(spec.zone);
  Period p = PeriodContaining(spec, zone, Ms(at));
  return Utc(p.start_ms) + " .. " + Utc(p.end_ms);
}

CalendarSpec Cal(CalendarUnit unit, const char* zone, int count = 1) {
  CalendarSpec spec;
  spec.unit = unit;
  spec.zone = zone;
  spec.count = count;
  return spec;
}

TEST(WindowDuration, ParsesAndFormats) {
  EXPECT_EQ(*ParseMinutes("5m"), 5);
  EXPECT_EQ(*ParseMinutes("1h"), 60);
  EXPECT_EQ(*ParseMinutes("28d"), 40320);
  EXPECT_EQ(*ParseMinutes("2w"), 20160);
  EXPECT_EQ(*ParseMinutes("1h30m"), 90);
  for (const char* bad : {"", "5", "m", "5s", "1.5h", "-5m", "1234567890m"}) {
    EXPECT_FALSE(ParseMinutes(bad).ok()) << bad;
  }
  EXPECT_EQ(FormatMinutes(43200), "30d");
  EXPECT_EQ(FormatMinutes(10080), "7d");
  EXPECT_EQ(FormatMinutes(44580), "30d23h");
  EXPECT_EQ(FormatMinutes(90), "1h30m");
  EXPECT_EQ(FormatMinutes(0), "0m");
}

TEST(WindowCalendar, MonthStartsAtLocalMidnight) {
  CalendarSpec berlin = Cal(CalendarUnit::kMonth, "Europe/Berlin");
  EXPECT_EQ(PeriodAt(berlin, "2026-03-15T12:00:00Z"),
            "2026-02-28T23:00:00Z .. 2026-03-31T22:00:00Z");  // 31 days less an hour
  EXPECT_EQ(PeriodAt(berlin, "2026-10-31T22:59:59Z"),
            "2026-09-30T22:00:00Z .. 2026-10-31T23:00:00Z");  // 31 days and an hour
  EXPECT_EQ(PeriodAt(berlin, "2026-02-28T22:59:59Z"),
            "2026-01-31T23:00:00Z .. 2026-02-28T23:00:00Z");
  EXPECT_EQ(PeriodAt(berlin, "2026-02-28T23:00:00Z"),
            "2026-02-28T23:00:00Z .. 2026-03-31T22:00:00Z");
  EXPECT_EQ(PeriodAt(berlin, "2028-02-29T12:00:00Z"),
            "2028-01-31T23:00:00Z .. 2028-02-29T23:00:00Z");  // leap year
  CalendarSpec ny = Cal(CalendarUnit::kMonth, "America/New_York");
  EXPECT_EQ(PeriodAt(ny, "2026-11-15T00:00:00Z"), "2026-11-01T04:00:00Z .. 2026-12-01T05:00:00Z");
  EXPECT_EQ(PeriodAt(ny, "1969-07-20T20:17:00Z"),  // before the epoch
            "1969-07-01T04:00:00Z .. 1969-08-01T04:00:00Z");
}

TEST(WindowCalendar, WeeksStartMondayDaysFollowDst) {
  CalendarSpec week = Cal(CalendarUnit::kWeek, "Europe/Berlin");
  EXPECT_EQ(PeriodAt(week, "2026-03-29T12:00:00Z"),  // Sunday; 167 hours
            "2026-03-22T23:00:00Z .. 2026-03-29T22:00:00Z");
  EXPECT_EQ(PeriodAt(week, "2026-03-29T22:00:00Z"), "2026-03-29T22:00:00Z .. 2026-04-05T22:00:00Z");
  CalendarSpec day = Cal(CalendarUnit::kDay, "Europe/Berlin");
  EXPECT_EQ(PeriodAt(day, "2026-10-25T12:00:00Z"),  // 25 hours
            "2026-10-24T22:00:00Z .. 2026-10-25T23:00:00Z");
  CalendarSpec fortnight = Cal(CalendarUnit::kWeek, "UTC", 2);  // from Monday 1970-01-05
  EXPECT_EQ(PeriodAt(fortnight, "2026-03-10T00:00:00Z"),
            "2026-03-02T00:00:00Z .. 2026-03-16T00:00:00Z");
}

TEST(WindowCalendar, QuartersYearsAndCounts) {
  CalendarSpec q = Cal(CalendarUnit::kQuarter, "Europe/Berlin");
  EXPECT_EQ(PeriodAt(q, "2026-05-05T00:00:00Z"), "2026-03-31T22:00:00Z .. 2026-06-30T22:00:00Z");
  EXPECT_EQ(PeriodAt(q, "2026-12-31T23:30:00Z"), "2026-12-31T23:00:00Z .. 2027-03-31T22:00:00Z");
  CalendarSpec y = Cal(CalendarUnit::kYear, "Asia/Tokyo");
  EXPECT_EQ(PeriodAt(y, "2026-06-01T00:00:00Z"), "2025-12-31T15:00:00Z .. 2026-12-31T15:00:00Z");
  CalendarSpec two = Cal(CalendarUnit::kMonth, "UTC", 2);  // Jan-Feb, Mar-Apr, ...
  EXPECT_EQ(PeriodAt(two, "2026-04-30T23:59:00Z"), "2026-03-01T00:00:00Z .. 2026-05-01T00:00:00Z");
  EXPECT_EQ(NominalMinutes(q), 90 * 1440);
  EXPECT_EQ(NominalMinutes(two), 60 * 1440);
  EXPECT_EQ(Describe(two), "2 months in UTC");
}

TEST(WindowCalendar, AnchorsLikeOpenSloStartTime) {
  CalendarSpec week = Cal(CalendarUnit::kWeek, "America/New_York");
  week.anchor_local_s = Ms("2022-01-01T12:00:00Z") / 1000;  // a Saturday, noon local
  EXPECT_EQ(PeriodAt(week, "2026-03-10T12:00:00Z"), "2026-03-07T17:00:00Z .. 2026-03-14T16:00:00Z");
  EXPECT_EQ(Describe(week), "1 week in America/New_York from 2022-01-01 12:00");
  CalendarSpec month = Cal(CalendarUnit::kMonth, "Europe/Berlin");
  month.anchor_local_s = Ms("2020-01-15T06:00:00Z") / 1000;  // the 15th, 06:00 local
  EXPECT_EQ(PeriodAt(month, "2026-03-15T04:59:00Z"),
            "2026-02-15T05:00:00Z .. 2026-03-15T05:00:00Z");
  EXPECT_EQ(PeriodAt(month, "2026-03-15T05:00:00Z"),
            "2026-03-15T05:00:00Z .. 2026-04-15T04:00:00Z");
  month.anchor_local_s = Ms("2020-01-31T00:00:00Z") / 1000;
  EXPECT_EQ(ValidateCalendar(month, "/calendar").error().fields.at(0).pointer, "/calendar/anchor");
}

TEST(WindowCalendar, AnchorInDstGapOrOverlap) {
  CalendarSpec day = Cal(CalendarUnit::kDay, "Europe/Berlin");
  day.anchor_local_s = Ms("2026-01-01T02:30:00Z") / 1000;  // days from 02:30 local
  // 2026-03-29 02:30 does not occur: that day starts when the clocks jump (01:00Z).
  EXPECT_EQ(PeriodAt(day, "2026-03-29T05:00:00Z"), "2026-03-29T01:00:00Z .. 2026-03-30T00:30:00Z");
  // 2026-10-25 02:30 occurs twice: the first one (00:30Z) starts the day.
  EXPECT_EQ(PeriodAt(day, "2026-10-25T01:15:00Z"),  // 02:15 local, second time round
            "2026-10-25T00:30:00Z .. 2026-10-26T01:30:00Z");
  EXPECT_EQ(PeriodAt(day, "2026-10-25T00:15:00Z"), "2026-10-24T00:30:00Z .. 2026-10-25T00:30:00Z");
}

TEST(WindowCalendar, ValidatesCountAndZone) {
  CalendarSpec bad = Cal(CalendarUnit::kMonth, "Mars/Olympus");
  Status s = ValidateCalendar(bad, "/window/calendar");
  EXPECT_EQ(s.error().ToString(),
            "window.calendar.zone: unknown time zone \"Mars/Olympus\" (expected an IANA zone "
            "such as Europe/Berlin)");
  bad = Cal(CalendarUnit::kMonth, "UTC", 0);
  EXPECT_FALSE(ValidateCalendar(bad).ok());
  EXPECT_EQ(ParseUnit("quarter"), CalendarUnit::kQuarter);
  EXPECT_EQ(ParseUnit("fortnight"), std::nullopt);
}

TEST(WindowBounds, RollingAndCalendar) {
  WindowBounds r = BoundsAt(TimeWindow::Rolling(60), Ms("2026-03-01T10:00:59.999Z"));
  EXPECT_EQ(Utc(r.start_minute * kMinuteMs), "2026-03-01T09:00:00Z");
  EXPECT_EQ(Utc(r.end_minute * kMinuteMs), "2026-03-01T10:00:00Z");
  EXPECT_EQ(r.length_minutes(), 60);
  TimeWindow cal = TimeWindow::Calendar(Cal(CalendarUnit::kMonth, "Europe/Berlin"));
  WindowBounds c = BoundsAt(cal, Ms("2026-03-10T00:00:30Z"));
  EXPECT_EQ(Utc(c.start_minute * kMinuteMs), "2026-02-28T23:00:00Z");
  EXPECT_EQ(Utc(c.end_minute * kMinuteMs), "2026-03-10T00:00:00Z");
  EXPECT_EQ(c.length_minutes(), 44580);
  EXPECT_EQ(Describe(cal), "calendar 1 month in Europe/Berlin");
  EXPECT_EQ(Describe(TimeWindow::Rolling(40320)), "rolling 28d");
  EXPECT_EQ(ValidateWindow(TimeWindow::Rolling(0), "/window").error().fields.at(0).pointer,
            "/window/rolling_minutes");
}

}  // namespace
}  // namespace plinth::slo
