// The SLO budget golden corpus: every folder under tests/golden/slo-budget/ is one case. Its
// `input.yaml` holds
//   slo:      objective, method (Occurrences | Timeslices | RatioTimeslices), slice (e.g. 5m),
//             slice_target, window (rolling, e.g. 30d) or calendar {unit, count, zone,
//             anchor "YYYY-MM-DD HH:MM"}, exhaustion_burn (default 1h)
//   alerts:   optional policy: min_long_window_events, no_data_minutes (a duration),
//             windows {period, page_quick {percent, short, long}, page_slow, ticket_...}
//   data:     segments {from, to, good, total} (every minute of [from, to) gets the counts) or
//             {from, to, pattern: [[good, total], ...]} (cycled minute by minute from `from`);
//             minutes in no segment have no data
//   at:       instants to evaluate; burn: extra burn-rate windows to print at each;
//   mean_of:  a slice length: also print the mean of the per-slice ratios (Sloth's bias);
//   history:  {from, to}: the alert intervals over that range.
// `expected.txt` is the evaluation, compared exactly. The numbers in it were checked against
// an independent calculation, not only produced by the engine.
// PLINTH_UPDATE_GOLDEN=1 rewrites expected.txt instead (review the diff line by line!).

#include <date/date.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "base/time.h"
#include "base/yaml.h"
#include "slo/budget.h"
#include "slo/burn.h"
#include "store/golden.h"

namespace plinth::slo {
namespace {

namespace fs = std::filesystem;

const fs::path kCases = fs::path(PLINTH_SOURCE_DIR) / "tests/golden/slo-budget";

std::string Str(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// Integers as integers, others with 9 significant digits (printf %.9g), "inf" for infinity.
std::string Num(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[64];
  if (x == std::floor(x) && std::fabs(x) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", x == 0 ? 0.0 : x);
  } else {
    std::snprintf(buf, sizeof buf, "%.9g", x);
  }
  return buf;
}

std::string Opt(const std::optional<double>& x) { return x ? Num(*x) : "-"; }

// "2026-02-28T23:00:00Z (2026-03-01 00:00 +01:00)" for calendar windows; UTC alone otherwise.
std::string When(const SloParams& slo, int64_t minute) {
  std::string out = FormatRfc3339(minute * kMinuteMs);
  if (!slo.window.calendar) return out;
  const date::time_zone* zone = *FindZone(slo.window.calendar->zone);
  int64_t local = UtcToLocalS(zone, minute * kMinuteMs);
  int64_t offset = local - minute * 60;
  int64_t days = FloorDiv(local, 86400);
  date::year_month_day ymd{date::sys_days{date::days{days}}};
  int64_t tod = local - days * 86400;
  int64_t abs = offset < 0 ? -offset : offset;
  char buf[64];
  std::snprintf(buf, sizeof buf, " (%04d-%02u-%02u %02d:%02d %c%02d:%02d)",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(tod / 3600),
                static_cast<int>(tod / 60 % 60), offset < 0 ? '-' : '+',
                static_cast<int>(abs / 3600), static_cast<int>(abs / 60 % 60));
  return out + buf;
}

Result<int64_t> Minutes(const Json& obj, const char* key, int64_t fallback) {
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if (!it->is_string()) return Error::Invalid(std::string(key) + ": expected a duration");
  return ParseMinutes(it->get<std::string>());
}

Result<SloParams> ParseSlo(const Json& in) {
  SloParams slo;
  slo.objective = in.value("objective", 0.0);
  auto method = ParseMethod(in.value("method", "Occurrences"));
  if (!method) return Error::Invalid("unknown method");
  slo.method = *method;
  PLINTH_ASSIGN_OR_RETURN(slo.slice.minutes, Minutes(in, "slice", 1));
  slo.slice.target = in.value("slice_target", 0.99);
  PLINTH_ASSIGN_OR_RETURN(slo.exhaustion_burn_minutes, Minutes(in, "exhaustion_burn", 60));
  if (auto it = in.find("calendar"); it != in.end()) {
    CalendarSpec cal;
    auto unit = ParseUnit(Str(*it, "unit"));
    if (!unit) return Error::Invalid("unknown calendar unit");
    cal.unit = *unit;
    cal.count = it->value("count", 1);
    cal.zone = Str(*it, "zone");
    if (std::string a = Str(*it, "anchor"); !a.empty()) {
      PLINTH_ASSIGN_OR_RETURN(int64_t ms, ParseRfc3339(a + ":00Z"));
      cal.anchor_local_s = ms / 1000;  // the wall time, read as if UTC
    }
    slo.window = TimeWindow::Calendar(cal);
  } else {
    PLINTH_ASSIGN_OR_RETURN(int64_t d, Minutes(in, "window", 30 * kMinutesPerDay));
    slo.window = TimeWindow::Rolling(d);
  }
  return slo;
}

Result<AlertPolicy> ParsePolicy(const Json& in) {
  AlertPolicy p;
  p.min_long_window_events = in.value("min_long_window_events", 0.0);
  PLINTH_ASSIGN_OR_RETURN(p.no_data_minutes, Minutes(in, "no_data_minutes", 10));
  if (auto it = in.find("windows"); it != in.end()) {
    AlertWindows w;
    PLINTH_ASSIGN_OR_RETURN(w.period_minutes, Minutes(*it, "period", 0));
    for (auto [key, rule] : {std::pair{"page_quick", &w.page_quick},
                             {"page_slow", &w.page_slow},
                             {"ticket_quick", &w.ticket_quick},
                             {"ticket_slow", &w.ticket_slow}}) {
      const Json& r = it->value(key, Json::object());
      rule->error_budget_percent = r.value("percent", 0.0);
      PLINTH_ASSIGN_OR_RETURN(rule->short_minutes, Minutes(r, "short", 0));
      PLINTH_ASSIGN_OR_RETURN(rule->long_minutes, Minutes(r, "long", 0));
    }
    p.windows = w;
  }
  return p;
}

Result<MinuteSeries> ParseData(const Json& data, const SloParams& slo) {
  std::map<int64_t, MinutePoint> minutes;
  for (const Json& seg : data) {
    PLINTH_ASSIGN_OR_RETURN(int64_t from, ParseRfc3339(Str(seg, "from")));
    PLINTH_ASSIGN_OR_RETURN(int64_t to, ParseRfc3339(Str(seg, "to")));
    const Json pattern =
        seg.value("pattern", Json::array({{seg.value("good", 0.0), seg.value("total", 0.0)}}));
    size_t i = 0;
    for (int64_t m = from / kMinuteMs; m < to / kMinuteMs; ++m, ++i) {
      const Json& gt = pattern[i % pattern.size()];
      minutes[m] = {m, gt[0].get<double>(), gt[1].get<double>()};
    }
  }
  std::vector<MinutePoint> points;
  for (const auto& [m, p] : minutes) points.push_back(p);
  std::optional<SliceSpec> index;
  if (slo.timeslices()) index = slo.slice;
  return MinuteSeries::Build(points, index);
}

void PrintWindows(const AlertWindows& w, std::string& out) {
  out += "alert windows for a period of " + FormatMinutes(w.period_minutes) + "\n";
  for (ConditionKind k : {ConditionKind::kPageQuick, ConditionKind::kPageSlow,
                          ConditionKind::kTicketQuick, ConditionKind::kTicketSlow}) {
    const BurnWindow& r = k == ConditionKind::kPageQuick     ? w.page_quick
                          : k == ConditionKind::kPageSlow    ? w.page_slow
                          : k == ConditionKind::kTicketQuick ? w.ticket_quick
                                                             : w.ticket_slow;
    char buf[160];
    std::snprintf(buf, sizeof buf, "  %-13s %s over %s and %s (%s%% of the budget)\n",
                  ConditionName(k), Num(w.Factor(r)).c_str(), FormatMinutes(r.long_minutes).c_str(),
                  FormatMinutes(r.short_minutes).c_str(), Num(r.error_budget_percent).c_str());
    out += buf;
  }
}

std::string RunCase(const fs::path& dir) {
  auto docs = ParseYaml(golden::ReadFile(dir / "input.yaml"), "input.yaml");
  if (!docs.ok()) return "error: " + docs.error().ToString() + "\n";
  const Json& in = (*docs)[0].value;
  auto slo = ParseSlo(in.value("slo", Json::object()));
  if (!slo.ok()) return "error: " + slo.error().ToString() + "\n";
  auto policy = ParsePolicy(in.value("alerts", Json::object()));
  if (!policy.ok()) return "error: " + policy.error().ToString() + "\n";
  if (Status s = Validate(*slo); !s.ok()) return "error: " + s.error().ToString() + "\n";
  auto series = ParseData(in.value("data", Json::array()), *slo);
  if (!series.ok()) return "error: " + series.error().ToString() + "\n";

  std::string out = "slo: objective " + Num(slo->objective) + ", " + MethodName(slo->method);
  if (slo->timeslices()) {
    out += " of " + FormatMinutes(slo->slice.minutes);
    if (slo->method == BudgetingMethod::kTimeslices) {
      out += " (good at >= " + Num(slo->slice.target) + ")";
    }
  }
  out += ", " + Describe(slo->window) + "\n";
  AlertWindows windows =
      policy->windows ? *policy->windows : DefaultAlertWindows(NominalMinutes(slo->window));
  PrintWindows(windows, out);
  out += "low-traffic guard: " + Num(policy->min_long_window_events) + " events; no data after " +
         FormatMinutes(policy->no_data_minutes) + "\n";

  for (const Json& at_text : in.value("at", Json::array())) {
    auto at = ParseRfc3339(at_text.get<std::string>());
    if (!at.ok()) return "error: bad at\n";
    auto st = Evaluate(*slo, *series, *at);
    out += "\nat " + FormatRfc3339(*at) + "\n";
    if (!st.ok()) {
      out += "  error: " + st.error().ToString() + "\n";
      continue;
    }
    const WindowBounds& w = st->window;
    out += "  window      " + When(*slo, w.start_minute) + " .. " +
           When(*slo, w.period_end_minute) + "\n";
    out += "  length      " + FormatMinutes(w.length_minutes()) + " (" +
           std::to_string(w.length_minutes()) + "m), evaluated " +
           FormatMinutes(w.end_minute - w.start_minute) + "\n";
    out += "  events      good " + Num(st->events.good) + "  total " + Num(st->events.total) +
           "  bad " + Num(st->events.bad) + "  minutes with data " +
           std::to_string(st->events.data_minutes) + "\n";
    if (slo->timeslices()) {
      out += "  slices      " + std::to_string(st->slices.slices) + " completed, " +
             std::to_string(st->slices.with_events) + " with events, " +
             std::to_string(st->slices.good) + " good, ratio sum " + Num(st->slices.ratio_sum) +
             "; " + std::to_string(st->slices_in_window) + " in the window\n";
    }
    out += std::string("  no data     ") + (st->no_data ? "yes" : "no") + "\n";
    out += "  attainment  " + Opt(st->attainment) + "\n";
    if (auto it = in.find("mean_of"); it != in.end()) {
      SloParams alt = *slo;
      alt.method = BudgetingMethod::kRatioTimeslices;
      alt.slice.minutes = *ParseMinutes(it->get<std::string>());
      auto mean = Evaluate(alt, *series, *at);
      std::optional<double> weighted;
      if (st->events.total > 0) weighted = st->events.good / st->events.total;
      out += "  mean of " + it->get<std::string>() + " ratios " + Opt(mean->attainment) +
             " (count-weighted " + Opt(weighted) + ")\n";
    }
    out += "  budget      total " + Num(st->budget_total) + "  consumed " +
           Num(st->budget_consumed) + "  remaining " + Opt(st->remaining_ratio) + "\n";
    out += "  burn rate   window " + Opt(st->burn_rate);
    for (const Json& b : in.value("burn", Json::array())) {
      int64_t m = *ParseMinutes(b.get<std::string>());
      out += "  " + b.get<std::string>() + " " +
             Opt(BurnRate(*slo, *series, w.end_minute - m, w.end_minute));
    }
    out += "\n  exhaustion  current burn (" + FormatMinutes(slo->exhaustion_burn_minutes) + ") " +
           Opt(st->current_burn_rate) + "  minutes " + Opt(st->minutes_to_exhaustion) + "\n";
    auto alerts = EvaluateAlerts(*slo, *policy, *series, *at);
    if (!alerts.ok()) return "error: " + alerts.error().ToString() + "\n";
    out += "  alerts     ";
    if (alerts->empty()) out += " none";
    for (const ActiveCondition& c : *alerts) {
      out += std::string(" ") + ConditionName(c.kind) + " (" + SeverityName(c.severity);
      if (c.kind == ConditionKind::kBudgetExhausted) out += ", remaining " + Num(c.remaining_ratio);
      if (c.factor > 0) {
        out += ", " + Num(c.long_burn) + " over " + FormatMinutes(c.rule.long_minutes) + ", " +
               Num(c.short_burn) + " over " + FormatMinutes(c.rule.short_minutes) + " > " +
               Num(c.factor) + ", " + Num(c.long_events) + " events";
      }
      out += ")";
    }
    out += "\n";
  }

  if (auto it = in.find("history"); it != in.end()) {
    auto from = ParseRfc3339(Str(*it, "from"));
    auto to = ParseRfc3339(Str(*it, "to"));
    if (!from.ok() || !to.ok()) return "error: bad history range\n";
    auto h = AlertHistory(*slo, *policy, *series, *from, *to);
    out += "\nhistory " + FormatRfc3339(*from) + " .. " + FormatRfc3339(*to) + "\n";
    if (!h.ok()) return out + "  error: " + h.error().ToString() + "\n";
    if (h->empty()) out += "  (no alerts)\n";
    for (const AlertInterval& a : *h) {
      char buf[200];
      std::snprintf(buf, sizeof buf, "  %-16s %-6s %s .. %s", ConditionName(a.kind),
                    SeverityName(a.severity), FormatRfc3339(a.start_ms).c_str(),
                    FormatRfc3339(a.end_ms).c_str());
      out += buf;
      if (a.peak_burn > 0) out += "  peak burn " + Num(a.peak_burn);
      if (a.ongoing) out += "  (ongoing)";
      out += "\n";
    }
  }
  return out;
}

std::vector<std::string> CaseNames() { return golden::CaseNames(kCases); }

class BudgetGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BudgetGoldenTest, MatchesExpected) {
  const std::string& name = GetParam();
  fs::path dir = kCases / name;
  std::string actual = RunCase(dir);
  golden::ExpectMatches(dir, actual);
}

TEST(GoldenSloBudgetCorpus, HasCases) { EXPECT_GE(CaseNames().size(), 16u); }

INSTANTIATE_TEST_SUITE_P(Golden, BudgetGoldenTest, ::testing::ValuesIn(CaseNames()),
                         golden::ParamName);

}  // namespace
}  // namespace plinth::slo
