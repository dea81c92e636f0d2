// Mirrors Sloth v0.16.0's generate pipeline: internal/alert (windows, factors), the core SLO
// plugins sli_rules_v1, metadata_rules_v1 and alert_rules_v1, and the two writers
// (storage/io/std_prometheus.go, kubernetes/modelmap + the k8s YAML serializer).

#include "slo/rules.h"

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

#include "slo/rules_gofmt.h"
#include "slo/rules_yaml.h"

namespace plinth::slo {

namespace {

using Labels = std::map<std::string, std::string>;
using goyaml::Node;

constexpr int64_t kHourMs = 60 * kRuleMinuteMs;
constexpr const char* kWindowLabel = "sloth_window";

const std::regex& WindowVar() {
  static const std::regex re(R"(\{\{ *\.window *\}\})");
  return re;
}

// Go's time.Duration.Hours().
double Hours(int64_t ms) {
  return static_cast<double>(ms / kHourMs) + static_cast<double>(ms % kHourMs) / 3.6e6;
}

// internal/alert/window.go getBurnRateFactor, operation for operation.
// Scaled windows (not Sloth's) divide once, so a 7d period prints 14.4, not 14.399999999999999.
double Factor(int64_t period_ms, const RuleAlertWindow& w, bool scaled) {
  if (scaled) {
    return w.error_budget_percent * static_cast<double>(period_ms) /
           (100.0 * static_cast<double>(w.long_window_ms));
  }
  return w.error_budget_percent * Hours(period_ms) / 100 / Hours(w.long_window_ms);
}

struct Rule {
  std::string record, alert, expr;
  Labels labels, annotations;
};

struct Group {
  std::string name;
  std::vector<Rule> rules;
};

// Sloth's MergeLabels: later maps win.
Labels Merge(Labels a, const Labels& b) {
  for (const auto& [k, v] : b) a[k] = v;
  return a;
}

// prommodel.LabelSet.String(): sorted by name, ", " between, values Go-quoted.
std::string Filter(const Labels& labels) {
  std::string out = "{";
  for (const auto& [k, v] : labels) {
    if (out.size() > 1) out += ", ";
    out += k + "=" + gofmt::Quote(v);
  }
  return out + "}";
}

std::string SliMetric(int64_t window_ms) {
  return "slo:sli_error:ratio_rate" + FormatPromDuration(window_ms);
}

// One SLO with everything the three rule groups need.
struct Plan {
  const RuleSlo* slo;
  std::string id;
  int64_t period_ms;
  RuleAlertWindows windows;
  bool scaled;       // windows from ScaledWindows, not the catalog
  Labels id_labels;  // sloth_id, sloth_service, sloth_slo
  Labels labels;     // the SLO's labels with the extra labels over them
  std::string filter;
};

std::string Render(const std::string& tpl, int64_t window_ms) {
  return std::regex_replace(tpl, WindowVar(), FormatPromDuration(window_ms));
}

Rule SliRule(const Plan& p, int64_t window_ms, bool exact) {
  Rule r;
  r.record = SliMetric(window_ms);
  r.labels = Merge(Merge(p.id_labels, {{kWindowLabel, FormatPromDuration(window_ms)}}), p.labels);
  const RuleSlo& s = *p.slo;
  std::string period = FormatPromDuration(p.period_ms);
  int64_t base = p.windows.page_quick.short_window_ms;
  if (window_ms == p.period_ms && exact && s.events) {
    std::string w = FormatPromDuration(base);
    r.expr = "sum_over_time(slo:sli_error_events:rate" + w + p.filter + "[" + period + "])\n" +
             "/ ignoring (" + kWindowLabel + ")\n" + "sum_over_time(slo:sli_total_events:rate" + w +
             p.filter + "[" + period + "])\n";
  } else if (window_ms == p.period_ms) {
    std::string m = SliMetric(base) + p.filter + "[" + period + "]";
    r.expr =
        "sum_over_time(" + m + ")\n/ ignoring (" + kWindowLabel + ")\ncount_over_time(" + m + ")\n";
  } else if (s.events) {
    r.expr =
        Render("(" + s.events->error_query + ")\n/\n(" + s.events->total_query + ")\n", window_ms);
  } else {
    r.expr = Render("(" + s.raw->error_ratio_query + ")", window_ms);
  }
  return r;
}

Group SliGroup(const Plan& p, bool exact) {
  const RuleAlertWindows& w = p.windows;
  std::set<int64_t> windows;
  for (const auto* a : {&w.page_quick, &w.page_slow, &w.ticket_quick, &w.ticket_slow}) {
    windows.insert(a->short_window_ms);
    windows.insert(a->long_window_ms);
  }
  Group g{"sloth-slo-sli-recordings-" + p.id, {}};
  for (int64_t window : windows) g.rules.push_back(SliRule(p, window, exact));
  if (exact && p.slo->events) {
    int64_t base = w.page_quick.short_window_ms;
    std::string win = FormatPromDuration(base);
    Labels labels = Merge(Merge(p.id_labels, {{kWindowLabel, win}}), p.labels);
    g.rules.push_back({"slo:sli_error_events:rate" + win,
                       "",
                       Render(p.slo->events->error_query, base),
                       labels,
                       {}});
    g.rules.push_back({"slo:sli_total_events:rate" + win,
                       "",
                       Render(p.slo->events->total_query, base),
                       labels,
                       {}});
  }
  g.rules.push_back(SliRule(p, p.period_ms, exact));
  return g;
}

Group MetaGroup(const Plan& p, const RuleOptions& o) {
  Labels labels = Merge(p.id_labels, p.labels);
  double objective = p.slo->objective / 100;
  auto burn = [&](int64_t window_ms) {
    return SliMetric(window_ms) + p.filter +
           "\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio" +
           p.filter + "\n";
  };
  Group g{"sloth-slo-meta-recordings-" + p.id, {}};
  g.rules.push_back(
      {"slo:objective:ratio", "", "vector(" + gofmt::FormatG(objective) + ")", labels, {}});
  g.rules.push_back(
      {"slo:error_budget:ratio", "", "vector(1-" + gofmt::FormatG(objective) + ")", labels, {}});
  g.rules.push_back({"slo:time_period:days",
                     "",
                     "vector(" + gofmt::FormatG(Hours(p.period_ms) / 24) + ")",
                     labels,
                     {}});
  g.rules.push_back(
      {"slo:current_burn_rate:ratio", "", burn(p.windows.page_quick.short_window_ms), labels, {}});
  g.rules.push_back({"slo:period_burn_rate:ratio", "", burn(p.period_ms), labels, {}});
  g.rules.push_back({"slo:period_error_budget_remaining:ratio",
                     "",
                     "1 - slo:period_burn_rate:ratio" + p.filter,
                     labels,
                     {}});
  g.rules.push_back({"sloth_slo_info",
                     "",
                     "vector(1)",
                     Merge(labels, {{"sloth_version", o.sloth_version},
                                    {"sloth_mode", p.slo->mode},
                                    {"sloth_spec", p.slo->spec},
                                    {"sloth_objective", gofmt::FormatF(p.slo->objective)}}),
                     {}});
  return g;
}

Rule AlertRule(const Plan& p, const RuleAlertMeta& meta, const char* severity,
               const RuleAlertWindow& quick, const RuleAlertWindow& slow) {
  std::string budget = gofmt::FormatG((100 - p.slo->objective) / 100);
  auto cond = [&](int64_t window_ms, const RuleAlertWindow& w) {
    return "    max(" + SliMetric(window_ms) + p.filter + " > (" +
           gofmt::FormatG(Factor(p.period_ms, w, p.scaled)) + " * " + budget + ")) without (" +
           kWindowLabel + ")\n";
  };
  Rule r;
  r.alert = p.slo->alerting.name;
  r.expr = "(\n" + cond(quick.short_window_ms, quick) + "    and\n" +
           cond(quick.long_window_ms, quick) + ")\nor\n(\n" + cond(slow.short_window_ms, slow) +
           "    and\n" + cond(slow.long_window_ms, slow) + ")\n";
  r.labels = Merge(Merge({{"sloth_severity", severity}}, p.slo->alerting.labels), meta.labels);
  Labels annotations = {
      {"title", std::string("(") + severity +
                    ") {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn "
                    "rate is too fast."},
      {"summary",
       "{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over "
       "expected."}};
  r.annotations = Merge(Merge(annotations, p.slo->alerting.annotations), meta.annotations);
  return r;
}

Group AlertGroup(const Plan& p) {
  const RuleAlerting& a = p.slo->alerting;
  Group g{"sloth-slo-alerts-" + p.id, {}};
  if (!a.page_alert.disable) {
    g.rules.push_back(
        AlertRule(p, a.page_alert, "page", p.windows.page_quick, p.windows.page_slow));
  }
  if (!a.ticket_alert.disable) {
    g.rules.push_back(
        AlertRule(p, a.ticket_alert, "ticket", p.windows.ticket_quick, p.windows.ticket_slow));
  }
  return g;
}

Node RuleNode(const Rule& r) {
  Node n = Node::Map();
  if (!r.record.empty()) n.Add("record", Node::Scalar(r.record));
  if (!r.alert.empty()) n.Add("alert", Node::Scalar(r.alert));
  n.Add("expr", Node::Scalar(r.expr));
  if (!r.labels.empty()) n.Add("labels", goyaml::StringMap(r.labels));
  if (!r.annotations.empty()) n.Add("annotations", goyaml::StringMap(r.annotations));
  return n;
}

Error SloError(const std::string& id, const std::string& message) {
  return Error::Invalid("slo \"" + id + "\": " + message);
}

}  // namespace

Result<int64_t> ParsePromDuration(std::string_view text) {
  static const std::regex re(
      "(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?");
  static const int64_t kUnits[] = {365 * kRuleDayMs, 7 * kRuleDayMs, kRuleDayMs, kHourMs,
                                   kRuleMinuteMs,    1000,           1};
  std::string s(text);
  std::smatch m;
  if (s == "0") return int64_t{0};
  if (s.empty() || !std::regex_match(s, m, re)) {
    return Error::Invalid("invalid duration \"" + s + "\": expected e.g. 30d, 4w, 1h30m, 5m");
  }
  int64_t ms = 0;
  for (int i = 0; i < 7; ++i) {
    if (!m[2 * i + 2].matched) continue;
    if (m[2 * i + 2].length() > 12) return Error::Invalid("duration \"" + s + "\" is too long");
    ms += std::stoll(m[2 * i + 2].str()) * kUnits[i];
  }
  return ms;
}

std::string FormatPromDuration(int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  auto unit = [&](const char* name, int64_t mult, bool exact) {
    if (exact && ms % mult != 0) return;
    if (int64_t v = ms / mult; v > 0) {
      out += std::to_string(v) + name;
      ms -= v * mult;
    }
  };
  unit("y", 365 * kRuleDayMs, true);
  unit("w", 7 * kRuleDayMs, true);
  unit("d", kRuleDayMs, false);
  unit("h", kHourMs, false);
  unit("m", kRuleMinuteMs, false);
  unit("s", 1000, false);
  unit("ms", 1, false);
  return out;
}

RuleAlertWindows GoogleWindows30d() {
  return {30 * kRuleDayMs,
          {2, 5 * kRuleMinuteMs, kHourMs},
          {5, 30 * kRuleMinuteMs, 6 * kHourMs},
          {10, 2 * kHourMs, kRuleDayMs},
          {10, 6 * kHourMs, 3 * kRuleDayMs}};
}

RuleAlertWindows GoogleWindows28d() {
  RuleAlertWindows w = GoogleWindows30d();
  w.slo_period_ms = 28 * kRuleDayMs;
  return w;
}

RuleAlertWindows ScaledWindows(int64_t period_ms) {
  RuleAlertWindows w = GoogleWindows30d();
  double scale = static_cast<double>(period_ms) / static_cast<double>(w.slo_period_ms);
  auto minutes = [&](int64_t ms) {
    double m = std::floor(static_cast<double>(ms) * scale / kRuleMinuteMs + 0.5);
    return std::max<int64_t>(1, static_cast<int64_t>(m)) * kRuleMinuteMs;
  };
  for (auto* a : {&w.page_quick, &w.page_slow, &w.ticket_quick, &w.ticket_slow}) {
    a->short_window_ms = minutes(a->short_window_ms);
    a->long_window_ms = minutes(a->long_window_ms);
  }
  w.slo_period_ms = period_ms;
  return w;
}

RuleOptions RuleOptions::SlothCompatible() {
  RuleOptions o;
  o.exact_period_ratio = false;
  o.scale_unknown_periods = false;
  return o;
}

Result<std::string> GenerateRules(const std::vector<RuleSlo>& slos, const RuleOptions& o) {
  if (slos.empty()) return Error::Invalid("at least one SLO is required");
  static const std::regex kLabelName(R"([a-zA-Z_][a-zA-Z0-9_]*)");
  for (const auto& [k, v] : o.extra_labels) {
    if (!std::regex_match(k, kLabelName) || v.empty()) {
      return Error::Invalid("invalid extra label \"" + k + "=" + v + "\"");
    }
  }
  if (o.default_period_ms <= 0) return Error::Invalid("the default SLO period must be > 0");
  std::set<std::string> ids;
  std::vector<std::string> deviations;
  bool any_exact = false;
  std::vector<Group> groups;
  for (const RuleSlo& s : slos) {
    Plan p{&s, s.Id(), s.period_ms > 0 ? s.period_ms : o.default_period_ms, {}, false, {}, {}, {}};
    if (auto problems = ValidateRuleSlo(s); !problems.empty()) {
      std::string field;
      for (const auto& t : problems[0].path) field += (field.empty() ? "" : ".") + t;
      return SloError(p.id, field + ": " + problems[0].message);
    }
    if (s.period_ms < 0) return SloError(p.id, "period: must be > 0 (0: the default period)");
    if (!ids.insert(p.id).second) return SloError(p.id, "the SLO id is repeated");
    auto found = std::find_if(o.windows.begin(), o.windows.end(),
                              [&](const auto& w) { return w.slo_period_ms == p.period_ms; });
    if (found != o.windows.end()) {
      p.windows = *found;
    } else if (o.scale_unknown_periods) {
      p.windows = ScaledWindows(p.period_ms);
      p.scaled = true;
      std::string line = "alert windows of the " + FormatPromDuration(p.period_ms) +
                         " period: the 30d windows scaled by " + FormatPromDuration(p.period_ms) +
                         "/30d";
      if (std::find(deviations.begin(), deviations.end(), line) == deviations.end()) {
        deviations.push_back(line);
      }
    } else {
      return SloError(p.id, "the " + gofmt::GoDuration(p.period_ms) +
                                " SLO period time window is not supported (no alert windows for " +
                                FormatPromDuration(p.period_ms) + "; add a windows file for it)");
    }
    if (p.windows.page_quick.short_window_ms == p.period_ms) {
      return SloError(p.id, "the period can't be the page quick short window");
    }
    p.id_labels = {{"sloth_id", p.id}, {"sloth_service", s.service}, {"sloth_slo", s.name}};
    p.labels = Merge(s.labels, o.extra_labels);
    p.filter = Filter(p.id_labels);
    bool exact = o.exact_period_ratio && s.events.has_value();
    any_exact |= exact && !o.disable_recordings;
    if (!o.disable_recordings) {
      groups.push_back(SliGroup(p, exact));
      groups.push_back(MetaGroup(p, o));
    }
    if (!o.disable_alerts) {
      if (Group g = AlertGroup(p); !g.rules.empty()) groups.push_back(std::move(g));
    }
  }
  if (groups.empty()) return Error::Invalid("0 SLO Prometheus rules generated");

  Node list = Node::Seq();
  for (const Group& g : groups) {
    Node rules = Node::Seq();
    for (const Rule& r : g.rules) rules.seq.push_back(RuleNode(r));
    Node gn = Node::Map();
    gn.Add("name", Node::Scalar(g.name));
    gn.Add("rules", std::move(rules));
    list.seq.push_back(std::move(gn));
  }
  Node root = Node::Map();
  if (o.prometheus_rule) {
    const K8sObjectMeta& k = *o.prometheus_rule;
    Node meta = Node::Map();
    meta.Add("name", Node::Scalar(k.name));
    if (!k.namespace_.empty()) meta.Add("namespace", Node::Scalar(k.namespace_));
    meta.Add("labels", goyaml::StringMap(Merge({{"app.kubernetes.io/component", "SLO"},
                                                {"app.kubernetes.io/managed-by", "sloth"}},
                                               k.labels)));
    if (!k.annotations.empty()) meta.Add("annotations", goyaml::StringMap(k.annotations));
    Node spec = Node::Map();
    spec.Add("groups", std::move(list));
    root.Add("apiVersion", Node::Scalar("monitoring.coreos.com/v1"));
    root.Add("kind", Node::Scalar("PrometheusRule"));
    root.Add("metadata", std::move(meta));
    root.Add("spec", std::move(spec));
    goyaml::SortKeys(root);  // sigs.k8s.io/yaml goes through JSON: every mapping sorted
  } else {
    root.Add("groups", std::move(list));
  }

  std::string header = "\n---\n";
  if (!any_exact && deviations.empty()) {
    header +=
        "# Code generated by Sloth (" + o.sloth_version + "): https://github.com/slok/sloth.\n";
    header += "# DO NOT EDIT.\n";
  } else {
    header += "# Code generated by plinth in the layout of Sloth (" + o.sloth_version +
              "): https://github.com/slok/sloth.\n# DO NOT EDIT.\n"
              "# Differences from `sloth generate`:\n";
    if (any_exact) {
      header +=
          "# - event SLIs: slo:sli_error:ratio_rate<period> is the exact error ratio of the "
          "period,\n"
          "#   sum_over_time(slo:sli_error_events:rate<w>[<period>]) / sum_over_time(\n"
          "#   slo:sli_total_events:rate<w>[<period>]) = errors / events, <w> the page quick "
          "short\n"
          "#   window. Sloth averages the <w> error ratios: a quiet hour weighs as much as a busy "
          "one.\n";
    }
    for (const auto& d : deviations) header += "# - " + d + ".\n";
  }
  return header + "\n" + goyaml::Marshal(root);
}

}  // namespace plinth::slo
