#include "auth/sessions.h"

#include "audit/audit.h"
#include "auth/passwords.h"
#include "auth/users.h"
#include "base/crypto.h"

namespace plinth::auth {

namespace {

constexpr const char* kBadLogin = "invalid user name or password";
constexpr const char* kBadSession = "session expired or invalid";

// A hash to verify against when the user does not exist, so that an unknown user takes as
// long to reject as a wrong password and the timing does not reveal which names exist.
const std::string& DummyHash() {
  static const std::string hash = [] {
    auto h = HashPassword("plinth-dummy-password-for-timing");
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

}  // namespace

Result<NewSession> Login(store::Tx& tx, std::string_view user, std::string_view password,
                         int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT password_hash, disabled FROM users WHERE name = ?", {user}));
  if (!row) {
    (void)VerifyPassword(password, DummyHash());
    return Error::Unauthenticated(kBadLogin);
  }
  if (!VerifyPassword(password, row->Text(0)) || row->Bool(1)) {
    return Error::Unauthenticated(kBadLogin);
  }

  NewSession session{RandomHex(32), RandomHex(32), now_ms + kSessionLifetimeMs};
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO sessions (id_hash, user_name, csrf_token, created_at_ms, expires_at_ms) "
      "VALUES (?, ?, ?, ?, ?)",
      {Sha256Hex(session.cookie_value), user, session.csrf_token, now_ms, session.expires_at_ms}));
  PLINTH_RETURN_IF_ERROR(audit::Append(tx, now_ms, "user:" + std::string(user), "login", "User",
                                       user, std::nullopt, std::nullopt));
  return session;
}

Result<Principal> AuthenticateSession(store::Tx& tx, std::string_view cookie_value,
                                      int64_t now_ms) {
  if (cookie_value.empty()) return Error::Unauthenticated(kBadSession);
  PLINTH_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne("SELECT user_name, csrf_token, expires_at_ms FROM sessions WHERE id_hash = ?",
                  {Sha256Hex(cookie_value)}));
  if (!row || row->Int(2) <= now_ms) return Error::Unauthenticated(kBadSession);
  auto user = GetUser(tx, row->Text(0));
  if (!user.ok()) {
    if (user.error().code == ErrorCode::kNotFound) return Error::Unauthenticated(kBadSession);
    return std::move(user).error();
  }
  if (user->disabled) return Error::Unauthenticated(kBadSession);
  Principal p;
  p.actor = "user:" + user->name;
  p.grants = std::move(user->grants);
  p.csrf_token = row->Text(1);
  return p;
}

Status Logout(store::Tx& tx, std::string_view cookie_value) {
  PLINTH_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM sessions WHERE id_hash = ?", {Sha256Hex(cookie_value)}));
  return {};
}

Result<int64_t> DeleteExpiredSessions(store::Tx& tx, int64_t now_ms) {
  return tx.Exec("DELETE FROM sessions WHERE expires_at_ms <= ?", {now_ms});
}

}  // namespace plinth::auth
