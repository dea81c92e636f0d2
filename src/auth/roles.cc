#include "auth/roles.h"

#include <utility>

namespace plinth::auth {

namespace {

constexpr Role kAllRoles[] = {Role::kViewer, Role::kResponder, Role::kManager, Role::kAdmin};

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kResponder:
      return "responder";
    case Role::kManager:
      return "manager";
    case Role::kAdmin:
      return "admin";
  }
  return "?";
}

Result<Role> ParseRole(std::string_view text) {
  for (Role r : kAllRoles) {
    if (text == RoleName(r)) return r;
  }
  return Error::Invalid("unknown role \"" + std::string(text) +
                        "\": expected one of viewer, responder, manager, admin");
}

bool Principal::Allows(Role needed, std::optional<std::string_view> team) const {
  for (const Grant& g : grants) {
    if (g.role < needed) continue;
    if (g.team.empty() || (team && g.team == *team)) return true;
  }
  return false;
}

Principal Principal::Cli(std::string os_user) {
  Principal p;
  p.actor = "cli:" + std::move(os_user);
  p.grants.push_back({Role::kAdmin, ""});
  return p;
}

}  // namespace plinth::auth
