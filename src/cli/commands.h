#pragma once
// The one table of subcommands: name, arguments, one-line help, flags, handler. `plinth --help`
// and `plinth CMD --help` are generated from it.

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "cli/flags.h"
#include "store/store.h"

namespace plinth::cli {

struct Command {
  std::string name;      // "serve", or two words such as "user add"
  std::string args;      // positional synopsis, e.g. "DIR"
  std::string summary;   // one line
  std::string details;   // extra paragraphs for `--help`, may be empty
  std::vector<FlagSpec> flags;
  Status (*run)(const Flags& flags);
};

const std::vector<Command>& Commands();

// Runs the CLI; returns the process exit code.
int Main(const std::vector<std::string>& args);

// Shared by handlers: the --db flag (default $PLINTH_DB or sqlite:plinth.db).
FlagSpec DbFlag();
// Opens the store named by --db and applies pending migrations.
Result<std::unique_ptr<store::Store>> OpenStore(const Flags& flags);
// The principal's actor for changes made from this CLI: "cli:<os user>".
std::string CliActor();
// The process clock.
const Clock& SystemClock();

// Handlers, grouped by file.
Status RunServe(const Flags& flags);
Status RunMigrate(const Flags& flags);
Status RunApply(const Flags& flags);
Status RunDiff(const Flags& flags);
Status RunExport(const Flags& flags);
Status RunUserAdd(const Flags& flags);
Status RunUserList(const Flags& flags);
Status RunTokenCreate(const Flags& flags);
Status RunTokenList(const Flags& flags);
Status RunTokenRevoke(const Flags& flags);
Status RunAudit(const Flags& flags);
Status RunAuditVerify(const Flags& flags);
Status RunDemo(const Flags& flags);
Status RunOncallWho(const Flags& flags);
Status RunOncallFinal(const Flags& flags);
Status RunOncallOverride(const Flags& flags);
Status RunOncallReport(const Flags& flags);
Status RunOncallPlan(const Flags& flags);
Status RunOncallImport(const Flags& flags);
Status RunSloStatus(const Flags& flags);
Status RunSloImport(const Flags& flags);
Status RunCostImport(const Flags& flags);
Status RunCostQuery(const Flags& flags);
Status RunCostShowback(const Flags& flags);
Status RunIntegrationCreate(const Flags& flags);
Status RunIntegrationList(const Flags& flags);
Status RunIntegrationRevoke(const Flags& flags);
Status RunIncidentList(const Flags& flags);
Status RunIncidentShow(const Flags& flags);
Status RunIncidentAck(const Flags& flags);
Status RunIncidentResolve(const Flags& flags);

}  // namespace plinth::cli
