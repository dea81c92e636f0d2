// iCalendar rendering: whole feeds compared byte for byte with tests/golden/ical/*.ics
// (PLINTH_UPDATE_GOLDEN=1 rewrites them; review the diff), then folding, escaping and UIDs.

#include "schedule/ical.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace plinth::schedule {
namespace {

namespace fs = std::filesystem;

const fs::path kGoldenDir = fs::path(PLINTH_SOURCE_DIR) / "tests/golden/ical";

constexpr int64_t kStampMs = 1767225600000;  // 2026-01-01T00:00:00Z
constexpr int64_t kJan5Ms = 1767600000000;   // 2026-01-05T08:00:00Z (09:00 in Berlin)
constexpr int64_t kOneHourMs = 3600 * 1000;

void ExpectGolden(const std::string& name, const std::string& actual) {
  fs::path path = kGoldenDir / name;
  const char* update = std::getenv("PLINTH_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    fs::create_directories(kGoldenDir);
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run with PLINTH_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(expected.str(), actual) << "golden file " << path;
}

Shift MakeShift(std::string person, int64_t start_ms, int64_t end_ms, std::string source,
                std::string override_id = "") {
  return {std::move(person), start_ms, end_ms, std::move(source), std::move(override_id)};
}

TEST(IcalTest, ScheduleFeedMatchesGolden) {
  std::vector<Shift> shifts = {
      MakeShift("ana", kJan5Ms, kJan5Ms + 168 * kOneHourMs, "primary"),
      MakeShift("", kJan5Ms + 168 * kOneHourMs, kJan5Ms + 172 * kOneHourMs, ""),  // gap: no event
      MakeShift("ben", kJan5Ms + 172 * kOneHourMs, kJan5Ms + 192 * kOneHourMs, "override", "ov-7"),
      MakeShift("Zoë O'Neil, \"night\"; EU", kJan5Ms + 192 * kOneHourMs, kJan5Ms + 336 * kOneHourMs,
                "follow-the-sun\\eu"),
  };
  CalendarInfo info{ScheduleCalendarName("payments-primary"), "Europe/Berlin", kStampMs};
  ExpectGolden("schedule.ics",
               RenderCalendar(info, EventsOf("payments-primary", shifts,
                                             "https://plinth.example/schedules/payments-primary")));
}

TEST(IcalTest, PersonFeedMatchesGolden) {
  // A person's feed gathers shifts of several schedules; the long UTF-8 names fold.
  std::vector<CalendarEvent> events = EventsOf(
      "payments-primary", {MakeShift("łukasz", kJan5Ms, kJan5Ms + 24 * kOneHourMs, "primary")});
  std::vector<CalendarEvent> more =
      EventsOf("zahlungsverkehr-überweisungen-rufbereitschaft-für-europa-und-übersee-primär",
               {MakeShift("łukasz", kJan5Ms + 48 * kOneHourMs, kJan5Ms + 60 * kOneHourMs,
                          "wochenende—nacht")});
  events.insert(events.end(), more.begin(), more.end());
  CalendarInfo info{PersonCalendarName("łukasz"), "", kStampMs};
  ExpectGolden("person.ics", RenderCalendar(info, events));
}

TEST(IcalTest, EmptyFeedHasNoEvents) {
  CalendarInfo info{ScheduleCalendarName("quiet"), "", kStampMs};
  std::string out = RenderCalendar(info, EventsOf("quiet", {MakeShift("", 0, kOneHourMs, "")}));
  EXPECT_EQ(out,
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//plinth//oncall//EN\r\n"
            "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:On call: quiet\r\n"
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nX-PUBLISHED-TTL:PT1H\r\nEND:VCALENDAR\r\n");
}

TEST(IcalTest, FoldsAtSeventyFiveOctets) {
  std::string line = "SUMMARY:" + std::string(67, 'a');  // exactly 75 octets: no fold
  EXPECT_EQ(FoldLine(line), line + "\r\n");
  line += "bcd";  // 78 octets: 75, then a space and 3
  EXPECT_EQ(FoldLine(line), line.substr(0, 75) + "\r\n bcd\r\n");
  std::string long_line = "X:" + std::string(200, 'x');  // 75 + 74 + 53
  EXPECT_EQ(FoldLine(long_line), long_line.substr(0, 75) + "\r\n " + long_line.substr(75, 74) +
                                     "\r\n " + long_line.substr(149) + "\r\n");
}

TEST(IcalTest, FoldNeverSplitsUtf8) {
  // 2-, 3- and 4-byte characters at every offset against the fold points.
  std::string summary = "SUMMARY:On call: ";
  for (int i = 0; i < 40; ++i) summary += (i % 3 == 0) ? "é" : (i % 3 == 1) ? "€" : "😀";
  for (int shift = 0; shift < 4; ++shift) {
    std::string line = std::string(shift, '.') + summary;
    std::string folded = FoldLine(line);
    std::string unfolded;
    size_t pos = 0;
    bool first = true;
    while (pos < folded.size()) {
      size_t eol = folded.find("\r\n", pos);
      ASSERT_NE(eol, std::string::npos);
      std::string physical = folded.substr(pos, eol - pos);
      EXPECT_LE(physical.size(), 75u) << physical;
      if (!first) {
        ASSERT_EQ(physical[0], ' ');
        physical.erase(0, 1);
      }
      ASSERT_FALSE(physical.empty());
      EXPECT_NE(static_cast<unsigned char>(physical[0]) & 0xC0, 0x80) << "split character";
      unfolded += physical;
      first = false;
      pos = eol + 2;
    }
    EXPECT_EQ(unfolded, line);
  }
  // "é" would straddle octets 75/76: the whole character moves to the next line.
  std::string line = std::string(74, 'a') + "é";
  EXPECT_EQ(FoldLine(line), std::string(74, 'a') + "\r\n é\r\n");
}

TEST(IcalTest, EscapesText) {
  EXPECT_EQ(EscapeText("plain text: ok"), "plain text: ok");
  EXPECT_EQ(EscapeText("a\\b;c,d\ne\r\nf\rg"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
  EXPECT_EQ(EscapeText(std::string("bell\a tab\t del\x7f", 15)), "bell tab\t del");
  EXPECT_EQ(EscapeText("Zoë \"q\""), "Zoë \"q\"");
}

TEST(IcalTest, FormatsUtcStamps) {
  EXPECT_EQ(FormatUtcStamp(kJan5Ms), "20260105T080000Z");
  EXPECT_EQ(FormatUtcStamp(kJan5Ms + 3723999), "20260105T090203Z");
  EXPECT_EQ(FormatUtcStamp(0), "19700101T000000Z");
  EXPECT_EQ(FormatUtcStamp(-1000), "19691231T235959Z");
}

TEST(IcalTest, UidIsStable) {
  Shift shift = MakeShift("ana", kJan5Ms, kJan5Ms + 168 * kOneHourMs, "primary");
  std::string uid = EventUid("payments-primary", shift);
  EXPECT_EQ(uid.size(), 32u + 7u);
  EXPECT_EQ(uid.substr(32), "@plinth");
  EXPECT_EQ(uid.find_first_not_of("0123456789abcdef"), 32u);

  EXPECT_EQ(EventUid("payments-primary", shift), uid);  // regenerated: same UID
  Shift longer = shift;
  longer.end_ms += kOneHourMs;  // an extended shift stays the same event
  EXPECT_EQ(EventUid("payments-primary", longer), uid);

  Shift later = shift;
  later.start_ms += kOneHourMs;
  EXPECT_NE(EventUid("payments-primary", later), uid);
  Shift other_person = shift;
  other_person.person = "ben";
  EXPECT_NE(EventUid("payments-primary", other_person), uid);
  Shift other_source = shift;
  other_source.source = "override";
  EXPECT_NE(EventUid("payments-primary", other_source), uid);
  EXPECT_NE(EventUid("payments-secondary", shift), uid);
  // Field boundaries matter: ("a", "b c") is not ("a b", "c").
  EXPECT_NE(EventUid("ab", MakeShift("c", 0, 1, "x")), EventUid("a", MakeShift("bc", 0, 1, "x")));
}

TEST(IcalTest, UidSurvivesRegeneration) {
  std::vector<Shift> shifts = {MakeShift("ana", kJan5Ms, kJan5Ms + kOneHourMs, "primary")};
  CalendarInfo first{"x", "", kStampMs};
  CalendarInfo second{"x", "", kStampMs + kOneHourMs};
  std::string a = RenderCalendar(first, EventsOf("s", shifts));
  std::string b = RenderCalendar(second, EventsOf("s", shifts));
  std::string uid_line = "UID:" + EventUid("s", shifts[0]) + "\r\n";
  EXPECT_NE(a.find(uid_line), std::string::npos);
  EXPECT_NE(b.find(uid_line), std::string::npos);
  EXPECT_NE(a, b);  // only DTSTAMP differs
}

}  // namespace
}  // namespace plinth::schedule
