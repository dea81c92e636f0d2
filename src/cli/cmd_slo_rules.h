#pragma once
// `plinth slo rules`: Sloth-compatible Prometheus rule files for the Prometheus-backed SLOs in
// the database (one file per service) or for Sloth input files; `plinth slo pull`: pulls SLI
// data from Prometheus once (--once, for cron and tests) or every minute until interrupted.

#include "base/result.h"
#include "cli/flags.h"

namespace plinth::cli {

Status RunSloRules(const Flags& flags);
Status RunSloPull(const Flags& flags);

}  // namespace plinth::cli
