// `plinth serve`: the API server, stopped cleanly by SIGINT or SIGTERM.

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "base/log.h"
#include "cli/commands.h"
#include "cli/serve.h"
#include "finops/anomalies.h"
#include "finops/line_items.h"
#include "notify/settings.h"
#include "paging/runtime.h"
#include "reliability/evaluator.h"
#include "reliability/puller.h"
#include "server/jobs.h"
#include "server/routes.h"
#include "server/cost_jobs.h"
#include "server/slo_paging.h"
#include "server/server.h"

namespace plinth::cli {

Result<server::ServerOptions> ServerOptionsFromFlags(const Flags& flags) {
  server::ServerOptions options;
  std::string listen = flags.GetOr("listen", "127.0.0.1:8080");
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return Error::Invalid("--listen: expected ADDR:PORT, e.g. 127.0.0.1:8080");
  }
  options.host = listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  try {
    size_t used = 0;
    options.port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || options.port < 0 || options.port > 65535) throw 0;
  } catch (...) {
    return Error::Invalid("--listen: bad port in \"" + listen + "\"");
  }
  if (auto rate = flags.Get("rate-limit")) {
    try {
      options.rate_per_second = std::stod(*rate);
      options.rate_burst = std::max(1.0, options.rate_per_second * 2);
    } catch (...) {
      return Error::Invalid("--rate-limit: expected a number");
    }
  }
  options.secure_cookies = flags.Has("secure-cookies");
  return options;
}

void AddJobs(server::JobRunner& jobs, store::Store& store,
             std::shared_ptr<reliability::SeriesCache> slo_cache,
             std::shared_ptr<finops::CostData> cost_data, notify::Sender& sender) {
  // PLINTH_SLO_EVALUATE_SECONDS shortens the minute tick (black-box tests).
  int64_t every_s = 60;
  if (const char* env = std::getenv("PLINTH_SLO_EVALUATE_SECONDS")) {
    every_s = std::max(1, std::atoi(env));
  }
  // Each Prometheus-backed SLO at its DataSource's interval, before the evaluator looks.
  jobs.Every(std::chrono::seconds(60), "slo-pull", [&store, slo_cache](int64_t now_ms) {
    return reliability::PullJob(store, *slo_cache, now_ms);
  });
  jobs.Every(std::chrono::seconds(every_s), "slo-evaluate",
             [&store, slo_cache](int64_t now_ms) -> Status {
               PLINTH_ASSIGN_OR_RETURN(auto r, reliability::Tick(store, *slo_cache, now_ms));
               for (const auto& e : r.errors) LogWarn("slo-evaluate: " + e);
               // Firing SLO alerts page through the service's escalation policy.
               PLINTH_RETURN_IF_ERROR(server::PageSloAlerts(store, now_ms));
               return {};
             });
  // Cost: anomalies over the last 30 days and budget thresholds, after imports land.
  jobs.Every(std::chrono::minutes(15), "cost-anomalies",
             [&store, cost_data](int64_t now_ms) -> Status {
               PLINTH_RETURN_IF_ERROR(finops::CleanAbandonedImports(store, SystemClock()));
               PLINTH_RETURN_IF_ERROR(finops::ScanAnomalies(store, *cost_data, now_ms / 1000));
               return {};
             });
  jobs.Every(std::chrono::minutes(15), "cost-budgets",
             [&store, cost_data, &sender](int64_t now_ms) -> Status {
               PLINTH_RETURN_IF_ERROR(server::RunBudgetAlerts(store, *cost_data, sender, now_ms));
               return {};
             });
}

// The paging runtime as the environment configures it: PLINTH_PUBLIC_URL (links in
// notifications; default the listening address), PLINTH_EVENTS_PER_KEY_PER_SECOND (default
// 100; 0 turns the limit off), and the channels' PLINTH_SMTP_* and PLINTH_TWILIO_* settings.
Result<server::PagingSetup> PagingFromEnv(store::Store& store, const std::string& host,
                                          int port) {
  PLINTH_ASSIGN_OR_RETURN(auto settings, notify::SettingsFromEnv());
  paging::RuntimeOptions options;
  const char* url = std::getenv("PLINTH_PUBLIC_URL");
  options.public_url = url && *url ? url : "http://" + host + ":" + std::to_string(port);
  while (!options.public_url.empty() && options.public_url.back() == '/') {
    options.public_url.pop_back();
  }
  server::PagingSetup setup;
  if (const char* rate = std::getenv("PLINTH_EVENTS_PER_KEY_PER_SECOND")) {
    char* end = nullptr;
    setup.events_per_key_per_second = std::strtod(rate, &end);
    if (end == rate || *end || setup.events_per_key_per_second < 0) {
      return Error::Invalid("PLINTH_EVENTS_PER_KEY_PER_SECOND: expected a number >= 0 (got \"" +
                            std::string(rate) + "\")");
    }
  }
  setup.runtime = std::make_shared<paging::Runtime>(
      store, SystemClock(), notify::NewSender(std::move(settings)), std::move(options));
  return setup;
}

Status Serve(store::Store& store, const server::ServerOptions& options,
             const std::function<void(int port)>& on_ready) {
  // Blocked before any thread starts, so every thread inherits the mask and only the waiter
  // below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  server::Server server(store, SystemClock(), options);
  PLINTH_ASSIGN_OR_RETURN(int port, server.Bind());
  auto slo_cache = std::make_shared<reliability::SeriesCache>();
  PLINTH_ASSIGN_OR_RETURN(auto paging, PagingFromEnv(store, options.host, port));
  auto cost_data = std::make_shared<finops::CostData>(store);
  server::AddAllRoutes(server, store, slo_cache, paging, cost_data);
  paging.runtime->Start();

  server::JobRunner jobs(SystemClock());
  PLINTH_ASSIGN_OR_RETURN(auto notify_settings, notify::SettingsFromEnv());
  auto cost_sender = notify::NewSender(std::move(notify_settings));
  AddJobs(jobs, store, slo_cache, cost_data, *cost_sender);

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGINT || sig == SIGTERM) {
      LogInfo("stopping on signal " + std::to_string(sig));
      server.Stop();
    }
  });

  LogInfo("serving " + store.Describe() + " on http://" + options.host + ":" +
          std::to_string(port));
  if (on_ready) on_ready(port);
  jobs.Start();
  server.Run();
  jobs.Stop();
  paging.runtime->Stop();
  // Wake the waiter if the server stopped for another reason.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return {};
}

Status RunServe(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(auto options, ServerOptionsFromFlags(flags));
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  return Serve(*store, options, [&](int port) {
    std::printf("plinth listening on http://%s:%d\n", options.host.c_str(), port);
    std::fflush(stdout);
  });
}

}  // namespace plinth::cli
