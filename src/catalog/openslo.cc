#include "catalog/openslo.h"

#include <algorithm>
#include <cctype>

namespace plinth::catalog {

namespace {

std::string Str(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

const Json* Child(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::string NameOf(const Json& doc) {
  const Json* md = Child(doc, "metadata");
  return md ? Str(*md, "name") : "";
}

// "Good experience" -> "good-experience": a valid name part, or "" when nothing is left.
std::string Slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.substr(0, 30);
}

// OpenSLO's "2022-01-01 12:00:00" -> plinth's "2022-01-01T12:00" (seconds must be zero).
std::string LocalStart(std::string text) {
  if (text.size() >= 16 && (text[10] == ' ' || text[10] == 'T')) text[10] = 'T';
  if (text.size() == 19 && text.ends_with(":00")) text.resize(16);
  return text;
}

// A PromQL counter expression as a per-second rate over {{.window}}.
std::string RateOf(const std::string& query) {
  return "sum(rate((" + query + ")[{{.window}}:]))";
}

}  // namespace

void OpensloImporter::Note(const LoadedDoc& d, const std::string& pointer,
                           const std::string& text) {
  int line = d.yaml.LineOf(pointer);
  notes_.push_back({d.file_index, line, d.file + ":" + std::to_string(line) + ": " + text});
}

void OpensloImporter::Fail(const LoadedDoc& d, const std::string& pointer,
                           const std::string& message) {
  errors_.push_back({d.file_index, d.file, d.yaml.LineOf(pointer), pointer, message});
}

void OpensloImporter::Add(LoadedDoc doc, size_t order) {
  docs_.push_back({order, std::move(doc)});
}

Json OpensloImporter::Indicator(const LoadedDoc& d, const std::string& pointer, const Json& sli,
                                std::string* data_source) {
  Json pushed = {{"pushed", Json::object()}};
  const Json* spec = Child(sli, "spec");
  const Json* ratio = spec ? Child(*spec, "ratioMetric") : nullptr;
  if (!ratio) {
    Note(d, pointer, "indicator: only Prometheus ratioMetric indicators are queried by plinth; "
                     "this one becomes a pushed indicator (push its counts or import a CSV)");
    return pushed;
  }
  std::map<std::string, std::string> queries;
  std::string type, source_ref;
  for (const char* part : {"good", "bad", "total"}) {
    const Json* p = Child(*ratio, part);
    const Json* src = p ? Child(*p, "metricSource") : nullptr;
    if (!src) continue;
    type = Str(*src, "type");
    if (!Str(*src, "metricSourceRef").empty()) source_ref = Str(*src, "metricSourceRef");
    const Json* s = Child(*src, "spec");
    if (s && !Str(*s, "query").empty()) queries[part] = Str(*s, "query");
  }
  bool counter = ratio->value("counter", false);
  if (type != "Prometheus" || !counter || !queries.count("total") ||
      (queries.count("good") == queries.count("bad"))) {
    Note(d, pointer, "indicator: " + (type.empty() ? std::string("this metric source") : type) +
                         (type == "Prometheus" && !counter ? " gauges" : "") +
                         " is not queried by plinth; it becomes a pushed indicator (push its "
                         "counts or import a CSV)");
    return pushed;
  }
  Json r = {{"total", RateOf(queries["total"])}};
  if (queries.count("good")) r["good"] = RateOf(queries["good"]);
  if (queries.count("bad")) r["bad"] = RateOf(queries["bad"]);
  if (source_ref.empty()) {
    source_ref = "prometheus";
    Note(d, pointer, "indicator: no metricSourceRef; the queries run on the data source named "
                     "\"prometheus\"");
  }
  *data_source = source_ref;
  return {{"ratio", r}};
}

void OpensloImporter::ConvertSlo(const Source& s, std::vector<std::pair<size_t, LoadedDoc>>& out) {
  const LoadedDoc& d = s.doc;
  const Json& v = d.yaml.value;
  const std::string name = NameOf(v);
  const Json* spec = Child(v, "spec");
  if (!spec || !spec->is_object()) {
    Fail(d, "/spec", "is required");
    return;
  }
  Json base = Json::object();
  std::map<std::string, int> lines;  // plinth pointer -> source line
  lines["/metadata/name"] = d.yaml.LineOf("/metadata/name");
  if (auto svc = Str(*spec, "service"); !svc.empty()) {
    base["service"] = svc;
    lines["/spec/service"] = d.yaml.LineOf("/spec/service");
  }
  if (auto desc = Str(*spec, "description"); !desc.empty()) base["description"] = desc;

  // Indicator: inline or by reference.
  std::string data_source;
  if (const Json* ind = Child(*spec, "indicator")) {
    base["indicator"] = Indicator(d, "/spec/indicator", *ind, &data_source);
  } else if (auto ref = Str(*spec, "indicatorRef"); !ref.empty()) {
    auto it = slis_.find(ref);
    if (it == slis_.end()) {
      Fail(d, "/spec/indicatorRef", "SLI \"" + ref + "\" is not defined in the files applied");
      return;
    }
    sli_used_[ref] = true;
    base["indicator"] = Indicator(d, "/spec/indicatorRef", it->second->doc.yaml.value,
                                  &data_source);
  } else {
    Fail(d, "/spec/indicator", "is required (or indicatorRef)");
    return;
  }
  lines["/spec/indicator"] = d.yaml.LineOf("/spec/indicator");
  if (!data_source.empty()) base["dataSource"] = data_source;

  // Time window: the first one (OpenSLO v1 allows exactly one).
  const Json* windows = Child(*spec, "timeWindow");
  const Json* w = windows && windows->is_array() && !windows->empty() ? &(*windows)[0] : nullptr;
  lines["/spec/window"] = d.yaml.LineOf("/spec/timeWindow/0");
  if (!w) {
    Fail(d, "/spec/timeWindow", "is required: one time window");
    return;
  }
  std::string duration = Str(*w, "duration");
  if (w->value("isRolling", false)) {
    base["window"] = duration;  // validated as a plinth duration
  } else {
    static const std::map<char, std::string> kUnits = {
        {'d', "day"}, {'w', "week"}, {'M', "month"}, {'Q', "quarter"}, {'Y', "year"}, {'y', "year"}};
    char unit = duration.empty() ? 0 : duration.back();
    std::string count = duration.substr(0, duration.empty() ? 0 : duration.size() - 1);
    if (unit == 'm') {
      Note(d, "/spec/timeWindow/0/duration",
           "calendar window \"" + duration + "\" read as " + count +
               " month(s): OpenSLO writes months as M, and a calendar window of minutes makes "
               "no sense");
      unit = 'M';
    }
    Json win = Json::object();
    auto it = kUnits.find(unit);
    win["calendar"] = it == kUnits.end() ? duration : it->second;
    if (!count.empty() && std::all_of(count.begin(), count.end(), ::isdigit)) {
      win["count"] = std::stoi(count.substr(0, 6));
    }
    if (const Json* cal = Child(*w, "calendar")) {
      if (auto tz = Str(*cal, "timeZone"); !tz.empty()) win["timeZone"] = tz;
      if (auto start = Str(*cal, "startTime"); !start.empty()) win["start"] = LocalStart(start);
    }
    base["window"] = std::move(win);
  }
  std::string method = Str(*spec, "budgetingMethod");
  if (!method.empty()) base["budgetingMethod"] = method;

  for (const char* k : {"alertPolicies"}) {
    if (Child(*spec, k)) {
      Note(d, std::string("/spec/") + k,
           "SLO " + name + ": alert policies are not carried over; plinth raises multiwindow "
                           "burn-rate, budget-exhausted and no-data alerts for every SLO");
    }
  }
  const Json* objectives = Child(*spec, "objectives");
  if (!objectives || !objectives->is_array() || objectives->empty()) {
    Fail(d, "/spec/objectives", "is required: at least one objective with a target");
    return;
  }
  for (size_t i = 0; i < objectives->size(); ++i) {
    const Json& o = (*objectives)[i];
    std::string op = "/spec/objectives/" + std::to_string(i);
    Json doc_spec = base;
    if (const Json* t = Child(o, "target")) {
      doc_spec["objective"] = *t;
    } else if (Child(o, "targetPercent")) {
      const Json& pct = o["targetPercent"];
      doc_spec["objective"] = pct.is_number() ? Json(pct.get<double>() / 100) : pct;
    }
    if (Child(o, "timeSliceWindow") || Child(o, "timeSliceTarget")) {
      Json slice = Json::object();
      if (auto len = Str(o, "timeSliceWindow"); !len.empty()) slice["length"] = len;
      if (const Json* t = Child(o, "timeSliceTarget")) slice["target"] = *t;
      doc_spec["timeslice"] = slice;
    }
    if (Child(o, "value")) {
      Note(d, op, "objective " + std::to_string(i) + ": op/value thresholds are applied by "
                  "whoever pushes the counts (plinth receives good and total events)");
    }
    std::string slo_name = name;
    if (objectives->size() > 1) {
      std::string label = Slug(Str(o, "name").empty() ? Str(o, "displayName") : Str(o, "name"));
      slo_name = name + "-" + (label.empty() ? std::to_string(i + 1) : label);
    }
    Json md = {{"name", slo_name}};
    if (const Json* vmd = Child(v, "metadata"); vmd && !Str(*vmd, "displayName").empty()) {
      md["title"] = Str(*vmd, "displayName") +
                    (objectives->size() > 1 && !Str(o, "displayName").empty()
                         ? " (" + Str(o, "displayName") + ")"
                         : "");
    }
    LoadedDoc converted{d.file_index, d.file, {}};
    converted.yaml.value = {{"apiVersion", "plinth/v1"}, {"kind", "SLO"}, {"metadata", md},
                            {"spec", std::move(doc_spec)}};
    converted.yaml.line = d.yaml.line;
    converted.yaml.lines = lines;
    converted.yaml.lines["/spec/objective"] = d.yaml.LineOf(op + "/target");
    converted.yaml.lines["/spec/timeslice"] = d.yaml.LineOf(op);
    out.emplace_back(s.order, std::move(converted));
  }
}

std::vector<std::pair<size_t, LoadedDoc>> OpensloImporter::Finish() {
  std::vector<std::pair<size_t, LoadedDoc>> out;
  for (const auto& s : docs_) {
    if (Str(s.doc.yaml.value, "kind") == "SLI") slis_[NameOf(s.doc.yaml.value)] = &s;
  }
  for (const auto& s : docs_) {
    const LoadedDoc& d = s.doc;
    const Json& v = d.yaml.value;
    std::string kind = Str(v, "kind");
    std::string name = NameOf(v);
    if (name.empty()) {
      Fail(d, "/metadata/name", "is required");
      continue;
    }
    if (kind == "SLO") {
      ConvertSlo(s, out);
    } else if (kind == "DataSource") {
      const Json* spec = Child(v, "spec");
      std::string type = spec ? Str(*spec, "type") : "";
      std::string url;
      if (const Json* cd = spec ? Child(*spec, "connectionDetails") : nullptr) {
        if (cd->is_array()) {
          for (const auto& item : *cd) {
            if (!Str(item, "url").empty()) url = Str(item, "url");
          }
        } else {
          url = Str(*cd, "url");
        }
      }
      if (type != "Prometheus") {
        Note(d, "/spec/type", "DataSource " + name + ": type " + type +
                                  " is not supported (plinth pulls from Prometheus); not stored");
        continue;
      }
      LoadedDoc converted{d.file_index, d.file, {}};
      converted.yaml.value = {{"apiVersion", "plinth/v1"},
                              {"kind", "DataSource"},
                              {"metadata", {{"name", name}}},
                              {"spec", {{"type", "prometheus"}, {"url", url}}}};
      converted.yaml.line = d.yaml.line;
      converted.yaml.lines = {{"/metadata/name", d.yaml.LineOf("/metadata/name")},
                              {"/spec", d.yaml.LineOf("/spec/connectionDetails")}};
      out.emplace_back(s.order, std::move(converted));
    } else if (kind == "SLI") {
      continue;  // used by SLOs; unused ones are noted below
    } else if (kind == "Service" || kind == "AlertPolicy" || kind == "AlertCondition" ||
               kind == "AlertNotificationTarget") {
      Note(d, "/kind", kind + " " + name + ": " +
                           (kind == "Service"
                                ? "OpenSLO services are plinth catalog services; an SLO's "
                                  "service must exist in the catalog (with its owner)"
                                : "not stored; plinth raises multiwindow burn-rate, "
                                  "budget-exhausted and no-data alerts for every SLO"));
    } else {
      Fail(d, "/kind", "unknown OpenSLO kind \"" + kind +
                           "\" (expected SLO, SLI, DataSource, Service, AlertPolicy, "
                           "AlertCondition or AlertNotificationTarget)");
    }
  }
  for (const auto& [name, src] : slis_) {
    if (!sli_used_[name]) {
      Note(src->doc, "/metadata/name", "SLI " + name + ": not used by any SLO in the files "
                                                       "applied; not stored");
    }
  }
  return out;
}

}  // namespace plinth::catalog
