// `plinth slo status` (every SLO as a table by remaining budget, or one in detail; JSON as the
// API's) and `plinth slo import SLO FILE.csv` (backfill of per-minute counts).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "base/time.h"
#include "cli/commands.h"
#include "reliability/csv_import.h"
#include "reliability/slos.h"
#include "reliability/status.h"

namespace plinth::cli {

namespace {

std::string Percent(const std::optional<double>& v, int digits = 3) {
  if (!v || !std::isfinite(*v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f%%", digits, *v * 100);
  return buf;
}

std::string Number(const std::optional<double>& v, int digits = 2) {
  if (!v) return "-";
  if (std::isinf(*v)) return "never";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, *v);
  return buf;
}

std::string Exhaustion(const std::optional<double>& minutes) {
  if (!minutes) return "-";
  if (std::isinf(*minutes)) return "never";
  return slo::FormatMinutes(static_cast<int64_t>(std::floor(*minutes)));
}

void PrintDetail(const reliability::SloStatus& s) {
  const auto& d = s.slo.def;
  const auto& b = s.budget;
  std::printf("%s%s\n", d.name.c_str(), d.title.empty() ? "" : (" (" + d.title + ")").c_str());
  std::printf("  service      %s (team %s, tier %s)\n", d.service.c_str(),
              s.slo.team.empty() ? "-" : s.slo.team.c_str(),
              s.slo.tier ? std::to_string(*s.slo.tier).c_str() : "-");
  std::printf("  objective    %s, %s, %s\n", Percent(d.params.objective).c_str(),
              slo::MethodName(d.params.method), slo::Describe(d.params.window).c_str());
  std::printf("  window       %s to %s\n", FormatRfc3339(b.window.start_minute * slo::kMinuteMs).c_str(),
              FormatRfc3339(b.window.end_minute * slo::kMinuteMs).c_str());
  if (s.no_data()) {
    std::printf("  no data      %s\n", s.pull_error ? s.pull_error->c_str() : "no data in the window");
  }
  std::printf("  events       good %.0f, total %.0f, bad %.0f\n", b.events.good, b.events.total,
              b.events.bad);
  std::printf("  attainment   %s\n", Percent(b.attainment).c_str());
  std::printf("  budget       remaining %s (consumed %s of %s)\n",
              Percent(b.remaining_ratio, 1).c_str(), Number(b.budget_consumed).c_str(),
              Number(b.budget_total).c_str());
  std::printf("  exhaustion   %s\n", Exhaustion(b.minutes_to_exhaustion).c_str());
  std::printf("  burn rates  ");
  for (const auto& [label, rate] : s.burn_rates) {
    std::printf(" %s %s", label.c_str(), Number(rate).c_str());
  }
  std::printf("\n");
  for (const auto& a : s.alerts) {
    std::printf("  alert        %s (%s)\n", slo::ConditionName(a.kind), slo::SeverityName(a.severity));
  }
  std::printf("  policy       %s%s\n", s.policy_status.c_str(),
              d.policy.empty() ? "" : (": " + d.policy).c_str());
}

}  // namespace

Status RunSloStatus(const Flags& flags) {
  if (flags.positional().size() > 1) return Error::Invalid("expected at most one SLO");
  std::string format = flags.GetOr("format", "table");
  if (format != "table" && format != "json") {
    return Error::Invalid("--format: expected one of table, json (got \"" + format + "\")");
  }
  int64_t at = SystemClock().NowMs();
  if (auto v = flags.Get("at")) {
    auto t = ParseRfc3339(*v);
    if (!t.ok()) {
      return Error::Invalid("--at: expected an RFC 3339 time such as 2026-11-22T09:00:00Z (got \"" +
                            *v + "\")");
    }
    at = *t;
  }
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  reliability::SeriesCache cache;
  PLINTH_ASSIGN_OR_RETURN(auto all, store->Read([&](store::Tx& tx)
                                                    -> Result<std::vector<reliability::SloStatus>> {
    std::vector<reliability::Slo> slos;
    if (flags.positional().size() == 1) {
      PLINTH_ASSIGN_OR_RETURN(auto one, reliability::LoadSlo(tx, flags.positional()[0]));
      slos.push_back(std::move(one));
    } else {
      PLINTH_ASSIGN_OR_RETURN(slos, reliability::LoadSlos(tx));
    }
    std::vector<reliability::SloStatus> out;
    for (const auto& s : slos) {
      PLINTH_ASSIGN_OR_RETURN(auto st, reliability::StatusOf(tx, cache, s, at));
      out.push_back(std::move(st));
    }
    return out;
  }));
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    const auto& ra = a.budget.remaining_ratio;
    const auto& rb = b.budget.remaining_ratio;
    if (ra.has_value() != rb.has_value()) return ra.has_value();
    if (ra && *ra != *rb) return *ra < *rb;
    return a.slo.def.name < b.slo.def.name;
  });
  bool one = flags.positional().size() == 1;
  if (format == "json") {
    if (one) {
      std::printf("%s\n", reliability::StatusJson(all[0], true).dump(2).c_str());
    } else {
      Json items = Json::array();
      for (const auto& s : all) items.push_back(reliability::StatusJson(s, false));
      std::printf("%s\n", Json{{"at", FormatRfc3339(at)}, {"items", items}}.dump(2).c_str());
    }
    return {};
  }
  if (one) {
    PrintDetail(all[0]);
    return {};
  }
  if (all.empty()) {
    std::printf("no SLOs (define them with kind SLO and `plinth apply`)\n");
    return {};
  }
  std::printf("%-32s %-24s %-9s %-10s %-10s %-7s %-10s %s\n", "SLO", "SERVICE", "OBJECTIVE",
              "ATTAINMENT", "REMAINING", "BURN1H", "EXHAUSTION", "STATUS");
  for (const auto& s : all) {
    std::optional<double> burn_1h;
    for (const auto& [label, rate] : s.burn_rates) {
      if (label == "1h") burn_1h = rate;
    }
    std::string status = s.no_data() ? "no data" : s.policy_status;
    std::printf("%-32s %-24s %-9s %-10s %-10s %-7s %-10s %s\n", s.slo.def.name.c_str(),
                s.slo.def.service.c_str(), Percent(s.slo.def.params.objective, 2).c_str(),
                Percent(s.budget.attainment).c_str(), Percent(s.budget.remaining_ratio, 1).c_str(),
                Number(burn_1h).c_str(), Exhaustion(s.budget.minutes_to_exhaustion).c_str(),
                status.c_str());
  }
  return {};
}

Status RunSloImport(const Flags& flags) {
  if (flags.positional().size() != 2) return Error::Invalid("expected SLO and FILE.csv");
  const std::string& slo = flags.positional()[0];
  const std::string& path = flags.positional()[1];
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Invalid(path + ": cannot open the file");
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(
      auto r, reliability::ImportCsv(*store, slo, in, path, [&](int64_t rows) {
        std::fprintf(stderr, "%s: %lld rows read\n", path.c_str(), static_cast<long long>(rows));
      }));
  std::printf("imported %lld rows into %s (%lld minutes written)\n",
              static_cast<long long>(r.rows), slo.c_str(), static_cast<long long>(r.written));
  return {};
}

}  // namespace plinth::cli
