#pragma once
// The catalog's resource model (apiVersion plinth/v1): the kinds, their names, schema validation
// and the canonical form of a document.
//
// A document is {apiVersion, kind, metadata: {name, title?, description?, tags?, labels?,
// annotations?, links?}, spec}. Canonicalize() checks it against the schema of its kind and
// returns the canonical document: defaults filled in, empty optional fields omitted, free text
// trimmed, lists of names (members, dependsOn, tags) sorted and deduplicated. Two documents are
// "the same" exactly when their canonical forms are equal (Json ==), and Canonicalize() of a
// canonical document returns it unchanged.
//
// Pure functions, no database. The one exception is the time-zone check (Person.spec.timeZone),
// which reads the OS tz database (/usr/share/zoneinfo). Thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace plinth::catalog {

inline constexpr std::string_view kApiVersion = "plinth/v1";

// One catalog kind. Kinds() lists them in reference order: a kind only refers to kinds before
// it (Person < Team < Domain < System < Schedule < EscalationPolicy < Service < DataSource <
// SLO < CostAllocation < Budget < UnitMetric), so creating in this order and deleting in the
// reverse order satisfies references. To add a kind, add a row to the table in model.cc and its
// schema to kSpecs in schema.cc.
struct KindInfo {
  std::string_view kind;    // "Service"
  std::string_view plural;  // "services", the HTTP path segment and export folder
  std::string_view noun;    // "service", used in messages: service "x" does not exist
};

const std::vector<KindInfo>& Kinds();
bool IsKind(std::string_view kind);
// nullptr when `kind` is not a catalog kind.
const KindInfo* FindKind(std::string_view kind);
// "services" -> "Service"; nullopt when unknown.
std::optional<std::string> KindFromPlural(std::string_view plural);
// "Service" -> "services"; "" when unknown.
std::string PluralOf(std::string_view kind);

// A resource name: Backstage's rule, 1-63 characters matching
// ^[a-zA-Z0-9]([-_.]?[a-zA-Z0-9])*$, optionally prefixed by a namespace of the same form and
// "--" (Backstage entities outside the default namespace become "NAMESPACE--NAME").
bool IsValidName(std::string_view name);

// Relation names stored in catalog_relations.
inline constexpr std::string_view kDependsOn = "dependsOn";  // Service -> Service
// Service/System/Domain/EscalationPolicy (spec.owner), Schedule (spec.team) -> Team
inline constexpr std::string_view kOwnedBy = "ownedBy";
inline constexpr std::string_view kHasMember = "hasMember";  // Team -> Person
inline constexpr std::string_view kPartOf = "partOf";        // Service -> System, System -> Domain
inline constexpr std::string_view kOnCall = "onCall";        // Schedule -> Person (participant)
inline constexpr std::string_view kMeasures = "measures";    // SLO -> Service
// SLO, UnitMetric (spec.prometheus.dataSource) -> DataSource
inline constexpr std::string_view kUses = "uses";
// EscalationPolicy -> Person/Schedule/Team (a level's target); Budget -> Service (spec.notify)
inline constexpr std::string_view kNotifies = "notifies";
// CostAllocation -> Team/Service (a rule's set; a shared pool's among and weights)
inline constexpr std::string_view kAllocatesTo = "allocatesTo";
// Budget, UnitMetric -> Team/Service (spec.scope)
inline constexpr std::string_view kScopedTo = "scopedTo";
// Service -> EscalationPolicy (spec.paging.escalationPolicy)
inline constexpr std::string_view kEscalatesVia = "escalatesVia";

// A reference from a document to another catalog resource.
struct Reference {
  std::string relation;     // one of the relation names above
  std::string target_kind;  // "Team"
  std::string target_name;
  std::string pointer;   // where the reference is written in the input, e.g. "/spec/dependsOn/1"
  std::string location;  // "file:line" when the input came from a file, else empty

  // `team "payments"`
  std::string TargetText() const;
};

// A validated resource: its canonical document and the references it makes (deduplicated).
struct Resource {
  std::string kind;
  std::string name;
  Json doc;  // canonical
  std::vector<Reference> refs;
};

// Validates `doc` against the plinth/v1 schema of its kind and canonicalises it. A top-level
// "status" object (output-only, see Entity::ToJson) is accepted and dropped. On failure returns
// Error{kInvalid} whose fields list EVERY problem found, each with a JSON pointer into `doc`:
// "is required", "unknown field", "must be an integer from 1 to 4", ...
Result<Resource> Canonicalize(const Json& doc);

// The references of a canonical document (pointers into the canonical form).
std::vector<Reference> ReferencesOf(const Json& canonical);

// The team whose managers may change this resource: Service/System/Domain/EscalationPolicy ->
// spec.owner; Schedule -> spec.team; Budget/UnitMetric -> spec.scope.team; Team -> its own name;
// Person (and anything unrecognised) -> nullopt, i.e. global roles only.
std::optional<std::string> ScopeTeam(const Json& doc);

// True when `zone` names a zone of the OS tz database ("Europe/Berlin", "UTC").
bool IsTimeZone(std::string_view zone);

// `service "x"`: the lower-case noun of `kind` and the quoted name.
std::string Describe(std::string_view kind, std::string_view name);

}  // namespace plinth::catalog
