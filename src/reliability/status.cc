#include "reliability/status.h"

#include <cmath>

#include "base/time.h"

namespace plinth::reliability {

namespace {

Json Num(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

std::string PolicyStatus(const SloStatus& s) {
  if (s.budget.exhausted()) return "exhausted";
  for (const auto& a : s.alerts) {
    if (a.severity == slo::Severity::kPage) return "at risk";
  }
  if (s.budget.minutes_to_exhaustion) {
    const auto& w = s.budget.window;
    int64_t left = s.slo.def.params.window.rolling() ? w.length_minutes()
                                                     : w.period_end_minute - w.end_minute;
    // Rounding noise of an exact tie (burn rate equal to the even spend) is not a risk.
    if (*s.budget.minutes_to_exhaustion < static_cast<double>(left) * (1 - 1e-9)) return "at risk";
  }
  return "ok";
}

}  // namespace

const std::vector<std::pair<std::string, int64_t>>& BurnRateWindows() {
  static const std::vector<std::pair<std::string, int64_t>> kWindows = {
      {"5m", 5}, {"30m", 30}, {"1h", 60}, {"2h", 120}, {"6h", 360}, {"1d", 1440}, {"3d", 4320}};
  return kWindows;
}

Result<SloStatus> StatusOf(store::Tx& tx, SeriesCache& cache, const Slo& slo, int64_t at_ms) {
  SloStatus s;
  s.slo = slo;
  s.at_ms = at_ms;
  PLINTH_ASSIGN_OR_RETURN(auto series, cache.Get(tx, slo));
  const auto& params = slo.def.params;
  PLINTH_ASSIGN_OR_RETURN(s.budget, slo::Evaluate(params, *series, at_ms));
  int64_t end = s.budget.window.end_minute;
  for (const auto& [label, minutes] : BurnRateWindows()) {
    s.burn_rates.emplace_back(label, slo::BurnRate(params, *series, end - minutes, end));
  }
  PLINTH_ASSIGN_OR_RETURN(s.alerts, slo::EvaluateAlerts(params, slo.def.alerting, *series, at_ms));
  PLINTH_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT last_error FROM slo_pull_state WHERE slo = ?", {slo.def.name}));
  if (row && !row->IsNull(0) && !row->Text(0).empty()) s.pull_error = row->Text(0);
  s.policy_status = PolicyStatus(s);
  return s;
}

Json WindowJson(const slo::TimeWindow& window, const slo::WindowBounds& bounds) {
  return {{"description", slo::Describe(window)},
          {"start", FormatRfc3339(bounds.start_minute * slo::kMinuteMs)},
          {"end", FormatRfc3339(bounds.period_end_minute * slo::kMinuteMs)},
          {"length_minutes", bounds.length_minutes()}};
}

Json StatusJson(const SloStatus& s, bool burn_rates) {
  const auto& d = s.slo.def;
  const auto& b = s.budget;
  Json alerts = Json::array();
  for (const auto& a : s.alerts) {
    bool burn = a.kind != slo::ConditionKind::kBudgetExhausted &&
                a.kind != slo::ConditionKind::kNoData;
    alerts.push_back({{"condition", slo::ConditionName(a.kind)},
                      {"severity", slo::SeverityName(a.severity)},
                      {"long_burn", burn ? Json(a.long_burn) : Json(nullptr)},
                      {"short_burn", burn ? Json(a.short_burn) : Json(nullptr)},
                      {"factor", burn ? Json(a.factor) : Json(nullptr)}});
  }
  std::optional<std::string> reason = s.pull_error;
  if (!reason && b.no_data) reason = "no data in the window";
  Json out = {
      {"slo", d.name},
      {"title", d.title.empty() ? d.name : d.title},
      {"service", d.service},
      {"team", s.slo.team.empty() ? Json(nullptr) : Json(s.slo.team)},
      {"tier", s.slo.tier ? Json(*s.slo.tier) : Json(nullptr)},
      {"objective", d.params.objective},
      {"method", slo::MethodName(d.params.method)},
      {"window", WindowJson(d.params.window, b.window)},
      {"events", {{"good", b.events.good}, {"total", b.events.total}, {"bad", b.events.bad}}},
      {"attainment", Num(b.attainment)},
      {"budget",
       {{"total", b.budget_total},
        {"consumed", b.budget_consumed},
        {"remaining_ratio", Num(b.remaining_ratio)}}},
      {"minutes_to_exhaustion", Num(b.minutes_to_exhaustion)},
      {"no_data", s.no_data()},
      {"no_data_reason", reason ? Json(*reason) : Json(nullptr)},
      {"alerts", std::move(alerts)},
      {"policy", d.policy.empty() ? Json(nullptr) : Json(d.policy)},
      {"policy_status", s.policy_status}};
  if (burn_rates) {
    Json rates = Json::array();
    for (const auto& [label, rate] : s.burn_rates) {
      rates.push_back({{"window", label}, {"burn_rate", Num(rate)}});
    }
    out["burn_rates"] = std::move(rates);
  }
  return out;
}

Result<Json> BurndownJson(store::Tx& tx, SeriesCache& cache, const Slo& slo, int64_t at_ms) {
  PLINTH_ASSIGN_OR_RETURN(auto series, cache.Get(tx, slo));
  const auto& params = slo.def.params;
  PLINTH_RETURN_IF_ERROR(slo::Validate(params));
  slo::WindowBounds bounds = slo::BoundsAt(params.window, at_ms);
  int64_t step = bounds.length_minutes() <= 2 * slo::kMinutesPerDay ? 10 : 60;
  Json points = Json::array();
  // Calendar windows: the period so far, as it filled up. Rolling: the window that ended at
  // each point in the last window's length.
  for (int64_t m = bounds.start_minute + step;; m += step) {
    int64_t t = std::min(m, bounds.end_minute);
    slo::BudgetStatus b =
        params.window.rolling()
            ? *slo::Evaluate(params, *series, t * slo::kMinuteMs)
            : slo::EvaluateIn(params, *series, {bounds.start_minute, t, bounds.period_end_minute});
    points.push_back({{"time", FormatRfc3339(t * slo::kMinuteMs)},
                      {"remaining_ratio", Num(b.remaining_ratio)},
                      {"attainment", Num(b.attainment)}});
    if (t >= bounds.end_minute) break;
  }
  return Json{{"slo", slo.def.name},
              {"window", WindowJson(params.window, bounds)},
              {"points", std::move(points)}};
}

}  // namespace plinth::reliability
