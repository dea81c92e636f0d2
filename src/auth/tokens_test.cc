#include "auth/tokens.h"

#include <gtest/gtest.h>

#include <regex>

#include "audit/audit.h"
#include "auth/auth_test_util.h"
#include "base/crypto.h"

namespace plinth::auth {
namespace {

using testing::kT0;

class TokenTest : public testing::AuthStoreTest {
 protected:
  NewToken MustCreate(Grant grant, std::optional<int64_t> expires_at_ms = std::nullopt) {
    auto t = Write([&](store::Tx& tx) {
      return CreateToken(tx, grant, "deploy bot", "user:alice", kT0, expires_at_ms);
    });
    EXPECT_TRUE(t.ok()) << t.error().message;
    return t.ok() ? *t : NewToken{};
  }

  Result<Principal> Auth(const std::string& token, int64_t now_ms) {
    return Read([&](store::Tx& tx) { return AuthenticateToken(tx, token, now_ms); });
  }

  Status Revoke(const std::string& id) {
    return Write([&](store::Tx& tx) { return RevokeToken(tx, id, "user:bob", kT0 + 5); });
  }

  static void ExpectRejected(const Result<Principal>& p, const std::string& token) {
    ASSERT_FALSE(p.ok()) << token;
    EXPECT_EQ(p.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(p.error().message, "invalid or expired API token");
  }
};

TEST_P(TokenTest, CreatesAndAuthenticates) {
  NewToken t = MustCreate({Role::kResponder, "sre"});
  EXPECT_TRUE(std::regex_match(t.token, std::regex("plt_[0-9a-f]{16}_[0-9a-f]{64}"))) << t.token;
  EXPECT_EQ(t.token.substr(4, 16), t.id);
  auto p = Auth(t.token, kT0 + 1);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->actor, "token:" + t.id);
  EXPECT_EQ(p->grants, (std::vector<Grant>{{Role::kResponder, "sre"}}));
  EXPECT_EQ(p->csrf_token, "");
}

TEST_P(TokenTest, ListsTokens) {
  NewToken a = MustCreate({Role::kViewer, ""}, kT0 + 1000);
  auto list = Read([](store::Tx& tx) { return ListTokens(tx); });
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  const TokenInfo& info = (*list)[0];
  EXPECT_EQ(info.id, a.id);
  EXPECT_EQ(info.description, "deploy bot");
  EXPECT_EQ(info.grant, (Grant{Role::kViewer, ""}));
  EXPECT_EQ(info.created_by, "user:alice");
  EXPECT_EQ(info.created_at_ms, kT0);
  EXPECT_EQ(info.expires_at_ms, kT0 + 1000);
  EXPECT_FALSE(info.revoked_at_ms.has_value());
}

TEST_P(TokenTest, StoresOnlyTheSecretHash) {
  NewToken t = MustCreate({Role::kAdmin, ""});
  std::string secret = t.token.substr(21);
  EXPECT_EQ(QueryText("SELECT secret_hash FROM api_tokens"), Sha256Hex(secret));
  EXPECT_EQ(TableText("api_tokens").find(secret), std::string::npos);
}

TEST_P(TokenTest, AuditHoldsNoSecret) {
  NewToken t = MustCreate({Role::kAdmin, ""});
  ASSERT_TRUE(Revoke(t.id).ok());
  auto entries = Read([](store::Tx& tx) { return audit::List(tx, {}); });
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  const audit::Entry& create = (*entries)[1];
  EXPECT_EQ(create.kind, "ApiToken");
  EXPECT_EQ(create.action, "create");
  EXPECT_EQ(create.name, t.id);
  EXPECT_EQ(create.actor, "user:alice");
  EXPECT_EQ(create.after->dump(),
            R"({"created_at":"2026-11-22T08:00:00Z","created_by":"user:alice",)"
            R"("description":"deploy bot","expires_at":null,"id":")" +
                t.id + R"(","revoked_at":null,"role":"admin","team":""})");
  EXPECT_EQ((*entries)[0].action, "revoke");
  EXPECT_EQ((*entries)[0].actor, "user:bob");
  EXPECT_EQ((*entries)[0].after->at("revoked_at"), "2026-11-22T08:00:00.005Z");
  std::string secret = t.token.substr(21);
  std::string audit_rows = TableText("audit_log");
  EXPECT_EQ(audit_rows.find(secret), std::string::npos);
  EXPECT_EQ(audit_rows.find(Sha256Hex(secret)), std::string::npos);
}

TEST_P(TokenTest, RevokedTokenIsRejected) {
  NewToken t = MustCreate({Role::kAdmin, ""});
  NewToken other = MustCreate({Role::kAdmin, ""});
  ASSERT_TRUE(Revoke(t.id).ok());
  ExpectRejected(Auth(t.token, kT0 + 10), t.token);
  EXPECT_TRUE(Auth(other.token, kT0 + 10).ok());
  EXPECT_TRUE(Revoke(t.id).ok());  // already revoked: no change, no second audit entry
  auto entries = Read([](store::Tx& tx) { return audit::List(tx, {}); });
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), 3u);
}

TEST_P(TokenTest, RevokeUnknownToken) {
  Status s = Revoke("0123456789abcdef");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(s.error().message, "API token \"0123456789abcdef\" does not exist");
  NewToken t = MustCreate({Role::kAdmin, ""});
  Status pasted = Revoke(t.token);
  ASSERT_FALSE(pasted.ok());
  EXPECT_EQ(pasted.error().message,
            "no such API token: ids are 16 lowercase hexadecimal characters");
}

TEST_P(TokenTest, ExpiredTokenIsRejected) {
  NewToken t = MustCreate({Role::kViewer, ""}, kT0 + 1000);
  EXPECT_TRUE(Auth(t.token, kT0 + 999).ok());
  ExpectRejected(Auth(t.token, kT0 + 1000), t.token);
}

TEST_P(TokenTest, ExpiryMustBeInTheFuture) {
  auto t = Write([](store::Tx& tx) {
    return CreateToken(tx, {Role::kViewer, ""}, "x", "user:alice", kT0, kT0);
  });
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().ToString(), "expires_at: expiry must be in the future");
}

TEST_P(TokenTest, MalformedTokensAreRejected) {
  NewToken t = MustCreate({Role::kAdmin, ""});
  std::string upper = t.token;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& bad :
       {std::string(), std::string("plt_"), "Bearer " + t.token, t.token + "0",
        t.token.substr(0, t.token.size() - 1), "xyz" + t.token.substr(3), upper,
        "plt_" + t.id + "-" + t.token.substr(21), t.id}) {
    ExpectRejected(Auth(bad, kT0), bad);
  }
}

TEST_P(TokenTest, TamperedSecretOrIdIsRejected) {
  NewToken t = MustCreate({Role::kAdmin, ""});
  std::string tampered = t.token;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  ExpectRejected(Auth(tampered, kT0), tampered);
  std::string other_id = t.token;
  other_id[4] = other_id[4] == '0' ? '1' : '0';
  ExpectRejected(Auth(other_id, kT0), other_id);
}

PLINTH_INSTANTIATE_ON_ALL_BACKENDS(TokenTest);

}  // namespace
}  // namespace plinth::auth
