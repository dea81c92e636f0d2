#pragma once
// API tokens for automation: "plt_<id: 16 hex>_<secret: 64 hex>". The id is public (safe to
// show and log); only SHA-256 of the secret is stored, and the full token is shown once.
//
// REQUIRES: `tx` is a write transaction for CreateToken and RevokeToken.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/roles.h"
#include "base/result.h"
#include "store/store.h"

namespace plinth::auth {

struct NewToken {
  std::string id;
  std::string token;  // the whole secret token; shown to the creator once, never stored
};

struct TokenInfo {
  std::string id;
  std::string description;
  Grant grant;
  std::string created_by;
  int64_t created_at_ms = 0;
  std::optional<int64_t> expires_at_ms;
  std::optional<int64_t> revoked_at_ms;
};

// Creates a token with one grant; writes an audit entry (kind "ApiToken", action "create")
// without the secret. kInvalid if expires_at_ms is not after now_ms.
Result<NewToken> CreateToken(store::Tx& tx, Grant grant, std::string_view description,
                             std::string_view created_by, int64_t now_ms,
                             std::optional<int64_t> expires_at_ms);

// The principal "token:<id>" with the token's grant. Malformed, unknown, wrong-secret, revoked
// and expired tokens all give kUnauthenticated "invalid or expired API token".
Result<Principal> AuthenticateToken(store::Tx& tx, std::string_view token, int64_t now_ms);

// All tokens, revoked ones included, sorted by creation time then id.
Result<std::vector<TokenInfo>> ListTokens(store::Tx& tx);

// Marks the token revoked and writes an audit entry (kind "ApiToken", action "revoke").
// kNotFound if no such token; ok (no change) if already revoked.
Status RevokeToken(store::Tx& tx, std::string_view id, std::string_view actor, int64_t now_ms);

}  // namespace plinth::auth
