#include "cost/generate_format.h"

#include <algorithm>
#include <cstdio>

namespace plinth::cost::gen {

void RowBuffer::PutFixed(int64_t v, int decimals) {
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  if (v < 0) Put('-');
  char tmp[24];
  int n = 0;
  for (int i = 0; i < decimals; ++i) {
    tmp[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  }
  do {
    tmp[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  char* p = buf_.data() + pos_;
  for (int i = n - 1; i >= decimals; --i) *p++ = tmp[i];
  if (decimals > 0) {
    *p++ = '.';
    for (int i = decimals - 1; i >= 0; --i) *p++ = tmp[i];
  }
  pos_ = static_cast<size_t>(p - buf_.data());
}

bool RowBuffer::Flush() {
  if (pos_ > 0) out_.write(buf_.data(), static_cast<std::streamsize>(pos_));
  pos_ = 0;
  return static_cast<bool>(out_);
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

std::string FormatTime(int64_t s) {
  int64_t days = s >= 0 ? s / 86400 : (s - 86399) / 86400;
  int64_t rem = s - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m,
                d, static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return buf;
}

std::string FormatFixed(int64_t v, int decimals) {
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::string digits = std::to_string(u);
  if (digits.size() <= size_t(decimals))
    digits.insert(0, size_t(decimals) + 1 - digits.size(), '0');
  if (decimals > 0) digits.insert(digits.size() - size_t(decimals), 1, '.');
  return v < 0 ? "-" + digits : digits;
}

std::string FormatUnits(int64_t units) {
  std::string s = std::to_string(units / 10'000'000'000);
  int64_t frac = units % 10'000'000'000;
  if (frac == 0) return s;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%010lld", static_cast<long long>(frac));
  std::string f = buf;
  f.erase(f.find_last_not_of('0') + 1);
  return s + "." + f;
}

std::string CsvField(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

namespace {
void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
}
}  // namespace

std::string TagsJson(std::vector<std::pair<std::string, std::string>> tags) {
  std::sort(tags.begin(), tags.end());
  std::string out = "{";
  for (const auto& [key, value] : tags) {
    if (out.size() > 1) out += ',';
    AppendJsonString(out, key);
    out += ':';
    AppendJsonString(out, value);
  }
  return out + "}";
}

}  // namespace plinth::cost::gen
