#pragma once
// One-click links in notifications: /act/<token> acknowledges or resolves an incident as the
// person it was sent to, without a login. The token names incident, action, person and expiry,
// and carries an HMAC-SHA-256 of them under the server's link secret (stored in the database,
// so every replica verifies every link).

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "store/store.h"

namespace plinth::paging {

inline constexpr int64_t kLinkLifetimeMs = 7LL * 86400 * 1000;

// The link secret, created on first use.
Result<std::string> LinkSecret(store::Store& store);

// "<number>~<action>~<person>~<expires_ms>~<mac>"; action is "acknowledge" or "resolve".
std::string ActionToken(std::string_view secret, int64_t number, std::string_view action,
                        std::string_view person, int64_t expires_ms);

struct ActionClaim {
  int64_t number = 0;
  std::string action;
  std::string person;
  int64_t expires_ms = 0;
};
// kUnauthenticated for a token that is malformed, forged or expired.
Result<ActionClaim> VerifyActionToken(std::string_view secret, std::string_view token,
                                      int64_t now_ms);

}  // namespace plinth::paging
