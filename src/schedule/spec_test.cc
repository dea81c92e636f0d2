#include "schedule/spec.h"

#include <gtest/gtest.h>

#include "schedule/zone.h"

namespace plinth::schedule {
namespace {

TEST(SpecTest, Durations) {
  EXPECT_EQ(ParseDuration("1w"), kWeek);
  EXPECT_EQ(ParseDuration("1d12h"), kDay + 12 * kHour);
  EXPECT_EQ(ParseDuration("90m"), 90 * kMinute);
  EXPECT_EQ(ParseDuration("2w3d4h5m6s"), 2 * kWeek + 3 * kDay + 4 * kHour + 5 * kMinute + 6);
  for (const char* bad : {"", "0h", "h", "12", "1h1d", "1h1h", "1x", "-1h", "1 h"}) {
    EXPECT_EQ(ParseDuration(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(FormatDuration(kWeek), "1w");
  EXPECT_EQ(FormatDuration(kDay + 12 * kHour), "1d12h");
  EXPECT_EQ(FormatDuration(90 * kMinute), "1h30m");
}

TEST(SpecTest, TimesOfDayAndWeekdays) {
  EXPECT_EQ(ParseTimeOfDay("09:00"), 9 * kHour);
  EXPECT_EQ(ParseTimeOfDay("23:59:30"), kDay - 30);
  EXPECT_EQ(ParseTimeOfDay("24:00"), std::nullopt);
  EXPECT_EQ(ParseTimeOfDay("24:00", true), kDay);
  EXPECT_EQ(ParseTimeOfDay("9:00"), std::nullopt);
  EXPECT_EQ(ParseTimeOfDay("09:60"), std::nullopt);
  EXPECT_EQ(FormatTimeOfDay(9 * kHour + 30), "09:00:30");
  EXPECT_EQ(ParseWeekday("Monday"), 0);
  EXPECT_EQ(ParseWeekday("sun"), 6);
  EXPECT_EQ(ParseWeekday("mo"), std::nullopt);
  EXPECT_STREQ(WeekdayName(4), "friday");
}

TEST(SpecTest, LocalTimes) {
  auto berlin = *FindZone("Europe/Berlin");
  auto local = ParseLocalTime("2026-01-05T09:00", berlin);
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(FormatLocalTime(*local), "2026-01-05T09:00");
  // An instant is converted to the zone's wall time (CET = UTC+1).
  EXPECT_EQ(FormatLocalTime(*ParseLocalTime("2026-01-05T08:00:00Z", berlin)), "2026-01-05T09:00");
  EXPECT_EQ(FormatLocalTime(*ParseLocalTime("2026-07-05T09:00-04:00", berlin)),
            "2026-07-05T15:00");
  auto gap = ParseLocalTime("2026-03-29T02:30", berlin);
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(gap.error().message,
            "\"2026-03-29T02:30\" does not exist in Europe/Berlin (the clocks jump forward "
            "then); pick a time outside the gap");
  EXPECT_FALSE(ParseLocalTime("2026-02-30T09:00", berlin).ok());
  EXPECT_FALSE(ParseLocalTime("2026-01-05", berlin).ok());
  EXPECT_FALSE(ParseLocalTime("2026-01-05T09:00+1", berlin).ok());
}

TEST(SpecTest, RoundTrip) {
  Schedule s;
  s.name = "payments";
  s.time_zone = "America/New_York";
  Layer a;
  a.name = "primary";
  a.participants = {"ana", "ben"};
  a.turn_s = 12 * kHour;
  a.start_local_s = *ParseLocalTime("2026-03-02T08:00", *FindZone("America/New_York"));
  a.end_ms = 1798761600000;  // 2027-01-01T00:00:00Z
  a.restrictions = {{Restriction::kDaily, 0, 22 * kHour, 10 * kHour},
                    {Restriction::kWeekly, 4, 17 * kHour, 2 * kDay + 16 * kHour},
                    {Restriction::kDaily, 0, 0, kDay}};
  s.layers = {a};
  Json spec = ToSpec(s, "payments");
  EXPECT_EQ(spec.dump(),
            R"({"layers":[{"end":"2026-12-31T19:00","name":"primary","participants":["ana","ben"],)"
            R"("restrictions":[{"end":"08:00","start":"22:00","type":"daily"},)"
            R"({"end":"09:00","endDay":"monday","start":"17:00","startDay":"friday","type":"weekly"},)"
            R"({"duration":"1d","start":"00:00","type":"daily"}],"start":"2026-03-02T08:00",)"
            R"("turn":"12h"}],"team":"payments","timeZone":"America/New_York"})");
  EXPECT_EQ(FromSpec("payments", spec), s);
}

}  // namespace
}  // namespace plinth::schedule
