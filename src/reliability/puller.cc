#include "reliability/puller.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>

#include "base/log.h"
#include "catalog/repository.h"
#include "reliability/slos.h"
#include "slo/definition.h"
#include "slo/window.h"

namespace plinth::reliability {

namespace {

constexpr int64_t kMinuteMs = 60000;
constexpr int64_t kMaxPoints = 11000;

// An SLO that is pulled, with where from.
struct Target {
  slo::SloDefinition def;
  std::string url;               // empty when the DataSource is not usable (see problem)
  int64_t interval_minutes = 1;  // the DataSource's pull interval
  std::string problem;           // why it cannot be pulled, recorded as its last_error
};

bool Pulled(const slo::SloDefinition& d) {
  return d.indicator.kind != slo::Indicator::kPushed && !d.data_source.empty();
}

Result<Target> TargetOf(store::Tx& tx, const Json& slo_doc) {
  Target t;
  t.def = slo::FromDocument(slo_doc);
  auto ds = catalog::Get(tx, "DataSource", t.def.data_source);
  if (!ds.ok()) {
    if (ds.error().code != ErrorCode::kNotFound) return std::move(ds).error();
    t.problem = "data source \"" + t.def.data_source + "\" does not exist";
    return t;
  }
  const Json& spec = ds->doc.at("spec");
  std::string type = spec.value("type", "");
  if (type != "prometheus") {
    t.problem =
        "data source \"" + t.def.data_source + "\" is of type \"" + type + "\", not prometheus";
    return t;
  }
  t.url = spec.value("url", "");
  if (auto m = slo::ParseMinutes(spec.value("interval", "1m")); m.ok() && *m > 0) {
    t.interval_minutes = *m;
  }
  return t;
}

Status SaveState(store::Tx& tx, std::string_view slo, const PullState& s) {
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO slo_pull_state (slo, pulled_until, last_error, last_attempt_ms) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (slo) DO UPDATE SET pulled_until = excluded.pulled_until, "
      "last_error = excluded.last_error, last_attempt_ms = excluded.last_attempt_ms",
      {slo, s.pulled_until, s.last_error, s.last_attempt_ms}));
  return {};
}

// rate over 1m * 60, rounded to 6 decimals; nullopt for NaN and infinities.
std::optional<double> PerMinute(double rate) {
  if (!std::isfinite(rate)) return std::nullopt;
  double v = std::round(rate * 60 * 1e6) / 1e6;
  return v < 0 ? 0 : v;
}

// Samples at (m + 1) * 60 s -> minute m.
std::map<int64_t, double> ByMinute(const std::vector<PromSample>& samples) {
  std::map<int64_t, double> out;
  for (const auto& s : samples) out[slo::FloorDiv(s.time_s, 60) - 1] = s.value;
  return out;
}

std::vector<slo::MinutePoint> Points(const std::vector<PromSample>& total,
                                     const std::vector<PromSample>& errors) {
  std::map<int64_t, double> err = ByMinute(errors);
  std::vector<slo::MinutePoint> out;
  for (const auto& [minute, rate] : ByMinute(total)) {
    auto t = PerMinute(rate);
    if (!t) continue;
    double e = 0;
    if (auto it = err.find(minute); it != err.end()) {
      auto v = PerMinute(it->second);
      if (!v) continue;  // the error count is unknown: no data
      e = std::min(*v, *t);
    }
    out.push_back({minute, *t - e, *t});
  }
  return out;
}

// Pulls `t` at now_ms, records the outcome in slo_pull_state.
Result<PullResult> Pull(store::Store& store, const Target& t, int64_t now_ms,
                        const PullOptions& options) {
  const std::string& name = t.def.name;
  PullResult r;
  r.slo = name;
  r.data_source = t.def.data_source;
  r.url = t.url;
  PLINTH_ASSIGN_OR_RETURN(auto state,
                          store.Read([&](store::Tx& tx) { return LoadPullState(tx, name); }));
  r.to_minute = slo::FloorDiv(now_ms, kMinuteMs);  // the minute in progress is not complete
  r.from_minute =
      state ? std::min(state->pulled_until - std::max<int64_t>(options.overlap_minutes, 0),
                       r.to_minute)
            : r.to_minute - options.first_pull_minutes;
  PullState s{state ? state->pulled_until : r.from_minute, std::nullopt, now_ms};

  auto fail = [&](const std::string& reason) -> Result<PullResult> {
    s.last_error = reason;
    PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) { return SaveState(tx, name, s); }));
    r.error = *s.last_error;
    r.pulled_until = s.pulled_until;
    return r;
  };
  if (!t.problem.empty()) return fail(t.problem);

  std::unique_ptr<PrometheusApi> api;
  if (options.connect) {
    auto made = options.connect(t.url);
    if (!made.ok()) return fail(made.error().message);
    api = std::move(made).value();
  } else {
    auto made = HttpPrometheus::Create(t.url, options.timeout);
    if (!made.ok()) return fail(made.error().message);
    api = std::move(made).value();
  }
  const std::string total_query = ExpandWindow(t.def.indicator.TotalQuery(), "1m");
  const std::string error_query = ExpandWindow(t.def.indicator.ErrorQuery(), "1m");
  const int64_t chunk = std::clamp<int64_t>(options.chunk_minutes, 1, kMaxPoints);

  for (int64_t from = r.from_minute; from < r.to_minute; from += chunk) {
    int64_t to = std::min(from + chunk, r.to_minute);
    // Evaluations at the end of each minute: (from + 1) * 60 .. to * 60.
    auto total = api->QueryRange(total_query, (from + 1) * 60, to * 60, 60);
    if (!total.ok()) return fail(total.error().message);
    auto errors = api->QueryRange(error_query, (from + 1) * 60, to * 60, 60);
    if (!errors.ok()) return fail(errors.error().message);
    std::vector<slo::MinutePoint> points = Points(*total, *errors);
    s.pulled_until = std::max(s.pulled_until, to);
    PLINTH_ASSIGN_OR_RETURN(
        WriteResult written, store.Write([&](store::Tx& tx) -> Result<WriteResult> {
          PLINTH_ASSIGN_OR_RETURN(WriteResult w, WriteMinutes(tx, name, points));
          PLINTH_RETURN_IF_ERROR(SaveState(tx, name, s));
          return w;
        }));
    if (options.on_written) options.on_written(name, points, written.version);
    r.minutes_written += written.written;
  }
  // Nothing to pull (called twice in one minute) still counts as a successful attempt.
  PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) { return SaveState(tx, name, s); }));
  r.pulled_until = s.pulled_until;
  return r;
}

}  // namespace

int64_t PullReport::failed() const {
  return std::count_if(slos.begin(), slos.end(),
                       [](const PullResult& r) { return !r.error.empty(); });
}

std::string ExpandWindow(std::string_view query, std::string_view window) {
  static const std::regex kPlaceholder(R"(\{\{\s*\.window\s*\}\})");
  return std::regex_replace(std::string(query), kPlaceholder, std::string(window));
}

Result<std::optional<PullState>> LoadPullState(store::Tx& tx, std::string_view slo) {
  PLINTH_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT pulled_until, last_error, last_attempt_ms "
                                                "FROM slo_pull_state WHERE slo = ?",
                                                {slo}));
  if (!row) return std::optional<PullState>();
  return std::optional<PullState>(PullState{row->Int(0), row->OptText(1), row->Int(2)});
}

Result<PullReport> PullAll(store::Store& store, int64_t now_ms, const PullOptions& options) {
  struct Due {
    Target target;
    bool due = true;
  };
  PLINTH_ASSIGN_OR_RETURN(auto targets, store.Read([&](store::Tx& tx) -> Result<std::vector<Due>> {
    PLINTH_ASSIGN_OR_RETURN(auto slos, catalog::All(tx, "SLO"));
    std::vector<Due> out;
    for (const auto& e : slos) {
      if (!Pulled(slo::FromDocument(e.doc))) continue;
      PLINTH_ASSIGN_OR_RETURN(Target t, TargetOf(tx, e.doc));
      PLINTH_ASSIGN_OR_RETURN(auto state, LoadPullState(tx, t.def.name));
      bool due = options.force || !state ||
                 slo::FloorDiv(now_ms, kMinuteMs) >=
                     slo::FloorDiv(state->last_attempt_ms, kMinuteMs) + t.interval_minutes;
      out.push_back({std::move(t), due});
    }
    return out;
  }));
  PullReport report;
  for (const auto& d : targets) {
    if (!d.due) {
      PullResult skipped;
      skipped.slo = d.target.def.name;
      skipped.data_source = d.target.def.data_source;
      skipped.url = d.target.url;
      skipped.skipped = true;
      report.slos.push_back(std::move(skipped));
      continue;
    }
    PLINTH_ASSIGN_OR_RETURN(PullResult r, Pull(store, d.target, now_ms, options));
    report.slos.push_back(std::move(r));
  }
  return report;
}

Status PullJob(store::Store& store, SeriesCache& cache, int64_t now_ms) {
  PullOptions options;
  options.on_written = [&cache](std::string_view slo, const std::vector<slo::MinutePoint>& points,
                                int64_t version) { cache.Apply(slo, points, version); };
  PLINTH_ASSIGN_OR_RETURN(auto report, PullAll(store, now_ms, options));
  for (const auto& r : report.slos) {
    if (!r.error.empty()) LogWarn("slo-pull: " + r.slo + ": " + r.error);
  }
  return {};
}

Result<PullResult> PullOne(store::Store& store, std::string_view slo, int64_t now_ms,
                           const PullOptions& options) {
  PLINTH_ASSIGN_OR_RETURN(Target t, store.Read([&](store::Tx& tx) -> Result<Target> {
    PLINTH_ASSIGN_OR_RETURN(auto e, catalog::Get(tx, "SLO", slo));
    slo::SloDefinition def = slo::FromDocument(e.doc);
    if (!Pulled(def)) {
      return Error::Invalid("SLO \"" + std::string(slo) +
                            "\" is not pulled from Prometheus: its indicator is pushed");
    }
    return TargetOf(tx, e.doc);
  }));
  return Pull(store, t, now_ms, options);
}

}  // namespace plinth::reliability
