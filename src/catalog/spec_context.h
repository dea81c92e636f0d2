#pragma once
// Internal to the catalog: what a kind's spec schema function gets (schema.cc holds the table of
// kinds; schedule_schema.cc, slo_schema.cc, escalation_schema.cc and cost_schema.cc the larger
// specs).

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "catalog/fields.h"
#include "catalog/model.h"

namespace plinth::catalog {

// The types of a person's contact methods.
inline const std::vector<std::string> kContactTypes = {"email", "sms",   "voice",
                                                       "slack", "teams", "webhook"};

// Reads one kind's spec from `in` into the canonical `out`, adding the references it makes.
struct SpecContext {
  FieldReader& in;
  Json& out;
  std::vector<Reference>& refs;
  const std::string& name;  // metadata.name, "" when invalid

  void Ref(std::string_view relation, std::string_view kind, const std::string& target,
           std::string pointer) {
    refs.push_back({std::string(relation), std::string(kind), target, std::move(pointer), ""});
  }
  // owner: a required Team name.
  void Owner() {
    if (auto owner = in.Name("owner", true)) {
      out["owner"] = *owner;
      Ref(kOwnedBy, "Team", *owner, in.Pointer("owner"));
    }
  }
};

// A required time of day "HH:MM[:SS]" at `key`; `end` allows 24:00.
std::optional<int64_t> TimeOfDay(FieldReader& r, std::string_view key, bool end);

// A local-time window {timeZone, days?, start, end} (escalation/spec.h), canonical: days as
// full names Monday first, omitted when empty.
Json WindowSpec(FieldReader& r);

void ScheduleSpec(SpecContext& c);
void EscalationPolicySpec(SpecContext& c);
// Service.spec.paging, when given.
void PagingSpec(SpecContext& c);
// Person.spec.notificationRules, when given; `contact_types` are the person's method types.
void NotificationRulesSpec(SpecContext& c, const std::set<std::string>& contact_types);
void DataSourceSpec(SpecContext& c);
void SloSpec(SpecContext& c);
// cost_schema.cc
void CostAllocationSpec(SpecContext& c);
void BudgetSpec(SpecContext& c);
void UnitMetricSpec(SpecContext& c);

}  // namespace plinth::catalog
