// Administration: migrations, users, API tokens, the audit log.

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "audit/audit.h"
#include "auth/tokens.h"
#include "auth/users.h"
#include "base/embedded.h"
#include "base/time.h"
#include "cli/commands.h"
#include "store/migrate.h"

namespace plinth::cli {

namespace {

Result<auth::Grant> GrantFromFlags(const Flags& flags) {
  auto role = flags.Get("role");
  if (!role) return Error::Invalid("--role is required: viewer, responder, manager or admin");
  auto parsed = auth::ParseRole(*role);
  if (!parsed.ok()) return Error::Invalid("--role: " + parsed.error().message);
  return auth::Grant{*parsed, flags.GetOr("team", "")};
}

// Reads a password from the terminal without echo, or one line from a pipe.
Result<std::string> ReadPassword() {
  bool tty = isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::fprintf(stderr, "password: ");
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string password;
  bool got = bool(std::getline(std::cin, password));
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fprintf(stderr, "\n");
  }
  if (!got || password.empty()) return Error::Invalid("no password given on standard input");
  return password;
}

std::string GrantText(const auth::Grant& g) {
  return std::string(auth::RoleName(g.role)) + (g.team.empty() ? "" : "@" + g.team);
}

}  // namespace

Status RunMigrate(const Flags& flags) {
  const char* env = std::getenv("PLINTH_DB");
  PLINTH_ASSIGN_OR_RETURN(auto store,
                          store::Store::Open(flags.GetOr("db", env ? env : "sqlite:plinth.db")));
  PLINTH_ASSIGN_OR_RETURN(auto report,
                          store::Migrate(*store, embedded::Migrations(), SystemClock().NowMs()));
  if (report.from_version == report.to_version) {
    std::printf("schema is up to date (version %lld)\n", (long long)report.to_version);
  } else {
    std::printf("migrated schema from version %lld to %lld\n", (long long)report.from_version,
                (long long)report.to_version);
  }
  return {};
}

Status RunUserAdd(const Flags& flags) {
  if (flags.positional().size() != 1) return Error::Invalid("expected one user NAME");
  const std::string& name = flags.positional()[0];
  PLINTH_ASSIGN_OR_RETURN(auth::Grant grant, GrantFromFlags(flags));
  PLINTH_RETURN_IF_ERROR(auth::ValidateUserName(name));
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(std::string password, ReadPassword());
  PLINTH_RETURN_IF_ERROR(store->Write([&](store::Tx& tx) {
    return auth::AddUser(tx, name, password, {grant}, CliActor(), SystemClock().NowMs());
  }));
  std::printf("added user %s (%s)\n", name.c_str(), GrantText(grant).c_str());
  return {};
}

Status RunUserList(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(auto users, store->Read(auth::ListUsers));
  for (const auto& u : users) {
    std::string grants;
    for (const auto& g : u.grants) grants += (grants.empty() ? "" : ",") + GrantText(g);
    std::printf("%-24s %-30s %s\n", u.name.c_str(), grants.c_str(),
                u.disabled ? "disabled" : "");
  }
  return {};
}

Status RunTokenCreate(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(auth::Grant grant, GrantFromFlags(flags));
  std::optional<int64_t> expires;
  if (auto e = flags.Get("expires")) {
    auto t = ParseRfc3339(*e);
    if (!t.ok()) return Error::Invalid("--expires: " + t.error().message);
    expires = *t;
  }
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(auto token, store->Write([&](store::Tx& tx) {
    return auth::CreateToken(tx, grant, flags.GetOr("description", ""), CliActor(),
                             SystemClock().NowMs(), expires);
  }));
  std::fprintf(stderr, "created token %s (%s); it is shown only now:\n", token.id.c_str(),
               GrantText(grant).c_str());
  std::printf("%s\n", token.token.c_str());
  return {};
}

Status RunTokenList(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(auto tokens, store->Read(auth::ListTokens));
  for (const auto& t : tokens) {
    std::string state = t.revoked_at_ms ? "revoked"
                        : t.expires_at_ms ? "expires " + FormatRfc3339(*t.expires_at_ms)
                                          : "active";
    std::printf("%s  %-20s %-22s %s  %s\n", t.id.c_str(), GrantText(t.grant).c_str(),
                state.c_str(), t.created_by.c_str(), t.description.c_str());
  }
  return {};
}

Status RunTokenRevoke(const Flags& flags) {
  if (flags.positional().size() != 1) return Error::Invalid("expected one token ID");
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_RETURN_IF_ERROR(store->Write([&](store::Tx& tx) {
    return auth::RevokeToken(tx, flags.positional()[0], CliActor(), SystemClock().NowMs());
  }));
  std::printf("revoked token %s\n", flags.positional()[0].c_str());
  return {};
}

Status RunAudit(const Flags& flags) {
  audit::ListQuery q;
  q.kind = flags.Get("kind");
  q.name = flags.Get("name");
  try {
    q.limit = std::stoi(flags.GetOr("limit", "50"));
  } catch (...) {
    return Error::Invalid("--limit: expected a number");
  }
  std::string format = flags.GetOr("format", "table");
  if (format != "table" && format != "json") {
    return Error::Invalid("--format: expected table or json");
  }
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(auto entries,
                          store->Read([&](store::Tx& tx) { return audit::List(tx, q); }));
  for (const auto& e : entries) {
    if (format == "json") {
      std::printf("%s\n", e.ToJson().dump().c_str());
    } else {
      std::printf("%6lld  %s  %-22s %-12s %s/%s\n", (long long)e.seq,
                  FormatRfc3339(e.at_ms).c_str(), e.actor.c_str(), e.action.c_str(),
                  e.kind.c_str(), e.name.c_str());
    }
  }
  return {};
}

Status RunAuditVerify(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(auto report, store->Read(audit::Verify));
  if (!report.ok) {
    return Error::Conflict("audit log chain broken at entry " +
                           std::to_string(report.first_bad_seq) + ": " + report.problem);
  }
  std::printf("audit log intact: %lld entries verified\n", (long long)report.entries);
  return {};
}

}  // namespace plinth::cli
