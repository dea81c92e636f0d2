#include "auth/roles.h"

#include <gtest/gtest.h>

namespace plinth::auth {
namespace {

constexpr Role kRoles[] = {Role::kViewer, Role::kResponder, Role::kManager, Role::kAdmin};

TEST(RoleTest, ParsesAndNamesEveryRole) {
  for (Role r : kRoles) {
    auto parsed = ParseRole(RoleName(r));
    ASSERT_TRUE(parsed.ok()) << RoleName(r);
    EXPECT_EQ(*parsed, r);
  }
  EXPECT_STREQ(RoleName(Role::kResponder), "responder");
}

TEST(RoleTest, RejectsUnknownRoleListingValidOnes) {
  for (const char* bad : {"", "Admin", "owner", "admin "}) {
    auto r = ParseRole(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(r.error().message, std::string("unknown role \"") + bad +
                                     "\": expected one of viewer, responder, manager, admin");
  }
}

TEST(RoleTest, RolesAreOrdered) {
  EXPECT_LT(Role::kViewer, Role::kResponder);
  EXPECT_LT(Role::kResponder, Role::kManager);
  EXPECT_LT(Role::kManager, Role::kAdmin);
}

// Every granted role x {global, team "sre"} x needed role x {unscoped, "sre", "web"}.
TEST(RoleTest, AllowsMatrix) {
  const std::optional<std::string_view> scopes[] = {std::nullopt, "sre", "web"};
  for (Role granted : kRoles) {
    for (const char* grant_team : {"", "sre"}) {
      Principal p{"user:alice", {{granted, grant_team}}, ""};
      for (Role needed : kRoles) {
        for (const auto& scope : scopes) {
          bool strong_enough = granted >= needed;
          bool covers = std::string_view(grant_team).empty() || (scope && *scope == "sre");
          EXPECT_EQ(p.Allows(needed, scope), strong_enough && covers)
              << RoleName(granted) << " on '" << grant_team << "' needing " << RoleName(needed)
              << " on " << (scope ? std::string(*scope) : "(unscoped)");
        }
      }
    }
  }
}

TEST(RoleTest, AllowsSpotChecks) {
  Principal team_admin{"user:a", {{Role::kAdmin, "sre"}}, ""};
  EXPECT_TRUE(team_admin.Allows(Role::kAdmin, "sre"));
  EXPECT_FALSE(team_admin.Allows(Role::kViewer, std::nullopt));  // unscoped needs global
  EXPECT_FALSE(team_admin.Allows(Role::kViewer, "web"));
  Principal global_viewer{"user:b", {{Role::kViewer, ""}}, ""};
  EXPECT_TRUE(global_viewer.Allows(Role::kViewer, std::nullopt));
  EXPECT_TRUE(global_viewer.Allows(Role::kViewer, "web"));
  EXPECT_FALSE(global_viewer.Allows(Role::kResponder, "web"));
}

TEST(RoleTest, SeveralGrantsCombine) {
  Principal p{"user:c", {{Role::kViewer, ""}, {Role::kManager, "sre"}}, ""};
  EXPECT_TRUE(p.Allows(Role::kManager, "sre"));
  EXPECT_FALSE(p.Allows(Role::kManager, "web"));
  EXPECT_TRUE(p.Allows(Role::kViewer, "web"));
  EXPECT_TRUE(p.Allows(Role::kViewer, std::nullopt));
  EXPECT_FALSE(p.Allows(Role::kManager, std::nullopt));
}

TEST(RoleTest, NoGrantsAllowsNothing) {
  Principal p{"token:x", {}, ""};
  EXPECT_FALSE(p.Allows(Role::kViewer, std::nullopt));
  EXPECT_FALSE(p.Allows(Role::kViewer, "sre"));
}

TEST(RoleTest, CliIsGlobalAdmin) {
  Principal p = Principal::Cli("root");
  EXPECT_EQ(p.actor, "cli:root");
  EXPECT_EQ(p.grants, (std::vector<Grant>{{Role::kAdmin, ""}}));
  EXPECT_TRUE(p.Allows(Role::kAdmin, std::nullopt));
  EXPECT_TRUE(p.Allows(Role::kAdmin, "sre"));
  EXPECT_EQ(p.csrf_token, "");
}

}  // namespace
}  // namespace plinth::auth
