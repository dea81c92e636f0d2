// TagValue: a direct scan of the Tags JSON text for the common case (string values without
// escapes, as ingest writes them), nlohmann json for everything else.

#include <optional>

#include "base/json.h"
#include "cost/query.h"

namespace plinth::cost {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Scans an object's members for `key`. Returns the value, or "" when absent or null; nullopt
// when the text needs the full parser (an escape, a non-string value for the key, bad syntax).
std::optional<std::string_view> Scan(std::string_view s, std::string_view key) {
  size_t i = 0, n = s.size();
  auto skip = [&] {
    while (i < n && IsSpace(s[i])) ++i;
  };
  // A string without escapes starting at s[i] == '"'; nullopt when it has one or is unclosed.
  auto string = [&]() -> std::optional<std::string_view> {
    size_t start = ++i;
    while (i < n && s[i] != '"' && s[i] != '\\') ++i;
    if (i == n || s[i] == '\\') return std::nullopt;
    return s.substr(start, i++ - start);
  };
  // Skips any value; false on bad syntax.
  auto skip_value = [&]() -> bool {
    int depth = 0;
    do {
      if (i == n) return false;
      char c = s[i];
      if (c == '"') {
        for (++i; i < n && s[i] != '"'; ++i)
          if (s[i] == '\\') ++i;
        if (i >= n) return false;
        ++i;
      } else if (c == '{' || c == '[') {
        ++depth, ++i;
      } else if (c == '}' || c == ']') {
        if (depth == 0) return true;  // the enclosing object's end
        --depth, ++i;
      } else if (c == ',' && depth == 0) {
        return true;
      } else {
        ++i;
      }
    } while (depth > 0 || (i < n && s[i] != ',' && s[i] != '}' && !IsSpace(s[i])));
    return true;
  };
  skip();
  if (i == n || s[i] != '{') return std::nullopt;
  ++i;
  skip();
  if (i < n && s[i] == '}') return std::string_view();
  while (true) {
    if (i == n || s[i] != '"') return std::nullopt;
    std::optional<std::string_view> k = string();
    if (!k) return std::nullopt;
    skip();
    if (i == n || s[i] != ':') return std::nullopt;
    ++i;
    skip();
    if (*k == key) {
      if (i < n && s[i] == '"') return string();
      if (s.substr(i, 4) == "null") return std::string_view();
      return std::nullopt;
    }
    if (!skip_value()) return std::nullopt;
    skip();
    if (i == n) return std::nullopt;
    if (s[i] == '}') return std::string_view();
    if (s[i] != ',') return std::nullopt;
    ++i;
    skip();
  }
}

}  // namespace

std::string TagValue(std::string_view tags_json, std::string_view key) {
  if (tags_json.empty()) return "";
  if (std::optional<std::string_view> v = Scan(tags_json, key)) return std::string(*v);
  Result<Json> json = ParseJson(tags_json);
  if (!json.ok() || !json->is_object()) return "";
  auto it = json->find(key);
  if (it == json->end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace plinth::cost
