// The rule generator against Sloth v0.16.0's own golden files (../shared/data/sloth: every
// fixture, with the `sloth generate` flags its README lists), compared byte for byte; plinth's
// exact-period mode against tests/golden/slo-rules/plinth; the Go formatting it imitates.
// PLINTH_UPDATE_GOLDEN=1 rewrites plinth's own golden files (review the diff line by line!).

#include "slo/rules.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "slo/rules_gofmt.h"
#include "slo/rules_yaml.h"
#include "slo/sloth.h"

namespace plinth::slo {
namespace {

namespace fs = std::filesystem;

const fs::path kSloth = fs::path(PLINTH_SHARED_DATA_DIR) / "sloth";
const fs::path kGolden = fs::path(PLINTH_SOURCE_DIR) / "tests/golden/slo-rules";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Renders Sloth's expected-output templates: `{{ .version }}` and `{{"text"}}`.
std::string RenderTpl(const std::string& tpl, const std::string& version) {
  std::string out = std::regex_replace(tpl, std::regex(R"(\{\{ \.version \}\})"), version);
  return std::regex_replace(out, std::regex(R"re(\{\{"(.*?)"\}\})re"), "$1");
}

// The first differing line, with context, for a readable failure.
std::string FirstDiff(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    bool ea = !std::getline(a, la), eb = !std::getline(b, lb);
    if (ea && eb) return want.size() == got.size() ? "" : "(differ in the final newline)";
    if (ea || eb || la != lb) {
      return "line " + std::to_string(line) + "\n  want: " + (ea ? "<end>" : la) +
             "\n  got:  " + (eb ? "<end>" : lb);
    }
  }
}

struct Fixture {
  const char* name;
  const char* input;
  const char* expected;
  const char* version;
  int64_t period_days;
  const char* windows;  // a windows file replacing the catalog, or nullptr
  bool extra_label;     // --extra-labels "cmd=examplesgen.sh"
};

const Fixture kFixtures[] = {
    {"01-base-30d", "in-base.yaml", "out-base.yaml.tpl", "v0.16.0", 30, nullptr, false},
    {"02-base-28d", "in-base.yaml", "out-base-28d.yaml.tpl", "v0.16.0", 28, nullptr, false},
    {"03-base-custom-7d", "in-base.yaml", "out-base-custom-windows-7d.yaml.tpl", "v0.16.0", 7,
     "windows-7d.yaml", false},
    {"04-openslo", "in-openslo.yaml", "out-openslo.yaml.tpl", "v0.16.0", 30, nullptr, false},
    {"05-examples-getting-started", "getting-started.yml", "_gen-getting-started.yml", "dev", 30,
     nullptr, true},
    {"06-k8s-crd", "in-base-k8s.yaml", "out-base-k8s.yaml.tpl", "v0.16.0", 30, nullptr, false},
};

TEST(RulesTest, SlothFixturesByteIdentical) {
  if (!fs::exists(kSloth)) GTEST_SKIP() << "no Sloth fixtures at " << kSloth;
  for (const Fixture& f : kFixtures) {
    SCOPED_TRACE(f.name);
    fs::path dir = kSloth / f.name;
    RuleOptions o = RuleOptions::SlothCompatible();
    o.sloth_version = f.version;
    o.default_period_ms = f.period_days * kRuleDayMs;
    if (f.windows != nullptr) {
      auto w = ParseAlertWindows(ReadFile(dir / f.windows), f.windows);
      ASSERT_TRUE(w.ok()) << w.error().ToString();
      o.windows = {*w};
    }
    if (f.extra_label) o.extra_labels = {{"cmd", "examplesgen.sh"}};
    auto got = GenerateFromSloth(ReadFile(dir / f.input), f.input, o);
    ASSERT_TRUE(got.ok()) << got.error().ToString();
    std::string want = RenderTpl(ReadFile(dir / f.expected), f.version);
    EXPECT_EQ(FirstDiff(want, *got), "");
    EXPECT_TRUE(want == *got);
  }
}

// plinth's own mode (exact period ratio, scaled windows) on its own golden files: a case is a
// folder with its expected output; the input and the period come from the table.
struct GoldenCase {
  const char* expected;  // relative to kGolden
  const char* input;     // relative to kGolden
  int64_t period_days;
};

const GoldenCase kGoldenCases[] = {
    {"plinth-30d/expected.yaml", "plinth-30d/input.yaml", 30},
    {"plinth-90d/expected.yaml", "plinth-30d/input.yaml", 90},
    {"plinth-k8s/expected.yaml", "plinth-k8s/input.yaml", 30},
    {"promtool/rules.yaml", "promtool/slo.yaml", 30},
};

TEST(RulesTest, PlinthGolden) {
  bool update = std::getenv("PLINTH_UPDATE_GOLDEN") != nullptr;
  for (const GoldenCase& c : kGoldenCases) {
    SCOPED_TRACE(c.expected);
    RuleOptions o;
    o.default_period_ms = c.period_days * kRuleDayMs;
    auto got = GenerateFromSloth(ReadFile(kGolden / c.input), c.input, o);
    ASSERT_TRUE(got.ok()) << got.error().ToString();
    if (update) {
      std::ofstream(kGolden / c.expected, std::ios::binary) << *got;
      continue;
    }
    std::string want = ReadFile(kGolden / c.expected);
    EXPECT_EQ(FirstDiff(want, *got), "");
    EXPECT_TRUE(want == *got);
  }
}

// Sloth refuses a period its catalog has no windows for; plinth scales the 30d windows.
TEST(RulesTest, PeriodWithoutWindows) {
  if (!fs::exists(kSloth)) GTEST_SKIP() << "no Sloth fixtures at " << kSloth;
  std::string in = ReadFile(kSloth / "01-base-30d/in-base.yaml");
  RuleOptions sloth = RuleOptions::SlothCompatible();
  sloth.default_period_ms = 7 * kRuleDayMs;
  auto err = GenerateFromSloth(in, "in-base.yaml", sloth);
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().ToString(),
            "in-base.yaml: slo \"svc01-slo1\": the 168h0m0s SLO period time window is not "
            "supported (no alert windows for 1w; add a windows file for it)");

  RuleAlertWindows w = ScaledWindows(7 * kRuleDayMs);
  EXPECT_EQ(w.page_quick.short_window_ms, 1 * kRuleMinuteMs);  // 5m * 7/30 = 1m10s
  EXPECT_EQ(w.page_quick.long_window_ms, 14 * kRuleMinuteMs);
  EXPECT_EQ(w.page_slow.long_window_ms, 84 * kRuleMinuteMs);
  EXPECT_EQ(w.ticket_slow.long_window_ms, 1008 * kRuleMinuteMs);  // 3d * 7/30 = 16h48m
  RuleAlertWindows q = ScaledWindows(90 * kRuleDayMs);
  EXPECT_EQ(q.page_quick.short_window_ms, 15 * kRuleMinuteMs);
  EXPECT_EQ(q.ticket_slow.long_window_ms, 9 * kRuleDayMs);

  RuleOptions plinth = sloth;
  plinth.scale_unknown_periods = true;
  auto ok = GenerateFromSloth(in, "in-base.yaml", plinth);
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_NE(ok->find("# - alert windows of the 1w period: the 30d windows scaled by 1w/30d.\n"),
            std::string::npos);
  EXPECT_NE(ok->find("> (14.4 * 0.0009999999999999432)) without (sloth_window)"),
            std::string::npos);
  EXPECT_NE(ok->find("record: slo:sli_error:ratio_rate14m\n"), std::string::npos);
}

TEST(RulesTest, OptionsAndErrors) {
  RuleSlo s;
  s.service = "svc";
  s.name = "avail";
  s.objective = 99.5;
  s.events = EventsSli{"sum(rate(errors[{{ .window }}]))", "sum(rate(total[{{.window}}]))"};
  s.alerting.name = "SvcAvail";
  RuleOptions o = RuleOptions::SlothCompatible();
  o.disable_recordings = true;
  auto alerts = GenerateRules({s}, o);
  ASSERT_TRUE(alerts.ok()) << alerts.error().ToString();
  EXPECT_EQ(alerts->find("record:"), std::string::npos);
  EXPECT_NE(alerts->find("- name: sloth-slo-alerts-svc-avail\n"), std::string::npos);
  o.disable_alerts = true;
  EXPECT_EQ(GenerateRules({s}, o).error().ToString(), "0 SLO Prometheus rules generated");
  o.disable_recordings = o.disable_alerts = false;
  EXPECT_EQ(GenerateRules({s, s}, o).error().ToString(),
            "slo \"svc-avail\": the SLO id is repeated");
  RuleSlo bad = s;
  bad.objective = 0;
  EXPECT_EQ(GenerateRules({bad}, o).error().ToString(),
            "slo \"svc-avail\": objective: must be > 0 and <= 100, got 0");
  bad = s;
  bad.events->total_query = "sum(rate(total[5m]))";
  EXPECT_EQ(GenerateRules({bad}, o).error().ToString(),
            "slo \"svc-avail\": sli.events.total_query: the query must contain the {{.window}} "
            "placeholder");
  bad = s;
  bad.period_ms = -1;
  EXPECT_EQ(GenerateRules({bad}, o).error().ToString(),
            "slo \"svc-avail\": period: must be > 0 (0: the default period)");
  o.extra_labels = {{"bad-name", "x"}};
  EXPECT_EQ(GenerateRules({s}, o).error().ToString(), "invalid extra label \"bad-name=x\"");
}

TEST(RulesTest, GoFormatting) {
  using gofmt::FormatF;
  using gofmt::FormatG;
  EXPECT_EQ(FormatG(14.4), "14.4");
  EXPECT_EQ(FormatG(6), "6");
  EXPECT_EQ(FormatG((100 - 99.9) / 100), "0.0009999999999999432");
  EXPECT_EQ(FormatG((100 - 99.999) / 100), "1.0000000000047748e-05");
  EXPECT_EQ(FormatG(2 * 672.0 / 100 / 1), "13.44");
  EXPECT_EQ(FormatG(5 * 672.0 / 100 / 6), "5.6000000000000005");
  EXPECT_EQ(FormatG(1e6), "1e+06");
  EXPECT_EQ(FormatG(123456), "123456");
  EXPECT_EQ(FormatG(99.9 / 100), "0.9990000000000001");
  EXPECT_EQ(FormatF(99.9), "99.9");
  EXPECT_EQ(FormatF(100), "100");
  EXPECT_EQ(FormatF(1e-7), "0.0000001");
  EXPECT_EQ(FormatF(0.999 * 100), "99.9");
  EXPECT_EQ(gofmt::GoDuration(7 * kRuleDayMs), "168h0m0s");
  EXPECT_EQ(gofmt::GoDuration(90 * 1000), "1m30s");
  EXPECT_EQ(gofmt::GoDuration(1500), "1.5s");
  EXPECT_EQ(gofmt::Quote("a\"b\\c\n"), R"("a\"b\\c\n")");

  EXPECT_EQ(*ParsePromDuration("30d"), 30 * kRuleDayMs);
  EXPECT_EQ(*ParsePromDuration("1h30m"), 90 * kRuleMinuteMs);
  EXPECT_EQ(*ParsePromDuration("100ms"), 100);
  EXPECT_EQ(*ParsePromDuration("0"), 0);
  for (const char* bad : {"", "1h1d", "5", "1.5h", "-1h", "5 m"}) {
    EXPECT_FALSE(ParsePromDuration(bad).ok()) << bad;
  }
  EXPECT_EQ(FormatPromDuration(28 * kRuleDayMs), "4w");
  EXPECT_EQ(FormatPromDuration(30 * kRuleDayMs), "30d");
  EXPECT_EQ(FormatPromDuration(72 * 60 * kRuleMinuteMs), "3d");
  EXPECT_EQ(FormatPromDuration(90 * kRuleMinuteMs), "1h30m");
  EXPECT_EQ(FormatPromDuration(365 * kRuleDayMs), "1y");
  EXPECT_EQ(FormatPromDuration(1500), "1s500ms");
}

// yaml.v2's choices: quoting what would read back as another type or starts with an
// indicator, literal blocks with their chomping, escapes, folding past column 80.
TEST(RulesTest, GoYamlLayout) {
  EXPECT_TRUE(goyaml::KeyLess("a9", "a10"));
  EXPECT_TRUE(goyaml::KeyLess("Zeta", "alpha"));
  EXPECT_TRUE(goyaml::KeyLess("a_b", "ab"));
  EXPECT_TRUE(goyaml::KeyLess("sloth_id", "sloth_service"));
  EXPECT_FALSE(goyaml::KeyLess("b", "a"));

  goyaml::Node m = goyaml::Node::Map();
  for (const char* v : {"2", "yes", "#alerts", "it's", "'x'", "a: b", "", "l1\nl2", "l1\nl2\n",
                        "x \ny", "tab\there", "1:20", "2026-01-05", "~", "5m"}) {
    m.Add("k", goyaml::Node::Scalar(v));
  }
  std::string a70(70, 'a'), b20(20, 'b');
  m.Add("long", goyaml::Node::Scalar(a70 + " " + b20 + " c"));
  m.Add("empty", goyaml::Node::Map());
  goyaml::Node seq = goyaml::Node::Seq();
  seq.seq.push_back(goyaml::StringMap({{"b", "1"}, {"a", "x"}}));
  m.Add("list", seq);
  EXPECT_EQ(goyaml::Marshal(m),
            "k: \"2\"\nk: \"yes\"\nk: '#alerts'\nk: it's\nk: '''x'''\nk: 'a: b'\nk: \"\"\n"
            "k: |-\n  l1\n  l2\nk: |\n  l1\n  l2\nk: \"x \\ny\"\nk: \"tab\\there\"\n"
            "k: \"1:20\"\nk: \"2026-01-05\"\nk: \"~\"\nk: 5m\n"
            "long: " +
                a70 + " " + b20 + "\n  c\nempty: {}\nlist:\n- a: x\n  b: \"1\"\n");
}

}  // namespace
}  // namespace plinth::slo
