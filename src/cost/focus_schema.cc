#include "cost/focus_schema.h"

#include <algorithm>
#include <map>

#include "base/json.h"

namespace plinth::cost {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// Equal ignoring case and the separators ' ', '-' and '_' ("usage based" == "Usage-Based").
bool EqualsLoosely(std::string_view a, std::string_view b) {
  auto sep = [](char c) { return c == ' ' || c == '-' || c == '_'; };
  size_t i = 0, j = 0;
  for (;;) {
    while (i < a.size() && sep(a[i])) ++i;
    while (j < b.size() && sep(b[j])) ++j;
    if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
    if (Lower(a[i++]) != Lower(b[j++])) return false;
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool TwoDigits(std::string_view s, size_t pos, int* out) {
  if (pos + 2 > s.size()) return false;
  char a = s[pos], b = s[pos + 1];
  if (a < '0' || a > '9' || b < '0' || b > '9') return false;
  *out = (a - '0') * 10 + (b - '0');
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

unsigned DaysInMonth(int y, int m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

std::string Quoted(std::string_view text) {
  return "\"" + std::string(text.substr(0, 60)) + (text.size() > 60 ? "…" : "") + "\"";
}

}  // namespace

std::string FocusVersionName(FocusVersion v) {
  switch (v) {
    case FocusVersion::k1_0:
      return "FOCUS 1.0";
    case FocusVersion::k1_1:
      return "FOCUS 1.1";
    case FocusVersion::k1_2:
      return "FOCUS 1.2";
  }
  return "FOCUS";
}

int FindFocusColumn(std::string_view name) {
  for (size_t i = 0; i < kFocusColumns.size(); ++i) {
    if (EqualsIgnoreCase(kFocusColumns[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

std::vector<ColumnSpec> FocusSegmentColumns() {
  std::vector<ColumnSpec> columns;
  columns.reserve(kFocusColumns.size());
  for (const FocusColumn& c : kFocusColumns) columns.push_back({std::string(c.name), c.type});
  return columns;
}

Result<FocusHeader> MapFocusHeader(std::span<const std::string_view> header,
                                   const std::string& path) {
  FocusHeader out;
  out.columns = FocusSegmentColumns();
  std::vector<int> field_of(kFocusColumns.size(), -1);
  for (size_t i = 0; i < header.size(); ++i) {
    std::string_view name = Trim(header[i]);
    if (name.empty()) {
      return Error::Invalid(path + ":1: column " + std::to_string(i + 1) + " has no name");
    }
    int focus = FindFocusColumn(name);
    size_t column = 0;
    if (focus >= 0) {
      if (field_of[focus] >= 0) {
        return Error::Invalid(path + ":1: column " + std::string(kFocusColumns[focus].name) +
                              " appears twice (columns " + std::to_string(field_of[focus] + 1) +
                              " and " + std::to_string(i + 1) + ")");
      }
      field_of[focus] = static_cast<int>(i);
      out.version = std::max(out.version, kFocusColumns[focus].introduced);
      column = static_cast<size_t>(focus);
    } else {
      for (size_t c = kFocusColumns.size(); c < out.columns.size(); ++c) {
        if (out.columns[c].name == name) {
          return Error::Invalid(path + ":1: column " + std::string(name) + " appears twice");
        }
      }
      bool custom = name.size() > 2 && (name[0] == 'x' || name[0] == 'X') && name[1] == '_';
      if (!custom) {
        out.warnings.push_back(path + ":1: column \"" + std::string(name) +
                               "\" is not a FOCUS 1.0-1.2 column; kept as a string column");
      }
      column = out.columns.size();
      out.columns.push_back({std::string(name), ColumnType::kString});
    }
    out.field_column.push_back(column);
  }
  std::string missing;
  for (size_t c = 0; c < kFocusColumns.size(); ++c) {
    if (kFocusColumns[c].mandatory && field_of[c] < 0) {
      missing += (missing.empty() ? "" : ", ") + std::string(kFocusColumns[c].name);
    }
  }
  if (!missing.empty()) {
    return Error::Invalid(path + ":1: missing mandatory FOCUS columns: " + missing);
  }
  return out;
}

std::string_view CanonicalAllowedValue(const FocusColumn& column, std::string_view v) {
  for (std::string_view allowed : column.allowed) {
    if (allowed == v) return allowed;
  }
  for (std::string_view allowed : column.allowed) {
    if (EqualsLoosely(allowed, v)) return allowed;
  }
  return {};
}

Result<int64_t> ParseFocusTimestamp(std::string_view s) {
  auto bad = [&] {
    return Error::Invalid("expected a timestamp like 2024-09-01T00:00:00Z, got " + Quoted(s));
  };
  int c = 0, yy = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (s.size() < 10 || !TwoDigits(s, 0, &c) || !TwoDigits(s, 2, &yy) || s[4] != '-' ||
      !TwoDigits(s, 5, &mo) || s[7] != '-' || !TwoDigits(s, 8, &d)) {
    return bad();
  }
  int y = c * 100 + yy;
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > DaysInMonth(y, mo)) return bad();
  size_t pos = 10;
  int64_t offset_s = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return bad();
    if (!TwoDigits(s, pos + 1, &h) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !TwoDigits(s, pos + 4, &mi) || h > 23 || mi > 59) {
      return bad();
    }
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!TwoDigits(s, pos + 1, &sec) || sec > 60) return bad();
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        size_t start = ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start) return bad();
      }
    }
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
      ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      int oh = 0, om = 0;
      bool negative = s[pos] == '-';
      if (!TwoDigits(s, pos + 1, &oh) || oh > 23) return bad();
      pos += 3;
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (pos < s.size()) {
        if (!TwoDigits(s, pos, &om) || om > 59) return bad();
        pos += 2;
      }
      offset_s = (oh * 3600 + om * 60) * (negative ? -1 : 1);
    }
    if (pos != s.size()) return bad();
  }
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return days * 86400 + h * 3600 + mi * 60 + sec - offset_s;
}

Result<std::string_view> TagCanonicalizer::Canonical(std::string_view text) {
  return CanonicalStripped(text, {});
}

Result<std::string_view> TagCanonicalizer::CanonicalStripped(std::string_view text,
                                                             std::string_view strip_prefix) {
  key_.assign(strip_prefix).push_back('\n');
  key_.append(text);
  if (auto it = cache_.find(key_); it != cache_.end()) return std::string_view(it->second);
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Error::Invalid("expected a JSON object, got " + Quoted(text));
  }
  std::map<std::string, std::string> tags;
  for (const auto& [k, v] : parsed.items()) {
    if (v.is_null()) continue;
    std::string name = k;
    if (!strip_prefix.empty() && name.size() > strip_prefix.size() &&
        name.compare(0, strip_prefix.size(), strip_prefix) == 0) {
      name.erase(0, strip_prefix.size());
    }
    tags[name] = v.is_string() ? v.get<std::string>()
                               : v.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  std::string canonical;
  if (!tags.empty()) {
    Json object(tags);
    canonical = object.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  if (cache_.size() >= kMaxCached) cache_.clear();
  auto [it, inserted] = cache_.emplace(key_, std::move(canonical));
  return std::string_view(it->second);
}

}  // namespace plinth::cost
