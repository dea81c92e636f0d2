#pragma once
// A person's contact methods and notification rules (Person.spec in the catalog), and the plan
// of notifications for one page. Pure; thread-safe.
//
//   contactMethods:                # types: email sms voice slack teams webhook
//     - {type: slack, address: https://hooks.slack.com/services/T/B/X}
//     - {type: sms, address: "+4915112345678"}
//   notificationRules:             # optional
//     - {after: 0m, contactTypes: [slack, email]}          # urgency: any (default) | high | low
//     - {after: 5m, contactTypes: [sms], urgency: high}

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "escalation/paging.h"

namespace plinth::escalation {

struct ContactMethod {
  std::string type;  // email, sms, voice, slack, teams or webhook
  std::string address;

  bool operator==(const ContactMethod&) const = default;
};

struct NotificationRule {
  int64_t after_ms = 0;                    // >= 0, since the person was paged
  std::vector<std::string> contact_types;  // not empty; types among the person's methods
  std::optional<Urgency> urgency;          // nullopt: any urgency

  bool operator==(const NotificationRule&) const = default;
};

struct PersonNotify {
  std::vector<ContactMethod> methods;   // in the spec's order
  std::vector<NotificationRule> rules;  // in the spec's order

  bool operator==(const PersonNotify&) const = default;
};

// The contact methods and rules of a canonical Person spec. Lenient: entries that are not
// well-formed are left out (the catalog validated the spec before storing it).
PersonNotify PersonNotifyFromSpec(const Json& canonical_person_spec);

struct Planned {
  std::string type, address;
  int64_t after_ms = 0;

  bool operator==(const Planned&) const = default;
};

// Who-gets-what for one page of urgency `u`: every method of each type a matching rule names
// (a rule matches when its urgency is unset or equals u), at the rule's delay. Sorted by
// after_ms, then rule order, then the rule's contact types in the person's method order; exact
// repeats dropped. With no rule matching u (or no rules at all) the defaults apply: high ->
// every method at 0; low -> the email, slack, teams and webhook methods at 0 (no sms or voice).
std::vector<Planned> PlanNotifications(const PersonNotify& p, Urgency u);

}  // namespace plinth::escalation
