#pragma once
// Internal to the catalog: row-level reads and writes of catalog_entities/catalog_relations,
// shared by the repository (one resource at a time) and apply (a whole set). Writers append the
// audit entry; callers have already validated the resource and checked its references.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "catalog/model.h"
#include "catalog/repository.h"
#include "store/store.h"

namespace plinth::catalog {

// Columns to select for EntityFromRow, in order.
inline constexpr std::string_view kEntityColumns =
    "kind, name, doc, version, created_at_ms, updated_at_ms";
Result<Entity> EntityFromRow(const store::Row& row);

// The stored entity, or nullopt when absent.
Result<std::optional<Entity>> FindEntity(store::Tx& tx, std::string_view kind,
                                         std::string_view name);

// version 1, created = updated = now; audit "create".
Result<Entity> InsertEntity(store::Tx& tx, const Resource& res, std::string_view actor,
                            int64_t now_ms);
// version + 1, updated = now, relations rewritten; audit "update" with before/after.
Result<Entity> UpdateEntity(store::Tx& tx, const Entity& before, const Resource& res,
                            std::string_view actor, int64_t now_ms);
// Removes the row and its outgoing relations; audit "delete" with before.
Status DeleteEntity(store::Tx& tx, const Entity& before, std::string_view actor, int64_t now_ms);

// {kind, name} of the resources whose relations point at kind/name, sorted, excluding itself.
Result<std::vector<std::pair<std::string, std::string>>> Referrers(store::Tx& tx,
                                                                   std::string_view kind,
                                                                   std::string_view name);

// `team "payments" is still referenced by service "a", service "b"` (at most 10, then
// "and N more").
std::string StillReferencedMessage(std::string_view kind, std::string_view name,
                                   const std::vector<std::pair<std::string, std::string>>& by);

// One Error{kInvalid} carrying `fields`; the message is the single problem or a count.
Error FieldsError(std::vector<FieldError> fields);

using KeySet = std::set<std::pair<std::string, std::string>>;  // {kind, name}

// Which targets of `refs` exist in the database.
Result<KeySet> ExistingTargets(store::Tx& tx, const std::vector<Reference>& refs);

// Field errors for the references whose target is not in `existing`:
// `team "paymnts" does not exist`.
std::vector<FieldError> MissingReferences(const std::vector<Reference>& refs,
                                          const KeySet& existing);

}  // namespace plinth::catalog
