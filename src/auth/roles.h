#pragma once
// Roles, grants and the authenticated principal: who is acting and what they may do.
// Plain values; thread-compatible (no shared state).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace plinth::auth {

// Ordered: each role may do everything the roles below it may.
enum class Role { kViewer, kResponder, kManager, kAdmin };

// "viewer", "responder", "manager", "admin"; the error lists the valid roles.
Result<Role> ParseRole(std::string_view text);
const char* RoleName(Role role);

// A role on one team, or on every team when `team` is "". The team is not checked against the
// catalog here (auth sits below the catalog); the server does that.
struct Grant {
  Role role = Role::kViewer;
  std::string team;

  bool operator==(const Grant&) const = default;
};

// Who is acting, as established by a session, an API token or the local CLI.
struct Principal {
  std::string actor;  // "user:alice", "token:<id>", "cli:<os user>"
  std::vector<Grant> grants;
  std::string csrf_token;  // set for session logins only; "" otherwise

  // True if some grant has a role >= `needed` and is global or on `team`. A nullopt team means
  // the action is not scoped to a team and needs a global grant.
  bool Allows(Role needed, std::optional<std::string_view> team) const;

  // The local CLI: a global admin (it has direct database access anyway).
  static Principal Cli(std::string os_user);
};

}  // namespace plinth::auth
