#pragma once
// Reading incidents for the API and the console: a filtered list, newest first, and one
// incident with its alerts, timeline, pages and deliveries.

#include <cstdint>
#include <optional>
#include <string>

#include "base/json.h"
#include "base/result.h"
#include "store/store.h"

namespace plinth::paging {

struct IncidentQuery {
  std::string status;   // "" all, "open" (not resolved), or one status
  std::string service;  // "" all
  std::string team;     // "" all; else services the team owns
  std::optional<int64_t> before;  // cursor: incidents numbered below this
  int limit = 50;
};

// {"items": [incident...], "nextCursor": "123" | ""}. kInvalid for an unknown status.
Result<Json> ListIncidents(store::Tx& tx, const IncidentQuery& q);

// The incident's JSON plus "alerts", "log", "pages" and "deliveries". kNotFound naming it.
Result<Json> IncidentDetail(store::Tx& tx, int64_t number);

// The changes recorded on a service, newest first, at most `limit`.
Result<Json> ServiceChanges(store::Tx& tx, std::string_view service, int limit);

}  // namespace plinth::paging
