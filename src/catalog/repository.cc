#include "catalog/repository.h"

#include <algorithm>

#include "base/time.h"
#include "catalog/rows.h"

namespace plinth::catalog {

namespace {

constexpr int kMaxLimit = 500;

Error UnknownKind(std::string_view kind) {
  return Error::Invalid("unknown kind \"" + std::string(kind) + "\"");
}

Error DoesNotExist(std::string_view kind, std::string_view name) {
  return Error::NotFound(Describe(kind, name) + " does not exist");
}

// Field errors for the references of `res` whose targets are not stored.
Status CheckReferences(store::Tx& tx, const Resource& res) {
  PLINTH_ASSIGN_OR_RETURN(KeySet existing, ExistingTargets(tx, res.refs));
  auto missing = MissingReferences(res.refs, existing);
  if (!missing.empty()) return FieldsError(std::move(missing));
  return {};
}

// "LIKE" pattern for a case-insensitive substring, with \ as the escape character.
std::string LikePattern(std::string_view search) {
  std::string out = "%";
  for (char c : search) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out + "%";
}

}  // namespace

Json Entity::ToJson() const {
  Json out = doc;
  out["status"] = {{"version", version},
                   {"createdAt", FormatRfc3339(created_at_ms)},
                   {"updatedAt", FormatRfc3339(updated_at_ms)}};
  return out;
}

Result<Json> Validate(const Json& doc) {
  PLINTH_ASSIGN_OR_RETURN(Resource res, Canonicalize(doc));
  return std::move(res.doc);
}

Result<Entity> Get(store::Tx& tx, std::string_view kind, std::string_view name) {
  if (!IsKind(kind)) return UnknownKind(kind);
  PLINTH_ASSIGN_OR_RETURN(auto found, FindEntity(tx, kind, name));
  if (!found) return DoesNotExist(kind, name);
  return std::move(*found);
}

Result<Page> List(store::Tx& tx, const ListQuery& q) {
  if (!IsKind(q.kind)) return UnknownKind(q.kind);
  if (q.limit < 1 || q.limit > kMaxLimit) {
    return Error::Field("/limit", "must be between 1 and " + std::to_string(kMaxLimit));
  }
  const bool pg = tx.dialect() == store::Dialect::kPostgres;
  // Bytewise name order on both backends, so cursors mean the same thing everywhere.
  const std::string name_col = pg ? "name COLLATE \"C\"" : "name";
  std::string sql = "SELECT " + std::string(kEntityColumns) +
                    " FROM catalog_entities WHERE kind = ?";
  store::Params params{q.kind};
  if (!q.after.empty()) {
    sql += " AND " + name_col + " > ?";
    params.emplace_back(q.after);
  }
  if (q.owner) {
    sql += " AND owner = ?";
    params.emplace_back(*q.owner);
  }
  if (q.tier) {
    sql += " AND tier = ?";
    params.emplace_back(*q.tier);
  }
  if (q.lifecycle) {
    sql += " AND lifecycle = ?";
    params.emplace_back(*q.lifecycle);
  }
  if (!q.search.empty()) {
    const std::string title = pg ? "(doc::jsonb #>> '{metadata,title}')"
                                 : "json_extract(doc, '$.metadata.title')";
    sql += " AND (LOWER(name) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(" + title +
           ", '')) LIKE ? ESCAPE '\\')";
    params.emplace_back(LikePattern(q.search));
    params.emplace_back(LikePattern(q.search));
  }
  sql += " ORDER BY " + name_col + " LIMIT ?";
  params.emplace_back(q.limit + 1);
  PLINTH_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  Page page;
  for (const auto& row : rows) {
    if (static_cast<int>(page.items.size()) == q.limit) {
      page.next_cursor = page.items.back().name;
      break;
    }
    PLINTH_ASSIGN_OR_RETURN(Entity e, EntityFromRow(row));
    page.items.push_back(std::move(e));
  }
  return page;
}

Result<std::vector<Entity>> All(store::Tx& tx, std::string_view kind) {
  if (!kind.empty() && !IsKind(kind)) return UnknownKind(kind);
  std::vector<Entity> out;
  for (const auto& k : Kinds()) {
    if (!kind.empty() && k.kind != kind) continue;
    PLINTH_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT " + std::string(kEntityColumns) +
                                " FROM catalog_entities WHERE kind = ?",
                            {k.kind}));
    std::vector<Entity> batch;
    for (const auto& row : rows) {
      PLINTH_ASSIGN_OR_RETURN(Entity e, EntityFromRow(row));
      batch.push_back(std::move(e));
    }
    std::sort(batch.begin(), batch.end(),
              [](const Entity& a, const Entity& b) { return a.name < b.name; });
    std::move(batch.begin(), batch.end(), std::back_inserter(out));
  }
  return out;
}

Result<Entity> Create(store::Tx& tx, const Json& doc, std::string_view actor, int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(Resource res, Canonicalize(doc));
  PLINTH_ASSIGN_OR_RETURN(auto existing, FindEntity(tx, res.kind, res.name));
  if (existing) return Error::Conflict(Describe(res.kind, res.name) + " already exists");
  PLINTH_RETURN_IF_ERROR(CheckReferences(tx, res));
  return InsertEntity(tx, res, actor, now_ms);
}

Result<Entity> Replace(store::Tx& tx, std::string_view kind, std::string_view name,
                       const Json& doc, std::optional<int64_t> if_version,
                       std::string_view actor, int64_t now_ms) {
  if (!IsKind(kind)) return UnknownKind(kind);
  Json filled = doc;
  std::vector<FieldError> errors;
  if (filled.is_object()) {
    if (!filled.contains("kind") || filled["kind"].is_null()) filled["kind"] = kind;
    if (filled["kind"] != kind) {
      errors.push_back({"/kind", "must be " + std::string(kind) + ", the kind in the path", ""});
    }
    if (!filled.contains("metadata") || filled["metadata"].is_null()) {
      filled["metadata"] = Json::object();
    }
    Json& md = filled["metadata"];
    if (md.is_object()) {
      if (!md.contains("name") || md["name"].is_null()) md["name"] = name;
      if (md["name"] != name) {
        errors.push_back({"/metadata/name",
                          "must be \"" + std::string(name) +
                              "\", the name in the path (resources cannot be renamed)",
                          ""});
      }
    }
  }
  if (!errors.empty()) return FieldsError(std::move(errors));
  PLINTH_ASSIGN_OR_RETURN(Resource res, Canonicalize(filled));
  PLINTH_ASSIGN_OR_RETURN(auto before, FindEntity(tx, kind, name));
  if (!before) return DoesNotExist(kind, name);
  if (if_version && *if_version != before->version) {
    return Error::Conflict(Describe(kind, name) + " is at version " +
                           std::to_string(before->version) + ", not " +
                           std::to_string(*if_version) + " (it was changed; reload and retry)");
  }
  if (res.doc == before->doc) return std::move(*before);
  PLINTH_RETURN_IF_ERROR(CheckReferences(tx, res));
  return UpdateEntity(tx, *before, res, actor, now_ms);
}

Status Delete(store::Tx& tx, std::string_view kind, std::string_view name,
              std::string_view actor, int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(Entity before, Get(tx, kind, name));
  PLINTH_ASSIGN_OR_RETURN(auto by, Referrers(tx, kind, name));
  if (!by.empty()) return Error::Conflict(StillReferencedMessage(kind, name, by));
  return DeleteEntity(tx, before, actor, now_ms);
}

Result<Json> Dependencies(store::Tx& tx, std::string_view service, bool transitive) {
  PLINTH_ASSIGN_OR_RETURN(Entity e, Get(tx, "Service", service));
  PLINTH_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT name, target_name FROM catalog_relations WHERE kind = ? AND "
                          "relation = ? AND target_kind = ?",
                          {"Service", kDependsOn, "Service"}));
  std::vector<Graph::Edge> edges;
  edges.reserve(rows.size());
  for (const auto& row : rows) edges.emplace_back(row.Text(0), row.Text(1));
  Graph graph({e.name}, edges);
  auto nodes = [](const std::vector<DepNode>& list) {
    Json out = Json::array();
    for (const auto& n : list) out.push_back({{"name", n.name}, {"depth", n.depth}});
    return out;
  };
  Json cycles = Json::array();
  for (const auto& cycle : graph.Cycles()) {
    if (std::find(cycle.begin(), cycle.end(), e.name) != cycle.end()) cycles.push_back(cycle);
  }
  return Json{{"service", e.name},
              {"upstream", nodes(graph.Upstream(e.name, transitive))},
              {"downstream", nodes(graph.Downstream(e.name, transitive))},
              {"cycles", std::move(cycles)}};
}

Result<std::vector<std::pair<std::string, std::string>>> ReferencedBy(store::Tx& tx,
                                                                      std::string_view kind,
                                                                      std::string_view name) {
  PLINTH_ASSIGN_OR_RETURN(auto entity, FindEntity(tx, kind, name));
  if (!entity) return Error::NotFound(Describe(kind, name) + " does not exist");
  return Referrers(tx, kind, name);
}

}  // namespace plinth::catalog
