#include "slo/calendar.h"

#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace plinth::slo {
namespace {

constexpr int64_t kDayS = 86400;

bool IsMonthly(CalendarUnit unit) {
  return unit == CalendarUnit::kMonth || unit == CalendarUnit::kQuarter ||
         unit == CalendarUnit::kYear;
}

int UnitMonths(CalendarUnit unit) {
  switch (unit) {
    case CalendarUnit::kQuarter:
      return 3;
    case CalendarUnit::kYear:
      return 12;
    default:
      return 1;
  }
}

int64_t AnchorOf(const CalendarSpec& spec) {
  if (spec.anchor_local_s) return *spec.anchor_local_s;
  return spec.unit == CalendarUnit::kWeek ? 4 * kDayS : 0;  // Monday 1970-01-05, or 1970-01-01
}

// A wall time split into its civil date and its seconds after midnight.
struct Civil {
  int64_t month_index;  // year * 12 + month - 1
  unsigned day;         // 1..31
  int64_t tod_s;        // [0, 86400)
};

Civil ToCivil(int64_t local_s) {
  int64_t days = FloorDiv(local_s, kDayS);
  date::year_month_day ymd{date::local_days{date::days{days}}};
  return {static_cast<int>(ymd.year()) * int64_t{12} + static_cast<unsigned>(ymd.month()) - 1,
          static_cast<unsigned>(ymd.day()), local_s - days * kDayS};
}

// The wall time period k starts at.
int64_t StartLocal(const CalendarSpec& spec, int64_t anchor, int64_t k) {
  if (!IsMonthly(spec.unit)) {
    int64_t unit_days = spec.unit == CalendarUnit::kWeek ? 7 : 1;
    return anchor + k * spec.count * unit_days * kDayS;
  }
  Civil a = ToCivil(anchor);
  int64_t mi = a.month_index + k * spec.count * UnitMonths(spec.unit);
  date::year_month_day ymd = date::year{static_cast<int>(FloorDiv(mi, 12))} /
                             date::month{static_cast<unsigned>(mi - FloorDiv(mi, 12) * 12 + 1)} /
                             date::day{a.day};
  return date::local_days{ymd}.time_since_epoch().count() * kDayS + a.tod_s;
}

// The index of the period whose wall-time range holds local_s.
int64_t IndexLocal(const CalendarSpec& spec, int64_t anchor, int64_t local_s) {
  if (!IsMonthly(spec.unit)) {
    int64_t unit_days = spec.unit == CalendarUnit::kWeek ? 7 : 1;
    return FloorDiv(local_s - anchor, spec.count * unit_days * kDayS);
  }
  Civil a = ToCivil(anchor);
  Civil t = ToCivil(local_s);
  int64_t months = t.month_index - a.month_index;
  if (t.day < a.day || (t.day == a.day && t.tod_s < a.tod_s)) --months;
  return FloorDiv(months, int64_t{spec.count} * UnitMonths(spec.unit));
}

std::string FormatLocal(int64_t local_s) {
  Civil c = ToCivil(local_s);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d",
                static_cast<int>(FloorDiv(c.month_index, 12)),
                static_cast<int>(c.month_index - FloorDiv(c.month_index, 12) * 12 + 1),
                static_cast<int>(c.day), static_cast<int>(c.tod_s / 3600),
                static_cast<int>(c.tod_s / 60 % 60));
  std::string out = buf;
  if (c.tod_s % 60 != 0) {
    std::snprintf(buf, sizeof buf, ":%02d", static_cast<int>(c.tod_s % 60));
    out += buf;
  }
  return out;
}

}  // namespace

Result<const date::time_zone*> FindZone(std::string_view name) {
  try {
    if (!name.empty()) return date::locate_zone(name);
  } catch (const std::exception&) {
  }
  return Error::Invalid("unknown time zone \"" + std::string(name) +
                        "\" (expected an IANA zone such as Europe/Berlin)");
}

int64_t LocalToUtcMs(const date::time_zone* zone, int64_t local_s) {
  date::local_seconds local{std::chrono::seconds(local_s)};
  date::local_info info = zone->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    // Every wall time in the gap maps to the instant the clocks jump.
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               info.second.begin.time_since_epoch())
        .count();
  }
  // unique or ambiguous: the first occurrence uses the earlier offset (info.first).
  return (local_s - info.first.offset.count()) * 1000;
}

int64_t UtcToLocalS(const date::time_zone* zone, int64_t utc_ms) {
  date::sys_seconds sys{std::chrono::seconds(FloorDiv(utc_ms, 1000))};
  return zone->to_local(sys).time_since_epoch().count();
}

const char* UnitName(CalendarUnit unit) {
  switch (unit) {
    case CalendarUnit::kDay:
      return "day";
    case CalendarUnit::kWeek:
      return "week";
    case CalendarUnit::kMonth:
      return "month";
    case CalendarUnit::kQuarter:
      return "quarter";
    case CalendarUnit::kYear:
      return "year";
  }
  return "?";
}

std::optional<CalendarUnit> ParseUnit(std::string_view name) {
  for (CalendarUnit u : {CalendarUnit::kDay, CalendarUnit::kWeek, CalendarUnit::kMonth,
                         CalendarUnit::kQuarter, CalendarUnit::kYear}) {
    if (name == UnitName(u)) return u;
  }
  return std::nullopt;
}

Status ValidateCalendar(const CalendarSpec& spec, std::string_view pointer) {
  std::string p(pointer);
  if (spec.count < 1 || spec.count > 1000) {
    return Error::Field(p + "/count", "expected a whole number of periods from 1 to 1000");
  }
  if (auto zone = FindZone(spec.zone); !zone.ok()) {
    return Error::Field(p + "/zone", zone.error().message);
  }
  if (spec.anchor_local_s) {
    int64_t a = *spec.anchor_local_s;
    if (a < -100 * 366 * kDayS || a > 1000 * 366 * kDayS) {
      return Error::Field(p + "/anchor", "expected a start between 1870 and 2970");
    }
    if (IsMonthly(spec.unit) && ToCivil(a).day > 28) {
      return Error::Field(p + "/anchor",
                          "a monthly period must start on day 1 to 28 (every month has it)");
    }
  }
  return {};
}

Period PeriodContaining(const CalendarSpec& spec, const date::time_zone* zone, int64_t at_ms) {
  int64_t anchor = AnchorOf(spec);
  int64_t k = IndexLocal(spec, anchor, UtcToLocalS(zone, at_ms));
  auto bounds = [&](int64_t i) {
    return Period{LocalToUtcMs(zone, StartLocal(spec, anchor, i)),
                  LocalToUtcMs(zone, StartLocal(spec, anchor, i + 1))};
  };
  Period p = bounds(k);
  // The wall clock runs backwards when clocks fall back; step to the period that holds at_ms.
  while (at_ms < p.start_ms) p = bounds(--k);
  while (at_ms >= p.end_ms) p = bounds(++k);
  return p;
}

int64_t NominalMinutes(const CalendarSpec& spec) {
  int64_t days = 1;
  switch (spec.unit) {
    case CalendarUnit::kDay:
      days = 1;
      break;
    case CalendarUnit::kWeek:
      days = 7;
      break;
    case CalendarUnit::kMonth:
      days = 30;
      break;
    case CalendarUnit::kQuarter:
      days = 90;
      break;
    case CalendarUnit::kYear:
      days = 365;
      break;
  }
  return days * spec.count * 1440;
}

std::string Describe(const CalendarSpec& spec) {
  std::string out = std::to_string(spec.count) + " " + UnitName(spec.unit);
  if (spec.count != 1) out += "s";
  out += " in " + spec.zone;
  if (spec.anchor_local_s) out += " from " + FormatLocal(*spec.anchor_local_s);
  return out;
}

}  // namespace plinth::slo
