#include "paging/events.h"

#include <algorithm>
#include <array>

#include "base/time.h"

namespace plinth::paging {

namespace {

const std::array<std::string_view, 4> kSeverities = {"critical", "error", "warning", "info"};

bool IsSeverity(std::string_view s) {
  return std::find(kSeverities.begin(), kSeverities.end(), s) != kSeverities.end();
}

// Collects every problem of one body, then fails once.
class Checker {
 public:
  void Fail(std::string pointer, std::string message) {
    errors_.push_back({std::move(pointer), std::move(message), ""});
  }
  // A string at `pointer` (nullopt when absent); a non-string is an error.
  std::optional<std::string> Text(const Json& body, const std::string& pointer, bool required,
                                  size_t max = 0) {
    const Json* v = Find(body, pointer);
    if (!v || v->is_null()) {
      if (required) Fail(pointer, "is required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      Fail(pointer, "must be a string");
      return std::nullopt;
    }
    std::string s = v->get<std::string>();
    if (required && s.empty()) Fail(pointer, "must not be empty");
    if (max && s.size() > max) {
      Fail(pointer, "must be at most " + std::to_string(max) + " characters (got " +
                        std::to_string(s.size()) + ")");
    }
    return s;
  }
  std::optional<int64_t> Timestamp(const Json& body, const std::string& pointer) {
    auto text = Text(body, pointer, false);
    if (!text || text->empty()) return std::nullopt;
    std::string s = *text;
    // PagerDuty's own examples write offsets without a colon: 2015-07-17T08:42:58.315+0000.
    if (s.size() > 5 && (s[s.size() - 5] == '+' || s[s.size() - 5] == '-') &&
        s.find(':', s.size() - 5) == std::string::npos && s.size() > 19) {
      s.insert(s.size() - 2, ":");
    }
    auto t = ParseRfc3339(s);
    if (!t.ok()) {
      Fail(pointer, "must be an ISO 8601 time such as 2026-11-22T08:42:58Z (got \"" + *text +
                        "\")");
      return std::nullopt;
    }
    return *t;
  }
  // An optional object or array copied into `out[key]`.
  void Copy(const Json& body, const std::string& pointer, bool array, Json& out,
            const std::string& key) {
    const Json* v = Find(body, pointer);
    if (!v || v->is_null()) return;
    if (array ? !v->is_array() : !v->is_object()) {
      Fail(pointer, array ? "must be an array" : "must be an object");
      return;
    }
    out[key] = *v;
  }
  Status Done() const {
    if (errors_.empty()) return {};
    Error e = Error::Invalid("Event object is invalid");
    e.fields = errors_;
    return e;
  }
  static const Json* Find(const Json& body, const std::string& pointer) {
    try {
      const Json& v = body.at(Json::json_pointer(pointer));
      return &v;
    } catch (const std::exception&) {
      return nullptr;
    }
  }

 private:
  std::vector<FieldError> errors_;
};

Status RequireObject(const Json& body) {
  if (!body.is_object()) return Error::Field("", "the event must be a JSON object");
  return {};
}

// links[]: objects with a string href; images[]: objects with a string src.
void CheckContext(Checker& c, const Json& body, const char* name, const char* required) {
  const Json* list = Checker::Find(body, std::string("/") + name);
  if (!list || !list->is_array()) return;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string p = std::string("/") + name + "/" + std::to_string(i);
    const Json& item = (*list)[i];
    if (!item.is_object()) {
      c.Fail(p, "must be an object");
    } else if (!item.contains(required) || !item[required].is_string()) {
      c.Fail(p + "/" + required, "is required");
    }
  }
}

}  // namespace

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kTrigger:
      return "trigger";
    case Action::kAcknowledge:
      return "acknowledge";
    case Action::kResolve:
      return "resolve";
  }
  return "trigger";
}

Result<PagerDutyAlert> ParsePagerDutyEvent(const Json& body) {
  PLINTH_RETURN_IF_ERROR(RequireObject(body));
  Checker c;
  PagerDutyAlert out;
  out.routing_key = c.Text(body, "/routing_key", true).value_or("");
  auto action = c.Text(body, "/event_action", true);
  if (action) {
    if (*action == "trigger") {
      out.event.action = Action::kTrigger;
    } else if (*action == "acknowledge") {
      out.event.action = Action::kAcknowledge;
    } else if (*action == "resolve") {
      out.event.action = Action::kResolve;
    } else if (!action->empty()) {
      c.Fail("/event_action", "must be trigger, acknowledge or resolve (got \"" + *action + "\")");
    }
  }
  AlertEvent& e = out.event;
  e.dedup_key = c.Text(body, "/dedup_key", false, kMaxDedupKey).value_or("");
  bool trigger = action && *action == "trigger";
  if (!trigger && action && !action->empty() && e.action != Action::kTrigger &&
      e.dedup_key.empty()) {
    c.Fail("/dedup_key", "is required to " + *action + " an alert");
  }
  if (trigger) {
    const Json* payload = Checker::Find(body, "/payload");
    if (!payload || !payload->is_object()) {
      c.Fail("/payload", payload ? "must be an object" : "is required");
    } else {
      e.summary = c.Text(body, "/payload/summary", true, kMaxSummary).value_or("");
      e.source = c.Text(body, "/payload/source", true).value_or("");
      auto severity = c.Text(body, "/payload/severity", true);
      if (severity && !severity->empty() && !IsSeverity(*severity)) {
        c.Fail("/payload/severity",
               "must be critical, error, warning or info (got \"" + *severity + "\")");
      }
      e.severity = severity.value_or("");
      e.timestamp_ms = c.Timestamp(body, "/payload/timestamp");
      e.component = c.Text(body, "/payload/component", false).value_or("");
      e.group = c.Text(body, "/payload/group", false).value_or("");
      e.klass = c.Text(body, "/payload/class", false).value_or("");
      c.Copy(body, "/payload/custom_details", false, e.details, "custom_details");
    }
    c.Copy(body, "/links", true, e.details, "links");
    c.Copy(body, "/images", true, e.details, "images");
    CheckContext(c, body, "links", "href");
    CheckContext(c, body, "images", "src");
    if (auto client = c.Text(body, "/client", false)) e.details["client"] = *client;
    if (auto url = c.Text(body, "/client_url", false)) e.details["client_url"] = *url;
  }
  PLINTH_RETURN_IF_ERROR(c.Done());
  return out;
}

Result<PagerDutyChange> ParsePagerDutyChange(const Json& body) {
  PLINTH_RETURN_IF_ERROR(RequireObject(body));
  Checker c;
  PagerDutyChange out;
  out.routing_key = c.Text(body, "/routing_key", true).value_or("");
  const Json* payload = Checker::Find(body, "/payload");
  if (!payload || !payload->is_object()) {
    c.Fail("/payload", payload ? "must be an object" : "is required");
  } else {
    out.event.summary = c.Text(body, "/payload/summary", true, kMaxSummary).value_or("");
    out.event.source = c.Text(body, "/payload/source", false).value_or("");
    out.event.timestamp_ms = c.Timestamp(body, "/payload/timestamp");
    c.Copy(body, "/payload/custom_details", false, out.event.details, "custom_details");
  }
  c.Copy(body, "/links", true, out.event.details, "links");
  CheckContext(c, body, "links", "href");
  PLINTH_RETURN_IF_ERROR(c.Done());
  return out;
}

Result<std::vector<AlertEvent>> ParseAlertmanagerWebhook(const Json& body) {
  PLINTH_RETURN_IF_ERROR(RequireObject(body));
  Checker c;
  auto version = c.Text(body, "/version", true);
  if (version && *version != "4") c.Fail("/version", "must be \"4\" (got \"" + *version + "\")");
  std::string group_key = c.Text(body, "/groupKey", true).value_or("");
  const Json* alerts = Checker::Find(body, "/alerts");
  if (!alerts || !alerts->is_array()) {
    c.Fail("/alerts", alerts ? "must be an array" : "is required");
  }
  std::vector<AlertEvent> out;
  for (size_t i = 0; alerts && alerts->is_array() && i < alerts->size(); ++i) {
    std::string p = "/alerts/" + std::to_string(i);
    const Json& a = (*alerts)[i];
    if (!a.is_object()) {
      c.Fail(p, "must be an object");
      continue;
    }
    AlertEvent e;
    e.group_key = group_key;
    auto status = c.Text(body, p + "/status", true);
    if (status && *status != "firing" && *status != "resolved") {
      c.Fail(p + "/status", "must be firing or resolved (got \"" + *status + "\")");
    }
    e.action = status && *status == "resolved" ? Action::kResolve : Action::kTrigger;
    Json labels = a.value("labels", Json::object());
    Json annotations = a.value("annotations", Json::object());
    if (!labels.is_object()) {
      c.Fail(p + "/labels", "must be an object");
      labels = Json::object();
    }
    if (!annotations.is_object()) {
      c.Fail(p + "/annotations", "must be an object");
      annotations = Json::object();
    }
    e.dedup_key = c.Text(body, p + "/fingerprint", false, kMaxDedupKey).value_or("");
    if (e.dedup_key.empty()) e.dedup_key = labels.dump();  // nlohmann sorts object keys
    if (e.dedup_key.size() > kMaxDedupKey) e.dedup_key = e.dedup_key.substr(0, kMaxDedupKey);
    auto text = [](const Json& o, const char* k) {
      return o.contains(k) && o[k].is_string() ? o[k].get<std::string>() : std::string();
    };
    e.summary = text(annotations, "summary");
    if (e.summary.empty()) e.summary = text(annotations, "description");
    if (e.summary.empty()) e.summary = text(labels, "alertname");
    if (e.summary.empty()) e.summary = "Alertmanager alert";
    if (e.summary.size() > kMaxSummary) e.summary = e.summary.substr(0, kMaxSummary);
    e.source = text(labels, "instance");
    if (e.source.empty()) e.source = text(labels, "job");
    if (e.source.empty()) e.source = "alertmanager";
    std::string severity = text(labels, "severity");
    e.severity = IsSeverity(severity) ? severity : "critical";
    e.klass = text(labels, "alertname");
    e.timestamp_ms = c.Timestamp(body, p + "/startsAt");
    e.details = {{"labels", labels}, {"annotations", annotations}};
    if (auto url = c.Text(body, p + "/generatorURL", false); url && !url->empty()) {
      e.details["links"] = Json::array({{{"href", *url}, {"text", "Source"}}});
    }
    out.push_back(std::move(e));
  }
  PLINTH_RETURN_IF_ERROR(c.Done());
  return out;
}

namespace {

const std::array<std::string_view, 8> kGenericFields = {
    "summary", "dedup_key", "action", "severity", "source", "component", "group", "class"};

}  // namespace

Status CheckGenericMapping(const Json& mapping) {
  if (!mapping.is_object()) return Error::Field("/mapping", "must be an object");
  Error e = Error::Invalid("invalid field mapping");
  for (const auto& [k, v] : mapping.items()) {
    std::string p = "/mapping/" + PointerToken(k);
    if (std::find(kGenericFields.begin(), kGenericFields.end(), k) == kGenericFields.end()) {
      e.fields.push_back({p, "unknown field (expected one of summary, dedup_key, action, "
                             "severity, source, component, group, class)", ""});
    } else if (!v.is_string() || (!v.get<std::string>().empty() && v.get<std::string>()[0] != '/')) {
      e.fields.push_back({p, "must be a JSON pointer such as \"/title\"", ""});
    }
  }
  if (!mapping.contains("summary")) e.fields.push_back({"/mapping/summary", "is required", ""});
  if (!e.fields.empty()) return e;
  return {};
}

Result<AlertEvent> ParseGenericEvent(const Json& body, const Json& mapping) {
  PLINTH_RETURN_IF_ERROR(RequireObject(body));
  Checker c;
  AlertEvent e;
  // A mapped field as text: strings as they are, numbers and booleans printed.
  auto field = [&](const char* name) -> std::string {
    if (!mapping.contains(name)) return "";
    const Json* v = Checker::Find(body, mapping[name].get<std::string>());
    if (!v || v->is_null()) return "";
    if (v->is_string()) return v->get<std::string>();
    if (v->is_number() || v->is_boolean()) return v->dump();
    c.Fail(mapping[name].get<std::string>(), "must be a string or a number");
    return "";
  };
  e.summary = field("summary");
  if (e.summary.empty()) c.Fail(mapping["summary"].get<std::string>(), "is required");
  if (e.summary.size() > kMaxSummary) e.summary = e.summary.substr(0, kMaxSummary);
  e.dedup_key = field("dedup_key").substr(0, kMaxDedupKey);
  std::string action = field("action");
  for (char& ch : action) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (action == "resolve" || action == "resolved" || action == "ok" || action == "closed") {
    e.action = Action::kResolve;
  } else if (action == "acknowledge" || action == "acknowledged") {
    e.action = Action::kAcknowledge;
  }
  if (e.action != Action::kTrigger && e.dedup_key.empty()) {
    c.Fail(mapping.value("dedup_key", "/dedup_key"), "is required to " + action + " an alert");
  }
  std::string severity = field("severity");
  for (char& ch : severity) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  e.severity = IsSeverity(severity) ? severity : "critical";
  e.source = field("source");
  if (e.source.empty()) e.source = "generic";
  e.component = field("component");
  e.group = field("group");
  e.klass = field("class");
  e.details = {{"body", body}};
  PLINTH_RETURN_IF_ERROR(c.Done());
  return e;
}

}  // namespace plinth::paging
