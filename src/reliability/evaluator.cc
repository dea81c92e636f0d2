#include "reliability/evaluator.h"

#include <cstdio>
#include <map>

#include "base/crypto.h"
#include "base/time.h"
#include "slo/burn.h"
#include "slo/window.h"

namespace plinth::reliability {

namespace {

std::string Fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string Detail(const slo::ActiveCondition& a, const std::optional<std::string>& pull_error) {
  switch (a.kind) {
    case slo::ConditionKind::kBudgetExhausted:
      return "error budget exhausted (remaining " + Fixed(a.remaining_ratio * 100) + "%)";
    case slo::ConditionKind::kNoData:
      return pull_error ? "no data: " + *pull_error : "no data";
    default:
      return "burn rate " + Fixed(a.long_burn) + " over " +
             slo::FormatMinutes(a.rule.long_minutes) + " and " + Fixed(a.short_burn) + " over " +
             slo::FormatMinutes(a.rule.short_minutes) + " (threshold " + Fixed(a.factor) + ")";
  }
}

}  // namespace

Status TickOne(store::Store& store, SeriesCache& cache, const Slo& slo, int64_t now_ms,
               TickResult* result) {
  int64_t at = now_ms - now_ms % slo::kMinuteMs;
  struct Eval {
    std::vector<slo::ActiveCondition> active;
    std::optional<std::string> pull_error;
  };
  PLINTH_ASSIGN_OR_RETURN(auto eval, store.Read([&](store::Tx& tx) -> Result<Eval> {
    PLINTH_ASSIGN_OR_RETURN(auto series, cache.Get(tx, slo));
    Eval e;
    PLINTH_ASSIGN_OR_RETURN(e.active,
                            slo::EvaluateAlerts(slo.def.params, slo.def.alerting, *series, at));
    PLINTH_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT last_error FROM slo_pull_state WHERE slo = ?", {slo.def.name}));
    if (row && !row->IsNull(0) && !row->Text(0).empty()) e.pull_error = row->Text(0);
    return e;
  }));
  std::map<std::string, const slo::ActiveCondition*> active;
  for (const auto& a : eval.active) active[slo::ConditionName(a.kind)] = &a;

  struct Changes {
    int64_t opened = 0, closed = 0;
  };
  PLINTH_ASSIGN_OR_RETURN(auto changes, store.Write([&](store::Tx& tx) -> Result<Changes> {
    Changes c;
    PLINTH_ASSIGN_OR_RETURN(
        auto open, tx.Query("SELECT id, condition, start_ms FROM slo_alerts "
                            "WHERE slo = ? AND end_ms IS NULL",
                            {slo.def.name}));
    std::map<std::string, bool> is_open;
    for (const auto& r : open) {
      std::string condition = r.Text(1);
      is_open[condition] = true;
      // A tick for an earlier minute than the row's start (a late replica) changes nothing.
      if (!active.count(condition) && at >= r.Int(2)) {
        PLINTH_ASSIGN_OR_RETURN(
            int64_t n, tx.Exec("UPDATE slo_alerts SET end_ms = ? WHERE id = ? AND end_ms IS NULL",
                               {std::max(at, r.Int(2)), r.Text(0)}));
        c.closed += n;
      }
    }
    for (const auto& [condition, a] : active) {
      if (is_open.count(condition)) continue;
      PLINTH_ASSIGN_OR_RETURN(
          int64_t n,
          tx.Exec("INSERT INTO slo_alerts (id, slo, condition, severity, start_ms, end_ms, detail) "
                  "VALUES (?, ?, ?, ?, ?, NULL, ?) ON CONFLICT DO NOTHING",
                  {"sla_" + RandomHex(8), slo.def.name, condition, slo::SeverityName(a->severity),
                   at, Detail(*a, eval.pull_error)}));
      c.opened += n;
    }
    return c;
  }));
  result->slos++;
  result->opened += changes.opened;
  result->closed += changes.closed;
  return {};
}

Result<TickResult> Tick(store::Store& store, SeriesCache& cache, int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(auto slos, store.Read([](store::Tx& tx) { return LoadSlos(tx); }));
  TickResult result;
  for (const auto& s : slos) {
    if (auto st = TickOne(store, cache, s, now_ms, &result); !st.ok()) {
      result.errors.push_back(s.def.name + ": " + st.error().ToString());
    }
  }
  return result;
}

Result<std::vector<AlertRecord>> ListAlerts(store::Tx& tx, std::string_view slo, int64_t from_ms,
                                            int64_t to_ms) {
  PLINTH_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT id, condition, severity, start_ms, end_ms, detail FROM slo_alerts "
                          "WHERE slo = ? AND start_ms < ? AND (end_ms IS NULL OR end_ms > ?) "
                          "ORDER BY start_ms DESC, id DESC",
                          {slo, to_ms, from_ms}));
  std::vector<AlertRecord> out;
  for (const auto& r : rows) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.OptInt(4), r.Text(5)});
  }
  return out;
}

Result<std::vector<std::pair<std::string, AlertRecord>>> FiringAlerts(store::Tx& tx) {
  PLINTH_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT slo, id, condition, severity, start_ms, detail FROM slo_alerts "
                          "WHERE end_ms IS NULL ORDER BY start_ms, id"));
  std::vector<std::pair<std::string, AlertRecord>> out;
  for (const auto& r : rows) {
    out.push_back({r.Text(0), {r.Text(1), r.Text(2), r.Text(3), r.Int(4), std::nullopt,
                               r.Text(5)}});
  }
  return out;
}

Json AlertJson(const AlertRecord& a) {
  return {{"id", a.id},
          {"condition", a.condition},
          {"severity", a.severity},
          {"start", FormatRfc3339(a.start_ms)},
          {"end", a.end_ms ? Json(FormatRfc3339(*a.end_ms)) : Json(nullptr)},
          {"detail", a.detail}};
}

}  // namespace plinth::reliability
