#pragma once
// Alerts on an SLO's error budget, pure: the SRE Workbook's multiwindow, multi-burn-rate rules
// (ch. 5 "Alerting on SLOs") with Sloth's AlertWindows, a low-traffic guard, an exhausted
// budget and missing data; evaluated at an instant or minute by minute over a range.
//
// A burn-rate rule fires while the error ratio exceeds factor * (1 - objective) over both its
// long and its short window (strictly, as Sloth's `>`), where
//   factor = error_budget_percent / 100 * period / long window   (Sloth's AlertWindows),
// i.e. the rule fires once the long window has spent that share of the whole period's budget.
// For a 30-day period: page at 14.4 over 1h and 5m, 6 over 6h and 30m; ticket at 3 over 1d
// and 2h, 1 over 3d and 6h. Error ratios are in the SLO's budgeting method (budget.h).
//
// Conditions are evaluated at minute boundaries: at T the windows end at T (exclusive), so the
// minute in progress is never read, and the state found holds for the minute [T, T + 1m).

#include <cstdint>
#include <optional>
#include <vector>

#include "base/result.h"
#include "slo/budget.h"
#include "slo/series.h"

namespace plinth::slo {

enum class Severity { kPage, kTicket };
const char* SeverityName(Severity severity);  // "page", "ticket"

// One multiwindow rule of an AlertWindows catalog.
struct BurnWindow {
  double error_budget_percent = 2;  // share of the period's budget spent over long_minutes
  int64_t short_minutes = 5;        // 1 <= short_minutes <= long_minutes
  int64_t long_minutes = 60;

  bool operator==(const BurnWindow&) const = default;
};

// Sloth's AlertWindows (sloth.slok.dev/v1): the four rules for one SLO period.
struct AlertWindows {
  int64_t period_minutes = 30 * kMinutesPerDay;
  BurnWindow page_quick{2, 5, 60};
  BurnWindow page_slow{5, 30, 360};
  BurnWindow ticket_quick{10, 120, 1440};
  BurnWindow ticket_slow{10, 360, 4320};

  // error_budget_percent / 100 * period / long window, computed as Sloth does.
  double Factor(const BurnWindow& w) const;

  bool operator==(const AlertWindows&) const = default;
};

// The windows for an SLO period of `period_minutes`: Sloth's built-in catalog for 30d
// (google-30d) and 28d (google-28d: the same windows, so factors 13.44/5.6/2.8/0.93). Any other
// period scales every window of the 30-day catalog by period/30d, rounded half up to whole
// minutes (at least 1m), and keeps the shares 2/5/10/10%, so the factors stay near 14.4/6/3/1:
// a 90-day quarter pages at 14.4 over 3h and 15m, a 7-day window over 14m and 1m, a 1-day one
// over 2m and 1m. The same rule as the Prometheus rules (rules.h ScaledWindows), so the alert
// history agrees with what Prometheus fires. A Sloth windows file (e.g. its 7d example: shares
// 8/12.5/20/42% over the 30d windows) goes in AlertPolicy::windows.
AlertWindows DefaultAlertWindows(int64_t period_minutes);

struct AlertPolicy {
  // Absent: DefaultAlertWindows(NominalMinutes(slo.window)) (a calendar month counts 30d).
  std::optional<AlertWindows> windows;
  // Low-traffic guard: a burn-rate rule fires only with at least this many events in its long
  // window. 0 turns the guard off.
  double min_long_window_events = 0;
  // The no-data condition: no minute with data in the last no_data_minutes. 0 turns it off.
  int64_t no_data_minutes = 10;
  bool budget_exhausted = true;  // report the budget-exhausted condition
};

// Checks the policy; field errors name "/windows/page_quick/long_minutes" and so on.
Status ValidatePolicy(const AlertPolicy& policy);

enum class ConditionKind {
  kPageQuick,
  kPageSlow,
  kTicketQuick,
  kTicketSlow,
  kBudgetExhausted,  // remaining_ratio <= 0 (ticket)
  kNoData,           // no data for no_data_minutes (ticket)
};
// "page-quick", "page-slow", "ticket-quick", "ticket-slow", "budget-exhausted", "no-data".
const char* ConditionName(ConditionKind kind);
Severity SeverityOf(ConditionKind kind);

// A condition active at an instant.
struct ActiveCondition {
  ConditionKind kind = ConditionKind::kPageQuick;
  Severity severity = Severity::kPage;
  // Burn-rate kinds: the rule and what was measured.
  BurnWindow rule;
  double factor = 0;
  double long_burn = 0;
  double short_burn = 0;
  double long_events = 0;  // events in the long window
  // kBudgetExhausted: the remaining ratio (<= 0).
  double remaining_ratio = 0;
};

// Every active condition at `at_ms`, in ConditionKind order. kInvalid when the SLO or the
// policy is invalid.
Result<std::vector<ActiveCondition>> EvaluateAlerts(const SloParams& slo, const AlertPolicy& policy,
                                                    const MinuteSeries& series, int64_t at_ms);

// One stretch [start_ms, end_ms) during which a condition was active.
struct AlertInterval {
  ConditionKind kind = ConditionKind::kPageQuick;
  Severity severity = Severity::kPage;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  bool ongoing = false;  // still active at the end of the range
  double peak_burn = 0;  // burn-rate kinds: the highest long-window burn rate seen
};

// The alert history over [from_ms, to_ms): the conditions evaluated at every minute boundary
// T (the state at T holding for [T, T + 1m)), merged into intervals clipped to the range,
// sorted by start then kind. O(minutes in range) with O(1) work per minute; for recomputation
// after a backfill, rebuild the series and call again. kInvalid for an invalid SLO or policy
// or a range over 400 days.
Result<std::vector<AlertInterval>> AlertHistory(const SloParams& slo, const AlertPolicy& policy,
                                                const MinuteSeries& series, int64_t from_ms,
                                                int64_t to_ms);

}  // namespace plinth::slo
