#include "escalation/notify_rules.h"

#include <algorithm>

#include "escalation/spec.h"

namespace plinth::escalation {

namespace {

std::string Str(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

bool QuietType(const std::string& type) {
  return type == "email" || type == "slack" || type == "teams" || type == "webhook";
}

}  // namespace

PersonNotify PersonNotifyFromSpec(const Json& canonical_person_spec) {
  PersonNotify out;
  if (!canonical_person_spec.is_object()) return out;
  if (auto it = canonical_person_spec.find("contactMethods");
      it != canonical_person_spec.end() && it->is_array()) {
    for (const Json& m : *it) {
      if (!m.is_object()) continue;
      ContactMethod cm{Str(m, "type"), Str(m, "address")};
      if (!cm.type.empty() && !cm.address.empty()) out.methods.push_back(std::move(cm));
    }
  }
  if (auto it = canonical_person_spec.find("notificationRules");
      it != canonical_person_spec.end() && it->is_array()) {
    for (const Json& r : *it) {
      if (!r.is_object()) continue;
      NotificationRule rule;
      auto after = ParseDurationMs(Str(r, "after"), true);
      if (!after) continue;
      rule.after_ms = *after;
      if (auto types = r.find("contactTypes"); types != r.end() && types->is_array()) {
        for (const Json& t : *types) {
          if (t.is_string()) rule.contact_types.push_back(t.get<std::string>());
        }
      }
      if (rule.contact_types.empty()) continue;
      rule.urgency = ParseUrgency(Str(r, "urgency"));  // "any" or absent: nullopt
      out.rules.push_back(std::move(rule));
    }
  }
  return out;
}

std::vector<Planned> PlanNotifications(const PersonNotify& p, Urgency u) {
  std::vector<Planned> out;
  auto add = [&](const Planned& planned) {
    if (std::find(out.begin(), out.end(), planned) == out.end()) out.push_back(planned);
  };
  for (const NotificationRule& rule : p.rules) {
    if (rule.urgency && *rule.urgency != u) continue;
    for (const ContactMethod& m : p.methods) {
      if (std::find(rule.contact_types.begin(), rule.contact_types.end(), m.type) !=
          rule.contact_types.end()) {
        add({m.type, m.address, rule.after_ms});
      }
    }
  }
  bool any_rule = std::any_of(p.rules.begin(), p.rules.end(), [&](const NotificationRule& r) {
    return !r.urgency || *r.urgency == u;
  });
  if (!any_rule) {
    for (const ContactMethod& m : p.methods) {
      if (u == Urgency::kHigh || QuietType(m.type)) add({m.type, m.address, 0});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Planned& a, const Planned& b) { return a.after_ms < b.after_ms; });
  return out;
}

}  // namespace plinth::escalation
