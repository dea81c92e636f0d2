// Schedule resolution with exact expected shifts; the DST cases state the offsets they rely on.

#include "schedule/resolve.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "base/time.h"
#include "schedule/spec.h"
#include "schedule/zone.h"

namespace plinth::schedule {
namespace {

int64_t T(std::string_view rfc3339) {
  auto ms = ParseRfc3339(rfc3339);
  EXPECT_TRUE(ms.ok()) << rfc3339;
  return ms.ok() ? *ms : 0;
}

// A wall time in `zone`, "2026-03-23T09:00", as local seconds.
int64_t Local(std::string_view zone, std::string_view text) {
  auto z = FindZone(zone);
  EXPECT_TRUE(z.ok());
  auto local = ParseLocalTime(text, *z);
  EXPECT_TRUE(local.ok()) << text;
  return local.ok() ? *local : 0;
}

Layer MakeLayer(std::string name, std::vector<std::string> people, int64_t turn_s,
                int64_t start_local_s, std::vector<Restriction> restrictions = {}) {
  Layer l;
  l.name = std::move(name);
  l.participants = std::move(people);
  l.turn_s = turn_s;
  l.start_local_s = start_local_s;
  l.restrictions = std::move(restrictions);
  return l;
}

Schedule MakeSchedule(std::string zone, std::vector<Layer> layers) {
  return {"s", std::move(zone), std::move(layers)};
}

// One line per shift: "START END person source", a gap as "(gap)".
std::string Show(const std::vector<Shift>& shifts) {
  std::string out;
  for (const Shift& s : shifts) {
    out += FormatRfc3339(s.start_ms) + " " + FormatRfc3339(s.end_ms) + " " +
           (s.person.empty() ? "(gap)" : s.person) + (s.source.empty() ? "" : " " + s.source) +
           (s.override_id.empty() ? "" : ":" + s.override_id) + "\n";
  }
  return out;
}

Resolution MustResolve(const Schedule& s, int64_t from, int64_t to,
                       const std::vector<Override>& overrides = {}) {
  auto r = Resolve(s, overrides, from, to);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : Resolution{};
}

TEST(ResolveTest, WeeklyHandoffStaysAtNineAcrossBerlinSpringForward) {
  // CET (+01:00) until 2026-03-29 01:00Z, CEST (+02:00) after.
  auto s = MakeSchedule("Europe/Berlin", {MakeLayer("primary", {"ana", "ben", "cy"}, kWeek,
                                                    Local("Europe/Berlin", "2026-03-16T09:00"))});
  auto r = MustResolve(s, T("2026-03-16T08:00:00Z"), T("2026-04-06T07:00:00Z"));
  EXPECT_EQ(Show(r.layers[0]),
            "2026-03-16T08:00:00Z 2026-03-23T08:00:00Z ana primary\n"
            "2026-03-23T08:00:00Z 2026-03-30T07:00:00Z ben primary\n"  // 167h
            "2026-03-30T07:00:00Z 2026-04-06T07:00:00Z cy primary\n");
  EXPECT_EQ(r.final, r.layers[0]);
}

TEST(ResolveTest, WeeklyHandoffStaysAtNineAcrossBerlinFallBack) {
  // CEST until 2026-10-25 01:00Z, CET after. Oct 19 is turn 31 (217 days after Mar 16).
  auto s = MakeSchedule("Europe/Berlin", {MakeLayer("primary", {"ana", "ben", "cy"}, kWeek,
                                                    Local("Europe/Berlin", "2026-03-16T09:00"))});
  auto r = MustResolve(s, T("2026-10-19T00:00:00Z"), T("2026-11-02T00:00:00Z"));
  EXPECT_EQ(Show(r.final),
            "2026-10-19T00:00:00Z 2026-10-19T07:00:00Z ana primary\n"
            "2026-10-19T07:00:00Z 2026-10-26T08:00:00Z ben primary\n"  // 169h
            "2026-10-26T08:00:00Z 2026-11-02T00:00:00Z cy primary\n");
}

TEST(ResolveTest, TwelveHourRotationKeepsEightAndTwentyInNewYork) {
  // EST (-05:00) until 2026-03-08 07:00Z, EDT (-04:00) until 2026-11-01 06:00Z.
  auto s =
      MakeSchedule("America/New_York", {MakeLayer("primary", {"ana", "ben"}, 12 * kHour,
                                                  Local("America/New_York", "2026-03-06T08:00"))});
  EXPECT_EQ(Show(MustResolve(s, T("2026-03-07T12:00:00Z"), T("2026-03-09T12:00:00Z")).final),
            "2026-03-07T12:00:00Z 2026-03-07T13:00:00Z ben primary\n"
            "2026-03-07T13:00:00Z 2026-03-08T01:00:00Z ana primary\n"  // 08:00-20:00 EST
            "2026-03-08T01:00:00Z 2026-03-08T12:00:00Z ben primary\n"  // 20:00 EST-08:00 EDT
            "2026-03-08T12:00:00Z 2026-03-09T00:00:00Z ana primary\n"
            "2026-03-09T00:00:00Z 2026-03-09T12:00:00Z ben primary\n");
  // Oct 31 08:00 is turn 478 (239 days after Mar 6).
  EXPECT_EQ(Show(MustResolve(s, T("2026-10-31T12:00:00Z"), T("2026-11-02T13:00:00Z")).final),
            "2026-10-31T12:00:00Z 2026-11-01T00:00:00Z ana primary\n"
            "2026-11-01T00:00:00Z 2026-11-01T13:00:00Z ben primary\n"  // 13h night
            "2026-11-01T13:00:00Z 2026-11-02T01:00:00Z ana primary\n"
            "2026-11-02T01:00:00Z 2026-11-02T13:00:00Z ben primary\n");
}

TEST(ResolveTest, DayShiftLasts23HoursOverSpringForwardAnd25OverFallBack) {
  auto spring = MakeSchedule(
      "Europe/Berlin",
      {MakeLayer("daily", {"ana", "ben"}, kDay, Local("Europe/Berlin", "2026-03-28T10:00"))});
  EXPECT_EQ(Show(MustResolve(spring, T("2026-03-28T09:00:00Z"), T("2026-03-30T08:00:00Z")).final),
            "2026-03-28T09:00:00Z 2026-03-29T08:00:00Z ana daily\n"
            "2026-03-29T08:00:00Z 2026-03-30T08:00:00Z ben daily\n");
  auto fall = MakeSchedule(
      "Europe/Berlin",
      {MakeLayer("daily", {"ana", "ben"}, kDay, Local("Europe/Berlin", "2026-10-24T10:00"))});
  EXPECT_EQ(Show(MustResolve(fall, T("2026-10-24T08:00:00Z"), T("2026-10-26T09:00:00Z")).final),
            "2026-10-24T08:00:00Z 2026-10-25T09:00:00Z ana daily\n"
            "2026-10-25T09:00:00Z 2026-10-26T09:00:00Z ben daily\n");
}

TEST(ResolveTest, HandoffInsideTheSpringForwardGapHappensWhenTheClocksJump) {
  // 02:30 does not exist in Berlin on 2026-03-29: the handoff is at 03:00 CEST = 01:00Z.
  auto s = MakeSchedule("Europe/Berlin", {MakeLayer("daily", {"ana", "ben"}, kDay,
                                                    Local("Europe/Berlin", "2026-03-27T02:30"))});
  EXPECT_EQ(Show(MustResolve(s, T("2026-03-28T00:00:00Z"), T("2026-03-31T00:00:00Z")).final),
            "2026-03-28T00:00:00Z 2026-03-28T01:30:00Z ana daily\n"
            "2026-03-28T01:30:00Z 2026-03-29T01:00:00Z ben daily\n"
            "2026-03-29T01:00:00Z 2026-03-30T00:30:00Z ana daily\n"
            "2026-03-30T00:30:00Z 2026-03-31T00:00:00Z ben daily\n");
}

TEST(ResolveTest, HandoffInTheRepeatedHourIsItsFirstOccurrence) {
  // 01:30 occurs twice in New York on 2026-11-01: first as EDT (05:30Z), then as EST (06:30Z).
  auto s = MakeSchedule(
      "America/New_York",
      {MakeLayer("daily", {"ana", "ben"}, kDay, Local("America/New_York", "2026-10-30T01:30"))});
  EXPECT_EQ(Show(MustResolve(s, T("2026-10-31T05:30:00Z"), T("2026-11-03T06:30:00Z")).final),
            "2026-10-31T05:30:00Z 2026-11-01T05:30:00Z ben daily\n"
            "2026-11-01T05:30:00Z 2026-11-02T06:30:00Z ana daily\n"  // 25h
            "2026-11-02T06:30:00Z 2026-11-03T06:30:00Z ben daily\n");
}

TEST(ResolveTest, DailyRestrictionStaysNineToFiveLocalAcrossDst) {
  Restriction office{Restriction::kDaily, 0, 9 * kHour, 8 * kHour};
  auto s = MakeSchedule("Europe/Berlin",
                        {MakeLayer("office", {"ana", "ben"}, kWeek,
                                   Local("Europe/Berlin", "2026-03-23T09:00"), {office})});
  auto r = MustResolve(s, T("2026-03-27T00:00:00Z"), T("2026-03-31T00:00:00Z"));
  EXPECT_EQ(Show(r.layers[0]),
            "2026-03-27T08:00:00Z 2026-03-27T16:00:00Z ana office\n"
            "2026-03-28T08:00:00Z 2026-03-28T16:00:00Z ana office\n"
            "2026-03-29T07:00:00Z 2026-03-29T15:00:00Z ana office\n"
            "2026-03-30T07:00:00Z 2026-03-30T15:00:00Z ben office\n");
  EXPECT_EQ(Show(r.final),
            "2026-03-27T00:00:00Z 2026-03-27T08:00:00Z (gap)\n"
            "2026-03-27T08:00:00Z 2026-03-27T16:00:00Z ana office\n"
            "2026-03-27T16:00:00Z 2026-03-28T08:00:00Z (gap)\n"
            "2026-03-28T08:00:00Z 2026-03-28T16:00:00Z ana office\n"
            "2026-03-28T16:00:00Z 2026-03-29T07:00:00Z (gap)\n"
            "2026-03-29T07:00:00Z 2026-03-29T15:00:00Z ana office\n"
            "2026-03-29T15:00:00Z 2026-03-30T07:00:00Z (gap)\n"
            "2026-03-30T07:00:00Z 2026-03-30T15:00:00Z ben office\n"
            "2026-03-30T15:00:00Z 2026-03-31T00:00:00Z (gap)\n");
}

TEST(ResolveTest, DailyRestrictionPastMidnightOverFallBack) {
  // 22:00-08:00: Oct 31 22:00 EDT = Nov 1 02:00Z until Nov 1 08:00 EST = 13:00Z (11 hours).
  Restriction night{Restriction::kDaily, 0, 22 * kHour, 10 * kHour};
  auto s = MakeSchedule(
      "America/New_York",
      {MakeLayer("night", {"ana"}, kWeek, Local("America/New_York", "2026-10-05T00:00"), {night})});
  EXPECT_EQ(Show(MustResolve(s, T("2026-10-31T12:00:00Z"), T("2026-11-02T12:00:00Z")).final),
            "2026-10-31T12:00:00Z 2026-11-01T02:00:00Z (gap)\n"
            "2026-11-01T02:00:00Z 2026-11-01T13:00:00Z ana night\n"
            "2026-11-01T13:00:00Z 2026-11-02T03:00:00Z (gap)\n"
            "2026-11-02T03:00:00Z 2026-11-02T12:00:00Z ana night\n");
}

TEST(ResolveTest, WeeklyRestrictionWrapsFromSundayIntoMonday) {
  // Sunday 20:00 for 12 hours, until Monday 08:00 (CET, +01:00).
  Restriction sunday_night{Restriction::kWeekly, 6, 20 * kHour, 12 * kHour};
  auto s = MakeSchedule("Europe/Berlin",
                        {MakeLayer("weekend", {"ana", "ben"}, kWeek,
                                   Local("Europe/Berlin", "2026-01-05T00:00"), {sunday_night})});
  EXPECT_EQ(Show(MustResolve(s, T("2026-01-03T00:00:00Z"), T("2026-01-13T00:00:00Z")).layers[0]),
            "2026-01-04T23:00:00Z 2026-01-05T07:00:00Z ana weekend\n"  // turns start Jan 5
            "2026-01-11T19:00:00Z 2026-01-11T23:00:00Z ana weekend\n"
            "2026-01-11T23:00:00Z 2026-01-12T07:00:00Z ben weekend\n");
  // A range starting inside the window still sees it.
  EXPECT_EQ(Show(MustResolve(s, T("2026-01-12T00:00:00Z"), T("2026-01-19T00:00:00Z")).layers[0]),
            "2026-01-12T00:00:00Z 2026-01-12T07:00:00Z ben weekend\n"
            "2026-01-18T19:00:00Z 2026-01-18T23:00:00Z ben weekend\n"
            "2026-01-18T23:00:00Z 2026-01-19T00:00:00Z ana weekend\n");
}

TEST(ResolveTest, WeeklyRestrictionWorkWeekAcrossSpringForward) {
  // Monday 09:00 to Friday 17:00 (4d8h); Berlin switches to CEST on Sunday Mar 29.
  Restriction week{Restriction::kWeekly, 0, 9 * kHour, 4 * kDay + 8 * kHour};
  auto s = MakeSchedule("Europe/Berlin",
                        {MakeLayer("weekdays", {"ana", "ben"}, kWeek,
                                   Local("Europe/Berlin", "2026-03-23T09:00"), {week})});
  EXPECT_EQ(Show(MustResolve(s, T("2026-03-22T00:00:00Z"), T("2026-04-05T00:00:00Z")).layers[0]),
            "2026-03-23T08:00:00Z 2026-03-27T16:00:00Z ana weekdays\n"
            "2026-03-30T07:00:00Z 2026-04-03T15:00:00Z ben weekdays\n");
}

TEST(ResolveTest, LaterLayersWinWhereTheyHaveSomeoneAndOverridesBeatAll) {
  Restriction weekend{Restriction::kWeekly, 5, 0, 2 * kDay};
  Restriction evening{Restriction::kDaily, 0, 18 * kHour, 4 * kHour};
  auto s = MakeSchedule(
      "UTC", {MakeLayer("primary", {"ana", "ben"}, kWeek, Local("UTC", "2026-01-05T09:00")),
              MakeLayer("weekend", {"cy"}, kWeek, Local("UTC", "2026-01-05T00:00"), {weekend}),
              MakeLayer("evening", {"dan"}, kDay, Local("UTC", "2026-01-05T00:00"), {evening})});
  std::vector<Override> overrides = {
      {"o1", "eve", T("2026-01-09T12:00:00Z"), T("2026-01-10T12:00:00Z")}};
  auto r = MustResolve(s, T("2026-01-09T00:00:00Z"), T("2026-01-12T12:00:00Z"), overrides);
  EXPECT_EQ(Show(r.final),
            "2026-01-09T00:00:00Z 2026-01-09T12:00:00Z ana primary\n"
            "2026-01-09T12:00:00Z 2026-01-10T12:00:00Z eve override:o1\n"
            "2026-01-10T12:00:00Z 2026-01-10T18:00:00Z cy weekend\n"
            "2026-01-10T18:00:00Z 2026-01-10T22:00:00Z dan evening\n"
            "2026-01-10T22:00:00Z 2026-01-11T18:00:00Z cy weekend\n"
            "2026-01-11T18:00:00Z 2026-01-11T22:00:00Z dan evening\n"
            "2026-01-11T22:00:00Z 2026-01-12T00:00:00Z cy weekend\n"
            "2026-01-12T00:00:00Z 2026-01-12T09:00:00Z ana primary\n"
            "2026-01-12T09:00:00Z 2026-01-12T12:00:00Z ben primary\n");
  // Layer shifts ignore the others; one participant gives one long shift.
  EXPECT_EQ(Show(r.layers[1]), "2026-01-10T00:00:00Z 2026-01-12T00:00:00Z cy weekend\n");
  EXPECT_EQ(r.layers[2].size(), 3u);
}

TEST(ResolveTest, OverridesSplitShiftsAndAreClippedToTheRange) {
  auto s =
      MakeSchedule("UTC", {MakeLayer("primary", {"ana"}, kWeek, Local("UTC", "2026-01-05T09:00"))});
  std::vector<Override> overrides = {
      {"late", "ana", T("2026-01-14T00:00:00Z"), T("2026-01-15T00:00:00Z")},
      {"early", "ben", T("2026-01-01T00:00:00Z"), T("2026-01-06T12:00:00Z")},
      {"next", "ben", T("2026-01-06T12:00:00Z"), T("2026-01-07T00:00:00Z")},
      {"outside", "cy", T("2026-02-01T00:00:00Z"), T("2026-02-02T00:00:00Z")}};
  auto r = MustResolve(s, T("2026-01-06T00:00:00Z"), T("2026-01-16T00:00:00Z"), overrides);
  EXPECT_EQ(Show(r.final),
            "2026-01-06T00:00:00Z 2026-01-06T12:00:00Z ben override:early\n"
            "2026-01-06T12:00:00Z 2026-01-07T00:00:00Z ben override:next\n"
            "2026-01-07T00:00:00Z 2026-01-14T00:00:00Z ana primary\n"
            "2026-01-14T00:00:00Z 2026-01-15T00:00:00Z ana override:late\n"
            "2026-01-15T00:00:00Z 2026-01-16T00:00:00Z ana primary\n");
  EXPECT_EQ(Show(r.layers[0]), "2026-01-06T00:00:00Z 2026-01-16T00:00:00Z ana primary\n");
}

TEST(ResolveTest, GapsBeforeTheStartAndAfterTheLayerEnds) {
  auto layer = MakeLayer("primary", {"ana", "ben"}, kDay, Local("UTC", "2026-01-05T09:00"));
  layer.end_ms = T("2026-01-07T12:00:00Z");
  auto s = MakeSchedule("UTC", {layer});
  EXPECT_EQ(Show(MustResolve(s, T("2026-01-05T00:00:00Z"), T("2026-01-08T00:00:00Z")).final),
            "2026-01-05T00:00:00Z 2026-01-05T09:00:00Z (gap)\n"
            "2026-01-05T09:00:00Z 2026-01-06T09:00:00Z ana primary\n"
            "2026-01-06T09:00:00Z 2026-01-07T09:00:00Z ben primary\n"
            "2026-01-07T09:00:00Z 2026-01-07T12:00:00Z ana primary\n"
            "2026-01-07T12:00:00Z 2026-01-08T00:00:00Z (gap)\n");
  // Entirely before the rotation start, or after its end: one gap, no layer shifts.
  for (auto [from, to] : {std::pair{"2025-12-01T00:00:00Z", "2026-01-05T09:00:00Z"},
                          std::pair{"2026-01-07T12:00:00Z", "2026-02-01T00:00:00Z"}}) {
    auto r = MustResolve(s, T(from), T(to));
    EXPECT_EQ(Show(r.final), std::string(from) + " " + to + " (gap)\n");
    EXPECT_TRUE(r.layers[0].empty());
  }
}

TEST(ResolveTest, SubrangesAgreeWithTheWholeRange) {
  Restriction office{Restriction::kDaily, 0, 9 * kHour, 8 * kHour};
  auto s = MakeSchedule("America/New_York",
                        {MakeLayer("a", {"ana", "ben", "cy"}, 36 * kHour,
                                   Local("America/New_York", "2026-01-02T07:30")),
                         MakeLayer("b", {"dan", "eve"}, 5 * kHour,
                                   Local("America/New_York", "2026-02-01T00:00"), {office})});
  int64_t from = T("2026-01-01T00:00:00Z"), to = T("2027-01-01T00:00:00Z");
  auto whole = MustResolve(s, from, to);
  for (int64_t a = from; a < to; a += 7 * kDay * 1000 + 3600 * 1000 * 5 + 17000) {
    int64_t b = std::min(a + 11 * kDay * 1000, to);
    auto part = MustResolve(s, a, b);
    std::vector<Shift> clipped;
    for (const Shift& x : whole.final) {
      if (x.end_ms <= a || x.start_ms >= b) continue;
      clipped.push_back(x);
      clipped.back().start_ms = std::max(x.start_ms, a);
      clipped.back().end_ms = std::min(x.end_ms, b);
    }
    ASSERT_EQ(Show(part.final), Show(clipped)) << FormatRfc3339(a);
  }
}

TEST(ResolveTest, OnCallAtReturnsTheWholeEntry) {
  auto layer =
      MakeLayer("primary", {"ana", "ben"}, kWeek, Local("Europe/Berlin", "2026-03-16T09:00"));
  layer.restrictions = {{Restriction::kDaily, 0, 0, 20 * kHour}};  // nobody 20:00-24:00
  auto s = MakeSchedule("Europe/Berlin", {layer});
  auto at = OnCallAt(s, {}, T("2026-03-25T12:00:00Z"));
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(Show({*at}), "2026-03-24T23:00:00Z 2026-03-25T19:00:00Z ben primary\n");
  auto gap = OnCallAt(s, {}, T("2026-03-29T19:00:00Z"));  // 21:00 CEST
  ASSERT_TRUE(gap.ok());
  EXPECT_EQ(Show({*gap}), "2026-03-29T18:00:00Z 2026-03-29T22:00:00Z (gap)\n");
  std::vector<Override> overrides = {
      {"o", "cy", T("2026-03-25T10:00:00Z"), T("2026-03-25T11:00:00Z")}};
  EXPECT_EQ(OnCallAt(s, overrides, T("2026-03-25T10:30:00Z"))->override_id, "o");
  // One participant around the clock: the extent is clipped to the horizon.
  auto one =
      MakeSchedule("UTC", {MakeLayer("p", {"ana"}, kWeek, Local("UTC", "2026-01-05T09:00"))});
  auto far = OnCallAt(one, {}, T("2026-06-01T00:00:00Z"), 3600 * 1000);
  ASSERT_TRUE(far.ok());
  EXPECT_EQ(Show({*far}), "2026-05-31T23:00:00Z 2026-06-01T01:00:00Z ana p\n");
}

TEST(ResolveTest, RejectsUnknownZonesAndEmptyOrHugeRanges) {
  auto s = MakeSchedule("Mars/Olympus", {MakeLayer("p", {"ana"}, kWeek, 0)});
  auto r = Resolve(s, {}, 0, 1000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_NE(r.error().message.find("unknown time zone \"Mars/Olympus\""), std::string::npos);
  s.time_zone = "UTC";
  EXPECT_FALSE(Resolve(s, {}, 1000, 1000).ok());
  EXPECT_FALSE(Resolve(s, {}, 2000, 1000).ok());
  auto huge = Resolve(s, {}, T("2020-01-01T00:00:00Z"), T("2030-01-01T00:00:00Z"));
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().message, "range longer than 5 years");
  EXPECT_FALSE(Resolve(s, {}, INT64_MIN, INT64_MAX).ok());
  EXPECT_FALSE(OnCallAt(s, {}, INT64_MAX).ok());
}

TEST(ResolveTest, WeirdButValidInput) {
  // 60-second turns for a week; every turn keeps its wall-clock start, so on March 8 the turns
  // of 02:00-02:59 are empty (all at the jump) and 01:59 EST is followed by 03:00 EDT.
  auto s = MakeSchedule(
      "America/New_York",
      {MakeLayer("fast", {"ana", "ben"}, 60, Local("America/New_York", "2026-03-01T00:00"))});
  auto r = MustResolve(s, T("2026-03-05T00:00:00Z"), T("2026-03-12T00:00:00Z"));
  EXPECT_EQ(r.layers[0].size(), 7u * 24 * 60);
  EXPECT_EQ(r.final, r.layers[0]);
  auto jump = std::find_if(r.final.begin(), r.final.end(),
                           [&](const Shift& x) { return x.start_ms == T("2026-03-08T06:59:00Z"); });
  ASSERT_NE(jump, r.final.end());
  EXPECT_EQ(Show({jump, jump + 2}),
            "2026-03-08T06:59:00Z 2026-03-08T07:00:00Z ben fast\n"    // turn 10199
            "2026-03-08T07:00:00Z 2026-03-08T07:01:00Z ana fast\n");  // turn 10260
  // A year of one person is one shift; three years of 60-second turns (1.6 million shifts) are
  // refused up front.
  s.layers[0].participants = {"ana"};
  EXPECT_EQ(Show(MustResolve(s, T("2026-01-01T00:00:00Z"), T("2027-01-01T00:00:00Z")).layers[0]),
            "2026-03-01T05:00:00Z 2027-01-01T00:00:00Z ana fast\n");
  s.layers[0].participants = {"ana", "ben"};
  auto many = Resolve(s, {}, T("2026-01-01T00:00:00Z"), T("2029-01-01T00:00:00Z"));
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().message,
            "layer \"fast\" has more than 1000000 shifts in the range; ask for a shorter one");
  // No participants, or only a zero-length restriction: nobody, no crash.
  s.layers[0].restrictions = {{Restriction::kDaily, 0, 0, 0}};
  EXPECT_EQ(MustResolve(s, 0, 1000).final.size(), 1u);
  s.layers[0].participants.clear();
  EXPECT_EQ(MustResolve(s, 0, 1000).final.size(), 1u);
}

}  // namespace
}  // namespace plinth::schedule
