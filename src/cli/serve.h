#pragma once
// Serving, shared by `plinth serve` and `plinth demo`.

#include <functional>
#include <memory>

#include "base/result.h"
#include "cli/flags.h"
#include "reliability/slos.h"
#include "server/jobs.h"
#include "server/server.h"
#include "store/store.h"

namespace plinth::cli {

// --listen and --rate-limit and --secure-cookies as server options.
Result<server::ServerOptions> ServerOptionsFromFlags(const Flags& flags);

// The background jobs of a server: the SLO evaluator every minute. `slo_cache` is the one the
// SLO routes use. Other jobs register here with one line: jobs.Every(period, "name", fn).
void AddJobs(server::JobRunner& jobs, store::Store& store,
             std::shared_ptr<reliability::SeriesCache> slo_cache);

// Serves the whole API until SIGINT or SIGTERM; `on_ready(port)` runs once listening.
Status Serve(store::Store& store, const server::ServerOptions& options,
             const std::function<void(int port)>& on_ready);

}  // namespace plinth::cli
