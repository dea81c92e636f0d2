#include "base/time.h"

#include <chrono>
#include <cstdio>

namespace plinth {

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string FormatRfc3339(int64_t ms) {
  using namespace std::chrono;
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int64_t frac = ms - secs * 1000;
  sys_days day{days{secs >= 0 ? secs / 86400 : (secs - 86399) / 86400}};
  int64_t sod = secs - day.time_since_epoch().count() * 86400;
  year_month_day ymd{day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(sod / 3600), int(sod / 60 % 60),
                int(sod % 60));
  std::string out(buf);
  if (frac != 0) {
    std::snprintf(buf, sizeof buf, ".%03d", int(frac));
    out += buf;
  }
  return out + "Z";
}

Result<int64_t> ParseRfc3339(std::string_view s) {
  using namespace std::chrono;
  auto bad = [&] {
    return Error::Invalid("invalid timestamp \"" + std::string(s) +
                          "\": expected RFC 3339, e.g. 2026-11-22T08:00:00Z");
  };
  int y, mo, d, h = 0, mi = 0, sec = 0, frac_ms = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d)) {
    return bad();
  }
  year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok()) return bad();
  size_t pos = 10;
  int64_t offset_s = 0;
  if (pos < s.size()) {
    if ((s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') || !Digits(s, pos + 1, 2, &h) ||
        s.size() < pos + 9 || s[pos + 3] != ':' || !Digits(s, pos + 4, 2, &mi) ||
        s[pos + 6] != ':' || !Digits(s, pos + 7, 2, &sec) || h > 23 || mi > 59 || sec > 60) {
      return bad();
    }
    pos += 9;
    if (pos < s.size() && s[pos] == '.') {
      size_t start = ++pos;
      int scale = 100;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        frac_ms += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start) return bad();
    }
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
      ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      int oh, om;
      if (s.size() != pos + 6 || !Digits(s, pos + 1, 2, &oh) || s[pos + 3] != ':' ||
          !Digits(s, pos + 4, 2, &om)) {
        return bad();
      }
      offset_s = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
      pos += 6;
    } else {
      return bad();
    }
    if (pos != s.size()) return bad();
  }
  int64_t days_since = sys_days(ymd).time_since_epoch().count();
  int64_t secs = days_since * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  return secs * 1000 + frac_ms;
}

}  // namespace plinth
