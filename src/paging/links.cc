#include "paging/links.h"

#include <vector>

#include "base/crypto.h"

namespace plinth::paging {

namespace {

std::string Signed(std::string_view secret, std::string_view body) {
  return HmacSha256Hex(secret, body);
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out(1);
  for (char c : s) {
    if (c == sep) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

}  // namespace

Result<std::string> LinkSecret(store::Store& store) {
  return store.Write([](store::Tx& tx) -> Result<std::string> {
    PLINTH_RETURN_IF_ERROR(tx.Exec("INSERT INTO server_secrets (name, value) VALUES ('links', ?) "
                                   "ON CONFLICT (name) DO NOTHING",
                                   {RandomHex(32)}));
    PLINTH_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT value FROM server_secrets WHERE name = 'links'"));
    if (!row) return Error::Internal("the link secret is missing");
    return row->Text(0);
  });
}

std::string ActionToken(std::string_view secret, int64_t number, std::string_view action,
                        std::string_view person, int64_t expires_ms) {
  std::string body = std::to_string(number) + "~" + std::string(action) + "~" +
                     std::string(person) + "~" + std::to_string(expires_ms);
  return body + "~" + Signed(secret, body);
}

Result<ActionClaim> VerifyActionToken(std::string_view secret, std::string_view token,
                                      int64_t now_ms) {
  auto bad = Error::Unauthenticated("this link is not valid (it may have been mistyped)");
  auto parts = Split(token, '~');
  if (parts.size() != 5) return bad;
  std::string body = parts[0] + "~" + parts[1] + "~" + parts[2] + "~" + parts[3];
  if (!ConstantTimeEquals(Signed(secret, body), parts[4])) return bad;
  ActionClaim c;
  try {
    c.number = std::stoll(parts[0]);
    c.expires_ms = std::stoll(parts[3]);
  } catch (const std::exception&) {
    return bad;
  }
  c.action = parts[1];
  c.person = parts[2];
  if (c.action != "acknowledge" && c.action != "resolve") return bad;
  if (now_ms > c.expires_ms) {
    return Error::Unauthenticated("this link has expired; open the incident in plinth instead");
  }
  return c;
}

}  // namespace plinth::paging
