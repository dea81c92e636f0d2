#pragma once
// Internal to the catalog: what a kind's spec schema function gets (schema.cc holds the table of
// kinds; schedule_schema.cc and slo_schema.cc the larger specs).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "catalog/fields.h"
#include "catalog/model.h"

namespace plinth::catalog {

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

void ScheduleSpec(SpecContext& c);
void DataSourceSpec(SpecContext& c);
void SloSpec(SpecContext& c);

}  // namespace plinth::catalog
