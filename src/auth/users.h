#pragma once
// Local users and their grants, persisted in the users and user_roles tables. Every change
// writes an audit entry (kind "User") in the caller's transaction; entries hold the user's name
// and roles, never a password or its hash.
//
// REQUIRES: `tx` is a write transaction for the mutating functions.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/roles.h"
#include "base/result.h"
#include "store/store.h"

namespace plinth::auth {

struct UserInfo {
  std::string name;
  std::vector<Grant> grants;  // sorted by team
  int64_t created_at_ms = 0;
  bool disabled = false;
};

// Ok when `name` matches ^[a-z0-9][a-z0-9._-]{0,62}$.
Status ValidateUserName(std::string_view name);

// kInvalid for a bad name or a password that fails the policy; kConflict if the user exists.
Status AddUser(store::Tx& tx, std::string_view name, std::string_view password,
               const std::vector<Grant>& grants, std::string_view actor, int64_t now_ms);

// Replaces the password (policy checked) and ends the user's sessions. kNotFound if no user.
Status SetPassword(store::Tx& tx, std::string_view name, std::string_view password,
                   std::string_view actor, int64_t now_ms);

// Replaces all of the user's grants. kNotFound if no user.
Status SetGrants(store::Tx& tx, std::string_view name, const std::vector<Grant>& grants,
                 std::string_view actor, int64_t now_ms);

// Deletes the user with their grants and sessions. kNotFound if no user.
Status DeleteUser(store::Tx& tx, std::string_view name, std::string_view actor, int64_t now_ms);

// kNotFound if no user.
Result<UserInfo> GetUser(store::Tx& tx, std::string_view name);

// All users, sorted by name.
Result<std::vector<UserInfo>> ListUsers(store::Tx& tx);

}  // namespace plinth::auth
