#include "auth/passwords.h"

#include <gtest/gtest.h>

namespace plinth::auth {
namespace {

TEST(PasswordTest, HashesWithArgon2idAndVerifies) {
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse battery stapl", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
}

TEST(PasswordTest, SaltsEachHash) {
  auto a = HashPassword("correct horse battery staple");
  auto b = HashPassword("correct horse battery staple");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *b));
}

TEST(PasswordTest, MalformedHashNeverVerifies) {
  EXPECT_FALSE(VerifyPassword("anything", ""));
  EXPECT_FALSE(VerifyPassword("anything", "not a hash"));
  EXPECT_FALSE(VerifyPassword("anything", "$argon2id$v=19$m=65536,t=2,p=1$"));
  EXPECT_FALSE(VerifyPassword("anything", std::string(1000, 'x')));
}

TEST(PasswordTest, PolicyNeedsTwelveCharacters) {
  EXPECT_TRUE(CheckPasswordPolicy("twelve chars").ok());
  EXPECT_TRUE(CheckPasswordPolicy("äääääääääääß").ok());  // 12 characters, 24 bytes
  for (const char* weak : {"", "eleven char", "ääääää"}) {
    Status s = CheckPasswordPolicy(weak);
    ASSERT_FALSE(s.ok()) << weak;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(s.error().ToString(), "password: password must be at least 12 characters long");
  }
}

}  // namespace
}  // namespace plinth::auth
