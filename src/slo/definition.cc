#include "slo/definition.h"

#include <date/date.h>

#include <cstdio>

namespace plinth::slo {

namespace {

std::string Str(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

int64_t Minutes(const std::string& text, int64_t fallback) {
  auto m = ParseMinutes(text);
  return m.ok() ? *m : fallback;
}

}  // namespace

std::optional<int64_t> ParseLocalDateTime(std::string_view text) {
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0;
  char sep = 0;
  std::string t(text);
  if (t.size() != 16 || std::sscanf(t.c_str(), "%4d-%2u-%2u%c%2u:%2u", &y, &mo, &d, &sep, &h, &mi) != 6 ||
      (sep != 'T' && sep != ' ') || h > 23 || mi > 59) {
    return std::nullopt;
  }
  date::year_month_day ymd{date::year(y), date::month(mo), date::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days(ymd).time_since_epoch().count() * 86400LL + h * 3600 + mi * 60;
}

std::string FormatNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

std::string Indicator::ErrorQuery() const {
  if (kind == kLatency) {
    return "(" + TotalQuery() + ") - (sum(rate(" + metric + "_bucket{" + selector +
           (selector.empty() ? "" : ",") + "le=\"" + FormatNumber(threshold_s) +
           "\"}[{{.window}}])))";
  }
  if (!bad.empty()) return bad;
  return "(" + total + ") - (" + good + ")";
}

std::string Indicator::TotalQuery() const {
  if (kind == kLatency) {
    return "sum(rate(" + metric + "_count{" + selector + "}[{{.window}}]))";
  }
  return total;
}

SloDefinition FromDocument(const Json& doc) {
  SloDefinition d;
  const Json& md = doc.at("metadata");
  const Json& spec = doc.at("spec");
  d.name = Str(md, "name");
  d.title = md.contains("title") ? Str(md, "title") : d.name;
  d.service = Str(spec, "service");
  d.description = Str(spec, "description");
  d.data_source = Str(spec, "dataSource");
  d.policy = Str(spec, "policy");
  d.params.objective = spec.value("objective", 0.999);
  d.params.method = ParseMethod(Str(spec, "budgetingMethod")).value_or(BudgetingMethod::kOccurrences);
  if (auto it = spec.find("timeslice"); it != spec.end()) {
    d.params.slice.minutes = Minutes(Str(*it, "length"), 1);
    d.params.slice.target = it->value("target", 0.99);
  }
  const Json& window = spec.at("window");
  if (window.is_string()) {
    d.params.window = TimeWindow::Rolling(Minutes(window.get<std::string>(), 43200));
  } else {
    CalendarSpec c;
    c.unit = ParseUnit(Str(window, "calendar")).value_or(CalendarUnit::kMonth);
    c.count = window.value("count", 1);
    c.zone = Str(window, "timeZone");
    if (window.contains("start")) c.anchor_local_s = ParseLocalDateTime(Str(window, "start"));
    d.params.window = TimeWindow::Calendar(c);
  }
  const Json& ind = spec.at("indicator");
  if (auto it = ind.find("ratio"); it != ind.end()) {
    d.indicator.kind = Indicator::kRatio;
    d.indicator.good = Str(*it, "good");
    d.indicator.bad = Str(*it, "bad");
    d.indicator.total = Str(*it, "total");
  } else if (auto lt = ind.find("latency"); lt != ind.end()) {
    d.indicator.kind = Indicator::kLatency;
    d.indicator.metric = Str(*lt, "metric");
    d.indicator.selector = Str(*lt, "selector");
    d.indicator.threshold_s = lt->value("threshold", 0.0);
  }
  if (auto it = spec.find("alerting"); it != spec.end()) {
    d.alerting.min_long_window_events = it->value("minEvents", 0.0);
    if (it->contains("noData")) {
      d.alerting.no_data_minutes = Minutes(Str(*it, "noData"), 10);
    }
    d.alerting.budget_exhausted = it->value("budgetExhausted", true);
    if (auto w = it->find("windows"); w != it->end() && w->is_object()) {
      AlertWindows windows = DefaultAlertWindows(NominalMinutes(d.params.window));
      auto rule = [&](const char* key, BurnWindow* out) {
        auto r = w->find(key);
        if (r == w->end() || !r->is_object()) return;
        out->error_budget_percent = r->value("budgetPercent", out->error_budget_percent);
        out->short_minutes = Minutes(Str(*r, "shortWindow"), out->short_minutes);
        out->long_minutes = Minutes(Str(*r, "longWindow"), out->long_minutes);
      };
      rule("pageQuick", &windows.page_quick);
      rule("pageSlow", &windows.page_slow);
      rule("ticketQuick", &windows.ticket_quick);
      rule("ticketSlow", &windows.ticket_slow);
      d.alerting.windows = windows;
    }
  }
  return d;
}

}  // namespace plinth::slo
