#include "catalog/rows.h"

#include <algorithm>

#include "audit/audit.h"

namespace plinth::catalog {

namespace {

// The owning team: spec.owner, or spec.team for a schedule.
store::Value OwnerOf(const Json& doc) {
  const Json& spec = doc.at("spec");
  auto it = spec.find("owner");
  if (it == spec.end()) it = spec.find("team");
  if (it == spec.end()) return {};
  return it->get<std::string>();
}

store::Value TierOf(const Json& doc) {
  const Json& spec = doc.at("spec");
  auto it = spec.find("tier");
  if (it == spec.end()) return {};
  return it->get<int64_t>();
}

store::Value LifecycleOf(const Json& doc) {
  const Json& spec = doc.at("spec");
  auto it = spec.find("lifecycle");
  if (it == spec.end()) return {};
  return it->get<std::string>();
}

Error ChangedConcurrently(const Entity& before) {
  return Error::Conflict(Describe(before.kind, before.name) +
                         " was changed by someone else at the same time; retry");
}

Status WriteRelations(store::Tx& tx, const Resource& res) {
  PLINTH_RETURN_IF_ERROR(tx.Exec("DELETE FROM catalog_relations WHERE kind = ? AND name = ?",
                                 {res.kind, res.name}));
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const auto& r : res.refs) {
    if (!seen.insert({r.relation, r.target_kind, r.target_name}).second) continue;
    PLINTH_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO catalog_relations (kind, name, relation, target_kind, target_name) "
        "VALUES (?, ?, ?, ?, ?)",
        {res.kind, res.name, r.relation, r.target_kind, r.target_name}));
  }
  return {};
}

}  // namespace

Result<Entity> EntityFromRow(const store::Row& row) {
  Entity e;
  e.kind = row.Text(0);
  e.name = row.Text(1);
  PLINTH_ASSIGN_OR_RETURN(e.doc, ParseJson(row.Text(2)));
  e.version = row.Int(3);
  e.created_at_ms = row.Int(4);
  e.updated_at_ms = row.Int(5);
  return e;
}

Result<std::optional<Entity>> FindEntity(store::Tx& tx, std::string_view kind,
                                         std::string_view name) {
  PLINTH_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT " + std::string(kEntityColumns) +
                                " FROM catalog_entities WHERE kind = ? AND name = ?",
                            {kind, name}));
  if (!row) return std::optional<Entity>();
  PLINTH_ASSIGN_OR_RETURN(Entity e, EntityFromRow(*row));
  return std::optional<Entity>(std::move(e));
}

Result<Entity> InsertEntity(store::Tx& tx, const Resource& res, std::string_view actor,
                            int64_t now_ms) {
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO catalog_entities (kind, name, owner, tier, lifecycle, doc, version, "
      "created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
      {res.kind, res.name, OwnerOf(res.doc), TierOf(res.doc), LifecycleOf(res.doc),
       res.doc.dump(), now_ms, now_ms}));
  PLINTH_RETURN_IF_ERROR(WriteRelations(tx, res));
  PLINTH_RETURN_IF_ERROR(
      audit::Append(tx, now_ms, actor, "create", res.kind, res.name, std::nullopt, res.doc));
  return Entity{res.kind, res.name, res.doc, 1, now_ms, now_ms};
}

Result<Entity> UpdateEntity(store::Tx& tx, const Entity& before, const Resource& res,
                            std::string_view actor, int64_t now_ms) {
  // The version guard turns a concurrent change since `before` was read into a conflict
  // instead of a lost update (PostgreSQL runs at READ COMMITTED).
  PLINTH_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("UPDATE catalog_entities SET owner = ?, tier = ?, lifecycle = ?, doc = ?, "
              "version = ?, updated_at_ms = ? WHERE kind = ? AND name = ? AND version = ?",
              {OwnerOf(res.doc), TierOf(res.doc), LifecycleOf(res.doc), res.doc.dump(),
               before.version + 1, now_ms, res.kind, res.name, before.version}));
  if (changed != 1) return ChangedConcurrently(before);
  PLINTH_RETURN_IF_ERROR(WriteRelations(tx, res));
  PLINTH_RETURN_IF_ERROR(
      audit::Append(tx, now_ms, actor, "update", res.kind, res.name, before.doc, res.doc));
  return Entity{res.kind, res.name, res.doc, before.version + 1, before.created_at_ms, now_ms};
}

Status DeleteEntity(store::Tx& tx, const Entity& before, std::string_view actor,
                    int64_t now_ms) {
  PLINTH_RETURN_IF_ERROR(tx.Exec("DELETE FROM catalog_relations WHERE kind = ? AND name = ?",
                                 {before.kind, before.name}));
  PLINTH_ASSIGN_OR_RETURN(
      int64_t deleted,
      tx.Exec("DELETE FROM catalog_entities WHERE kind = ? AND name = ? AND version = ?",
              {before.kind, before.name, before.version}));
  if (deleted != 1) return ChangedConcurrently(before);
  PLINTH_RETURN_IF_ERROR(audit::Append(tx, now_ms, actor, "delete", before.kind, before.name,
                                       before.doc, std::nullopt));
  return {};
}

Result<std::vector<std::pair<std::string, std::string>>> Referrers(store::Tx& tx,
                                                                   std::string_view kind,
                                                                   std::string_view name) {
  PLINTH_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT DISTINCT kind, name FROM catalog_relations "
                          "WHERE target_kind = ? AND target_name = ? AND NOT (kind = ? AND "
                          "name = ?)",
                          {kind, name, kind, name}));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& row : rows) out.emplace_back(row.Text(0), row.Text(1));
  return out;
}

std::string StillReferencedMessage(std::string_view kind, std::string_view name,
                                   const std::vector<std::pair<std::string, std::string>>& by) {
  std::vector<std::string> texts;
  for (const auto& [k, n] : by) texts.push_back(Describe(k, n));
  std::sort(texts.begin(), texts.end());
  std::string msg = Describe(kind, name) + " is still referenced by ";
  for (size_t i = 0; i < texts.size() && i < 10; ++i) msg += (i ? ", " : "") + texts[i];
  if (texts.size() > 10) msg += " and " + std::to_string(texts.size() - 10) + " more";
  return msg;
}

Error FieldsError(std::vector<FieldError> fields) {
  std::string msg = fields.size() == 1
                        ? (fields[0].pointer.empty() ? "" : PointerToDotted(fields[0].pointer) +
                                                                ": ") +
                              fields[0].message
                        : std::to_string(fields.size()) + " problems";
  Error e = Error::Invalid(std::move(msg));
  e.fields = std::move(fields);
  return e;
}

Result<KeySet> ExistingTargets(store::Tx& tx, const std::vector<Reference>& refs) {
  KeySet out;
  KeySet asked;
  for (const auto& r : refs) {
    if (!asked.insert({r.target_kind, r.target_name}).second) continue;
    PLINTH_ASSIGN_OR_RETURN(auto row,
                            tx.QueryOne("SELECT 1 FROM catalog_entities WHERE kind = ? AND "
                                        "name = ?",
                                        {r.target_kind, r.target_name}));
    if (row) out.insert({r.target_kind, r.target_name});
  }
  return out;
}

std::vector<FieldError> MissingReferences(const std::vector<Reference>& refs,
                                          const KeySet& existing) {
  std::vector<FieldError> out;
  for (const auto& r : refs) {
    if (existing.contains({r.target_kind, r.target_name})) continue;
    out.push_back({r.pointer, r.TargetText() + " does not exist", r.location});
  }
  return out;
}

}  // namespace plinth::catalog
