#include "paging/integrations.h"

#include "audit/audit.h"
#include "base/crypto.h"
#include "base/time.h"
#include "catalog/repository.h"
#include "paging/events.h"

namespace plinth::paging {

namespace {

constexpr const char* kColumns =
    "id, service, type, name, key_hint, mapping, created_by, created_ms, revoked_ms";

Integration FromRow(const store::Row& r) {
  Integration i;
  i.id = r.Text(0);
  i.service = r.Text(1);
  i.type = r.Text(2);
  i.name = r.Text(3);
  i.key_hint = r.Text(4);
  auto mapping = ParseJson(r.Text(5));
  if (mapping.ok()) i.mapping = *mapping;
  i.created_by = r.Text(6);
  i.created_ms = r.Int(7);
  i.revoked_ms = r.OptInt(8);
  return i;
}

}  // namespace

bool IsIntegrationType(std::string_view type) {
  return type == "events-v2" || type == "alertmanager" || type == "generic";
}

Json Integration::ToJson() const {
  Json out = {{"id", id},           {"service", service},
              {"type", type},       {"name", name},
              {"keyHint", key_hint}, {"createdBy", created_by},
              {"createdAt", FormatRfc3339(created_ms)}};
  if (type == "generic") out["mapping"] = mapping;
  if (revoked_ms) out["revokedAt"] = FormatRfc3339(*revoked_ms);
  return out;
}

Result<NewIntegration> CreateIntegration(store::Tx& tx, std::string_view service,
                                         std::string_view type, std::string_view name,
                                         const Json& mapping, std::string_view actor,
                                         int64_t now_ms) {
  if (!IsIntegrationType(type)) {
    return Error::Field("/type", "must be events-v2, alertmanager or generic (got \"" +
                                     std::string(type) + "\")");
  }
  if (type == "generic") {
    PLINTH_RETURN_IF_ERROR(CheckGenericMapping(mapping));
  } else if (!mapping.empty()) {
    return Error::Field("/mapping", "only generic integrations take a mapping");
  }
  if (name.size() > 200) return Error::Field("/name", "must be at most 200 characters");
  PLINTH_RETURN_IF_ERROR(catalog::Get(tx, "Service", service));
  NewIntegration out;
  out.key = RandomHex(16);
  Integration& i = out.integration;
  i.id = "int_" + RandomHex(8);
  i.service = std::string(service);
  i.type = std::string(type);
  i.name = name.empty() ? std::string(type) : std::string(name);
  i.key_hint = out.key.substr(out.key.size() - 4);
  i.mapping = type == "generic" ? mapping : Json::object();
  i.created_by = std::string(actor);
  i.created_ms = now_ms;
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO paging_integrations (id, service, type, name, key_hash, key_hint, mapping, "
      "created_by, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {i.id, i.service, i.type, i.name, Sha256Hex(out.key), i.key_hint, i.mapping.dump(),
       i.created_by, now_ms}));
  PLINTH_RETURN_IF_ERROR(
      audit::Append(tx, now_ms, actor, "create", "Integration", i.id, std::nullopt, i.ToJson()));
  return out;
}

Result<std::optional<Integration>> FindIntegrationByKey(store::Tx& tx, std::string_view key) {
  PLINTH_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kColumns +
                                                    " FROM paging_integrations WHERE key_hash = ? "
                                                    "AND revoked_ms IS NULL",
                                                {Sha256Hex(key)}));
  if (!row) return std::optional<Integration>();
  return std::optional<Integration>(FromRow(*row));
}

Result<std::vector<Integration>> ListIntegrations(store::Tx& tx, std::string_view service) {
  PLINTH_ASSIGN_OR_RETURN(
      auto rows, tx.Query(std::string("SELECT ") + kColumns +
                              " FROM paging_integrations WHERE (? = '' OR service = ?) "
                              "ORDER BY service, created_ms, id",
                          {service, service}));
  std::vector<Integration> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<Integration> GetIntegration(store::Tx& tx, std::string_view id) {
  PLINTH_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne(std::string("SELECT ") + kColumns +
                                " FROM paging_integrations WHERE id = ?",
                            {id}));
  if (!row) return Error::NotFound("integration \"" + std::string(id) + "\" does not exist");
  return FromRow(*row);
}

Status RevokeIntegration(store::Tx& tx, std::string_view id, std::string_view actor,
                         int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(Integration before, GetIntegration(tx, id));
  if (before.revoked_ms) return {};
  PLINTH_RETURN_IF_ERROR(
      tx.Exec("UPDATE paging_integrations SET revoked_ms = ? WHERE id = ?", {now_ms, id}));
  Integration after = before;
  after.revoked_ms = now_ms;
  PLINTH_RETURN_IF_ERROR(audit::Append(tx, now_ms, actor, "revoke", "Integration", before.id,
                                       before.ToJson(), after.ToJson()));
  return {};
}

}  // namespace plinth::paging
