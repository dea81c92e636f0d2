#include "escalation/window.h"

#include <gtest/gtest.h>

#include "base/time.h"
#include "escalation/spec.h"

namespace plinth::escalation {
namespace {

int64_t At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

Window Hours(const char* zone, std::vector<int> days, int64_t start_h, int64_t end_h) {
  return {zone, std::move(days), start_h * 3600, end_h * 3600};
}

TEST(WindowTest, BusinessHoursOnTheLocalClock) {
  Window w = Hours("Europe/Berlin", {1, 2, 3, 4, 5}, 9, 18);  // Monday to Friday
  // 2026-01-05 is a Monday; Berlin is UTC+1 in winter.
  EXPECT_FALSE(Inside(w, At("2026-01-05T07:59:59Z")));
  EXPECT_TRUE(Inside(w, At("2026-01-05T08:00:00Z")));
  EXPECT_TRUE(Inside(w, At("2026-01-05T16:59:59Z")));
  EXPECT_FALSE(Inside(w, At("2026-01-05T17:00:00Z")));  // end is exclusive
  EXPECT_FALSE(Inside(w, At("2026-01-10T10:00:00Z")));  // Saturday
  // Summer: UTC+2.
  EXPECT_TRUE(Inside(w, At("2026-07-06T07:00:00Z")));
  EXPECT_FALSE(Inside(w, At("2026-07-06T06:59:00Z")));
}

TEST(WindowTest, EveryDayWhenNoDays) {
  Window w = Hours("UTC", {}, 0, 24);
  for (const char* t : {"2026-01-04T00:00:00Z", "2026-01-07T23:59:59Z", "2026-01-10T12:00:00Z"}) {
    EXPECT_TRUE(Inside(w, At(t))) << t;
  }
}

TEST(WindowTest, PastMidnightBelongsToTheDayItOpens) {
  Window nights = Hours("America/New_York", {5}, 18, 9);  // Friday 18:00 to Saturday 09:00
  // 2026-01-09 is a Friday; New York is UTC-5 in winter.
  EXPECT_FALSE(Inside(nights, At("2026-01-09T22:59:00Z")));  // Fri 17:59
  EXPECT_TRUE(Inside(nights, At("2026-01-09T23:00:00Z")));   // Fri 18:00
  EXPECT_TRUE(Inside(nights, At("2026-01-10T13:59:00Z")));   // Sat 08:59
  EXPECT_FALSE(Inside(nights, At("2026-01-10T14:00:00Z")));  // Sat 09:00
  EXPECT_FALSE(Inside(nights, At("2026-01-10T23:30:00Z")));  // Sat 18:30: Saturday not listed
  EXPECT_FALSE(Inside(nights, At("2026-01-09T05:00:00Z")));  // Fri 00:00: Thursday's night
}

TEST(WindowTest, EqualStartAndEndIsAWholeDay) {
  Window w = Hours("UTC", {1}, 9, 9);  // Monday 09:00 to Tuesday 09:00
  EXPECT_TRUE(Inside(w, At("2026-01-05T09:00:00Z")));
  EXPECT_TRUE(Inside(w, At("2026-01-06T08:59:59Z")));
  EXPECT_FALSE(Inside(w, At("2026-01-06T09:00:00Z")));
  EXPECT_FALSE(Inside(w, At("2026-01-05T08:59:59Z")));
}

TEST(WindowTest, SpringForwardGapDoesNotOccur) {
  // Berlin, 2026-03-29: 02:00 jumps to 03:00 (01:00Z).
  Window gap = Hours("Europe/Berlin", {}, 2, 3);
  EXPECT_FALSE(Inside(gap, At("2026-03-29T00:59:59Z")));  // 01:59:59 +01:00
  EXPECT_FALSE(Inside(gap, At("2026-03-29T01:00:00Z")));  // 03:00 +02:00
  EXPECT_TRUE(Inside(gap, At("2026-03-30T00:30:00Z")));   // the next day 02:30 +02:00
  Window night = Hours("Europe/Berlin", {}, 1, 4);        // two real hours that night
  EXPECT_TRUE(Inside(night, At("2026-03-29T00:00:00Z")));
  EXPECT_TRUE(Inside(night, At("2026-03-29T01:59:59Z")));
  EXPECT_FALSE(Inside(night, At("2026-03-29T02:00:00Z")));
}

TEST(WindowTest, FallBackHourCountsTwice) {
  // New York, 2026-11-01: 02:00 EDT falls back to 01:00 EST (06:00Z).
  Window w = Hours("America/New_York", {0}, 1, 2);      // Sunday 01:00-02:00
  EXPECT_TRUE(Inside(w, At("2026-11-01T05:00:00Z")));   // 01:00 EDT
  EXPECT_TRUE(Inside(w, At("2026-11-01T05:59:59Z")));   // 01:59:59 EDT
  EXPECT_TRUE(Inside(w, At("2026-11-01T06:00:00Z")));   // 01:00 EST
  EXPECT_TRUE(Inside(w, At("2026-11-01T06:59:59Z")));   // 01:59:59 EST
  EXPECT_FALSE(Inside(w, At("2026-11-01T07:00:00Z")));  // 02:00 EST
}

TEST(WindowTest, UnknownZoneIsAlwaysInside) {
  EXPECT_TRUE(Inside(Hours("Mars/Olympus", {1}, 9, 10), At("2026-01-04T00:00:00Z")));
}

TEST(WindowSpecTest, ParsesAndFormatsCanonically) {
  Json spec = {{"timeZone", "Europe/Berlin"},
               {"days", {"Sun", "friday", "monday", "mon"}},
               {"start", "09:00"},
               {"end", "24:00"}};
  auto w = WindowFromSpec(spec, "/when");
  ASSERT_TRUE(w.ok()) << w.error().ToString();
  EXPECT_EQ(w->days, (std::vector<int>{0, 1, 5}));
  EXPECT_EQ(w->end_s, 86400);
  EXPECT_EQ(WindowToSpec(*w), (Json{{"timeZone", "Europe/Berlin"},
                                    {"days", {"monday", "friday", "sunday"}},
                                    {"start", "09:00"},
                                    {"end", "24:00"}}));
  EXPECT_EQ(*WindowFromSpec(WindowToSpec(*w), "/when"), *w);
}

TEST(WindowSpecTest, NamesTheBadField) {
  auto field = [](const Json& spec) {
    auto w = WindowFromSpec(spec, "/when");
    return w.ok() ? std::string("ok") : w.error().fields.at(0).pointer;
  };
  Json good = {{"timeZone", "UTC"}, {"start", "09:00"}, {"end", "17:00"}};
  EXPECT_EQ(field(good), "ok");
  EXPECT_EQ(field(Json::array()), "/when");
  Json bad = good;
  bad["timeZone"] = "Mars/Olympus";
  EXPECT_EQ(field(bad), "/when/timeZone");
  bad = good;
  bad["start"] = "24:00";
  EXPECT_EQ(field(bad), "/when/start");
  bad = good;
  bad.erase("end");
  EXPECT_EQ(field(bad), "/when/end");
  bad = good;
  bad["days"] = {"monday", "someday"};
  EXPECT_EQ(field(bad), "/when/days/1");
}

TEST(DurationTest, ZeroOnlyWhenAllowed) {
  EXPECT_EQ(ParseDurationMs("15m", false), 900000);
  EXPECT_EQ(ParseDurationMs("1h30m", false), 5400000);
  EXPECT_EQ(ParseDurationMs("1s", false), 1000);
  EXPECT_EQ(ParseDurationMs("0m", false), std::nullopt);
  EXPECT_EQ(ParseDurationMs("0m", true), 0);
  EXPECT_EQ(ParseDurationMs("0", true), 0);
  EXPECT_EQ(ParseDurationMs("0x", true), std::nullopt);
  EXPECT_EQ(ParseDurationMs("", true), std::nullopt);
  EXPECT_EQ(ParseDurationMs("m", true), std::nullopt);
  EXPECT_EQ(ParseDurationMs("15", false), std::nullopt);
  EXPECT_EQ(FormatDurationMs(5400000), "1h30m");
  EXPECT_EQ(FormatDurationMs(0), "0s");
}

}  // namespace
}  // namespace plinth::escalation
