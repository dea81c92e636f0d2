#pragma once
// Password hashing (argon2id via libsodium's crypto_pwhash_str) and the password policy.
// Thread-safe: no shared state beyond libsodium's one-time initialisation.

#include <string>
#include <string_view>

#include "base/result.h"

namespace plinth::auth {

inline constexpr size_t kMinPasswordLength = 12;

// Ok when the password satisfies the policy (at least kMinPasswordLength UTF-8 characters); the
// error never repeats the password.
Status CheckPasswordPolicy(std::string_view password);

// An argon2id hash string ("$argon2id$v=19$...") with a fresh salt. Does not check the policy.
// Fails with kInternal only when memory for hashing cannot be allocated.
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `hash` (as produced by HashPassword). A malformed hash is false.
bool VerifyPassword(std::string_view password, std::string_view hash);

}  // namespace plinth::auth
