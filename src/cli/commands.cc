#include "cli/commands.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "base/embedded.h"
#include "cli/cmd_slo_rules.h"
#include "store/migrate.h"

namespace plinth::cli {

namespace {

constexpr const char* kVersion = "0.1.0";

const FlagSpec kListen{"listen", "", "ADDR:PORT", "address to serve on (default 127.0.0.1:8080)"};
const FlagSpec kFile{"file", "f", "PATH", "YAML file or directory (repeatable)", true};
const FlagSpec kPrune{"prune", "", "", "delete resources the files no longer contain"};
const FlagSpec kRole{"role", "", "ROLE", "viewer, responder, manager or admin"};
const FlagSpec kTeam{"team", "", "TEAM", "limit the role to one team (default: every team)"};
const FlagSpec kFormat{"format", "", "FORMAT", "table (default) or json"};

Status RunVersion(const Flags&) {
  std::printf("plinth %s\n", kVersion);
  return {};
}

std::string Usage(const Command& c) {
  std::string out = "usage: plinth " + c.name + (c.flags.empty() ? "" : " [flags]") +
                    (c.args.empty() ? "" : " " + c.args) + "\n\n" + c.summary + "\n";
  if (!c.details.empty()) out += "\n" + c.details + "\n";
  out += "\nflags:\n" + FlagHelp(c.flags);
  return out;
}

std::string TopHelp() {
  std::string out =
      "plinth — the operations platform for infrastructure teams\n\n"
      "usage: plinth COMMAND [flags]\n\ncommands:\n";
  size_t width = 0;
  for (const auto& c : Commands()) width = std::max(width, c.name.size());
  for (const auto& c : Commands()) {
    out += "  " + c.name + std::string(width - c.name.size() + 3, ' ') + c.summary + "\n";
  }
  out += "\nRun `plinth COMMAND --help` for a command's flags.\n";
  return out;
}

}  // namespace

FlagSpec DbFlag() {
  return {"db", "", "URL", "sqlite:PATH or postgres://… (default $PLINTH_DB or sqlite:plinth.db)"};
}

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"serve", "", "serve the API and console",
       "Applies pending database migrations, then serves until interrupted.",
       {DbFlag(), kListen,
        {"rate-limit", "", "N", "requests per second per client or token (default 50; 0: off)"},
        {"secure-cookies", "", "", "mark session cookies Secure (when served over HTTPS)"}},
       RunServe},
      {"demo", "", "create a demo organisation and serve it",
       "Creates (or refreshes) a realistic, deterministic organisation — teams, people in "
       "several time zones, services across four tiers with dependencies — then serves it and "
       "prints the URL, an admin login and an API token.",
       {{"db", "", "URL", "database (default sqlite:plinth-demo.db)"}, kListen},
       RunDemo},
      {"apply", "", "apply YAML resources (plinth/v1, Backstage) transactionally",
       "All files are validated together and applied in one transaction: all or nothing. "
       "Re-applying the same files changes nothing.",
       {kFile, kPrune, DbFlag()},
       RunApply},
      {"diff", "", "show what `apply` would change", "", {kFile, kPrune, DbFlag()}, RunDiff},
      {"export", "DIR", "write every resource as YAML that re-applies to the same state", "",
       {DbFlag()}, RunExport},
      {"migrate", "", "apply pending database migrations and exit", "", {DbFlag()}, RunMigrate},
      {"user add", "NAME", "add a local user (password read from stdin or prompted)", "",
       {kRole, kTeam, DbFlag()}, RunUserAdd},
      {"user list", "", "list local users", "", {DbFlag()}, RunUserList},
      {"token create", "", "create an API token and print it once", "",
       {kRole, kTeam, {"description", "", "TEXT", "what the token is for"},
        {"expires", "", "TIME", "RFC 3339 expiry time (default: never)"}, DbFlag()},
       RunTokenCreate},
      {"token list", "", "list API tokens (never their secrets)", "", {DbFlag()}, RunTokenList},
      {"token revoke", "ID", "revoke an API token", "", {DbFlag()}, RunTokenRevoke},
      {"audit", "", "show the audit log, newest first", "",
       {{"kind", "", "KIND", "only this resource kind"},
        {"name", "", "NAME", "only this resource name"},
        {"limit", "", "N", "entries to show (default 50)"}, kFormat, DbFlag()},
       RunAudit},
      {"audit verify", "", "check the audit log's hash chain for edited or deleted entries", "",
       {DbFlag()}, RunAuditVerify},
      {"oncall who", "SCHEDULE", "who is on call on a schedule now or at a time", "",
       {{"at", "", "TIME", "RFC 3339 time (default now)"}, kFormat, DbFlag()}, RunOncallWho},
      {"oncall final", "SCHEDULE", "the final schedule over a range: layers, overrides, gaps",
       "Times are shown in the schedule's time zone; --format ical writes an RFC 5545 calendar.",
       {{"from", "", "TIME", "RFC 3339 start (default now)"},
        {"to", "", "TIME", "RFC 3339 end (default from + 14 days)"},
        {"format", "", "FORMAT", "table (default), json or ical"}, DbFlag()},
       RunOncallFinal},
      {"oncall override", "SCHEDULE", "put someone else on call for a time slot", "",
       {{"person", "", "PERSON", "who takes the slot"},
        {"from", "", "TIME", "RFC 3339 start"},
        {"to", "", "TIME", "RFC 3339 end"},
        {"reason", "", "TEXT", "why, for the audit log"}, DbFlag()},
       RunOncallOverride},
      {"oncall report", "", "on-call load and fairness per person and schedule for a quarter", "",
       {{"quarter", "", "QUARTER", "e.g. 2026Q4 (default: the current quarter, UTC)"},
        {"max-weeks", "", "N", "policy: most weeks on call per person per quarter (default 1)"},
        kFormat, DbFlag()},
       RunOncallReport},
      {"oncall plan", "", "propose a schedule for a team that meets an on-call policy",
       "Prints the proposal as plinth YAML ready for `plinth apply -f -`, and the reasoning on\n"
       "stderr. When the team is too small it says how many people the policy needs and exits\n"
       "with status 2.",
       {{"team", "", "TEAM", "the team whose members rotate"},
        {"max-weeks", "", "N", "most weeks on call per person per quarter (default 1)"},
        {"no-follow-the-sun", "", "", "one rotation for everyone, even across time zones"},
        {"zone", "", "ZONE", "the schedule's time zone (default UTC)"},
        {"start", "", "DATE", "the Monday the rotation starts (default next Monday)"},
        {"name", "", "NAME", "the schedule's name (default TEAM-oncall)"}, DbFlag()},
       RunOncallPlan},
      {"oncall import", "pagerduty FILE", "import a PagerDuty schedule (REST API JSON)",
       "FILE is the response of GET /schedules/{id} (overrides from GET /schedules/{id}/overrides\n"
       "may sit beside it under \"overrides\"). PagerDuty users map to people by the\n"
       "annotation pagerduty.com/user-id or by email; unknown users are listed, or created with\n"
       "--create-people.",
       {{"name", "", "NAME", "the schedule's name in plinth (default: from the PagerDuty name)"},
        {"team", "", "TEAM", "the owning team"},
        {"create-people", "", "", "create people for PagerDuty users plinth does not know"},
        DbFlag()},
       RunOncallImport},
      {"slo status", "[SLO]", "SLOs' error budgets: all by remaining budget, or one in detail",
       "Attainment, remaining budget, burn rates per alert window, time to exhaustion, active\n"
       "alerts and the error-budget policy status, computed from the stored per-minute data.",
       {{"at", "", "TIME", "RFC 3339 time (default now)"}, kFormat, DbFlag()},
       RunSloStatus},
      {"cost import", "FILE...", "import FOCUS or AWS CUR 2.0 billing exports (CSV or CSV.gz)",
       "Reads FOCUS 1.0, 1.1 and 1.2 and AWS CUR 2.0 CSV files, plain or gzip, in constant\n"
       "memory with a progress bar, and prints a validation report: rows read, rejected rows\n"
       "with FILE:LINE and the reason, and totals per billing account and currency to check\n"
       "against the invoice. Each billing account's billing period in the files replaces the one\n"
       "imported before, atomically. A file-level problem (missing mandatory columns, a\n"
       "truncated gzip, two currencies in one billing account) or any rejected row imports\n"
       "nothing (unless --skip-invalid); what was imported before stays. See docs/cost.md.",
       {{"skip-invalid", "", "", "import the valid rows even when some rows are rejected"},
        {"format", "", "FORMAT", "text (default) or json"},
        DbFlag()},
       RunCostImport},
      {"cost query", "", "cost grouped by FOCUS columns or tags, per day, week or month",
       "Sums the imported line items in [--from, --to) (default: this month so far) by the\n"
       "--group-by dimensions: a FOCUS column (ServiceName, SubAccountId, RegionId, x_...) or\n"
       "tag:KEY. Currencies are kept apart.",
       {{"from", "", "DAY", "first day, YYYY-MM-DD (UTC)"},
        {"to", "", "DAY", "day after the last, YYYY-MM-DD (UTC)"},
        {"group-by", "g", "DIMENSION", "a column or tag:KEY (repeatable)", true},
        {"granularity", "", "GRANULARITY", "total (default), day, week or month"},
        {"metric", "", "METRIC", "effective (default), billed, list or contracted"},
        {"filter", "", "FILTER", "DIMENSION=VALUE: keep only these line items (repeatable)", true},
        {"exclude", "", "FILTER", "DIMENSION=VALUE: drop these line items (repeatable)", true},
        {"limit", "", "N", "the top N groups by cost (default all)"},
        {"format", "", "FORMAT", "table (default), csv or json"},
        DbFlag()},
       RunCostQuery},
      {"cost showback", "MONTH", "cost per team of a month after allocation (showback/chargeback)",
       "Applies the catalog's CostAllocation rules to MONTH (YYYY-MM, UTC): each team's direct\n"
       "cost, its share of each shared pool, and the unallocated bucket with its top resources.\n"
       "The team totals and the unallocated amount add up to the invoice total to the cent.\n"
       "See docs/cost-allocation.md.",
       {{"metric", "", "METRIC", "effective (default), billed, list or contracted"},
        {"chargeback", "", "", "only the teams' totals and the unallocated line"},
        {"format", "", "FORMAT", "text (default), csv, xlsx or json"},
        {"out", "o", "FILE", "write to FILE instead of stdout (required for xlsx)"},
        DbFlag()},
       RunCostShowback},
      {"slo import", "SLO FILE.csv", "backfill an SLO's per-minute counts from CSV",
       "FILE.csv has the header timestamp,good,total and one row per minute; timestamp is\n"
       "RFC 3339 or epoch seconds at the start of a UTC minute. A minute already stored is\n"
       "replaced. Nothing is written when any row is bad; errors name FILE:LINE and the column.",
       {DbFlag()},
       RunSloImport},
      {"slo rules", "", "Prometheus recording and alerting rules for SLOs (Sloth-compatible)",
       "Without -f: one rule file per service for every SLO in the database that is pulled from\n"
       "Prometheus (a ratio or latency indicator with a dataSource). With -f: Sloth input files\n"
       "(prometheus/v1, PrometheusServiceLevel, OpenSLO v1alpha), one rule file per input file.\n"
       "With --out the files are written as DIR/<service>.rules.yml (DIR/<input>.rules.yml);\n"
       "without it they go to stdout.",
       {{"file", "f", "PATH", "Sloth input file or directory (repeatable)", true},
        {"out", "", "DIR", "write one rule file per service into DIR (default: stdout)"},
        {"sloth-compatible", "", "", "exactly as `sloth generate` (mean of 5m ratios; 28d/30d)"},
        DbFlag()},
       RunSloRules},
      {"slo pull", "", "pull the SLI data of Prometheus-backed SLOs",
       "Each SLO is pulled from where its last pull ended (the first time: --first-pull back) up\n"
       "to the last complete minute, at most once per interval of its DataSource. `plinth serve`\n"
       "does this every minute; this command is for cron and tests. Exits 6 when an SLO could\n"
       "not be pulled (the reason is recorded and shown as the SLO's no-data reason).",
       {{"once", "", "", "pull once and exit (default: every minute until interrupted)"},
        {"now", "", "TIME", "with --once: pull as if it were TIME (RFC 3339)"},
        {"slo", "", "SLO", "only this SLO, due or not"},
        {"force", "", "", "pull every SLO now, even before its DataSource's interval"},
        {"first-pull", "", "DURATION", "how far back an SLO's first pull reaches (default 30d)"},
        DbFlag()},
       RunSloPull},
      {"integration create", "", "create an event source for a service and print its key once",
       "PagerDuty senders (Alertmanager's pagerduty_configs, client libraries) use an events-v2\n"
       "key as routing_key with the URL /v2/enqueue; Alertmanager's webhook_configs posts to\n"
       "/integrations/alertmanager/KEY; generic JSON to /integrations/generic/KEY, read with\n"
       "--mapping, e.g. '{\"summary\": \"/title\", \"dedup_key\": \"/id\", \"action\": \"/state\"}'.",
       {{"service", "", "SERVICE", "the service whose incidents its events open"},
        {"type", "", "TYPE", "events-v2 (default), alertmanager or generic"},
        {"name", "", "NAME", "a label, e.g. the sending tool (default: the type)"},
        {"mapping", "", "JSON", "generic only: field -> JSON pointer into the event"},
        DbFlag()},
       RunIntegrationCreate},
      {"integration list", "", "list integrations (their keys show only the last four characters)",
       "", {{"service", "", "SERVICE", "only this service's"}, DbFlag()}, RunIntegrationList},
      {"integration revoke", "ID", "revoke an integration: its key stops working", "", {DbFlag()},
       RunIntegrationRevoke},
      {"incident list", "", "list incidents, newest first", "",
       {{"status", "", "STATUS", "open (default), triggered, acknowledged, resolved or all"},
        {"service", "", "SERVICE", "only this service's"},
        {"team", "", "TEAM", "only services this team owns"}, kFormat, DbFlag()},
       RunIncidentList},
      {"incident show", "NUMBER", "one incident as JSON: alerts, timeline, pages, notifications",
       "", {DbFlag()}, RunIncidentShow},
      {"incident ack", "NUMBER", "acknowledge an incident: escalation stops", "", {DbFlag()},
       RunIncidentAck},
      {"incident resolve", "NUMBER", "resolve an incident", "",
       {{"actionable", "", "ANSWER", "yes or no: was the alert worth a page? (alert quality)"}, DbFlag()},
       RunIncidentResolve},
      {"version", "", "print the version", "", {}, RunVersion},
  };
  return commands;
}

Result<std::unique_ptr<store::Store>> OpenStore(const Flags& flags) {
  const char* env = std::getenv("PLINTH_DB");
  std::string url = flags.GetOr("db", env ? env : "sqlite:plinth.db");
  PLINTH_ASSIGN_OR_RETURN(auto store, store::Store::Open(url));
  PLINTH_RETURN_IF_ERROR(store::Migrate(*store, embedded::Migrations(), SystemClock().NowMs()));
  return store;
}

std::string CliActor() {
  // The account's name from the password database; $USER is often unset (services, CI).
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name && *pw->pw_name) {
    return std::string("cli:") + pw->pw_name;
  }
  return "cli:" + std::to_string(getuid());
}

const Clock& SystemClock() {
  static const RealClock clock;
  return clock;
}

int Main(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(TopHelp().c_str(), args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") return RunVersion(Flags()).ok() ? 0 : 1;
  const Command* command = nullptr;
  size_t consumed = 0;
  for (const auto& c : Commands()) {
    size_t space = c.name.find(' ');
    if (space == std::string::npos) {
      if (c.name == args[0] && (!command || consumed < 1)) command = &c, consumed = 1;
    } else if (args.size() > 1 && c.name == args[0] + " " + args[1]) {
      command = &c, consumed = 2;
    }
  }
  if (!command) {
    bool group = false;
    for (const auto& c : Commands()) group |= c.name.starts_with(args[0] + " ");
    if (group) {
      std::fprintf(stderr, "plinth %s: expected a subcommand:\n", args[0].c_str());
      size_t width = 0;
      for (const auto& c : Commands()) width = std::max(width, c.name.size());
      for (const auto& c : Commands()) {
        if (c.name.starts_with(args[0] + " ")) {
          std::fprintf(stderr, "  plinth %-*s   %s\n", int(width), c.name.c_str(),
                       c.summary.c_str());
        }
      }
      return 2;
    }
    std::fprintf(stderr, "plinth: unknown command \"%s\" (see plinth --help)\n", args[0].c_str());
    return 2;
  }
  std::vector<std::string> rest(args.begin() + consumed, args.end());
  auto flags = Flags::Parse(command->flags, rest);
  if (!flags.ok()) {
    std::fprintf(stderr, "plinth %s: %s\n", command->name.c_str(),
                 flags.error().message.c_str());
    return 2;
  }
  if (flags->help()) {
    std::fputs(Usage(*command).c_str(), stdout);
    return 0;
  }
  Status s = command->run(*flags);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.error().ToString().c_str());
    return ExitCode(s.error().code);
  }
  return 0;
}

}  // namespace plinth::cli
