#pragma once
// Prometheus rules for SLOs, laid out exactly as Sloth v0.16.0 (`sloth generate`) writes them:
// per SLO the groups sloth-slo-sli-recordings-<id> (slo:sli_error:ratio_rate<window> for every
// alert window and the period), sloth-slo-meta-recordings-<id> (objective, budget, period,
// burn rates, remaining budget, sloth_slo_info) and sloth-slo-alerts-<id> (the page and ticket
// multiwindow multi-burn-rate alerts, factor = errorBudgetPercent / 100 * period / long window).
// Pure: no files, no clock. Reading Sloth's input formats is slo/sloth.h.
//
// One deliberate difference, switched by RuleOptions::exact_period_ratio (on for plinth's own
// SLOs, off for Sloth compatibility): Sloth records the period's error ratio
// slo:sli_error:ratio_rate<period> as the mean of the 5m ratios over the period, so a quiet
// hour weighs as much as a busy one. For event SLIs plinth records the 5m error and total event
// rates (slo:sli_error_events:rate5m, slo:sli_total_events:rate5m) and divides their sums over
// the period: total errors / total events, exact up to the 5m edges, and as cheap as Sloth's.
// Raw (ratio) SLIs have no event counts, so they keep Sloth's mean. The file's header comment
// says which mode wrote it.
//
// Periods: Sloth knows alert windows only for the periods in its catalog (30d and 28d built in;
// a windows file replaces the catalog) and refuses any other period ("the 168h0m0s SLO period
// time window is not supported"), so does GenerateRules with scale_unknown_periods off. With it
// on (plinth's default) a period missing from the catalog scales every window of the 30d
// catalog by period / 30d, rounded half up to whole minutes (at least 1m), keeps the budget
// shares 2/5/10/10% and recomputes the factors from the rounded long windows (so they stay
// near 14.4/6/3/1): a 90d period pages at 14.4 over 3h and 15m, a 7d one over 14m and 1m.
//
// Thread-safety: plain values and pure functions.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace plinth::slo {

inline constexpr int64_t kRuleMinuteMs = 60 * 1000;
inline constexpr int64_t kRuleDayMs = 24 * 60 * kRuleMinuteMs;

// A Prometheus duration ("5m", "1h30m", "4w"; units y w d h m s ms, largest first) -> ms.
// kInvalid for malformed text; "0" is 0.
Result<int64_t> ParsePromDuration(std::string_view text);
// Prometheus' own rendering (model.Duration.String): 28d -> "4w", 24h -> "1d", 90m -> "1h30m".
std::string FormatPromDuration(int64_t ms);

// One multiwindow rule: alert when the error ratio over both windows spends budget faster
// than error_budget_percent of the period's budget per long window.
struct RuleAlertWindow {
  double error_budget_percent = 0;  // > 0
  int64_t short_window_ms = 0;      // > 0
  int64_t long_window_ms = 0;       // > 0
};

// Sloth's AlertWindows (sloth.slok.dev/v1): the four rules for one SLO period.
struct RuleAlertWindows {
  int64_t slo_period_ms = 0;
  RuleAlertWindow page_quick, page_slow, ticket_quick, ticket_slow;
};

// Sloth's built-in catalog: google-30d and google-28d (the same windows; shares 2/5/10/10%).
RuleAlertWindows GoogleWindows30d();
RuleAlertWindows GoogleWindows28d();
// The 30d windows scaled to `period_ms` as described at the top. REQUIRES: period_ms > 0.
RuleAlertWindows ScaledWindows(int64_t period_ms);

// What an alert of one severity adds to the SLO's alerting block.
struct RuleAlertMeta {
  bool disable = false;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

struct RuleAlerting {
  std::string name;  // the alert name of both the page and the ticket alert
  std::map<std::string, std::string> labels;       // on both alerts
  std::map<std::string, std::string> annotations;  // on both; may override title and summary
  RuleAlertMeta page_alert;
  RuleAlertMeta ticket_alert;
};

// Queries contain Sloth's `{{.window}}` placeholder (spaces allowed: `{{ .window }}`).
struct EventsSli {
  std::string error_query;  // bad events per second over the window
  std::string total_query;  // all events per second over the window
};
struct RawSli {
  std::string error_ratio_query;  // the error ratio (0..1) over the window
};

// One SLO as the rule generator sees it.
struct RuleSlo {
  std::string service;
  std::string name;
  std::string id;  // Sloth's sloth_id; empty: service + "-" + name
  std::string description;
  double objective = 0;             // percent, in (0, 100]
  int64_t period_ms = 0;            // 0: RuleOptions::default_period_ms
  std::optional<EventsSli> events;  // exactly one of events and raw
  std::optional<RawSli> raw;
  std::map<std::string, std::string> labels;  // the spec's global labels merged with the SLO's
  RuleAlerting alerting;
  // sloth_slo_info's sloth_spec and sloth_mode: the input format and how it was generated.
  std::string spec = "prometheus/v1";
  std::string mode = "cli-gen-prom";

  std::string Id() const { return id.empty() ? service + "-" + name : id; }
};

// One problem with an SLO. `path` names the field in Sloth's prometheus/v1 spelling, e.g.
// {"objective"}, {"sli", "events", "error_query"}, {"alerting", "page_alert", "labels", "k"};
// {"labels", k} is a label of the merged set; {"sli"} is a missing or doubled SLI.
struct SloProblem {
  std::vector<std::string> path;
  std::string message;
};

// Sloth's checks (validate_v1): names, objective in (0, 100], label keys and values, one SLI
// whose queries hold {{.window}}, distinct error and total queries, an alert name unless both
// alerts are disabled. Empty when valid. The period is not checked here.
std::vector<SloProblem> ValidateRuleSlo(const RuleSlo& slo);

// The metadata of the PrometheusRule written for a PrometheusServiceLevel input.
struct K8sObjectMeta {
  std::string name;
  std::string namespace_;
  std::map<std::string, std::string> labels;  // added to Sloth's app.kubernetes.io/* labels
  std::map<std::string, std::string> annotations;
};

struct RuleOptions {
  // Added to every recording rule's labels, over the SLO's own (Sloth's --extra-labels).
  std::map<std::string, std::string> extra_labels;
  bool disable_recordings = false;  // no SLI and meta recording groups (alerts still use them)
  bool disable_alerts = false;
  // Sloth's version in the header comment and in sloth_slo_info's sloth_version label.
  std::string sloth_version = "v0.16.0";
  // The period of SLOs whose period_ms is 0 (Sloth's --default-slo-period).
  int64_t default_period_ms = 30 * kRuleDayMs;
  // The exact period error ratio described at the top; false: Sloth's mean of 5m ratios.
  bool exact_period_ratio = true;
  // The windows catalog; a Sloth windows file (--slo-period-windows-path) replaces it.
  std::vector<RuleAlertWindows> windows = {GoogleWindows30d(), GoogleWindows28d()};
  // A period missing from `windows`: scale the 30d windows (true) or fail as Sloth (false).
  bool scale_unknown_periods = true;
  // Set: write a monitoring.coreos.com/v1 PrometheusRule with this metadata (the input was a
  // PrometheusServiceLevel); unset: a plain Prometheus rule file.
  std::optional<K8sObjectMeta> prometheus_rule;

  // Everything as `sloth generate` does it: exact_period_ratio and scale_unknown_periods off.
  static RuleOptions SlothCompatible();
};

// The rule file for `slos`, byte for byte as Sloth v0.16.0 writes it (gopkg.in/yaml.v2 layout,
// long expressions folded at column 80) when options are SlothCompatible(). kInvalid names the
// SLO and field for an invalid SLO, a repeated id, a period without windows, or nothing to write.
Result<std::string> GenerateRules(const std::vector<RuleSlo>& slos, const RuleOptions& options);

}  // namespace plinth::slo
