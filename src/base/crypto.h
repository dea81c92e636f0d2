#pragma once
// Small cryptographic helpers over libsodium: random tokens, SHA-256, HMAC, constant-time compare.

#include <cstddef>
#include <string>
#include <string_view>

namespace plinth {

// Initialises libsodium once; safe to call from any thread, any number of times.
void InitCrypto();

// `bytes` random bytes from the OS CSPRNG, as lowercase hex (2 * bytes characters).
std::string RandomHex(size_t bytes);

// SHA-256 of data as lowercase hex (64 characters).
std::string Sha256Hex(std::string_view data);

// HMAC-SHA-256 of `data` under `key`, as 64 lowercase hex digits.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// Compares without leaking where the first difference is.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace plinth
