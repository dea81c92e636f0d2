#pragma once
// Serving, shared by `plinth serve` and `plinth demo`.

#include <functional>

#include "base/result.h"
#include "cli/flags.h"
#include "server/server.h"
#include "store/store.h"

namespace plinth::cli {

// --listen and --rate-limit and --secure-cookies as server options.
Result<server::ServerOptions> ServerOptionsFromFlags(const Flags& flags);

// Serves the whole API until SIGINT or SIGTERM; `on_ready(port)` runs once listening.
Status Serve(store::Store& store, const server::ServerOptions& options,
             const std::function<void(int port)>& on_ready);

}  // namespace plinth::cli
