#include "auth/users.h"

#include <gtest/gtest.h>

#include "audit/audit.h"
#include "auth/auth_test_util.h"

namespace plinth::auth {
namespace {

using testing::kAlicePassword;
using testing::kT0;

class UserTest : public testing::AuthStoreTest {
 protected:
  Status Add(std::string_view name, std::string_view password, std::vector<Grant> grants) {
    return Write(
        [&](store::Tx& tx) { return AddUser(tx, name, password, grants, "cli:root", kT0); });
  }

  std::vector<UserInfo> MustList() {
    auto users = Read([](store::Tx& tx) { return ListUsers(tx); });
    EXPECT_TRUE(users.ok()) << users.error().message;
    return users.ok() ? *users : std::vector<UserInfo>{};
  }

  std::vector<audit::Entry> AuditEntries() {
    auto entries = Read([](store::Tx& tx) { return audit::List(tx, {}); });
    EXPECT_TRUE(entries.ok()) << entries.error().message;
    return entries.ok() ? *entries : std::vector<audit::Entry>{};
  }
};

TEST_P(UserTest, AddsAndListsUsers) {
  ASSERT_TRUE(Add("bob", "bob's long password", {{Role::kViewer, ""}}).ok());
  ASSERT_TRUE(Add("alice", kAlicePassword, {{Role::kManager, "sre"}, {Role::kViewer, ""}}).ok());
  auto users = MustList();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].name, "alice");
  EXPECT_EQ(users[0].grants, (std::vector<Grant>{{Role::kViewer, ""}, {Role::kManager, "sre"}}));
  EXPECT_EQ(users[0].created_at_ms, kT0);
  EXPECT_FALSE(users[0].disabled);
  EXPECT_EQ(users[1].name, "bob");
  EXPECT_EQ(users[1].grants, (std::vector<Grant>{{Role::kViewer, ""}}));
}

TEST_P(UserTest, RejectsDuplicateUser) {
  ASSERT_TRUE(Add("alice", kAlicePassword, {}).ok());
  Status s = Add("alice", "another long password", {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_EQ(s.error().message, "user \"alice\" already exists");
}

TEST_P(UserTest, ValidatesNames) {
  for (std::string good : {std::string("a"), std::string("a.b_c-d9"), std::string(63, 'x')}) {
    EXPECT_TRUE(ValidateUserName(good).ok()) << good;
  }
  for (std::string bad :
       {std::string(""), std::string("Alice"), std::string("-a"), std::string(".a"),
        std::string("a b"), std::string("a@b"), std::string(64, 'x')}) {
    Status s = Add(bad, kAlicePassword, {});
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(s.error().ToString(),
              "name: invalid user name \"" + bad +
                  "\": expected 1 to 63 characters of a-z, 0-9, '.', '_' and '-', starting with "
                  "a letter or digit");
  }
  EXPECT_TRUE(MustList().empty());
}

TEST_P(UserTest, RejectsWeakPassword) {
  Status s = Add("alice", "short", {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().ToString(), "password: password must be at least 12 characters long");
}

TEST_P(UserTest, RejectsTwoRolesForOneTeam) {
  Status s = Add("alice", kAlicePassword, {{Role::kViewer, "sre"}, {Role::kAdmin, "sre"}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().ToString(), "roles[1]: more than one role for team \"sre\"");
}

TEST_P(UserTest, SetsGrantsAndAuditsBeforeAndAfter) {
  ASSERT_TRUE(Add("alice", kAlicePassword, {{Role::kViewer, ""}}).ok());
  Status s = Write([](store::Tx& tx) {
    return SetGrants(tx, "alice", {{Role::kAdmin, "sre"}}, "user:root", kT0 + 1);
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto users = MustList();
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].grants, (std::vector<Grant>{{Role::kAdmin, "sre"}}));
  auto entries = AuditEntries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "update");
  EXPECT_EQ(entries[0].actor, "user:root");
  EXPECT_EQ(entries[0].before->dump(), R"({"name":"alice","roles":[{"role":"viewer","team":""}]})");
  EXPECT_EQ(entries[0].after->dump(),
            R"({"name":"alice","roles":[{"role":"admin","team":"sre"}]})");

  Status missing = Write([](store::Tx& tx) { return SetGrants(tx, "zed", {}, "cli:root", kT0); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "user \"zed\" does not exist");
}

TEST_P(UserTest, DeletesUser) {
  ASSERT_TRUE(Add("alice", kAlicePassword, {{Role::kViewer, ""}}).ok());
  Status s = Write([](store::Tx& tx) { return DeleteUser(tx, "alice", "cli:root", kT0 + 1); });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(MustList().empty());
  EXPECT_EQ(TableText("user_roles"), "");
  Status again = Write([](store::Tx& tx) { return DeleteUser(tx, "alice", "cli:root", kT0); });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  auto entries = AuditEntries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "delete");
  EXPECT_FALSE(entries[0].after.has_value());
}

TEST_P(UserTest, AuditNeverHoldsPasswordOrHash) {
  ASSERT_TRUE(Add("alice", kAlicePassword, {{Role::kAdmin, ""}}).ok());
  Status s = Write([](store::Tx& tx) {
    return SetPassword(tx, "alice", "a brand new passphrase", "user:alice", kT0 + 1);
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto entries = AuditEntries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].kind, "User");
  EXPECT_EQ(entries[1].action, "create");
  EXPECT_EQ(entries[1].name, "alice");
  EXPECT_EQ(entries[1].after->dump(), R"({"name":"alice","roles":[{"role":"admin","team":""}]})");
  EXPECT_EQ(entries[0].action, "password.set");

  std::string hash = QueryText("SELECT password_hash FROM users WHERE name = 'alice'");
  ASSERT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  std::string audit_rows = TableText("audit_log");
  EXPECT_EQ(audit_rows.find(kAlicePassword), std::string::npos);
  EXPECT_EQ(audit_rows.find("a brand new passphrase"), std::string::npos);
  EXPECT_EQ(audit_rows.find(hash), std::string::npos);
  EXPECT_EQ(audit_rows.find("argon2"), std::string::npos);
  EXPECT_EQ(TableText("users").find("a brand new passphrase"), std::string::npos);

  auto verify = Read([](store::Tx& tx) { return audit::Verify(tx); });
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->problem;
}

TEST_P(UserTest, SetPasswordChecksPolicyAndUser) {
  ASSERT_TRUE(Add("alice", kAlicePassword, {}).ok());
  Status weak = Write([](store::Tx& tx) { return SetPassword(tx, "alice", "short", "x", kT0); });
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().code, ErrorCode::kInvalid);
  Status missing = Write(
      [](store::Tx& tx) { return SetPassword(tx, "zed", "a long enough password", "x", kT0); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "user \"zed\" does not exist");
}

PLINTH_INSTANTIATE_ON_ALL_BACKENDS(UserTest);

}  // namespace
}  // namespace plinth::auth
