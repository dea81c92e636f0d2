#include "slo/burn.h"

#include <algorithm>
#include <array>
#include <string>

namespace plinth::slo {
namespace {

constexpr int64_t kMaxHistoryMinutes = 400 * kMinutesPerDay;

constexpr std::array<ConditionKind, 4> kBurnKinds = {
    ConditionKind::kPageQuick, ConditionKind::kPageSlow, ConditionKind::kTicketQuick,
    ConditionKind::kTicketSlow};

const BurnWindow& RuleOf(const AlertWindows& w, ConditionKind kind) {
  switch (kind) {
    case ConditionKind::kPageQuick:
      return w.page_quick;
    case ConditionKind::kPageSlow:
      return w.page_slow;
    case ConditionKind::kTicketQuick:
      return w.ticket_quick;
    default:
      return w.ticket_slow;
  }
}

AlertWindows WindowsFor(const SloParams& slo, const AlertPolicy& policy) {
  return policy.windows ? *policy.windows : DefaultAlertWindows(NominalMinutes(slo.window));
}

Status ValidateAll(const SloParams& slo, const AlertPolicy& policy) {
  PLINTH_RETURN_IF_ERROR(Validate(slo));
  return ValidatePolicy(policy);
}

// The conditions active at minute boundary `t` (windows end at t, exclusive), given the budget
// status for that instant.
std::vector<ActiveCondition> ConditionsAt(const SloParams& slo, const AlertPolicy& policy,
                                          const AlertWindows& windows, const MinuteSeries& series,
                                          int64_t t, const BudgetStatus& status) {
  std::vector<ActiveCondition> out;
  const double allowed = 1 - slo.objective;
  for (ConditionKind kind : kBurnKinds) {
    const BurnWindow& rule = RuleOf(windows, kind);
    const double factor = windows.Factor(rule);
    const double threshold = factor * allowed;
    std::optional<double> long_ratio = ErrorRatio(slo, series, t - rule.long_minutes, t);
    if (!long_ratio || !(*long_ratio > threshold)) continue;
    std::optional<double> short_ratio = ErrorRatio(slo, series, t - rule.short_minutes, t);
    if (!short_ratio || !(*short_ratio > threshold)) continue;
    double events = series.Events(t - rule.long_minutes, t).total;
    if (events < policy.min_long_window_events) continue;
    ActiveCondition c;
    c.kind = kind;
    c.severity = SeverityOf(kind);
    c.rule = rule;
    c.factor = factor;
    c.long_burn = *long_ratio / allowed;
    c.short_burn = *short_ratio / allowed;
    c.long_events = events;
    out.push_back(c);
  }
  if (policy.budget_exhausted && status.exhausted()) {
    ActiveCondition c;
    c.kind = ConditionKind::kBudgetExhausted;
    c.severity = SeverityOf(c.kind);
    c.remaining_ratio = *status.remaining_ratio;
    out.push_back(c);
  }
  if (policy.no_data_minutes > 0 && series.DataMinutes(t - policy.no_data_minutes, t) == 0) {
    ActiveCondition c;
    c.kind = ConditionKind::kNoData;
    c.severity = SeverityOf(c.kind);
    out.push_back(c);
  }
  return out;
}

Status ValidateRule(const BurnWindow& w, const std::string& p) {
  if (!(w.error_budget_percent > 0 && w.error_budget_percent <= 100)) {
    return Error::Field(p + "/error_budget_percent", "expected a percentage in (0, 100]");
  }
  if (w.short_minutes < 1 || w.short_minutes > w.long_minutes) {
    return Error::Field(p + "/short_minutes", "expected at least 1m and at most the long window");
  }
  if (w.long_minutes > 400 * kMinutesPerDay) {
    return Error::Field(p + "/long_minutes", "expected at most 400d");
  }
  return {};
}

}  // namespace

const char* SeverityName(Severity severity) {
  return severity == Severity::kPage ? "page" : "ticket";
}

const char* ConditionName(ConditionKind kind) {
  switch (kind) {
    case ConditionKind::kPageQuick:
      return "page-quick";
    case ConditionKind::kPageSlow:
      return "page-slow";
    case ConditionKind::kTicketQuick:
      return "ticket-quick";
    case ConditionKind::kTicketSlow:
      return "ticket-slow";
    case ConditionKind::kBudgetExhausted:
      return "budget-exhausted";
    case ConditionKind::kNoData:
      return "no-data";
  }
  return "?";
}

Severity SeverityOf(ConditionKind kind) {
  return kind == ConditionKind::kPageQuick || kind == ConditionKind::kPageSlow ? Severity::kPage
                                                                               : Severity::kTicket;
}

double AlertWindows::Factor(const BurnWindow& w) const {
  // Sloth's arithmetic (GetBurnRateFactor, on Go's Duration.Hours()), so that the factors
  // equal the ones in its generated rules to the last bit: 5.6000000000000005 for 28 days.
  auto hours = [](int64_t minutes) {
    return static_cast<double>(minutes / 60) + static_cast<double>(minutes % 60 * 60) / 3600;
  };
  return w.error_budget_percent * hours(period_minutes) / 100 / hours(w.long_minutes);
}

AlertWindows DefaultAlertWindows(int64_t period_minutes) {
  AlertWindows w;  // google-30d
  w.period_minutes = period_minutes;
  if (period_minutes == 30 * kMinutesPerDay || period_minutes == 28 * kMinutesPerDay) return w;
  const int64_t base = 30 * kMinutesPerDay;
  auto scale = [&](int64_t m) {
    return std::max<int64_t>(1, (m * period_minutes + base / 2) / base);
  };
  for (BurnWindow* r : {&w.page_quick, &w.page_slow, &w.ticket_quick, &w.ticket_slow}) {
    r->short_minutes = scale(r->short_minutes);
    r->long_minutes = scale(r->long_minutes);
  }
  return w;
}

Status ValidatePolicy(const AlertPolicy& policy) {
  if (policy.windows) {
    const AlertWindows& w = *policy.windows;
    if (w.period_minutes < 1) {
      return Error::Field("/windows/period_minutes", "expected at least 1m");
    }
    PLINTH_RETURN_IF_ERROR(ValidateRule(w.page_quick, "/windows/page_quick"));
    PLINTH_RETURN_IF_ERROR(ValidateRule(w.page_slow, "/windows/page_slow"));
    PLINTH_RETURN_IF_ERROR(ValidateRule(w.ticket_quick, "/windows/ticket_quick"));
    PLINTH_RETURN_IF_ERROR(ValidateRule(w.ticket_slow, "/windows/ticket_slow"));
  }
  if (!(policy.min_long_window_events >= 0)) {
    return Error::Field("/min_long_window_events", "expected a count >= 0");
  }
  if (policy.no_data_minutes < 0 || policy.no_data_minutes > 400 * kMinutesPerDay) {
    return Error::Field("/no_data_minutes", "expected 0 (off) to 400d");
  }
  return {};
}

Result<std::vector<ActiveCondition>> EvaluateAlerts(const SloParams& slo, const AlertPolicy& policy,
                                                    const MinuteSeries& series, int64_t at_ms) {
  PLINTH_RETURN_IF_ERROR(ValidateAll(slo, policy));
  WindowBounds bounds = BoundsAt(slo.window, at_ms);
  BudgetStatus status = EvaluateIn(slo, series, bounds);
  return ConditionsAt(slo, policy, WindowsFor(slo, policy), series, bounds.end_minute, status);
}

Result<std::vector<AlertInterval>> AlertHistory(const SloParams& slo, const AlertPolicy& policy,
                                                const MinuteSeries& series, int64_t from_ms,
                                                int64_t to_ms) {
  PLINTH_RETURN_IF_ERROR(ValidateAll(slo, policy));
  if (to_ms - from_ms > kMaxHistoryMinutes * kMinuteMs) {
    return Error::Invalid("an alert history covers at most 400 days");
  }
  const AlertWindows windows = WindowsFor(slo, policy);
  std::vector<AlertInterval> done;
  std::array<std::optional<AlertInterval>, 6> open;  // by ConditionKind
  // Minute boundaries T whose minute [T, T + 1m) overlaps the range.
  const int64_t first = FloorDiv(from_ms, kMinuteMs);
  const int64_t last = FloorDiv(to_ms - 1, kMinuteMs);  // inclusive
  WindowBounds period{0, 0, 0};
  bool have_period = false;
  for (int64_t t = first; t <= last && from_ms < to_ms; ++t) {
    WindowBounds bounds;
    if (slo.window.rolling()) {
      bounds = {t - slo.window.rolling_minutes, t, t};
    } else {
      if (!have_period || t < period.start_minute || t >= period.period_end_minute) {
        period = BoundsAt(slo.window, t * kMinuteMs);
        have_period = true;
      }
      bounds = {period.start_minute, t, period.period_end_minute};
    }
    BudgetStatus status = EvaluateIn(slo, series, bounds);
    std::array<const ActiveCondition*, 6> now{};
    std::vector<ActiveCondition> active = ConditionsAt(slo, policy, windows, series, t, status);
    for (const ActiveCondition& c : active) now[static_cast<size_t>(c.kind)] = &c;
    const int64_t start = std::max(from_ms, t * kMinuteMs);
    const int64_t end = std::min(to_ms, (t + 1) * kMinuteMs);
    for (size_t k = 0; k < open.size(); ++k) {
      if (now[k] == nullptr) {
        if (open[k]) done.push_back(*open[k]);
        open[k].reset();
        continue;
      }
      if (!open[k]) open[k] = AlertInterval{now[k]->kind, now[k]->severity, start, end, false, 0};
      open[k]->end_ms = end;
      open[k]->peak_burn = std::max(open[k]->peak_burn, now[k]->long_burn);
    }
  }
  for (auto& o : open) {
    if (!o) continue;
    o->ongoing = true;
    done.push_back(*o);
  }
  std::sort(done.begin(), done.end(), [](const AlertInterval& a, const AlertInterval& b) {
    return a.start_ms != b.start_ms ? a.start_ms < b.start_ms : a.kind < b.kind;
  });
  return done;
}

}  // namespace plinth::slo
