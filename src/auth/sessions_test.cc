#include "auth/sessions.h"

#include <gtest/gtest.h>

#include "audit/audit.h"
#include "auth/auth_test_util.h"
#include "auth/users.h"
#include "base/crypto.h"

namespace plinth::auth {
namespace {

using testing::kAlicePassword;
using testing::kT0;

class SessionTest : public testing::AuthStoreTest {
 protected:
  void SetUp() override {
    AuthStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Status s = Write([](store::Tx& tx) {
      return AddUser(tx, "alice", kAlicePassword, {{Role::kResponder, "sre"}}, "cli:root", kT0);
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  Result<NewSession> DoLogin(std::string_view user, std::string_view password, int64_t now_ms) {
    return Write([&](store::Tx& tx) { return Login(tx, user, password, now_ms); });
  }

  Result<Principal> Auth(const std::string& cookie, int64_t now_ms) {
    return Read([&](store::Tx& tx) { return AuthenticateSession(tx, cookie, now_ms); });
  }

  NewSession MustLogin() {
    auto s = DoLogin("alice", kAlicePassword, kT0);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? *s : NewSession{};
  }

  static void ExpectInvalidSession(const Result<Principal>& p) {
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(p.error().message, "session expired or invalid");
  }
};

TEST_P(SessionTest, LoginOpensSession) {
  NewSession s = MustLogin();
  EXPECT_EQ(s.cookie_value.size(), 64u);
  EXPECT_EQ(s.csrf_token.size(), 64u);
  EXPECT_NE(s.cookie_value, s.csrf_token);
  EXPECT_EQ(s.expires_at_ms, kT0 + 12 * 3600 * 1000);

  auto p = Auth(s.cookie_value, kT0 + 1000);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->actor, "user:alice");
  EXPECT_EQ(p->grants, (std::vector<Grant>{{Role::kResponder, "sre"}}));
  EXPECT_EQ(p->csrf_token, s.csrf_token);
}

TEST_P(SessionTest, StoresOnlyTheCookieHash) {
  NewSession s = MustLogin();
  EXPECT_EQ(QueryText("SELECT id_hash FROM sessions"), Sha256Hex(s.cookie_value));
  EXPECT_EQ(TableText("sessions").find(s.cookie_value), std::string::npos);
}

TEST_P(SessionTest, WrongPasswordAndUnknownUserLookAlike) {
  auto wrong = DoLogin("alice", "not alice's password", kT0);
  auto unknown = DoLogin("mallory", kAlicePassword, kT0);
  auto empty = DoLogin("", "", kT0);
  for (const auto* r : {&wrong, &unknown, &empty}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(r->error().message, "invalid user name or password");
  }
  EXPECT_EQ(TableText("sessions"), "");
}

TEST_P(SessionTest, DisabledUserCannotLoginOrUseSession) {
  NewSession s = MustLogin();
  auto r = Write([](store::Tx& tx) { return tx.Exec("UPDATE users SET disabled = 1"); });
  ASSERT_TRUE(r.ok());
  auto login = DoLogin("alice", kAlicePassword, kT0);
  ASSERT_FALSE(login.ok());
  EXPECT_EQ(login.error().message, "invalid user name or password");
  ExpectInvalidSession(Auth(s.cookie_value, kT0));
}

TEST_P(SessionTest, ExpiresAfterTwelveHours) {
  NewSession s = MustLogin();
  EXPECT_TRUE(Auth(s.cookie_value, s.expires_at_ms - 1).ok());
  ExpectInvalidSession(Auth(s.cookie_value, s.expires_at_ms));
  auto deleted = Write([&](store::Tx& tx) { return DeleteExpiredSessions(tx, s.expires_at_ms); });
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1);
}

TEST_P(SessionTest, UnknownCookieIsRejected) {
  MustLogin();
  ExpectInvalidSession(Auth("", kT0));
  ExpectInvalidSession(Auth(std::string(64, 'a'), kT0));
}

TEST_P(SessionTest, LogoutEndsSession) {
  NewSession s = MustLogin();
  NewSession other = MustLogin();
  ASSERT_TRUE(Write([&](store::Tx& tx) { return Logout(tx, s.cookie_value); }).ok());
  ExpectInvalidSession(Auth(s.cookie_value, kT0));
  EXPECT_TRUE(Auth(other.cookie_value, kT0).ok());
  EXPECT_TRUE(Write([&](store::Tx& tx) { return Logout(tx, s.cookie_value); }).ok());
}

TEST_P(SessionTest, SessionSeesCurrentGrants) {
  NewSession s = MustLogin();
  ASSERT_TRUE(Write([](store::Tx& tx) {
                return SetGrants(tx, "alice", {{Role::kViewer, ""}}, "cli:root", kT0);
              }).ok());
  auto p = Auth(s.cookie_value, kT0);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->grants, (std::vector<Grant>{{Role::kViewer, ""}}));
}

TEST_P(SessionTest, PasswordChangeAndDeletionEndSessions) {
  NewSession s = MustLogin();
  ASSERT_TRUE(Write([](store::Tx& tx) {
                return SetPassword(tx, "alice", "a brand new passphrase", "user:alice", kT0);
              }).ok());
  ExpectInvalidSession(Auth(s.cookie_value, kT0));
  EXPECT_FALSE(DoLogin("alice", kAlicePassword, kT0).ok());
  NewSession again = DoLogin("alice", "a brand new passphrase", kT0).value();
  ASSERT_TRUE(Write([](store::Tx& tx) { return DeleteUser(tx, "alice", "cli:root", kT0); }).ok());
  ExpectInvalidSession(Auth(again.cookie_value, kT0));
}

TEST_P(SessionTest, LoginIsAuditedWithoutSecrets) {
  NewSession s = MustLogin();
  auto entries = Read([](store::Tx& tx) { return audit::List(tx, {}); });
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  const audit::Entry& login = (*entries)[0];
  EXPECT_EQ(login.action, "login");
  EXPECT_EQ(login.kind, "User");
  EXPECT_EQ(login.name, "alice");
  EXPECT_EQ(login.actor, "user:alice");
  EXPECT_EQ(login.at_ms, kT0);
  std::string audit_rows = TableText("audit_log");
  for (const std::string& secret :
       {std::string(kAlicePassword), s.cookie_value, s.csrf_token, Sha256Hex(s.cookie_value)}) {
    EXPECT_EQ(audit_rows.find(secret), std::string::npos) << secret;
  }
}

PLINTH_INSTANTIATE_ON_ALL_BACKENDS(SessionTest);

}  // namespace
}  // namespace plinth::auth
