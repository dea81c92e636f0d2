#pragma once
// Persistence of catalog resources in catalog_entities / catalog_relations, used by the HTTP API
// and by apply. Every function runs inside the caller's transaction; mutations take a write
// transaction and append one audit entry (audit::Append) per real change in that same
// transaction, so the change and its audit record commit together or not at all.
//
// Rows: `doc` holds the canonical JSON text (see model.h); owner, tier and lifecycle are copied
// out of it for filtering; one relation row per reference (dependsOn, ownedBy, hasMember,
// partOf). `version` is 1 on create and +1 on every real change. Times come from the caller's
// now_ms; the library never reads a clock.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "catalog/graph.h"
#include "catalog/model.h"
#include "store/store.h"

namespace plinth::catalog {

// A stored resource.
struct Entity {
  std::string kind;
  std::string name;
  Json doc;  // canonical document
  int64_t version = 0;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;

  // The document plus an output-only top-level "status" object:
  //   {"version": 3, "createdAt": "2026-11-22T08:00:00Z", "updatedAt": "..."}
  // Validate() accepts and drops "status", so a GET result can be PUT back unchanged.
  Json ToJson() const;
};

// Schema-only validation and canonicalisation (no database): Canonicalize(doc).doc. Errors are
// Error{kInvalid, fields=[{pointer, message}]} listing every problem, not just the first.
Result<Json> Validate(const Json& doc);

// kNotFound: `service "x" does not exist`.
Result<Entity> Get(store::Tx& tx, std::string_view kind, std::string_view name);

struct ListQuery {
  std::string kind;   // required: one of Kinds()
  std::string after;  // cursor: the last name of the previous page; "" for the first page
  int limit = 50;     // 1..500
  std::optional<std::string> owner;      // spec.owner equals
  std::optional<int> tier;               // spec.tier equals
  std::optional<std::string> lifecycle;  // spec.lifecycle equals
  std::string search;  // case-insensitive substring of name or metadata.title; "" matches all
};

struct Page {
  std::vector<Entity> items;  // ordered by name (bytewise)
  std::string next_cursor;    // pass as `after` for the next page; "" at the end
};

// Filters in SQL, ordered by name, at most `limit` items. kInvalid for an unknown kind or a
// limit outside 1..500.
Result<Page> List(store::Tx& tx, const ListQuery& query);

// Every stored resource of `kind` ("" for all kinds, in Kinds() order), ordered by name.
Result<std::vector<Entity>> All(store::Tx& tx, std::string_view kind = "");

// Validates, checks that every reference exists (field error at e.g. /spec/owner:
// `team "paymnts" does not exist`), kConflict when kind/name already exists. version 1.
Result<Entity> Create(store::Tx& tx, const Json& doc, std::string_view actor, int64_t now_ms);

// Full replacement (PUT). metadata.name (and kind) in `doc` must match the path, or are filled
// in from it when absent. kNotFound when it does not exist; kConflict when `if_version` is given
// and differs from the stored version. An unchanged canonical document is not written: no new
// version, no audit entry, and the stored entity is returned.
Result<Entity> Replace(store::Tx& tx, std::string_view kind, std::string_view name,
                       const Json& doc, std::optional<int64_t> if_version,
                       std::string_view actor, int64_t now_ms);

// kNotFound when absent; kConflict when other resources still refer to it, naming them:
// `team "payments" is still referenced by service "ledger", service "payments-api"` (sorted,
// at most 10, then "and N more").
Status Delete(store::Tx& tx, std::string_view kind, std::string_view name,
              std::string_view actor, int64_t now_ms);

// {"service": NAME,
//  "upstream":   [{"name", "depth"}...]  what NAME depends on (depth 1 only unless transitive),
//  "downstream": [{"name", "depth"}...]  who depends on NAME (its blast radius),
//  "cycles":     [["a","b","a"], ...]    elementary dependency cycles through NAME}
// Lists are ordered by depth then name; each cycle starts and ends at its smallest name.
// kNotFound when the service does not exist.
Result<Json> Dependencies(store::Tx& tx, std::string_view service, bool transitive);

// The resources that refer to kind/name as {kind, name} pairs, sorted: a Person's teams, a
// Team's services, systems and domains, a System's services. kNotFound when it does not exist.
Result<std::vector<std::pair<std::string, std::string>>> ReferencedBy(store::Tx& tx,
                                                                      std::string_view kind,
                                                                      std::string_view name);

}  // namespace plinth::catalog
