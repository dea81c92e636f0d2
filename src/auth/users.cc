#include "auth/users.h"

#include <algorithm>
#include <map>
#include <set>

#include "audit/audit.h"
#include "auth/passwords.h"
#include "base/json.h"

namespace plinth::auth {

namespace {

bool NameChar(char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return !first && (c == '.' || c == '_' || c == '-');
}

// Grants name distinct teams (one role per user and team, as user_roles stores them).
Status ValidateGrants(const std::vector<Grant>& grants) {
  std::set<std::string> teams;
  for (size_t i = 0; i < grants.size(); ++i) {
    if (!teams.insert(grants[i].team).second) {
      std::string team = grants[i].team.empty() ? "every team" : "team \"" + grants[i].team + "\"";
      return Error::Field("/roles/" + std::to_string(i), "more than one role for " + team);
    }
  }
  return {};
}

// The audit document of a user: name and roles, never the password or its hash.
Json UserDoc(std::string_view name, const std::vector<Grant>& grants) {
  Json roles = Json::array();
  for (const Grant& g : grants) roles.push_back({{"role", RoleName(g.role)}, {"team", g.team}});
  return {{"name", name}, {"roles", roles}};
}

std::vector<Grant> Sorted(std::vector<Grant> grants) {
  std::sort(grants.begin(), grants.end(),
            [](const Grant& a, const Grant& b) { return a.team < b.team; });
  return grants;
}

Status InsertGrants(store::Tx& tx, std::string_view name, const std::vector<Grant>& grants) {
  for (const Grant& g : grants) {
    PLINTH_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO user_roles (user_name, team, role) VALUES (?, ?, ?)",
                {name, g.team, RoleName(g.role)}));
  }
  return {};
}

Error NoSuchUser(std::string_view name) {
  return Error::NotFound("user \"" + std::string(name) + "\" does not exist");
}

}  // namespace

Status ValidateUserName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 63;
  for (size_t i = 0; ok && i < name.size(); ++i) ok = NameChar(name[i], i == 0);
  if (ok) return {};
  return Error::Field("/name", "invalid user name \"" + std::string(name) +
                                   "\": expected 1 to 63 characters of a-z, 0-9, '.', '_' "
                                   "and '-', starting with a letter or digit");
}

Status AddUser(store::Tx& tx, std::string_view name, std::string_view password,
               const std::vector<Grant>& grants, std::string_view actor, int64_t now_ms) {
  PLINTH_RETURN_IF_ERROR(ValidateUserName(name));
  PLINTH_RETURN_IF_ERROR(CheckPasswordPolicy(password));
  PLINTH_RETURN_IF_ERROR(ValidateGrants(grants));
  PLINTH_ASSIGN_OR_RETURN(auto existing, tx.QueryOne("SELECT 1 FROM users WHERE name = ?", {name}));
  if (existing) return Error::Conflict("user \"" + std::string(name) + "\" already exists");
  PLINTH_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO users (name, password_hash, created_at_ms, disabled) VALUES (?, ?, ?, 0)",
      {name, hash, now_ms}));
  PLINTH_RETURN_IF_ERROR(InsertGrants(tx, name, grants));
  PLINTH_RETURN_IF_ERROR(audit::Append(tx, now_ms, actor, "create", "User", name, std::nullopt,
                                       UserDoc(name, Sorted(grants))));
  return {};
}

Status SetPassword(store::Tx& tx, std::string_view name, std::string_view password,
                   std::string_view actor, int64_t now_ms) {
  PLINTH_RETURN_IF_ERROR(CheckPasswordPolicy(password));
  PLINTH_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  PLINTH_ASSIGN_OR_RETURN(
      auto changed, tx.Exec("UPDATE users SET password_hash = ? WHERE name = ?", {hash, name}));
  if (changed == 0) return NoSuchUser(name);
  PLINTH_RETURN_IF_ERROR(tx.Exec("DELETE FROM sessions WHERE user_name = ?", {name}));
  PLINTH_RETURN_IF_ERROR(
      audit::Append(tx, now_ms, actor, "password.set", "User", name, std::nullopt, std::nullopt));
  return {};
}

Status SetGrants(store::Tx& tx, std::string_view name, const std::vector<Grant>& grants,
                 std::string_view actor, int64_t now_ms) {
  PLINTH_RETURN_IF_ERROR(ValidateGrants(grants));
  PLINTH_ASSIGN_OR_RETURN(UserInfo before, GetUser(tx, name));
  PLINTH_RETURN_IF_ERROR(tx.Exec("DELETE FROM user_roles WHERE user_name = ?", {name}));
  PLINTH_RETURN_IF_ERROR(InsertGrants(tx, name, grants));
  PLINTH_RETURN_IF_ERROR(audit::Append(tx, now_ms, actor, "update", "User", name,
                                       UserDoc(name, before.grants),
                                       UserDoc(name, Sorted(grants))));
  return {};
}

Status DeleteUser(store::Tx& tx, std::string_view name, std::string_view actor, int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(UserInfo before, GetUser(tx, name));
  // Explicit deletes rather than relying on ON DELETE CASCADE being enabled on the connection.
  PLINTH_RETURN_IF_ERROR(tx.Exec("DELETE FROM sessions WHERE user_name = ?", {name}));
  PLINTH_RETURN_IF_ERROR(tx.Exec("DELETE FROM user_roles WHERE user_name = ?", {name}));
  PLINTH_RETURN_IF_ERROR(tx.Exec("DELETE FROM users WHERE name = ?", {name}));
  PLINTH_RETURN_IF_ERROR(audit::Append(tx, now_ms, actor, "delete", "User", name,
                                       UserDoc(name, before.grants), std::nullopt));
  return {};
}

Result<UserInfo> GetUser(store::Tx& tx, std::string_view name) {
  PLINTH_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne("SELECT name, created_at_ms, disabled FROM users WHERE name = ?", {name}));
  if (!row) return NoSuchUser(name);
  UserInfo user{row->Text(0), {}, row->Int(1), row->Bool(2)};
  PLINTH_ASSIGN_OR_RETURN(
      auto roles, tx.Query("SELECT role, team FROM user_roles WHERE user_name = ?", {name}));
  for (const auto& r : roles) {
    PLINTH_ASSIGN_OR_RETURN(Role role, ParseRole(r.Text(0)));
    user.grants.push_back({role, r.Text(1)});
  }
  user.grants = Sorted(std::move(user.grants));
  return user;
}

Result<std::vector<UserInfo>> ListUsers(store::Tx& tx) {
  PLINTH_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT name, created_at_ms, disabled FROM users"));
  PLINTH_ASSIGN_OR_RETURN(auto roles, tx.Query("SELECT user_name, role, team FROM user_roles"));
  // Sorted here rather than by ORDER BY: PostgreSQL collations do not sort bytewise.
  std::map<std::string, std::vector<Grant>> grants;
  for (const auto& r : roles) {
    PLINTH_ASSIGN_OR_RETURN(Role role, ParseRole(r.Text(1)));
    grants[r.Text(0)].push_back({role, r.Text(2)});
  }
  std::vector<UserInfo> users;
  users.reserve(rows.size());
  for (const auto& row : rows) {
    std::string name = row.Text(0);
    users.push_back({name, Sorted(std::move(grants[name])), row.Int(1), row.Bool(2)});
  }
  std::sort(users.begin(), users.end(),
            [](const UserInfo& a, const UserInfo& b) { return a.name < b.name; });
  return users;
}

}  // namespace plinth::auth
