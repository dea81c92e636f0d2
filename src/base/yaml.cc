#include "base/yaml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace plinth {

namespace {

// Interprets a plain (unquoted) scalar by the YAML 1.2 core schema.
Json PlainScalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (*begin == '+') ++begin;
  int64_t i;
  auto [p, ec] = std::from_chars(begin, end, i);
  if (ec == std::errc() && p == end) return i;
  bool numeric = std::all_of(begin, end, [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
  });
  if (numeric && std::any_of(begin, end, [](char c) { return c >= '0' && c <= '9'; })) {
    double d;
    auto [q, ec2] = std::from_chars(begin, end, d);
    if (ec2 == std::errc() && q == end && std::isfinite(d)) return d;
  }
  return s;
}

void Convert(const YAML::Node& node, const std::string& pointer, YamlDocument& doc, Json& out) {
  doc.lines[pointer] = node.Mark().line + 1;
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out = nullptr;
      break;
    case YAML::NodeType::Scalar:
      out = node.Tag() == "!" ? Json(node.Scalar()) : PlainScalar(node.Scalar());
      break;
    case YAML::NodeType::Sequence: {
      out = Json::array();
      size_t i = 0;
      for (const auto& item : node) {
        Json child;
        Convert(item, pointer + "/" + std::to_string(i++), doc, child);
        out.push_back(std::move(child));
      }
      break;
    }
    case YAML::NodeType::Map: {
      out = Json::object();
      for (const auto& kv : node) {
        std::string key = kv.first.IsScalar() ? kv.first.Scalar() : YAML::Dump(kv.first);
        Json child;
        Convert(kv.second, pointer + "/" + PointerToken(key), doc, child);
        out[key] = std::move(child);
      }
      break;
    }
  }
}

void Emit(YAML::Emitter& em, const Json& v, const std::vector<std::string>& first_keys) {
  switch (v.type()) {
    case Json::value_t::object: {
      if (v.empty()) {
        em << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        break;
      }
      em << YAML::BeginMap;
      std::vector<std::string> keys;
      for (const auto& k : first_keys) {
        if (v.contains(k)) keys.push_back(k);
      }
      for (const auto& [k, _] : v.items()) {
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
      }
      for (const auto& k : keys) {
        em << YAML::Key << k << YAML::Value;
        Emit(em, v.at(k), first_keys);
      }
      em << YAML::EndMap;
      break;
    }
    case Json::value_t::array:
      if (v.empty()) {
        em << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        break;
      }
      em << YAML::BeginSeq;
      for (const auto& item : v) Emit(em, item, first_keys);
      em << YAML::EndSeq;
      break;
    case Json::value_t::string: {
      const auto& s = v.get_ref<const std::string&>();
      bool ambiguous = !PlainScalar(s).is_string() || s.find(": ") != std::string::npos ||
                       s.find(" #") != std::string::npos;
      if (ambiguous) em << YAML::DoubleQuoted;
      em << s;
      break;
    }
    case Json::value_t::boolean:
      em << (v.get<bool>() ? "true" : "false");
      break;
    case Json::value_t::null:
      em << YAML::Null;
      break;
    default:
      em << v.dump();
      break;
  }
}

}  // namespace

int YamlDocument::LineOf(std::string_view pointer) const {
  std::string p(pointer);
  while (true) {
    auto it = lines.find(p);
    if (it != lines.end()) return it->second;
    if (p.empty()) return line;
    p.erase(p.rfind('/'));
  }
}

Result<std::vector<YamlDocument>> ParseYaml(std::string_view text, std::string_view file) {
  std::vector<YamlDocument> docs;
  try {
    for (const auto& node : YAML::LoadAll(std::string(text))) {
      if (node.IsNull()) continue;
      YamlDocument doc;
      doc.line = node.Mark().line + 1;
      Convert(node, "", doc, doc.value);
      docs.push_back(std::move(doc));
    }
  } catch (const YAML::Exception& e) {
    return Error::Invalid(std::string(file) + ":" + std::to_string(e.mark.line + 1) +
                          ": invalid YAML: " + e.msg);
  }
  return docs;
}

std::string ToYaml(const Json& value, const std::vector<std::string>& first_keys) {
  YAML::Emitter em;
  em.SetIndent(2);
  Emit(em, value, first_keys);
  return std::string(em.c_str()) + "\n";
}

}  // namespace plinth
