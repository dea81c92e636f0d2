#include "notify/notice.h"

#include "base/time.h"

namespace plinth::notify {
namespace {

// The string fields, by JSON key.
constexpr std::pair<const char*, std::string Notice::*> kStrings[] = {
    {"kind", &Notice::kind},       {"incident_id", &Notice::incident_id},
    {"title", &Notice::title},     {"service", &Notice::service},
    {"urgency", &Notice::urgency}, {"status", &Notice::status},
    {"details", &Notice::details}, {"incident_url", &Notice::incident_url},
    {"ack_url", &Notice::ack_url}, {"resolve_url", &Notice::resolve_url},
    {"person", &Notice::person},
};

}  // namespace

bool IsChannel(std::string_view channel) {
  for (const char* c : kChannels) {
    if (channel == c) return true;
  }
  return false;
}

Json NoticeToJson(const Notice& n) {
  Json j = Json::object();
  for (const auto& [key, field] : kStrings) j[key] = n.*field;
  j["incident_number"] = n.incident_number;
  j["at"] = FormatRfc3339(n.at_ms);
  return j;
}

Result<Notice> NoticeFromJson(const Json& j) {
  if (!j.is_object()) return Error::Invalid("a notice must be a JSON object");
  Notice n;
  for (const auto& [key, field] : kStrings) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) continue;
    if (!it->is_string()) return Error::Field(std::string("/") + key, "must be a string");
    n.*field = it->get<std::string>();
  }
  if (auto it = j.find("incident_number"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) return Error::Field("/incident_number", "must be an integer");
    n.incident_number = it->get<int64_t>();
  }
  if (auto it = j.find("at"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) return Error::Field("/at", "must be an RFC 3339 instant");
    auto at = ParseRfc3339(it->get<std::string>());
    if (!at.ok()) return Error::Field("/at", "must be an RFC 3339 instant");
    n.at_ms = *at;
  }
  return n;
}

}  // namespace plinth::notify
