#pragma once
// iCalendar (RFC 5545) feeds of on-call shifts, the text calendar apps subscribe to: one
// VEVENT per shift, in UTC, with a UID that stays the same when the feed is generated again.
// Pure: the caller gives the DTSTAMP instant, so the same input renders the same bytes.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "schedule/model.h"

namespace plinth::schedule {

// The calendar as a whole.
struct CalendarInfo {
  std::string name;       // X-WR-CALNAME, e.g. "On call: payments-primary"
  std::string time_zone;  // X-WR-TIMEZONE (a display hint for clients); omitted when empty
  int64_t stamp_ms = 0;   // DTSTAMP of every event: when the feed was generated
};

// One shift of one schedule. A gap (empty person) or an empty shift is not an event.
struct CalendarEvent {
  std::string schedule;  // schedule name, shown in SUMMARY and part of the UID
  Shift shift;
  std::string url;  // URL of the event, e.g. the schedule's console page; omitted when empty
};

// "On call: payments-primary", the name of a schedule's feed.
std::string ScheduleCalendarName(std::string_view schedule);
// "On-call shifts: ana", the name of a person's feed.
std::string PersonCalendarName(std::string_view person);

// The events of a resolved schedule (gaps are skipped by RenderCalendar).
std::vector<CalendarEvent> EventsOf(std::string_view schedule, const std::vector<Shift>& shifts,
                                    std::string_view url = "");

// The whole VCALENDAR: CRLF line endings, lines folded at 75 octets without splitting a UTF-8
// character, TEXT values escaped. Events appear in the order given.
std::string RenderCalendar(const CalendarInfo& info, const std::vector<CalendarEvent>& events);

// "<32 hex digits>@plinth": a hash of schedule, person, shift start and source, so a shift keeps
// its UID across regenerations while its end may move. A shift clipped differently (e.g. by a
// feed window that slides) gets a new UID; callers resolve from a fixed point to avoid that.
std::string EventUid(std::string_view schedule, const Shift& shift);

// RFC 5545 TEXT escaping: \ ; , and newline (CRLF and CR too) become \\ \; \, \n; other control
// characters except TAB are dropped.
std::string EscapeText(std::string_view text);

// One content line folded: at most 75 octets per physical line (continuations start with a
// space), each ending in CRLF; a UTF-8 multi-byte character is never split.
std::string FoldLine(std::string_view line);

// 1767600000000 -> "20260105T080000Z" (milliseconds dropped).
std::string FormatUtcStamp(int64_t utc_ms);

}  // namespace plinth::schedule
