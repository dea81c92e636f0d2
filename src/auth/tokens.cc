#include "auth/tokens.h"

#include <algorithm>

#include "audit/audit.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/time.h"

namespace plinth::auth {

namespace {

constexpr const char* kBadToken = "invalid or expired API token";
constexpr std::string_view kPrefix = "plt_";
constexpr size_t kIdHexBytes = 8;       // 16 hex characters
constexpr size_t kSecretHexBytes = 32;  // 64 hex characters
constexpr size_t kMaxDescription = 200;
constexpr const char* kTokenColumns =
    "id, description, role, team, created_by, created_at_ms, expires_at_ms, revoked_at_ms";

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

struct ParsedToken {
  std::string_view id;
  std::string_view secret;
};

// Splits "plt_<id>_<secret>"; nullopt for anything else.
std::optional<ParsedToken> ParseToken(std::string_view token) {
  const size_t id_len = 2 * kIdHexBytes, secret_len = 2 * kSecretHexBytes;
  if (token.size() != kPrefix.size() + id_len + 1 + secret_len) return std::nullopt;
  if (token.substr(0, kPrefix.size()) != kPrefix || token[kPrefix.size() + id_len] != '_') {
    return std::nullopt;
  }
  ParsedToken p{token.substr(kPrefix.size(), id_len), token.substr(token.size() - secret_len)};
  if (!IsLowerHex(p.id) || !IsLowerHex(p.secret)) return std::nullopt;
  return p;
}

Json OptTime(const std::optional<int64_t>& ms) {
  return ms ? Json(FormatRfc3339(*ms)) : Json(nullptr);
}

// The audit document of a token: everything but the secret and its hash.
Json TokenDoc(const TokenInfo& t) {
  return {{"id", t.id},
          {"description", t.description},
          {"role", RoleName(t.grant.role)},
          {"team", t.grant.team},
          {"created_by", t.created_by},
          {"created_at", FormatRfc3339(t.created_at_ms)},
          {"expires_at", OptTime(t.expires_at_ms)},
          {"revoked_at", OptTime(t.revoked_at_ms)}};
}

// Reads a row selected with kTokenColumns.
Result<TokenInfo> FromRow(const store::Row& row) {
  TokenInfo t;
  t.id = row.Text(0);
  t.description = row.Text(1);
  PLINTH_ASSIGN_OR_RETURN(t.grant.role, ParseRole(row.Text(2)));
  t.grant.team = row.Text(3);
  t.created_by = row.Text(4);
  t.created_at_ms = row.Int(5);
  t.expires_at_ms = row.OptInt(6);
  t.revoked_at_ms = row.OptInt(7);
  return t;
}

Result<std::optional<TokenInfo>> FindToken(store::Tx& tx, std::string_view id) {
  PLINTH_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne(std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE id = ?", {id}));
  if (!row) return std::optional<TokenInfo>();
  PLINTH_ASSIGN_OR_RETURN(TokenInfo t, FromRow(*row));
  return std::optional<TokenInfo>(std::move(t));
}

}  // namespace

Result<NewToken> CreateToken(store::Tx& tx, Grant grant, std::string_view description,
                             std::string_view created_by, int64_t now_ms,
                             std::optional<int64_t> expires_at_ms) {
  if (description.size() > kMaxDescription) {
    return Error::Field("/description", "description must be at most " +
                                            std::to_string(kMaxDescription) + " bytes long");
  }
  if (expires_at_ms && *expires_at_ms <= now_ms) {
    return Error::Field("/expires_at", "expiry must be in the future");
  }
  TokenInfo info{RandomHex(kIdHexBytes),
                 std::string(description),
                 std::move(grant),
                 std::string(created_by),
                 now_ms,
                 expires_at_ms,
                 std::nullopt};
  std::string secret = RandomHex(kSecretHexBytes);
  PLINTH_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO api_tokens (id, secret_hash, description, role, team, created_by, "
              "created_at_ms, expires_at_ms, revoked_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
              {info.id, Sha256Hex(secret), info.description, RoleName(info.grant.role),
               info.grant.team, info.created_by, now_ms, expires_at_ms}));
  PLINTH_RETURN_IF_ERROR(audit::Append(tx, now_ms, created_by, "create", "ApiToken", info.id,
                                       std::nullopt, TokenDoc(info)));
  return NewToken{info.id, std::string(kPrefix) + info.id + "_" + secret};
}

Result<Principal> AuthenticateToken(store::Tx& tx, std::string_view token, int64_t now_ms) {
  auto parsed = ParseToken(token);
  if (!parsed) return Error::Unauthenticated(kBadToken);
  PLINTH_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT secret_hash, role, team, expires_at_ms, revoked_at_ms "
                            "FROM api_tokens WHERE id = ?",
                            {parsed->id}));
  if (!row || !ConstantTimeEquals(Sha256Hex(parsed->secret), row->Text(0))) {
    return Error::Unauthenticated(kBadToken);
  }
  auto expires = row->OptInt(3);
  if (!row->IsNull(4) || (expires && *expires <= now_ms)) {
    return Error::Unauthenticated(kBadToken);
  }
  PLINTH_ASSIGN_OR_RETURN(Role role, ParseRole(row->Text(1)));
  Principal p;
  p.actor = "token:" + std::string(parsed->id);
  p.grants.push_back({role, row->Text(2)});
  return p;
}

Result<std::vector<TokenInfo>> ListTokens(store::Tx& tx) {
  PLINTH_ASSIGN_OR_RETURN(auto rows,
                          tx.Query(std::string("SELECT ") + kTokenColumns + " FROM api_tokens"));
  std::vector<TokenInfo> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    PLINTH_ASSIGN_OR_RETURN(TokenInfo t, FromRow(row));
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const TokenInfo& a, const TokenInfo& b) {
    return a.created_at_ms != b.created_at_ms ? a.created_at_ms < b.created_at_ms : a.id < b.id;
  });
  return out;
}

Status RevokeToken(store::Tx& tx, std::string_view id, std::string_view actor, int64_t now_ms) {
  // A malformed id is not echoed: it may be a whole token pasted by mistake.
  if (id.size() != 2 * kIdHexBytes || !IsLowerHex(id)) {
    return Error::NotFound("no such API token: ids are 16 lowercase hexadecimal characters");
  }
  PLINTH_ASSIGN_OR_RETURN(auto found, FindToken(tx, id));
  if (!found) return Error::NotFound("API token \"" + std::string(id) + "\" does not exist");
  if (found->revoked_at_ms) return {};
  TokenInfo after = *found;
  after.revoked_at_ms = now_ms;
  PLINTH_RETURN_IF_ERROR(
      tx.Exec("UPDATE api_tokens SET revoked_at_ms = ? WHERE id = ?", {now_ms, found->id}));
  PLINTH_RETURN_IF_ERROR(audit::Append(tx, now_ms, actor, "revoke", "ApiToken", found->id,
                                       TokenDoc(*found), TokenDoc(after)));
  return {};
}

}  // namespace plinth::auth
