#pragma once
// Pulls the SLI data of Prometheus-backed SLOs (indicator ratio or latency, dataSource a
// DataSource of type prometheus) into the per-minute store (sli_store.h).
//
// For each such SLO the minutes from slo_pull_state.pulled_until (the first time:
// PullOptions::first_pull_minutes back) up to the last complete minute are asked for with
// GET /api/v1/query_range, step 60s, in chunks of at most chunk_minutes points (Prometheus
// allows 11,000 per series per query), once for the indicator's TotalQuery() and once for its
// ErrorQuery(), with {{.window}} replaced by 1m. A rate over 1m evaluated at the end of minute m
// ((m + 1) * 60 s) times 60 is the increase of the counters during minute m: exact for counters
// scraped at least every 30 s whose rate is constant within a minute, otherwise Prometheus's
// usual extrapolation. Counts are rounded to 6 decimals, which removes the floating-point noise
// of rate() * 60 (999.9999999998 reads as 1000).
//
// Per minute: total NaN, infinite or absent -> no data (no row, which is not the same as zero
// events); errors absent -> 0 (a selector such as code=~"5.." matches no series until the first
// error); errors NaN -> no data; errors are clamped to [0, total]; good = total - errors.
//
// Each chunk is written with WriteMinutes (slos.h: UpsertMinutes and a bump of the SLO's data
// version, so every series cache sees the change) and advances pulled_until in the same
// transaction, so pulled_until only moves once the minutes are stored, and since a minute written
// again is replaced, nothing is counted twice. Each pull also re-reads the last overlap_minutes
// before pulled_until, so a scrape that reached Prometheus late is counted on the next pull. A
// failure keeps pulled_until and records the reason as last_error ("Prometheus at http://…: cannot
// connect …"; the SLO then shows "no data: <reason>"), so the next pull catches up on everything
// since; a successful pull clears it.
//
// Thread-safety: the functions are thread-safe (all state is in the store); pulling the same SLO
// from two threads at once is harmless (upserts) but wasteful.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "reliability/prometheus.h"
#include "slo/series.h"
#include "store/store.h"

namespace plinth::reliability {

class SeriesCache;  // slos.h

struct PullOptions {
  // How far back the first pull of an SLO reaches (30 days).
  int64_t first_pull_minutes = 30 * 1440;
  // Minutes before pulled_until read again on every pull (late scrapes). >= 0.
  int64_t overlap_minutes = 5;
  // Points per query. 1..11000.
  int64_t chunk_minutes = 10000;
  // Pull every SLO now, even when its DataSource's interval has not passed since the last pull.
  bool force = false;
  // Connection, read and write timeout of each query.
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
  // Makes the client for a DataSource's URL. Unset: HttpPrometheus::Create(url, timeout).
  std::function<Result<std::unique_ptr<PrometheusApi>>(std::string_view url)> connect;
  // Called after each committed write (the server passes SeriesCache::Apply). May be unset.
  std::function<void(std::string_view slo, const std::vector<slo::MinutePoint>& points,
                     int64_t version)>
      on_written;
};

// What one pull of one SLO did.
struct PullResult {
  std::string slo;
  std::string data_source;
  std::string url;
  bool skipped = false;     // not due: its DataSource's interval has not passed
  int64_t from_minute = 0;  // the minutes asked for: [from_minute, to_minute)
  int64_t to_minute = 0;
  int64_t pulled_until = 0;  // slo_pull_state.pulled_until afterwards
  int64_t minutes_written = 0;
  std::string error;  // the reason recorded as last_error; empty when the pull succeeded
};

struct PullReport {
  std::vector<PullResult> slos;  // every Prometheus-backed SLO, by name

  int64_t failed() const;
};

// The state of one SLO's pull (table slo_pull_state).
struct PullState {
  int64_t pulled_until = 0;               // every minute before this one has been pulled
  std::optional<std::string> last_error;  // set while the last pull failed
  int64_t last_attempt_ms = 0;
};

// Pulls every Prometheus-backed SLO that is due (its DataSource's interval, default 1m, has
// passed since its last attempt, counted in whole minutes) at now_ms. Prometheus failures are
// recorded per SLO and listed in the report; only a store failure is an error.
Result<PullReport> PullAll(store::Store& store, int64_t now_ms, const PullOptions& options);

// Pulls one SLO now, due or not. kNotFound for an unknown SLO; kInvalid when its indicator is
// pushed. A failure to pull (Prometheus down, a DataSource of another type) is recorded and
// returned in PullResult::error, not as an error.
Result<PullResult> PullOne(store::Store& store, std::string_view slo, int64_t now_ms,
                           const PullOptions& options);

// The server's periodic job: PullAll with default options, each written chunk merged into
// `cache` (SeriesCache::Apply), each SLO that failed logged as a warning. Only a store failure
// is an error.
Status PullJob(store::Store& store, SeriesCache& cache, int64_t now_ms);

// The pull state of `slo`; nullopt when it was never pulled.
Result<std::optional<PullState>> LoadPullState(store::Tx& tx, std::string_view slo);

// The query for one minute's rate: `query` with every {{.window}} (spaces allowed inside the
// braces, as Sloth accepts) replaced by `window`.
std::string ExpandWindow(std::string_view query, std::string_view window);

}  // namespace plinth::reliability
