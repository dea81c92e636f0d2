#include "auth/passwords.h"

#include <sodium.h>

#include "base/crypto.h"

namespace plinth::auth {

Status CheckPasswordPolicy(std::string_view password) {
  size_t characters = 0;  // UTF-8 code points: every byte that is not a continuation byte
  for (char c : password) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) characters++;
  }
  if (characters < kMinPasswordLength) {
    return Error::Field("/password", "password must be at least " +
                                         std::to_string(kMinPasswordLength) + " characters long");
  }
  return {};
}

Result<std::string> HashPassword(std::string_view password) {
  InitCrypto();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::Internal("out of memory while hashing a password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, std::string_view hash) {
  InitCrypto();
  // crypto_pwhash_str_verify needs a NUL-terminated hash that fits its buffer.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

}  // namespace plinth::auth
