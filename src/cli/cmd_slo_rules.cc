// `plinth slo rules` and `plinth slo pull` (see cmd_slo_rules.h).

#include "cli/cmd_slo_rules.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <thread>

#include "base/time.h"
#include "cli/commands.h"
#include "reliability/puller.h"
#include "reliability/slos.h"
#include "slo/rules.h"
#include "slo/sloth.h"
#include "slo/window.h"

namespace plinth::cli {

namespace {

namespace fs = std::filesystem;

// "checkout-availability" -> "CheckoutAvailability".
std::string Camel(std::string_view name) {
  std::string out;
  bool up = true;
  for (char ch : name) {
    if (ch == '-' || ch == '_' || ch == '.') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
    up = false;
  }
  return out;
}

// A plinth SLO as the rule generator sees it: period = the rolling window or the calendar
// period's nominal length (a month counts 30 days), alerts named <Slo>BudgetBurn with the
// owner team, tier and severity (page / ticket) as labels for Alertmanager's routing.
slo::RuleSlo ToRuleSlo(const reliability::Slo& s) {
  const slo::SloDefinition& d = s.def;
  slo::RuleSlo r;
  r.service = d.service;
  r.name = d.name;
  r.description = d.description.empty() ? d.title : d.description;
  r.objective = std::round(d.params.objective * 100 * 1e9) / 1e9;
  r.period_ms = slo::NominalMinutes(d.params.window) * slo::kMinuteMs;
  r.events = slo::EventsSli{d.indicator.ErrorQuery(), d.indicator.TotalQuery()};
  r.alerting.name = Camel(d.name) + "BudgetBurn";
  if (!s.team.empty()) r.alerting.labels["team"] = s.team;
  if (s.tier) r.alerting.labels["tier"] = std::to_string(*s.tier);
  r.alerting.page_alert.labels["severity"] = "page";
  r.alerting.ticket_alert.labels["severity"] = "ticket";
  r.spec = "plinth/v1";
  return r;
}

// The YAML files named by -f: files as given, directories searched for *.yaml / *.yml, sorted.
Result<std::vector<fs::path>> InputFiles(const std::vector<std::string>& args) {
  std::vector<fs::path> out;
  for (const auto& a : args) {
    std::error_code ec;
    if (fs::is_directory(a, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(a, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        auto ext = it->path().extension();
        if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) found.push_back(it->path());
      }
      if (ec) return Error::Invalid(a + ": " + ec.message());
      std::sort(found.begin(), found.end());
      if (found.empty()) return Error::Invalid(a + ": no .yaml or .yml files in this directory");
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(a, ec)) {
      out.emplace_back(a);
    } else {
      return Error::NotFound(a + ": no such file or directory");
    }
  }
  return out;
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Invalid(path.string() + ": cannot read");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Writes {file name: content} to --out DIR, or all of them to stdout (each starts with "---").
Status WriteOutputs(const std::map<std::string, std::string>& files,
                    const std::optional<std::string>& out_dir) {
  if (!out_dir) {
    for (const auto& [name, text] : files) std::fputs(text.c_str(), stdout);
    return {};
  }
  std::error_code ec;
  fs::create_directories(*out_dir, ec);
  if (ec) return Error::Invalid("--out " + *out_dir + ": " + ec.message());
  for (const auto& [name, text] : files) {
    fs::path path = fs::path(*out_dir) / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return Error::Invalid(path.string() + ": cannot write");
    std::fprintf(stderr, "wrote %s\n", path.string().c_str());
  }
  return {};
}

Result<int64_t> NowFlag(const Flags& flags) {
  auto v = flags.Get("now");
  if (!v) return SystemClock().NowMs();
  auto t = ParseRfc3339(*v);
  if (!t.ok()) {
    return Error::Invalid("--now: expected an RFC 3339 time such as 2026-11-22T09:00:00Z (got \"" +
                          *v + "\")");
  }
  return *t;
}

void PrintResult(const reliability::PullResult& r) {
  if (r.skipped) {
    std::printf("%-32s skipped (pulled less than its data source's interval ago)\n", r.slo.c_str());
  } else if (!r.error.empty()) {
    std::printf("%-32s failed: %s\n", r.slo.c_str(), r.error.c_str());
  } else {
    std::printf("%-32s %lld minutes from %s to %s\n", r.slo.c_str(),
                static_cast<long long>(r.minutes_written),
                FormatRfc3339(r.from_minute * slo::kMinuteMs).c_str(),
                FormatRfc3339(r.to_minute * slo::kMinuteMs).c_str());
  }
}

}  // namespace

Status RunSloRules(const Flags& flags) {
  if (!flags.positional().empty()) return Error::Invalid("expected no arguments (use -f FILE)");
  slo::RuleOptions options =
      flags.Has("sloth-compatible") ? slo::RuleOptions::SlothCompatible() : slo::RuleOptions{};
  std::map<std::string, std::string> files;  // output file name -> rules
  std::vector<std::string> inputs = flags.All("file");
  if (!inputs.empty()) {
    // Sloth input files: one output per input file, named after it.
    PLINTH_ASSIGN_OR_RETURN(auto paths, InputFiles(inputs));
    for (const auto& path : paths) {
      PLINTH_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
      PLINTH_ASSIGN_OR_RETURN(std::string rules,
                              slo::GenerateFromSloth(text, path.string(), options));
      std::string name = path.stem().string() + ".rules.yml";
      if (files.count(name)) {
        return Error::Invalid(path.string() + ": another input file is also named " +
                              path.stem().string() + "; their rule files would collide");
      }
      files[name] = std::move(rules);
    }
    return WriteOutputs(files, flags.Get("out"));
  }
  // The database's Prometheus-backed SLOs: one rule file per service.
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(auto slos,
                          store->Read([&](store::Tx& tx) { return reliability::LoadSlos(tx); }));
  std::map<std::string, std::vector<slo::RuleSlo>> by_service;
  for (const auto& s : slos) {
    if (s.def.indicator.kind == slo::Indicator::kPushed || s.def.data_source.empty()) continue;
    by_service[s.def.service].push_back(ToRuleSlo(s));
  }
  if (by_service.empty()) {
    return Error::NotFound(
        "no SLO is backed by Prometheus (a ratio or latency indicator with a dataSource); "
        "pushed SLOs need no rules");
  }
  for (const auto& [service, rule_slos] : by_service) {
    auto rules = slo::GenerateRules(rule_slos, options);
    if (!rules.ok()) {
      Error e = std::move(rules).error();
      e.message = "service " + service + ": " + e.message;
      return e;
    }
    files[service + ".rules.yml"] = std::move(rules).value();
  }
  return WriteOutputs(files, flags.Get("out"));
}

Status RunSloPull(const Flags& flags) {
  if (!flags.positional().empty()) return Error::Invalid("expected no arguments");
  bool once = flags.Has("once");
  if (flags.Has("now") && !once) return Error::Invalid("--now needs --once");
  reliability::PullOptions options;
  options.force = flags.Has("force");
  if (auto v = flags.Get("first-pull")) {
    auto m = slo::ParseMinutes(*v);
    if (!m.ok() || *m < 1) {
      return Error::Invalid("--first-pull: expected a duration such as 30d or 12h (got \"" + *v +
                            "\")");
    }
    options.first_pull_minutes = *m;
  }
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  auto pull = [&](int64_t now_ms) -> Result<int64_t> {
    if (auto one = flags.Get("slo")) {
      PLINTH_ASSIGN_OR_RETURN(auto r, reliability::PullOne(*store, *one, now_ms, options));
      PrintResult(r);
      return r.error.empty() ? 0 : 1;
    }
    PLINTH_ASSIGN_OR_RETURN(auto report, reliability::PullAll(*store, now_ms, options));
    if (report.slos.empty()) std::printf("no SLO is pulled from Prometheus\n");
    for (const auto& r : report.slos) PrintResult(r);
    return report.failed();
  };
  if (once) {
    PLINTH_ASSIGN_OR_RETURN(int64_t now_ms, NowFlag(flags));
    PLINTH_ASSIGN_OR_RETURN(int64_t failed, pull(now_ms));
    if (failed > 0) {
      return Error::Unavailable(std::to_string(failed) + " SLO(s) could not be pulled (see above)");
    }
    return {};
  }
  // Until interrupted: a pull at the start of every minute (each SLO when its interval is due).
  for (;;) {
    int64_t now_ms = SystemClock().NowMs();
    PLINTH_RETURN_IF_ERROR(pull(now_ms));
    std::fflush(stdout);
    int64_t next = (now_ms / slo::kMinuteMs + 1) * slo::kMinuteMs + 1000;
    std::this_thread::sleep_for(std::chrono::milliseconds(next - SystemClock().NowMs()));
  }
}

}  // namespace plinth::cli
