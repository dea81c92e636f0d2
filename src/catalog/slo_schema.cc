// The schemas of the SLO and DataSource kinds (see slo/definition.h for the YAML form).

#include <cctype>

#include "catalog/spec_context.h"
#include "slo/budget.h"
#include "slo/calendar.h"
#include "slo/definition.h"
#include "slo/window.h"

namespace plinth::catalog {

namespace {

const std::vector<std::string> kDataSourceTypes = {"prometheus"};
const std::vector<std::string> kCalendarUnits = {"day", "week", "month", "quarter", "year"};
constexpr std::string_view kWindowPlaceholder = "{{.window}}";

std::string Lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// A number at `key` in (lo, hi) or (lo, hi] when `hi_inclusive`.
std::optional<double> Share(FieldReader& r, std::string_view key, bool required,
                            bool hi_inclusive = false) {
  const Json* v = r.Get(key);
  if (!v) {
    if (required) r.Fail(key, "is required");
    return std::nullopt;
  }
  double d = v->is_number() ? v->get<double>() : -1;
  bool ok = v->is_number() && d > 0 && (hi_inclusive ? d <= 1 : d < 1);
  if (!ok) {
    r.Fail(key, std::string("must be a number between 0 and 1") +
                    (hi_inclusive ? " (0 excluded)" : ", both excluded") + " such as 0.999 (got " +
                    v->dump() + ")");
    return std::nullopt;
  }
  return d;
}

// A duration of whole minutes ("5m", "1h", "30d", "2w").
std::optional<int64_t> Minutes(FieldReader& r, std::string_view key, bool required,
                               int64_t min = 1) {
  auto text = r.Text(key, required);
  if (!text) return std::nullopt;
  auto m = slo::ParseMinutes(*text);
  if (!m.ok() || *m < min) {
    r.Fail(key, "must be a duration such as 5m, 1h, 30d or 4w (got \"" + *text + "\")");
    return std::nullopt;
  }
  return *m;
}

// A PromQL rate over Sloth's {{.window}} placeholder.
std::optional<std::string> Query(FieldReader& r, std::string_view key) {
  auto q = r.Text(key);
  if (q && q->find(kWindowPlaceholder) == std::string::npos) {
    r.Fail(key, "must contain {{.window}} where the rate's range goes, e.g. "
                "sum(rate(http_requests_total[{{.window}}]))");
    return std::nullopt;
  }
  return q;
}

void Window(SpecContext& c) {
  const Json* w = c.in.Get("window");
  if (!w) {
    c.in.Fail("window", "is required: a rolling duration such as 30d, or {calendar: month, "
                        "timeZone: …}");
    return;
  }
  if (w->is_string()) {
    if (auto m = Minutes(c.in, "window", true)) c.out["window"] = slo::FormatMinutes(*m);
    return;
  }
  const Json* obj = c.in.Object("window");
  if (!obj) return;
  FieldReader r(*obj, c.in.Pointer("window"), c.in.errors());
  Json out = Json::object();
  auto unit = r.Enum("calendar", kCalendarUnits);
  if (!r.Get("calendar")) r.Fail("calendar", "is required (day, week, month, quarter or year)");
  slo::CalendarSpec spec;
  if (unit) {
    spec.unit = *slo::ParseUnit(*unit);
    out["calendar"] = *unit;
  }
  if (const Json* n = r.Get("count")) {
    if (n->is_number_integer() && n->get<int64_t>() >= 1 && n->get<int64_t>() <= 1000) {
      spec.count = static_cast<int>(n->get<int64_t>());
      out["count"] = spec.count;
    } else {
      r.Fail("count", "must be a whole number from 1 to 1000");
    }
  }
  if (auto tz = r.Text("timeZone")) {
    spec.zone = *tz;
    if (slo::FindZone(*tz).ok()) {
      out["timeZone"] = *tz;
    } else {
      r.Fail("timeZone", "unknown time zone \"" + *tz + "\" (expected an IANA zone such as "
                         "Europe/Berlin)");
    }
  } else if (!r.Get("timeZone")) {
    r.Fail("timeZone", "is required: a calendar window starts at midnight in some time zone "
                       "(e.g. UTC or Europe/Berlin)");
  }
  if (auto start = r.Text("start")) {
    auto local = slo::ParseLocalDateTime(*start);
    if (!local) {
      r.Fail("start", "must be a local date and time such as 2026-01-01T00:00");
    } else {
      spec.anchor_local_s = *local;
      out["start"] = *start;
    }
  }
  r.Finish();
  if (out.contains("calendar") && out.contains("timeZone")) {
    auto ok = slo::ValidateCalendar(spec);
    if (!ok.ok()) r.Fail("start", ok.error().message);
  }
  c.out["window"] = std::move(out);
}

void Indicator(SpecContext& c, bool* pushed) {
  const Json* ind = c.in.Object("indicator", true);
  if (!ind) return;
  FieldReader r(*ind, c.in.Pointer("indicator"), c.in.errors());
  int kinds = 0;
  Json out = Json::object();
  if (const Json* ratio = r.Object("ratio")) {
    ++kinds;
    FieldReader q(*ratio, r.Pointer("ratio"), r.errors());
    Json o = Json::object();
    auto good = Query(q, "good");
    auto bad = Query(q, "bad");
    auto total = Query(q, "total");
    if (!q.Get("total")) q.Fail("total", "is required");
    if (!q.Get("good") == !q.Get("bad")) {
      q.Fail(q.Get("good") ? "bad" : "good", "give either good or bad (with total), not both");
    }
    if (good) o["good"] = *good;
    if (bad) o["bad"] = *bad;
    if (total) o["total"] = *total;
    q.Finish();
    out["ratio"] = std::move(o);
  }
  if (const Json* lat = r.Object("latency")) {
    ++kinds;
    FieldReader q(*lat, r.Pointer("latency"), r.errors());
    Json o = Json::object();
    if (auto metric = q.Text("metric", true)) o["metric"] = *metric;
    if (auto selector = q.Text("selector")) o["selector"] = *selector;
    if (const Json* t = q.Require("threshold")) {
      if (t->is_number() && t->get<double>() > 0) {
        o["threshold"] = t->get<double>();
      } else {
        q.Fail("threshold", "must be a number of seconds above 0 (a histogram bucket boundary)");
      }
    }
    q.Finish();
    out["latency"] = std::move(o);
  }
  if (r.Object("pushed")) {
    ++kinds;
    *pushed = true;
    out["pushed"] = Json::object();
  }
  if (kinds != 1) {
    r.FailAt(c.in.Pointer("indicator"), "must have exactly one of ratio, latency or pushed");
  }
  r.Finish();
  c.out["indicator"] = std::move(out);
}

}  // namespace

void DataSourceSpec(SpecContext& c) {
  auto type = c.in.Text("type", true);
  if (type) {
    if (Lower(*type) == "prometheus") {
      c.out["type"] = "prometheus";
    } else {
      c.in.Fail("type", "must be prometheus (got \"" + *type + "\")");
    }
  }
  if (auto url = c.in.Url("url")) c.out["url"] = *url;
  if (!c.in.Get("url")) c.in.Fail("url", "is required, e.g. http://prometheus:9090");
  if (auto m = Minutes(c.in, "interval", false)) c.out["interval"] = slo::FormatMinutes(*m);
  if (auto d = c.in.Text("description")) c.out["description"] = *d;
}

void SloSpec(SpecContext& c) {
  if (auto service = c.in.Name("service", true)) {
    c.out["service"] = *service;
    c.Ref(kMeasures, "Service", *service, c.in.Pointer("service"));
  }
  if (auto v = c.in.Text("description")) c.out["description"] = *v;
  if (auto v = c.in.Text("policy")) c.out["policy"] = *v;
  if (auto o = Share(c.in, "objective", true)) c.out["objective"] = *o;
  Window(c);
  std::string method = "Occurrences";
  if (auto m = c.in.Text("budgetingMethod")) {
    bool found = false;
    for (const char* name : {"Occurrences", "Timeslices", "RatioTimeslices"}) {
      if (Lower(*m) == Lower(name)) {
        method = name;
        found = true;
      }
    }
    if (!found) {
      c.in.Fail("budgetingMethod",
                "must be Occurrences, Timeslices or RatioTimeslices (got \"" + *m + "\")");
    }
  }
  c.out["budgetingMethod"] = method;
  const Json* slice = c.in.Object("timeslice");
  if (method == "Occurrences" && slice) {
    c.in.Fail("timeslice", "only the Timeslices and RatioTimeslices methods have timeslices");
  } else if (method != "Occurrences") {
    Json out = {{"length", "1m"}};
    if (slice) {
      FieldReader r(*slice, c.in.Pointer("timeslice"), c.in.errors());
      if (auto m = Minutes(r, "length", false)) out["length"] = slo::FormatMinutes(*m);
      if (method == "Timeslices") {
        if (auto t = Share(r, "target", true, true)) out["target"] = *t;
      }
      r.Finish();
    } else if (method == "Timeslices") {
      c.in.Fail("timeslice", "is required for Timeslices: {length: 1m, target: 0.95}");
    }
    c.out["timeslice"] = std::move(out);
  }
  bool pushed = false;
  Indicator(c, &pushed);
  if (auto ds = c.in.Name("dataSource")) {
    c.out["dataSource"] = *ds;
    c.Ref(kUses, "DataSource", *ds, c.in.Pointer("dataSource"));
  } else if (!pushed && c.out.contains("indicator") && !c.in.Get("dataSource")) {
    c.in.Fail("dataSource", "is required: the Prometheus the indicator's queries run on");
  }
  if (const Json* a = c.in.Object("alerting")) {
    FieldReader r(*a, c.in.Pointer("alerting"), c.in.errors());
    Json out = Json::object();
    if (const Json* n = r.Get("minEvents")) {
      if (n->is_number_unsigned() || n->is_number_integer()) {
        if (n->get<int64_t>() >= 0) out["minEvents"] = n->get<int64_t>();
        else r.Fail("minEvents", "must be a number of events, 0 or more");
      } else if (n->is_number() && n->get<double>() >= 0) {
        out["minEvents"] = n->get<double>();
      } else {
        r.Fail("minEvents", "must be a number of events, 0 or more");
      }
    }
    if (auto m = Minutes(r, "noData", false, 0)) out["noData"] = slo::FormatMinutes(*m);
    if (const Json* w = r.Object("windows")) {
      // Sloth's AlertWindows for this SLO: each rule's share of the budget and its windows.
      FieldReader wr(*w, r.Pointer("windows"), r.errors());
      Json windows = Json::object();
      for (const char* rule : {"pageQuick", "pageSlow", "ticketQuick", "ticketSlow"}) {
        const Json* obj = wr.Object(rule);
        if (!obj) {
          if (!wr.Get(rule)) wr.Fail(rule, "is required: {budgetPercent, shortWindow, longWindow}");
          continue;
        }
        FieldReader rr(*obj, wr.Pointer(rule), wr.errors());
        Json out_rule = Json::object();
        if (const Json* pct = rr.Require("budgetPercent")) {
          if (pct->is_number() && pct->get<double>() > 0 && pct->get<double>() <= 100) {
            out_rule["budgetPercent"] = *pct;
          } else {
            rr.Fail("budgetPercent", "must be a percentage of the period's budget in (0, 100]");
          }
        }
        auto short_m = Minutes(rr, "shortWindow", true);
        auto long_m = Minutes(rr, "longWindow", true);
        if (short_m && long_m && *short_m > *long_m) {
          rr.Fail("shortWindow", "must not be longer than longWindow");
        }
        if (short_m) out_rule["shortWindow"] = slo::FormatMinutes(*short_m);
        if (long_m) out_rule["longWindow"] = slo::FormatMinutes(*long_m);
        rr.Finish();
        windows[rule] = std::move(out_rule);
      }
      wr.Finish();
      out["windows"] = std::move(windows);
    }
    if (const Json* b = r.Get("budgetExhausted")) {
      if (b->is_boolean()) {
        out["budgetExhausted"] = b->get<bool>();
      } else {
        r.Fail("budgetExhausted", "must be true or false");
      }
    }
    r.Finish();
    if (!out.empty()) c.out["alerting"] = std::move(out);
  }
  // What the engine checks beyond single fields: a timeslice longer than the window.
  if (c.out.contains("window") && c.out.contains("timeslice") && c.out.contains("objective")) {
    Json doc = {{"metadata", {{"name", c.name}}}, {"spec", c.out}};
    if (!c.out.contains("indicator")) doc["spec"]["indicator"] = Json::object();
    auto params = slo::FromDocument(doc).params;
    if (auto ok = slo::Validate(params); !ok.ok()) c.in.Fail("timeslice", ok.error().message);
  }
}

}  // namespace plinth::catalog
