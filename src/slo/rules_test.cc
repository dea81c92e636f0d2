// The rule generator against Sloth v0.16.0's own golden files (/work/shared/data/sloth: every
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

}  // namespace
}  // namespace plinth::slo
