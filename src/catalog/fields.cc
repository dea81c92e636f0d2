#include "catalog/fields.h"

#include <algorithm>
#include <map>

#include "catalog/model.h"

namespace plinth::catalog {

std::string Trim(std::string_view s) {
  const char* ws = " \t\r\n";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

bool IsHttpUrl(std::string_view s) {
  std::string_view rest;
  if (s.starts_with("https://")) {
    rest = s.substr(8);
  } else if (s.starts_with("http://")) {
    rest = s.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.front() == '/') return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  });
}

bool IsEmail(std::string_view s) {
  size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
  if (s.find('@', at + 1) != std::string_view::npos) return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '<' || c == '>';
  });
}

std::string BadNameMessage(std::string_view name) {
  return "\"" + std::string(name) +
         "\" is not a valid name (1-63 letters, digits and single \"-\", \"_\" or \".\" "
         "between them)";
}

std::string ScalarText(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

FieldReader::FieldReader(const Json& obj, std::string pointer, std::vector<FieldError>& errors)
    : obj_(obj), pointer_(std::move(pointer)), errors_(errors) {}

std::string FieldReader::Pointer(std::string_view key) const {
  return pointer_ + "/" + PointerToken(key);
}

void FieldReader::Fail(std::string_view key, std::string message) {
  FailAt(Pointer(key), std::move(message));
}

void FieldReader::FailAt(std::string pointer, std::string message) {
  errors_.push_back({std::move(pointer), std::move(message), ""});
}

const Json* FieldReader::Get(std::string_view key) {
  known_.insert(std::string(key));
  if (!obj_.is_object()) return nullptr;
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

const Json* FieldReader::Require(std::string_view key) {
  const Json* v = Get(key);
  if (!v) Fail(key, "is required");
  return v;
}

std::optional<std::string> FieldReader::Text(std::string_view key, bool required) {
  const Json* v = required ? Require(key) : Get(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    Fail(key, "must be a string");
    return std::nullopt;
  }
  std::string s = Trim(v->get_ref<const std::string&>());
  if (s.empty()) {
    if (required) Fail(key, "is required");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> FieldReader::Name(std::string_view key, bool required) {
  auto s = Text(key, required);
  if (s && !IsValidName(*s)) {
    Fail(key, BadNameMessage(*s));
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> FieldReader::Url(std::string_view key) {
  auto s = Text(key);
  if (s && !IsHttpUrl(*s)) {
    Fail(key, "must be an http or https URL");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> FieldReader::Email(std::string_view key) {
  auto s = Text(key);
  if (s && !IsEmail(*s)) {
    Fail(key, "must be an email address with one \"@\"");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> FieldReader::Enum(std::string_view key,
                                             const std::vector<std::string>& allowed) {
  auto s = Text(key);
  if (!s) return s;
  if (std::find(allowed.begin(), allowed.end(), *s) != allowed.end()) return s;
  std::string msg = "must be one of ";
  for (size_t i = 0; i < allowed.size(); ++i) msg += (i ? ", " : "") + allowed[i];
  Fail(key, msg + " (got \"" + *s + "\")");
  return std::nullopt;
}

const Json* FieldReader::Object(std::string_view key, bool required) {
  const Json* v = required ? Require(key) : Get(key);
  if (v && !v->is_object()) {
    Fail(key, "must be a mapping");
    return nullptr;
  }
  return v;
}

const Json* FieldReader::Array(std::string_view key) {
  const Json* v = Get(key);
  if (v && !v->is_array()) {
    Fail(key, "must be a list");
    return nullptr;
  }
  return v;
}

std::vector<std::pair<std::string, std::string>> FieldReader::NameList(std::string_view key) {
  std::map<std::string, std::string> names;  // name -> pointer of first occurrence
  const Json* v = Array(key);
  if (!v) return {};
  for (size_t i = 0; i < v->size(); ++i) {
    std::string p = Pointer(key) + "/" + std::to_string(i);
    const Json& item = (*v)[i];
    if (!item.is_string()) {
      FailAt(p, "must be a string");
      continue;
    }
    std::string name = Trim(item.get_ref<const std::string&>());
    if (!IsValidName(name)) {
      FailAt(p, BadNameMessage(name));
      continue;
    }
    names.emplace(name, p);
  }
  return {names.begin(), names.end()};
}

std::optional<Json> FieldReader::StringMap(std::string_view key) {
  const Json* v = Object(key);
  if (!v) return std::nullopt;
  Json out = Json::object();
  for (const auto& [k, val] : v->items()) {
    std::string p = Pointer(key) + "/" + PointerToken(k);
    if (k.empty()) {
      FailAt(p, "keys must not be empty");
    } else if (val.is_string() || val.is_number() || val.is_boolean()) {
      out[k] = ScalarText(val);
    } else {
      FailAt(p, "must be a string");
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

void FieldReader::Finish() {
  if (!obj_.is_object()) return;
  for (const auto& [k, _] : obj_.items()) {
    if (!known_.contains(k)) Fail(k, "unknown field");
  }
}

}  // namespace plinth::catalog
