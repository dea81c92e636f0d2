// The catalog's golden corpus: every directory under tests/golden/catalog/ is one case, run on
// every store backend. A case holds input files and `expected.txt`; its optional `script` lists
// steps (default: "apply input"), and the output of all steps is compared exactly with
// expected.txt. PLINTH_UPDATE_GOLDEN=1 rewrites expected.txt instead (review the diff!).
//
// Steps (paths relative to the case directory; $SHARED is PLINTH_SHARED_DATA_DIR):
//   setup PATH...            apply, printing nothing unless it fails
//   apply [--prune] PATH...  apply and print the plan (or the error)
//   diff [--prune] PATH...   print the plan without writing
//   load PATH...             load only: print the resources and notes (or the errors)
//   delete KIND NAME         the repository's Delete
//   get KIND NAME            the stored entity's JSON
//   deps NAME [--transitive] Dependencies() JSON
//   audit                    audit entries written since the previous `audit` or `setup`
//   export                   export to a temporary folder and list its files
//   show FILE                print one exported file
//   roundtrip                load the export folder and diff it with --prune

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "catalog/apply.h"
#include "catalog/repository.h"
#include "store/test_fixture.h"

namespace plinth::catalog {
namespace {

namespace fs = std::filesystem;
using store::testing::Backend;

const fs::path kCases = fs::path(PLINTH_SOURCE_DIR) / "tests/golden/catalog";
constexpr int64_t kStartMs = 1795334400000;  // 2026-11-22T08:00:00Z

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) {
    s.replace(p, from.size(), to);
  }
}

class CaseRunner {
 public:
  CaseRunner(store::Store& store, fs::path dir) : store_(store), dir_(std::move(dir)) {
    export_dir_ = fs::temp_directory_path() /
                  ("plinth-export-" + std::to_string(::getpid()) + "-" + dir_.filename().string());
    fs::remove_all(export_dir_);
  }
  ~CaseRunner() { fs::remove_all(export_dir_); }

  std::string Run(const std::string& script) {
    std::string out;
    std::istringstream lines(script);
    for (std::string line; std::getline(lines, line);) {
      auto words = Words(line);
      if (words.empty() || words[0].starts_with("#")) continue;
      std::string text = Step(words);
      if (words[0] == "setup" && text.empty()) continue;
      out += "$ " + line + "\n" + text;
      if (!text.empty() && text.back() != '\n') out += "\n";
    }
    // Paths in messages as a person would type them from the case folder.
    ReplaceAll(out, dir_.string() + "/", "");
    ReplaceAll(out, std::string(PLINTH_SHARED_DATA_DIR) + "/", "");
    ReplaceAll(out, export_dir_.string(), "export");
    return out;
  }

 private:
  std::vector<std::string> Paths(const std::vector<std::string>& words, size_t from, bool* prune) {
    std::vector<std::string> paths;
    for (size_t i = from; i < words.size(); ++i) {
      if (words[i] == "--prune") {
        *prune = true;
      } else if (words[i].starts_with("$SHARED/")) {
        paths.push_back(std::string(PLINTH_SHARED_DATA_DIR) + words[i].substr(7));
      } else {
        paths.push_back((dir_ / words[i]).string());
      }
    }
    return paths;
  }

  std::string Step(const std::vector<std::string>& w) {
    const std::string& cmd = w[0];
    int64_t now = kStartMs + 60000 * ++steps_;
    bool prune = false;
    if (cmd == "setup" || cmd == "apply" || cmd == "diff" || cmd == "load") {
      auto set = LoadManifests(Paths(w, 1, &prune));
      if (!set.ok()) return set.error().ToString();
      if (cmd == "load") {
        std::string out;
        for (const auto& m : set->resources) {
          out += m.Location() + ": " + m.kind + " " + m.name + " " + m.doc.dump() + "\n";
        }
        for (const auto& n : set->notes) out += "note: " + n + "\n";
        return out;
      }
      if (cmd == "diff") {
        auto plan = store_.Read([&](store::Tx& tx) { return Diff(tx, *set, prune); });
        return plan.ok() ? FormatPlan(*plan, false) : plan.error().ToString();
      }
      auto plan = store_.Write(
          [&](store::Tx& tx) { return catalog::Apply(tx, *set, prune, "cli:golden", now); });
      if (!plan.ok()) return plan.error().ToString();
      if (cmd == "setup") {
        SkipAudit();
        return "";
      }
      return FormatPlan(*plan, true);
    }
    if (cmd == "delete" && w.size() == 3) {
      auto s = store_.Write(
          [&](store::Tx& tx) { return catalog::Delete(tx, w[1], w[2], "user:golden", now); });
      return s.ok() ? "deleted"
                    : std::string(CodeName(s.error().code)) + ": " + s.error().ToString();
    }
    if (cmd == "get" && w.size() == 3) {
      auto e = store_.Read([&](store::Tx& tx) { return Get(tx, w[1], w[2]); });
      return e.ok() ? e->ToJson().dump(2) : e.error().ToString();
    }
    if (cmd == "deps" && w.size() >= 2) {
      bool transitive = w.size() == 3 && w[2] == "--transitive";
      auto j = store_.Read([&](store::Tx& tx) { return Dependencies(tx, w[1], transitive); });
      if (!j.ok()) return std::string(CodeName(j.error().code)) + ": " + j.error().ToString();
      std::string out;  // one line per key, in the order a person reads them
      for (const char* key : {"service", "upstream", "downstream", "cycles"}) {
        out += std::string(key) + ": " + (*j)[key].dump() + "\n";
      }
      EXPECT_EQ(j->size(), 4u);
      return out;
    }
    if (cmd == "audit") return Audit();
    if (cmd == "export") {
      auto n = store_.Read([&](store::Tx& tx) { return Export(tx, export_dir_.string()); });
      if (!n.ok()) return n.error().ToString();
      std::vector<std::string> files;
      for (const auto& f : fs::recursive_directory_iterator(export_dir_)) {
        if (f.is_regular_file()) files.push_back(fs::relative(f.path(), export_dir_).string());
      }
      std::sort(files.begin(), files.end());
      std::string out = "exported " + std::to_string(*n) + " files\n";
      for (const auto& f : files) out += "  " + f + "\n";
      return out;
    }
    if (cmd == "show" && w.size() == 2) return ReadFile(export_dir_ / w[1]);
    if (cmd == "roundtrip") {
      auto set = LoadManifests({export_dir_.string()});
      if (!set.ok()) return set.error().ToString();
      auto plan = store_.Read([&](store::Tx& tx) { return Diff(tx, *set, true); });
      return plan.ok() ? FormatPlan(*plan, false) : plan.error().ToString();
    }
    ADD_FAILURE() << "bad script step: " << cmd;
    return "";
  }

  void SkipAudit() {
    auto rows = store_.Read(
        [&](store::Tx& tx) { return tx.Query("SELECT COALESCE(MAX(seq), 0) FROM audit_log"); });
    if (rows.ok() && !rows->empty()) audit_seq_ = (*rows)[0].Int(0);
  }

  std::string Audit() {
    auto rows = store_.Read([&](store::Tx& tx) {
      return tx.Query(
          "SELECT seq, actor, action, kind, name, before_doc IS NULL, "
          "after_doc IS NULL FROM audit_log WHERE seq > ? ORDER BY seq",
          {audit_seq_});
    });
    if (!rows.ok()) return rows.error().ToString();
    std::string out;
    for (const auto& r : *rows) {
      audit_seq_ = r.Int(0);
      out += std::to_string(r.Int(0)) + " " + r.Text(1) + " " + r.Text(2) + " " + r.Text(3) + " " +
             r.Text(4) + (r.Bool(5) ? "" : " before") + (r.Bool(6) ? "" : " after") + "\n";
    }
    return out.empty() ? "(no entries)\n" : out;
  }

  store::Store& store_;
  fs::path dir_;
  fs::path export_dir_;
  int steps_ = 0;
  int64_t audit_seq_ = 0;
};

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const auto& d : fs::directory_iterator(kCases)) {
    if (d.is_directory()) names.push_back(d.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class CatalogGoldenTest : public ::testing::TestWithParam<std::tuple<std::string, Backend>> {};

TEST_P(CatalogGoldenTest, MatchesExpected) {
  const auto& [name, backend] = GetParam();
  std::unique_ptr<store::Store> store;
  store::testing::OpenFreshOrSkip(backend, &store);
  if (IsSkipped() || HasFatalFailure()) return;
  fs::path dir = kCases / name;
  std::string script =
      fs::exists(dir / "script") ? ReadFile(dir / "script") : std::string("apply input\n");
  std::string actual = CaseRunner(*store, dir).Run(script);
  const char* update = std::getenv("PLINTH_UPDATE_GOLDEN");
  if (update && std::string(update) == "1" && backend == Backend::kSqliteMemory) {
    std::ofstream(dir / "expected.txt", std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(ReadFile(dir / "expected.txt"), actual) << "case " << name;
}

std::string ParamName(const ::testing::TestParamInfo<std::tuple<std::string, Backend>>& info) {
  std::string name = std::get<0>(info.param);
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name + "_" + store::testing::BackendName(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Cases, CatalogGoldenTest,
                         ::testing::Combine(::testing::ValuesIn(CaseNames()),
                                            ::testing::ValuesIn(store::testing::AllBackends())),
                         ParamName);

}  // namespace
}  // namespace plinth::catalog
