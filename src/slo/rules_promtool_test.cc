// The generated rules as Prometheus reads them: `promtool check rules` on every rule file the
// engine writes for the golden inputs, and `promtool test rules` with the unit tests in
// tests/golden/slo-rules/promtool/tests.yaml (a fast burn pages at the right minute, a steady
// burn rate of 1 fires nothing, the exact period ratio). Skipped without /usr/bin/promtool
// (Debian package `prometheus`).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "slo/sloth.h"

namespace plinth::slo {
namespace {

namespace fs = std::filesystem;

const fs::path kGolden = fs::path(PLINTH_SOURCE_DIR) / "tests/golden/slo-rules";
const fs::path kSloth = fs::path(PLINTH_SHARED_DATA_DIR) / "sloth";
constexpr const char* kPromtool = "/usr/bin/promtool";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `command` in `dir`; returns the exit status and fills `output` (stdout and stderr).
int RunIn(const fs::path& dir, const std::string& command, std::string& output) {
  std::string line = "cd '" + dir.string() + "' && " + command + " 2>&1";
  FILE* pipe = popen(line.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  output.clear();
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) output.append(buf, n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A fresh temporary folder, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "plinth-promtool-XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string Generate(const fs::path& input, const RuleOptions& options) {
  auto rules = GenerateFromSloth(ReadFile(input), input.filename().string(), options);
  EXPECT_TRUE(rules.ok()) << input << ": " << rules.error().ToString();
  return rules.ok() ? *rules : "";
}

TEST(RulesPromtoolTest, UnitTests) {
  if (!fs::exists(kPromtool)) {
    GTEST_SKIP() << kPromtool << " not found: install Debian's prometheus package";
  }
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::ofstream(dir.path() / "rules.yaml") << Generate(kGolden / "promtool/slo.yaml", {});
  fs::copy_file(kGolden / "promtool/tests.yaml", dir.path() / "tests.yaml");
  std::string out;
  EXPECT_EQ(RunIn(dir.path(), std::string(kPromtool) + " check rules rules.yaml", out), 0) << out;
  EXPECT_EQ(RunIn(dir.path(), std::string(kPromtool) + " test rules tests.yaml", out), 0) << out;
}

// Every plain rule file the golden inputs yield, in both modes, is valid for Prometheus.
TEST(RulesPromtoolTest, CheckRules) {
  if (!fs::exists(kPromtool)) {
    GTEST_SKIP() << kPromtool << " not found: install Debian's prometheus package";
  }
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::vector<fs::path> inputs = {kGolden / "plinth-30d/input.yaml", kGolden / "promtool/slo.yaml"};
  for (const char* f : {"01-base-30d/in-base.yaml", "04-openslo/in-openslo.yaml",
                        "05-examples-getting-started/getting-started.yml"}) {
    if (fs::exists(kSloth / f)) inputs.push_back(kSloth / f);
  }
  std::string files;
  int n = 0;
  for (const auto& input : inputs) {
    for (RuleOptions o : {RuleOptions{}, RuleOptions::SlothCompatible()}) {
      o.default_period_ms = (n % 3 == 2 ? 90 : 30) * kRuleDayMs;  // a scaled period too
      o.scale_unknown_periods = true;
      std::string name = "rules" + std::to_string(n++) + ".yaml";
      std::ofstream(dir.path() / name) << Generate(input, o);
      files += " " + name;
    }
  }
  std::string out;
  EXPECT_EQ(RunIn(dir.path(), std::string(kPromtool) + " check rules" + files, out), 0) << out;
}

}  // namespace
}  // namespace plinth::slo
