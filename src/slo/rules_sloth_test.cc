// Reading Sloth's input formats: the model each fixture yields, and errors compared as exact
// strings with file:line and the field.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "slo/sloth.h"

namespace plinth::slo {
namespace {

namespace fs = std::filesystem;

const fs::path kSloth = fs::path(PLINTH_SHARED_DATA_DIR) / "sloth";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The error text of parsing `yaml` as in.yaml, or "ok".
std::string ParseError(const std::string& yaml) {
  auto r = ParseSloth(yaml, "in.yaml");
  return r.ok() ? "ok" : r.error().ToString();
}

// A valid prometheus/v1 spec with `slo_extra` appended to its one SLO (indented 4).
std::string PromSpec(const std::string& slo_extra, const std::string& objective = "99.9") {
  return "version: \"prometheus/v1\"\n"  // 1
         "service: \"svc\"\n"            // 2
         "slos:\n"                       // 3
         "  - name: \"avail\"\n"         // 4
         "    objective: " +
         objective +
         "\n"                                                // 5
         "    sli:\n"                                        // 6
         "      events:\n"                                   // 7
         "        error_query: sum(rate(e[{{.window}}]))\n"  // 8
         "        total_query: sum(rate(t[{{.window}}]))\n"  // 9
         + slo_extra;                                        // 10...
}

TEST(SlothTest, ReadsTheFixtures) {
  if (!fs::exists(kSloth)) GTEST_SKIP() << "no Sloth fixtures at " << kSloth;
  auto base = ParseSloth(ReadFile(kSloth / "01-base-30d/in-base.yaml"), "in-base.yaml");
  ASSERT_TRUE(base.ok()) << base.error().ToString();
  ASSERT_EQ(base->size(), 1u);
  const auto& slos = (*base)[0].slos;
  ASSERT_EQ(slos.size(), 2u);
  EXPECT_EQ(slos[0].Id(), "svc01-slo1");
  EXPECT_EQ(slos[0].objective, 99.9);
  EXPECT_EQ(slos[0].period_ms, 0);
  EXPECT_EQ(slos[0].labels, (std::map<std::string, std::string>{{"global01k1", "global01v1"},
                                                                {"global02k1", "global02v1"}}));
  EXPECT_EQ(slos[0].alerting.name, "myServiceAlert");
  EXPECT_EQ(slos[0].alerting.page_alert.labels.at("alert03k1"), "alert03v1");
  ASSERT_TRUE(slos[1].raw.has_value());
  EXPECT_TRUE(slos[1].alerting.page_alert.disable);
  EXPECT_FALSE((*base)[0].prometheus_rule.has_value());

  auto k8s = ParseSloth(ReadFile(kSloth / "06-k8s-crd/in-base-k8s.yaml"), "in-base-k8s.yaml");
  ASSERT_TRUE(k8s.ok()) << k8s.error().ToString();
  ASSERT_TRUE((*k8s)[0].prometheus_rule.has_value());
  EXPECT_EQ((*k8s)[0].prometheus_rule->namespace_, "test-ns");
  EXPECT_EQ((*k8s)[0].slos[0].events->error_query, slos[0].events->error_query);
  EXPECT_EQ((*k8s)[0].slos[0].mode, "cli-gen-k8s");

  auto openslo = ParseSloth(ReadFile(kSloth / "04-openslo/in-openslo.yaml"), "in-openslo.yaml");
  ASSERT_TRUE(openslo.ok()) << openslo.error().ToString();
  const RuleSlo& o = (*openslo)[0].slos[0];
  EXPECT_EQ(o.Id(), "svc01-slo1-0");
  EXPECT_EQ(o.period_ms, 30 * kRuleDayMs);
  EXPECT_EQ(o.objective, 99.9);  // 0.999 * 100
  EXPECT_TRUE(o.alerting.page_alert.disable && o.alerting.ticket_alert.disable);

  auto windows = ParseAlertWindows(ReadFile(kSloth / "03-base-custom-7d/windows-7d.yaml"), "7d");
  ASSERT_TRUE(windows.ok()) << windows.error().ToString();
  EXPECT_EQ(windows->slo_period_ms, 7 * kRuleDayMs);
  EXPECT_EQ(windows->ticket_slow.error_budget_percent, 42);
  EXPECT_EQ(windows->ticket_slow.long_window_ms, 3 * kRuleDayMs);
  auto google = ParseAlertWindows(ReadFile(kSloth / "google-30d.yaml"), "google-30d.yaml");
  ASSERT_TRUE(google.ok()) << google.error().ToString();
  RuleAlertWindows builtin = GoogleWindows30d();
  EXPECT_EQ(google->slo_period_ms, builtin.slo_period_ms);
  EXPECT_EQ(google->page_slow.long_window_ms, builtin.page_slow.long_window_ms);
  EXPECT_EQ(google->ticket_quick.error_budget_percent, builtin.ticket_quick.error_budget_percent);
}

TEST(SlothTest, PrometheusV1Errors) {
  EXPECT_EQ(ParseError(PromSpec("    alerting:\n      name: A\n")), "ok");
  const std::string alerting = "    alerting:\n      name: A\n";
  EXPECT_EQ(ParseError(PromSpec(alerting, "120")),
            "in.yaml:5: slos[0].objective: must be > 0 and <= 100, got 120");
  EXPECT_EQ(ParseError(PromSpec(alerting, "\"99.9\"")),
            "in.yaml:5: slos[0].objective: must be a number");
  EXPECT_EQ(ParseError("version: \"prometheus/v2\"\nservice: svc\n"),
            "in.yaml:1: version: unknown version \"prometheus/v2\": expected prometheus/v1");
  EXPECT_EQ(ParseError("version: \"prometheus/v1\"\nservice: svc\nslos: []\n"),
            "in.yaml:3: slos: at least one SLO is required");
  // A missing query, a query without the window placeholder, a label that is not a string.
  std::string spec = PromSpec("    alerting:\n      name: A\n");
  std::string missing = spec;
  missing.erase(missing.find("        total_query"),
                missing.find("    alerting") - missing.find("        total_query"));
  // A missing field is located at the first line of its mapping.
  EXPECT_EQ(ParseError(missing), "in.yaml:8: slos[0].sli.events.total_query: is required");
  std::string no_window = spec;
  no_window.replace(no_window.find("t[{{.window}}]"), 14, "t[5m]");
  EXPECT_EQ(ParseError(no_window),
            "in.yaml:9: slos[0].sli.events.total_query: the query must contain the "
            "{{.window}} placeholder");
  EXPECT_EQ(ParseError(PromSpec("    labels:\n      tier: 2\n    alerting:\n      name: A\n")),
            "in.yaml:11: slos[0].labels.tier: must be a string (quote it: \"2\")");
  EXPECT_EQ(ParseError("labels:\n  bad-key: x\n" + spec),
            "in.yaml:2: labels.bad-key: invalid label name \"bad-key\": use letters, digits and "
            "_, not starting with a digit");
  // Typos and plugins are errors, not silently ignored; the alert name is required.
  EXPECT_EQ(ParseError(PromSpec("    objetive: 99\n    alerting:\n      name: A\n")),
            "in.yaml:10: slos[0].objetive: unknown field");
  EXPECT_EQ(ParseError(PromSpec("    plugins:\n      chain: []\n    alerting:\n      name: A\n")),
            "in.yaml:11: slos[0].plugins: Sloth plugins are not supported");
  EXPECT_EQ(ParseError(PromSpec("")),
            "in.yaml:4: slos[0].alerting.name: is required unless both alerts are disabled");
  EXPECT_EQ(ParseError(PromSpec("    alerting:\n      page_alert:\n        disable: true\n"
                                "      ticket_alert:\n        disable: true\n")),
            "ok");
  // Several problems: one line each, in file order.
  EXPECT_EQ(ParseError("version: prometheus/v1\nservice: -svc\nslos:\n  - name: x1\n"
                       "    objective: 0\n    sli: {}\n"),
            "in.yaml:2: service: must start and end with a letter or digit and hold only "
            "letters, digits, '.', '_' and '-'\n"
            "in.yaml:5: slos[0].objective: must be > 0 and <= 100, got 0\n"
            "in.yaml:6: slos[0].sli: one of events and raw is required\n"
            "in.yaml:4: slos[0].alerting.name: is required unless both alerts are disabled");
}

TEST(SlothTest, OtherFormatsErrors) {
  EXPECT_EQ(ParseError("apiVersion: v1\nkind: ConfigMap\n"),
            "in.yaml:1: not a Sloth spec: expected version: prometheus/v1, apiVersion: "
            "openslo/v1alpha (kind SLO) or apiVersion: sloth.slok.dev/v1 (kind "
            "PrometheusServiceLevel)");
  EXPECT_EQ(ParseError("version: [\n"), "in.yaml:2: invalid YAML: end of sequence flow not found");
  std::string k8s =
      "apiVersion: sloth.slok.dev/v1\n"                                 // 1
      "kind: PrometheusServiceLevel\n"                                  // 2
      "metadata:\n  name: x\n"                                          // 3-4
      "spec:\n  service: svc\n  slos:\n"                                // 5-7
      "    - name: avail\n      objective: 99\n"                        // 8-9
      "      sli:\n        events:\n"                                   // 10-11
      "          errorQuery: sum(rate(e[5m]))\n"                        // 12
      "          totalQuery: sum(rate(t[{{.window}}]))\n"               // 13
      "      alerting:\n        pageAlert:\n          disable: true\n"  // 14-16
      "        ticketAlert:\n          disable: true\n";                // 17-18
  EXPECT_EQ(ParseError(k8s),
            "in.yaml:12: spec.slos[0].sli.events.errorQuery: the query must contain the "
            "{{.window}} placeholder");
  std::string openslo =
      "apiVersion: openslo/v1alpha\nkind: SLO\nmetadata:\n  name: slo1\n"                 // 1-4
      "spec:\n  service: svc\n  objectives:\n"                                            // 5-7
      "    - ratioMetrics:\n"                                                             // 8
      "        good: {source: prometheus, queryType: promql, query: 'g[{{.window}}]'}\n"  // 9
      "        total: {source: graphite, queryType: promql, query: 't[{{.window}}]'}\n"   // 10
      "      target: 1.5\n"                                                               // 11
      "  timeWindows:\n    - count: 1\n      unit: Week\n";                               // 12-14
  EXPECT_EQ(ParseError(openslo),
            "in.yaml:14: spec.timeWindows[0].unit: only days based time windows are supported\n"
            "in.yaml:10: spec.objectives[0].ratioMetrics.total.source: must be prometheus or "
            "sloth, got \"graphite\"\n"
            "in.yaml:11: spec.objectives[0].target: must be > 0 and <= 100, got 150");
  EXPECT_EQ(ParseError("apiVersion: openslo/v1\nkind: SLO\n"),
            "in.yaml:1: apiVersion: unknown apiVersion and kind \"openslo/v1\" \"SLO\": expected "
            "openslo/v1alpha SLO or sloth.slok.dev/v1 PrometheusServiceLevel");

  auto w = ParseAlertWindows(
      "apiVersion: sloth.slok.dev/v1\nkind: AlertWindows\nspec:\n  sloPeriod: 7x\n"
      "  page:\n    quick: {errorBudgetPercent: 8, shortWindow: 5m, longWindow: 1h}\n"
      "    slow: {errorBudgetPercent: 0, shortWindow: 30m}\n",
      "7d.yaml");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().ToString(),
            "7d.yaml:4: spec.sloPeriod: invalid duration \"7x\": expected e.g. 30d, 4w, 1h30m, 5m\n"
            "7d.yaml:7: spec.page.slow.errorBudgetPercent: must be > 0\n"
            "7d.yaml:7: spec.page.slow.longWindow: is required\n"
            "7d.yaml:4: spec.ticket.quick: is required\n"
            "7d.yaml:4: spec.ticket.slow: is required");
}

// Several documents in one file: each generated on its own, with its own header, as Sloth does.
TEST(SlothTest, MultiDocument) {
  std::string a = PromSpec("    alerting:\n      name: A\n");
  std::string b = a;
  b.replace(b.find("service: \"svc\""), 14, "service: \"other\"");
  auto out = GenerateFromSloth(a + "---\n" + b, "in.yaml", RuleOptions::SlothCompatible());
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  size_t first = out->find("# Code generated by Sloth");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(out->find("# Code generated by Sloth", first + 1), std::string::npos);
  EXPECT_NE(out->find("- name: sloth-slo-sli-recordings-other-avail\n"), std::string::npos);
}

}  // namespace
}  // namespace plinth::slo
