// `plinth integration ...` and `plinth incident ...`: event sources of services and their keys,
// and incidents from the command line (on the database directly, as the other commands; a
// running server picks up timers and notifications they schedule within a second).

#include <cstdio>

#include "base/time.h"
#include "cli/commands.h"
#include "paging/incidents.h"
#include "paging/integrations.h"
#include "paging/queries.h"

namespace plinth::cli {

namespace {

Result<int64_t> NumberArg(const Flags& flags) {
  if (flags.positional().size() != 1) return Error::Invalid("expected one incident number");
  const std::string& text = flags.positional()[0];
  std::string digits = !text.empty() && text[0] == '#' ? text.substr(1) : text;
  try {
    size_t used = 0;
    int64_t n = std::stoll(digits, &used);
    if (used == digits.size() && n > 0) return n;
  } catch (const std::exception&) {
  }
  return Error::Invalid("expected an incident number such as 42 (got \"" + text + "\")");
}

void PrintJson(const Json& j) { std::printf("%s\n", j.dump(2).c_str()); }

}  // namespace

Status RunIntegrationCreate(const Flags& flags) {
  auto service = flags.Get("service");
  if (!service) return Error::Invalid("--service: required");
  Json mapping = Json::object();
  if (auto m = flags.Get("mapping")) {
    auto parsed = ParseJson(*m);
    if (!parsed.ok()) return Error::Invalid("--mapping: not JSON: " + parsed.error().message);
    mapping = *parsed;
  }
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(auto created, store->Write([&](store::Tx& tx) {
    return paging::CreateIntegration(tx, *service, flags.GetOr("type", "events-v2"),
                                     flags.GetOr("name", ""), mapping, CliActor(),
                                     SystemClock().NowMs());
  }));
  const auto& i = created.integration;
  std::fprintf(stderr, "created %s integration %s for service %s; the key is shown once:\n",
               i.type.c_str(), i.id.c_str(), i.service.c_str());
  std::printf("%s\n", created.key.c_str());
  return {};
}

Status RunIntegrationList(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  std::string service = flags.GetOr("service", "");
  PLINTH_ASSIGN_OR_RETURN(auto list, store->Read([&](store::Tx& tx) {
    return paging::ListIntegrations(tx, service);
  }));
  std::printf("%-20s %-24s %-13s %-20s %-6s %s\n", "ID", "SERVICE", "TYPE", "NAME", "KEY",
              "STATE");
  for (const auto& i : list) {
    std::printf("%-20s %-24s %-13s %-20s …%-5s %s\n", i.id.c_str(), i.service.c_str(),
                i.type.c_str(), i.name.c_str(), i.key_hint.c_str(),
                i.revoked_ms ? "revoked" : "live");
  }
  return {};
}

Status RunIntegrationRevoke(const Flags& flags) {
  if (flags.positional().size() != 1) return Error::Invalid("expected one integration ID");
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_RETURN_IF_ERROR(store->Write([&](store::Tx& tx) {
    return paging::RevokeIntegration(tx, flags.positional()[0], CliActor(),
                                     SystemClock().NowMs());
  }));
  std::printf("revoked integration %s\n", flags.positional()[0].c_str());
  return {};
}

Status RunIncidentList(const Flags& flags) {
  paging::IncidentQuery q;
  q.status = flags.GetOr("status", "open");
  if (q.status == "all") q.status = "";
  q.service = flags.GetOr("service", "");
  q.team = flags.GetOr("team", "");
  q.limit = 500;
  std::string format = flags.GetOr("format", "table");
  if (format != "table" && format != "json") {
    return Error::Invalid("--format: expected table or json (got \"" + format + "\")");
  }
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(auto page,
                          store->Read([&](store::Tx& tx) { return paging::ListIncidents(tx, q); }));
  if (format == "json") {
    PrintJson(page["items"]);
    return {};
  }
  std::printf("%-6s %-13s %-5s %-22s %-20s %s\n", "#", "STATUS", "URG", "SERVICE", "OPENED",
              "TITLE");
  for (const auto& i : page["items"]) {
    std::printf("%-6lld %-13s %-5s %-22s %-20s %s\n",
                static_cast<long long>(i["number"].get<int64_t>()),
                i["status"].get<std::string>().c_str(), i["urgency"].get<std::string>().c_str(),
                i["service"].get<std::string>().c_str(),
                i["createdAt"].get<std::string>().substr(0, 19).c_str(),
                i["title"].get<std::string>().c_str());
  }
  return {};
}

Status RunIncidentShow(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(int64_t n, NumberArg(flags));
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(auto detail, store->Read([&](store::Tx& tx) {
    return paging::IncidentDetail(tx, n);
  }));
  PrintJson(detail);
  return {};
}

Status RunIncidentAct(const Flags& flags, bool resolve) {
  PLINTH_ASSIGN_OR_RETURN(int64_t n, NumberArg(flags));
  std::optional<bool> actionable;
  if (auto a = flags.Get("actionable")) {
    if (*a != "yes" && *a != "no") return Error::Invalid("--actionable: expected yes or no");
    actionable = *a == "yes";
  }
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  int64_t now = SystemClock().NowMs();
  PLINTH_ASSIGN_OR_RETURN(auto status, store->Write([&](store::Tx& tx) -> Result<std::string> {
    PLINTH_ASSIGN_OR_RETURN(auto inc, paging::GetIncident(tx, n, true));
    if (resolve) {
      PLINTH_RETURN_IF_ERROR(paging::Resolve(tx, inc, CliActor(), now, actionable));
    } else {
      PLINTH_RETURN_IF_ERROR(paging::Acknowledge(tx, inc, CliActor(), now));
    }
    PLINTH_ASSIGN_OR_RETURN(auto after, paging::GetIncident(tx, n));
    return after.status;
  }));
  std::printf("incident #%lld is %s\n", static_cast<long long>(n), status.c_str());
  return {};
}

Status RunIncidentAck(const Flags& flags) { return RunIncidentAct(flags, false); }
Status RunIncidentResolve(const Flags& flags) { return RunIncidentAct(flags, true); }

}  // namespace plinth::cli
