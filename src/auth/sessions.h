#pragma once
// Console sessions: a random cookie value whose SHA-256 is the key of a sessions row, with a
// CSRF token the UI must echo on every state-changing request.
//
// REQUIRES: `tx` is a write transaction for Login, Logout and DeleteExpiredSessions.

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/roles.h"
#include "base/result.h"
#include "store/store.h"

namespace plinth::auth {

inline constexpr int64_t kSessionLifetimeMs = 12 * 3600 * 1000;

struct NewSession {
  std::string cookie_value;  // secret; give to the browser only, never log
  std::string csrf_token;
  int64_t expires_at_ms = 0;
};

// Checks the password and opens a session lasting kSessionLifetimeMs; writes an audit entry
// (kind "User", action "login"). A wrong password, unknown or disabled user all give
// kUnauthenticated "invalid user name or password".
Result<NewSession> Login(store::Tx& tx, std::string_view user, std::string_view password,
                         int64_t now_ms);

// The session's user with their current grants and the session's CSRF token. Unknown or
// expired sessions (and disabled users) give kUnauthenticated "session expired or invalid".
Result<Principal> AuthenticateSession(store::Tx& tx, std::string_view cookie_value, int64_t now_ms);

// Ends the session; ok when it did not exist.
Status Logout(store::Tx& tx, std::string_view cookie_value);

// Deletes sessions that expired at or before now_ms (a periodic job); returns how many.
Result<int64_t> DeleteExpiredSessions(store::Tx& tx, int64_t now_ms);

}  // namespace plinth::auth
