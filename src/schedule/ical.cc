#include "schedule/ical.h"

#include <date/date.h>

#include <chrono>
#include <cstdio>

#include "base/crypto.h"
#include "schedule/zone.h"

namespace plinth::schedule {

namespace {

constexpr size_t kMaxLineOctets = 75;  // RFC 5545 3.1, excluding the CRLF

bool IsUtf8Continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Appends "NAME:value" folded; `value` is used as given (already escaped where needed).
void AddLine(std::string& out, std::string_view name, std::string_view value) {
  std::string line(name);
  line += ':';
  line += value;
  out += FoldLine(line);
}

void AddText(std::string& out, std::string_view name, std::string_view text) {
  AddLine(out, name, EscapeText(text));
}

std::string Description(const CalendarEvent& event) {
  std::string text = "Schedule: " + event.schedule + "\n";
  if (event.shift.source == "override") {
    text += "Override";
    if (!event.shift.override_id.empty()) text += ": " + event.shift.override_id;
  } else {
    text += "Layer: " + event.shift.source;
  }
  return text;
}

}  // namespace

std::string ScheduleCalendarName(std::string_view schedule) {
  return "On call: " + std::string(schedule);
}

std::string PersonCalendarName(std::string_view person) {
  return "On-call shifts: " + std::string(person);
}

std::vector<CalendarEvent> EventsOf(std::string_view schedule, const std::vector<Shift>& shifts,
                                    std::string_view url) {
  std::vector<CalendarEvent> events;
  events.reserve(shifts.size());
  for (const Shift& shift : shifts) {
    events.push_back({std::string(schedule), shift, std::string(url)});
  }
  return events;
}

std::string RenderCalendar(const CalendarInfo& info, const std::vector<CalendarEvent>& events) {
  std::string out;
  AddLine(out, "BEGIN", "VCALENDAR");
  AddLine(out, "VERSION", "2.0");
  AddLine(out, "PRODID", "-//plinth//oncall//EN");
  AddLine(out, "CALSCALE", "GREGORIAN");
  AddLine(out, "METHOD", "PUBLISH");
  AddText(out, "X-WR-CALNAME", info.name);
  if (!info.time_zone.empty()) AddText(out, "X-WR-TIMEZONE", info.time_zone);
  AddLine(out, "REFRESH-INTERVAL;VALUE=DURATION", "PT1H");
  AddLine(out, "X-PUBLISHED-TTL", "PT1H");
  const std::string stamp = FormatUtcStamp(info.stamp_ms);
  for (const CalendarEvent& event : events) {
    const Shift& shift = event.shift;
    if (shift.person.empty() || shift.end_ms <= shift.start_ms) continue;
    AddLine(out, "BEGIN", "VEVENT");
    AddLine(out, "UID", EventUid(event.schedule, shift));
    AddLine(out, "DTSTAMP", stamp);
    AddLine(out, "DTSTART", FormatUtcStamp(shift.start_ms));
    AddLine(out, "DTEND", FormatUtcStamp(shift.end_ms));
    AddText(out, "SUMMARY", "On call: " + shift.person + " (" + event.schedule + ")");
    AddText(out, "DESCRIPTION", Description(event));
    AddLine(out, "TRANSP", "TRANSPARENT");
    if (!event.url.empty()) AddLine(out, "URL", event.url);
    AddLine(out, "END", "VEVENT");
  }
  AddLine(out, "END", "VCALENDAR");
  return out;
}

std::string EventUid(std::string_view schedule, const Shift& shift) {
  // NUL separators keep ("ab", "c") and ("a", "bc") apart.
  std::string key(schedule);
  key += '\0';
  key += shift.person;
  key += '\0';
  key += std::to_string(shift.start_ms);
  key += '\0';
  key += shift.source;
  return Sha256Hex(key).substr(0, 32) + "@plinth";
}

std::string EscapeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) break;
        out += c;
    }
  }
  return out;
}

std::string FoldLine(std::string_view line) {
  std::string out;
  out.reserve(line.size() + line.size() / 64 * 3 + 2);
  size_t pos = 0;
  size_t limit = kMaxLineOctets;  // the first line has no leading space
  while (line.size() - pos > limit) {
    size_t cut = pos + limit;
    // Back up to the start of a character; a run of continuation bytes is at most 3 long,
    // so a malformed run (more than that) is cut where it stands.
    size_t back = cut;
    while (back > pos && cut - back < 4 &&
           IsUtf8Continuation(static_cast<unsigned char>(line[back]))) {
      --back;
    }
    if (back > pos && cut - back < 4) cut = back;
    out.append(line.substr(pos, cut - pos));
    out += "\r\n ";
    pos = cut;
    limit = kMaxLineOctets - 1;
  }
  out.append(line.substr(pos));
  out += "\r\n";
  return out;
}

std::string FormatUtcStamp(int64_t utc_ms) {
  int64_t s = FloorDiv(utc_ms, 1000);
  int64_t days = FloorDiv(s, kDay);
  int64_t rest = s - days * kDay;
  date::year_month_day ymd{date::sys_days{date::days{days}}};
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(rest / kHour), static_cast<int>(rest % kHour / kMinute),
                static_cast<int>(rest % kMinute));
  return buf;
}

}  // namespace plinth::schedule
