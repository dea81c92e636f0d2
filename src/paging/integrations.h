#pragma once
// Integrations: the event sources of a service, each with a secret key. PagerDuty senders put
// the key in `routing_key`; Alertmanager and generic senders in the URL path. Only the key's
// SHA-256 is stored; the key itself is shown once, at creation. Every function runs inside the
// caller's transaction; creation and revocation are audited.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "store/store.h"

namespace plinth::paging {

// "events-v2", "alertmanager", "generic".
bool IsIntegrationType(std::string_view type);

struct Integration {
  std::string id;
  std::string service;
  std::string type;
  std::string name;
  std::string key_hint;  // the key's last four characters
  Json mapping = Json::object();  // generic integrations: field -> JSON pointer
  std::string created_by;
  int64_t created_ms = 0;
  std::optional<int64_t> revoked_ms;

  Json ToJson() const;
};

struct NewIntegration {
  Integration integration;
  std::string key;  // 32 characters, as PagerDuty's integration keys
};

// kNotFound for an unknown service; kInvalid (with field pointers) for a bad type or mapping.
Result<NewIntegration> CreateIntegration(store::Tx& tx, std::string_view service,
                                         std::string_view type, std::string_view name,
                                         const Json& mapping, std::string_view actor,
                                         int64_t now_ms);
// The live integration with this key, or nullopt.
Result<std::optional<Integration>> FindIntegrationByKey(store::Tx& tx, std::string_view key);
// Every integration, live and revoked, by service then creation; `service` "" for all.
Result<std::vector<Integration>> ListIntegrations(store::Tx& tx, std::string_view service = "");
Result<Integration> GetIntegration(store::Tx& tx, std::string_view id);
Status RevokeIntegration(store::Tx& tx, std::string_view id, std::string_view actor,
                         int64_t now_ms);

}  // namespace plinth::paging
