// Field names and checks follow Sloth v0.16.0: pkg/prometheus/api/v1, pkg/kubernetes/api/sloth/v1,
// internal/storage/io/{sloth,k8s_sloth,openslo}.go, internal/alert/window.go.

#include "slo/sloth.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "base/yaml.h"

namespace plinth::slo {

namespace {

using Labels = std::map<std::string, std::string>;

// Reads one YAML document, collecting located field errors.
class Reader {
 public:
  Reader(const YamlDocument& doc, std::string_view file) : doc_(doc), file_(file) {}

  void Fail(const std::string& pointer, std::string message) {
    errors_.push_back(
        {pointer, std::move(message), file_ + ":" + std::to_string(doc_.LineOf(pointer))});
  }
  bool ok() const { return errors_.empty(); }
  std::vector<FieldError>& errors() { return errors_; }

  // `v` must be a mapping; keys outside `known` are errors, those in `ignored` are skipped.
  bool Object(const Json& v, const std::string& ptr, std::initializer_list<std::string_view> known,
              std::initializer_list<std::string_view> ignored = {}) {
    if (!v.is_object()) {
      Fail(ptr, "must be a mapping");
      return false;
    }
    for (const auto& [key, _] : v.items()) {
      auto in = [&](auto list) { return std::find(list.begin(), list.end(), key) != list.end(); };
      if (in(known) || in(ignored)) continue;
      bool plugin =
          key == "plugin" || key == "plugins" || key == "slo_plugins" || key == "sloPlugins";
      Fail(Ptr(ptr, key), plugin ? "Sloth plugins are not supported" : "unknown field");
    }
    return true;
  }

  static std::string Ptr(const std::string& ptr, std::string_view key) {
    return ptr + "/" + PointerToken(key);
  }
  static const Json* Get(const Json& obj, std::string_view key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(std::string(key));
    return it == obj.end() || it->is_null() ? nullptr : &*it;
  }

  std::string Str(const Json& obj, const std::string& ptr, std::string_view key, bool required) {
    const Json* v = Get(obj, key);
    if (v == nullptr) {
      if (required) Fail(Ptr(ptr, key), "is required");
      return "";
    }
    if (!v->is_string()) {
      Fail(Ptr(ptr, key), "must be a string");
      return "";
    }
    return v->get<std::string>();
  }

  std::optional<double> Number(const Json& obj, const std::string& ptr, std::string_view key) {
    const Json* v = Get(obj, key);
    if (v == nullptr) {
      Fail(Ptr(ptr, key), "is required");
    } else if (!v->is_number()) {
      Fail(Ptr(ptr, key), "must be a number");
    } else {
      return v->get<double>();
    }
    return std::nullopt;
  }

  bool Bool(const Json& obj, const std::string& ptr, std::string_view key) {
    const Json* v = Get(obj, key);
    if (v != nullptr && !v->is_boolean()) Fail(Ptr(ptr, key), "must be true or false");
    return v != nullptr && v->is_boolean() && v->get<bool>();
  }

  Labels StringMap(const Json& obj, const std::string& ptr, std::string_view key) {
    Labels out;
    const Json* v = Get(obj, key);
    if (v == nullptr) return out;
    std::string p = Ptr(ptr, key);
    if (!v->is_object()) {
      Fail(p, "must be a mapping of strings");
      return out;
    }
    for (const auto& [k, val] : v->items()) {
      if (val.is_string()) {
        out[k] = val.get<std::string>();
      } else {
        Fail(Ptr(p, k), "must be a string (quote it: \"" +
                            (val.is_null() ? std::string() : val.dump()) + "\")");
      }
    }
    return out;
  }

  Result<int64_t> Duration(const Json& obj, const std::string& ptr, std::string_view key) {
    std::string s = Str(obj, ptr, key, true);
    if (s.empty()) return Error::Invalid("");
    auto d = ParsePromDuration(s);
    if (!d.ok() || *d <= 0) {
      Fail(Ptr(ptr, key), d.ok() ? "must be > 0" : d.error().message);
      return Error::Invalid("");
    }
    return *d;
  }

 private:
  const YamlDocument& doc_;
  std::string file_;
  std::vector<FieldError> errors_;
};

// The Sloth spec (snake_case) and CRD (camelCase) spellings of the same fields.
struct Spelling {
  bool camel;
  std::string operator()(std::string_view snake) const {
    if (!camel) return std::string(snake);
    std::string out;
    for (size_t i = 0; i < snake.size(); ++i) {
      if (snake[i] == '_' && i + 1 < snake.size()) {
        out += static_cast<char>(snake[++i] - 'a' + 'A');
      } else {
        out += snake[i];
      }
    }
    return out;
  }
};

RuleAlertMeta ReadAlert(Reader& r, const Json& alerting, const std::string& ptr,
                        const std::string& key) {
  RuleAlertMeta a;
  const Json* v = Reader::Get(alerting, key);
  if (v == nullptr) return a;
  std::string p = Reader::Ptr(ptr, key);
  if (!r.Object(*v, p, {"disable", "labels", "annotations"})) return a;
  a.disable = r.Bool(*v, p, "disable");
  a.labels = r.StringMap(*v, p, "labels");
  a.annotations = r.StringMap(*v, p, "annotations");
  return a;
}

// Maps a problem's path (prometheus/v1 spelling, relative to the SLO) to a pointer.
std::string ProblemPointer(const SloProblem& pr, const std::string& root, const std::string& slo,
                           const Labels& slo_labels, Spelling sp) {
  const auto& path = pr.path;
  if (path[0] == "service") return root + "/service";
  if (path[0] == "id") return slo + "/name";
  if (path[0] == "labels" && path.size() > 1 && !slo_labels.count(path[1])) {
    return Reader::Ptr(root + "/labels", path[1]);
  }
  std::string out = slo;
  for (size_t i = 0; i < path.size(); ++i) {
    bool label_key = i > 0 && (path[i - 1] == "labels" || path[i - 1] == "annotations");
    out = Reader::Ptr(out, label_key ? path[i] : sp(path[i]));
  }
  return out;
}

// prometheus/v1 (root "") and the CRD's spec (root "/spec").
void ReadServiceLevel(Reader& r, const Json& spec, const std::string& root, Spelling sp,
                      SlothDocument& out, const std::string& spec_name, const std::string& mode) {
  std::string service = r.Str(spec, root, "service", true);
  Labels global = r.StringMap(spec, root, "labels");
  const Json* slos = Reader::Get(spec, "slos");
  std::string slos_ptr = root + "/slos";
  if (slos == nullptr || (slos->is_array() && slos->empty())) {
    return r.Fail(slos_ptr, "at least one SLO is required");
  }
  if (!slos->is_array()) return r.Fail(slos_ptr, "must be a list");
  for (size_t i = 0; i < slos->size(); ++i) {
    const Json& s = (*slos)[i];
    std::string ptr = slos_ptr + "/" + std::to_string(i);
    if (!r.Object(s, ptr, {"name", "objective", "description", "labels", "sli", "alerting"})) {
      continue;
    }
    RuleSlo slo;
    slo.service = service;
    slo.spec = spec_name;
    slo.mode = mode;
    slo.name = r.Str(s, ptr, "name", true);
    slo.description = r.Str(s, ptr, "description", false);
    auto objective = r.Number(s, ptr, "objective");
    slo.objective = objective.value_or(0);
    Labels own = r.StringMap(s, ptr, "labels");
    slo.labels = global;
    for (const auto& [k, v] : own) slo.labels[k] = v;

    std::string sli_ptr = ptr + "/sli";
    const Json* sli = Reader::Get(s, "sli");
    if (sli == nullptr) {
      r.Fail(sli_ptr, "is required: events or raw");
    } else if (r.Object(*sli, sli_ptr, {"events", "raw"})) {
      if (const Json* ev = Reader::Get(*sli, "events")) {
        std::string p = sli_ptr + "/events";
        if (r.Object(*ev, p, {sp("error_query"), sp("total_query")})) {
          slo.events = EventsSli{r.Str(*ev, p, sp("error_query"), true),
                                 r.Str(*ev, p, sp("total_query"), true)};
        }
      }
      if (const Json* raw = Reader::Get(*sli, "raw")) {
        std::string p = sli_ptr + "/raw";
        if (r.Object(*raw, p, {sp("error_ratio_query")})) {
          slo.raw = RawSli{r.Str(*raw, p, sp("error_ratio_query"), true)};
        }
      }
    }
    std::string al_ptr = ptr + "/alerting";
    if (const Json* al = Reader::Get(s, "alerting");
        al != nullptr &&
        r.Object(*al, al_ptr,
                 {"name", "labels", "annotations", sp("page_alert"), sp("ticket_alert")})) {
      slo.alerting.name = r.Str(*al, al_ptr, "name", false);
      slo.alerting.labels = r.StringMap(*al, al_ptr, "labels");
      slo.alerting.annotations = r.StringMap(*al, al_ptr, "annotations");
      slo.alerting.page_alert = ReadAlert(r, *al, al_ptr, sp("page_alert"));
      slo.alerting.ticket_alert = ReadAlert(r, *al, al_ptr, sp("ticket_alert"));
    }
    size_t before = r.errors().size();
    for (const auto& pr : ValidateRuleSlo(slo)) {
      std::string p = ProblemPointer(pr, root, ptr, own, sp);
      // A missing or mistyped field was reported already; don't report it twice.
      bool seen = false;
      for (size_t e = 0; e < before; ++e) seen |= r.errors()[e].pointer == p;
      if (!seen && !(pr.path[0] == "objective" && !objective)) r.Fail(p, pr.message);
    }
    out.slos.push_back(std::move(slo));
  }
}

void ReadPrometheusV1(Reader& r, const Json& v, SlothDocument& out) {
  if (!r.Object(v, "", {"version", "service", "labels", "slos"})) return;
  ReadServiceLevel(r, v, "", Spelling{false}, out, "prometheus/v1", "cli-gen-prom");
}

void ReadK8s(Reader& r, const Json& v, SlothDocument& out) {
  if (!r.Object(v, "", {"apiVersion", "kind", "metadata", "spec"}, {"status"})) return;
  K8sObjectMeta meta;
  const Json* m = Reader::Get(v, "metadata");
  if (m == nullptr || !m->is_object()) {
    r.Fail("/metadata", "is required: name and namespace");
  } else {
    meta.name = r.Str(*m, "/metadata", "name", true);
    meta.namespace_ = r.Str(*m, "/metadata", "namespace", false);
    meta.labels = r.StringMap(*m, "/metadata", "labels");
    meta.annotations = r.StringMap(*m, "/metadata", "annotations");
  }
  out.prometheus_rule = meta;
  const Json* spec = Reader::Get(v, "spec");
  if (spec == nullptr) return r.Fail("/spec", "is required");
  if (!r.Object(*spec, "/spec", {"service", "labels", "slos"})) return;
  ReadServiceLevel(r, *spec, "/spec", Spelling{true}, out, "sloth.slok.dev/v1", "cli-gen-k8s");
}

// One OpenSLO ratioMetrics side ("good" or "total").
std::string ReadRatioQuery(Reader& r, const Json& rm, const std::string& ptr, const char* side) {
  const Json* v = Reader::Get(rm, side);
  std::string p = Reader::Ptr(ptr, side);
  if (v == nullptr) {
    r.Fail(p, "is required");
    return "";
  }
  if (!r.Object(*v, p, {"source", "queryType", "query"}, {"metadata"})) return "";
  std::string source = r.Str(*v, p, "source", true);
  if (!source.empty() && source != "prometheus" && source != "sloth") {
    r.Fail(p + "/source", "must be prometheus or sloth, got \"" + source + "\"");
  }
  std::string type = r.Str(*v, p, "queryType", true);
  if (!type.empty() && type != "promql") {
    r.Fail(p + "/queryType", "unsupported query type \"" + type + "\": only promql");
  }
  return r.Str(*v, p, "query", true);
}

void ReadOpenSlo(Reader& r, const Json& v, SlothDocument& out) {
  if (!r.Object(v, "", {"apiVersion", "kind", "metadata", "spec"})) return;
  const Json* m = Reader::Get(v, "metadata");
  if (m == nullptr) return r.Fail("/metadata", "is required");
  if (!r.Object(*m, "/metadata", {"name"}, {"displayName", "labels", "annotations"})) return;
  std::string name = r.Str(*m, "/metadata", "name", true);
  const Json* spec = Reader::Get(v, "spec");
  if (spec == nullptr) return r.Fail("/spec", "is required");
  if (!r.Object(*spec, "/spec", {"service", "description", "objectives", "timeWindows"},
                {"budgetingMethod", "indicator"})) {
    return;
  }
  std::string service = r.Str(*spec, "/spec", "service", true);
  std::string description = r.Str(*spec, "/spec", "description", false);
  int64_t period_ms = 0;
  if (const Json* tw = Reader::Get(*spec, "timeWindows")) {
    if (!tw->is_array() || tw->size() > 1) {
      r.Fail("/spec/timeWindows", "only 1 time window is supported");
    } else if (tw->size() == 1 && r.Object((*tw)[0], "/spec/timeWindows/0", {"count", "unit"},
                                           {"isRolling", "calendar"})) {
      std::string unit = r.Str((*tw)[0], "/spec/timeWindows/0", "unit", true);
      for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const Json* count = Reader::Get((*tw)[0], "count");
      if (unit != "day") {
        r.Fail("/spec/timeWindows/0/unit", "only days based time windows are supported");
      } else if (count == nullptr || !count->is_number_integer() || count->get<int64_t>() <= 0) {
        r.Fail("/spec/timeWindows/0/count", "must be a whole number of days > 0");
      } else {
        period_ms = count->get<int64_t>() * kRuleDayMs;
      }
    }
  }
  const Json* objectives = Reader::Get(*spec, "objectives");
  if (objectives == nullptr || !objectives->is_array() || objectives->empty()) {
    return r.Fail("/spec/objectives", "at least one objective is required");
  }
  for (size_t i = 0; i < objectives->size(); ++i) {
    const Json& o = (*objectives)[i];
    std::string ptr = "/spec/objectives/" + std::to_string(i);
    if (!r.Object(o, ptr, {"ratioMetrics", "target"},
                  {"displayName", "op", "value", "timeSliceTarget"})) {
      continue;
    }
    RuleSlo slo;
    slo.service = service;
    slo.name = name + "-" + std::to_string(i);
    slo.description = description;
    slo.period_ms = period_ms;
    slo.spec = "openslo/v1alpha";
    slo.mode = "cli-gen-openslo";
    slo.alerting.page_alert.disable = slo.alerting.ticket_alert.disable = true;
    auto target = r.Number(o, ptr, "target");
    slo.objective = target.value_or(0) * 100;  // OpenSLO targets are ratios
    const Json* rm = Reader::Get(o, "ratioMetrics");
    std::string rm_ptr = ptr + "/ratioMetrics";
    size_t before = r.errors().size();
    if (rm == nullptr) {
      r.Fail(rm_ptr, "is required (plinth reads ratio objectives only)");
    } else if (r.Object(*rm, rm_ptr, {"good", "total"}, {"incremental"})) {
      std::string good = ReadRatioQuery(r, *rm, rm_ptr, "good");
      std::string total = ReadRatioQuery(r, *rm, rm_ptr, "total");
      // Sloth's SLIs count bad events: the error ratio is 1 - good / total, as a raw SLI.
      slo.raw = RawSli{"\n  1 - (\n    (\n      " + good + "\n    )\n    /\n    (\n      " + total +
                       "\n    )\n  )\n"};
      if (good.empty() || total.empty()) slo.raw->error_ratio_query.clear();
    }
    bool reported = r.errors().size() > before;  // the SLI's own errors
    for (const auto& pr : ValidateRuleSlo(slo)) {
      const std::string& f = pr.path[0];
      std::string p = f == "objective"           ? ptr + "/target"
                      : f == "service"           ? "/spec/service"
                      : f == "name" || f == "id" ? "/metadata/name"
                      : f == "sli"               ? rm_ptr
                                                 : ptr;
      if ((f == "sli" && reported) || (f == "objective" && !target)) continue;
      r.Fail(p, pr.message);
    }
    out.slos.push_back(std::move(slo));
  }
}

Result<std::vector<YamlDocument>> Parse(std::string_view text, std::string_view file) {
  auto docs = ParseYaml(text, file);
  if (docs.ok() && docs->empty()) return Error::Invalid(std::string(file) + ": empty file");
  return docs;
}

Error Invalid(std::string_view file, std::vector<FieldError> fields) {
  Error e = Error::Invalid(std::string(file) + ": invalid Sloth spec");
  e.fields = std::move(fields);
  return e;
}

}  // namespace

Result<std::vector<SlothDocument>> ParseSloth(std::string_view text, std::string_view file) {
  PLINTH_ASSIGN_OR_RETURN(auto docs, Parse(text, file));
  std::vector<SlothDocument> out;
  std::vector<FieldError> errors;
  for (const YamlDocument& d : docs) {
    Reader r(d, file);
    SlothDocument doc;
    const Json& v = d.value;
    std::string api = v.is_object() && v.contains("apiVersion") && v["apiVersion"].is_string()
                          ? v["apiVersion"].get<std::string>()
                          : "";
    std::string kind = v.is_object() && v.contains("kind") && v["kind"].is_string()
                           ? v["kind"].get<std::string>()
                           : "";
    if (v.is_object() && v.contains("version")) {
      std::string version = r.Str(v, "", "version", true);
      if (r.ok() && version != "prometheus/v1") {
        r.Fail("/version", "unknown version \"" + version + "\": expected prometheus/v1");
      }
      if (r.ok()) ReadPrometheusV1(r, v, doc);
    } else if (api == "sloth.slok.dev/v1" && kind == "PrometheusServiceLevel") {
      ReadK8s(r, v, doc);
    } else if (api == "openslo/v1alpha" && kind == "SLO") {
      ReadOpenSlo(r, v, doc);
    } else if (api == "sloth.slok.dev/v1" && kind == "AlertWindows") {
      r.Fail("/kind", "an AlertWindows document is a windows catalog, not an SLO spec");
    } else if (api.starts_with("openslo/") || api.starts_with("sloth.slok.dev/")) {
      r.Fail(api == "openslo/v1alpha" || api == "sloth.slok.dev/v1" ? "/kind" : "/apiVersion",
             "unknown apiVersion and kind \"" + api + "\" \"" + kind +
                 "\": expected openslo/v1alpha SLO or sloth.slok.dev/v1 PrometheusServiceLevel");
    } else {
      r.Fail("",
             "not a Sloth spec: expected version: prometheus/v1, apiVersion: openslo/v1alpha "
             "(kind SLO) or apiVersion: sloth.slok.dev/v1 (kind PrometheusServiceLevel)");
    }
    for (auto& e : r.errors()) errors.push_back(std::move(e));
    out.push_back(std::move(doc));
  }
  if (!errors.empty()) return Invalid(file, std::move(errors));
  return out;
}

Result<RuleAlertWindows> ParseAlertWindows(std::string_view text, std::string_view file) {
  PLINTH_ASSIGN_OR_RETURN(auto docs, Parse(text, file));
  if (docs.size() != 1) {
    return Error::Invalid(std::string(file) + ": expected one AlertWindows document");
  }
  Reader r(docs[0], file);
  const Json& v = docs[0].value;
  RuleAlertWindows w;
  if (r.Object(v, "", {"apiVersion", "kind", "spec"})) {
    if (r.Str(v, "", "apiVersion", true) != "sloth.slok.dev/v1" ||
        r.Str(v, "", "kind", true) != "AlertWindows") {
      r.Fail("/kind", "expected apiVersion sloth.slok.dev/v1 and kind AlertWindows");
    }
    const Json* spec = Reader::Get(v, "spec");
    if (spec == nullptr) {
      r.Fail("/spec", "is required");
    } else if (r.Object(*spec, "/spec", {"sloPeriod", "page", "ticket"})) {
      if (auto d = r.Duration(*spec, "/spec", "sloPeriod"); d.ok()) w.slo_period_ms = *d;
      auto read = [&](const char* sev, const char* speed, RuleAlertWindow& out) {
        std::string p = std::string("/spec/") + sev;
        const Json* s = Reader::Get(*spec, sev);
        const Json* x = s == nullptr ? nullptr : Reader::Get(*s, speed);
        p += std::string("/") + speed;
        if (x == nullptr) return r.Fail(p, "is required");
        if (!r.Object(*x, p, {"errorBudgetPercent", "shortWindow", "longWindow"})) return;
        auto pct = r.Number(*x, p, "errorBudgetPercent");
        if (pct && *pct <= 0) r.Fail(p + "/errorBudgetPercent", "must be > 0");
        out.error_budget_percent = pct.value_or(0);
        if (auto d = r.Duration(*x, p, "shortWindow"); d.ok()) out.short_window_ms = *d;
        if (auto d = r.Duration(*x, p, "longWindow"); d.ok()) out.long_window_ms = *d;
      };
      read("page", "quick", w.page_quick);
      read("page", "slow", w.page_slow);
      read("ticket", "quick", w.ticket_quick);
      read("ticket", "slow", w.ticket_slow);
    }
  }
  if (!r.ok()) return Invalid(file, std::move(r.errors()));
  return w;
}

Result<std::string> GenerateFromSloth(std::string_view text, std::string_view file,
                                      const RuleOptions& options) {
  PLINTH_ASSIGN_OR_RETURN(auto docs, ParseSloth(text, file));
  std::string out;
  for (const SlothDocument& d : docs) {
    RuleOptions o = options;
    if (d.prometheus_rule) o.prometheus_rule = d.prometheus_rule;
    auto rules = GenerateRules(d.slos, o);
    if (!rules.ok()) {
      Error e = std::move(rules).error();
      e.message = std::string(file) + ": " + e.message;
      return e;
    }
    out += *rules;
  }
  return out;
}

}  // namespace plinth::slo
