// `plinth demo`: create or refresh the demo organisation, then serve it.

#include <cstdio>

#include "auth/tokens.h"
#include "auth/users.h"
#include "base/crypto.h"
#include "catalog/apply.h"
#include "cli/commands.h"
#include "cli/demo_cost.h"
#include "cli/demo_org.h"
#include "cli/demo_paging.h"
#include "cli/demo_slo.h"
#include "cli/serve.h"

namespace plinth::cli {

namespace {

// Creates the user or, when it exists, gives it a fresh password; returns the password.
Result<std::string> EnsureUser(store::Tx& tx, const std::string& name, auth::Role role,
                               int64_t now_ms) {
  std::string password = RandomHex(8);
  auto existing = auth::GetUser(tx, name);
  if (existing.ok()) {
    PLINTH_RETURN_IF_ERROR(auth::SetPassword(tx, name, password, CliActor(), now_ms));
  } else if (existing.error().code == ErrorCode::kNotFound) {
    PLINTH_RETURN_IF_ERROR(auth::AddUser(tx, name, password, {{role, ""}}, CliActor(), now_ms));
  } else {
    return std::move(existing).error();
  }
  return password;
}

}  // namespace

Status RunDemo(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(auto options, ServerOptionsFromFlags(flags));
  PLINTH_ASSIGN_OR_RETURN(auto demo_db, Flags::Parse({DbFlag()}, {"--db", flags.GetOr(
      "db", "sqlite:plinth-demo.db")}));
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(demo_db));
  auto files = DemoCatalog();
  files.push_back(DemoCostManifest());
  PLINTH_ASSIGN_OR_RETURN(auto set, catalog::LoadManifestFiles(files));
  int64_t now = SystemClock().NowMs();

  struct Logins {
    std::string admin, viewer, token;
  };
  PLINTH_ASSIGN_OR_RETURN(auto logins, store->Write([&](store::Tx& tx) -> Result<Logins> {
    PLINTH_ASSIGN_OR_RETURN(auto plan, catalog::Apply(tx, set, false, CliActor(), now));
    std::fputs(catalog::FormatPlan(plan, true).c_str(), stdout);
    int64_t started = SystemClock().NowMs();
    PLINTH_ASSIGN_OR_RETURN(auto slo_data, WriteDemoSloData(tx, now));
    std::printf("SLO history: %lld minutes, %lld alerts (%lld ms)\n",
                static_cast<long long>(slo_data.minutes), static_cast<long long>(slo_data.alerts),
                static_cast<long long>(SystemClock().NowMs() - started));
    started = SystemClock().NowMs();
    PLINTH_ASSIGN_OR_RETURN(auto paging, WriteDemoPagingData(tx, now));
    std::printf("Paging history: %lld incidents, %lld alerts, %lld pages (%lld ms)\n",
                static_cast<long long>(paging.incidents), static_cast<long long>(paging.alerts),
                static_cast<long long>(paging.pages),
                static_cast<long long>(SystemClock().NowMs() - started));
    Logins l;
    PLINTH_ASSIGN_OR_RETURN(l.admin, EnsureUser(tx, "admin", auth::Role::kAdmin, now));
    PLINTH_ASSIGN_OR_RETURN(l.viewer, EnsureUser(tx, "viewer", auth::Role::kViewer, now));
    PLINTH_ASSIGN_OR_RETURN(auto token, auth::CreateToken(tx, {auth::Role::kAdmin, ""},
                                                          "plinth demo", CliActor(), now,
                                                          std::nullopt));
    l.token = token.token;
    return l;
  }));
  int64_t started = SystemClock().NowMs();
  PLINTH_ASSIGN_OR_RETURN(auto costs, WriteDemoCostData(*store, SystemClock()));
  std::printf("Cloud bill: %lld FOCUS line items over 13 months, USD %s (%lld ms)\n",
              static_cast<long long>(costs.rows), costs.total.c_str(),
              static_cast<long long>(SystemClock().NowMs() - started));

  return Serve(*store, options, [&](int port) {
    std::string url = "http://" + options.host + ":" + std::to_string(port);
    std::printf(
        "\nplinth demo is running at %s  (Ctrl-C stops it)\n\n"
        "  console login   admin / %s    (read-only: viewer / %s)\n"
        "  API token       %s\n\n"
        "  try:  curl -H \"Authorization: Bearer %s\" %s/api/v1/services\n\n",
        url.c_str(), logins.admin.c_str(), logins.viewer.c_str(), logins.token.c_str(),
        logins.token.c_str(), url.c_str());
    std::fflush(stdout);
  });
}

}  // namespace plinth::cli
