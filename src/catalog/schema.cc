// Canonicalize(): the plinth/v1 schema of every catalog kind.

#include <algorithm>
#include <set>

#include "catalog/fields.h"
#include "catalog/model.h"
#include "catalog/spec_context.h"
#include "schedule/spec.h"

namespace plinth::catalog {

namespace {

const std::vector<std::string> kLifecycles = {"experimental", "development", "production",
                                              "deprecated", "retired"};

void TeamSpec(SpecContext& c) {
  auto members = c.in.NameList("members");
  if (!members.empty()) {
    c.out["members"] = Json::array();
    for (const auto& [name, pointer] : members) {
      c.out["members"].push_back(name);
      c.Ref(kHasMember, "Person", name, pointer);
    }
  }
  if (auto v = c.in.Text("chatChannel")) c.out["chatChannel"] = *v;
  if (auto v = c.in.Email("email")) c.out["email"] = *v;
}

void PersonSpec(SpecContext& c) {
  if (auto v = c.in.Text("displayName")) c.out["displayName"] = *v;
  if (auto v = c.in.Email("email")) c.out["email"] = *v;
  if (auto v = c.in.Text("timeZone")) {
    if (IsTimeZone(*v)) {
      c.out["timeZone"] = *v;
    } else {
      c.in.Fail("timeZone", "unknown time zone \"" + *v +
                                "\" (expected an IANA zone such as "
                                "Europe/Berlin)");
    }
  }
  if (const Json* hours = c.in.Object("workingHours")) {
    FieldReader r(*hours, c.in.Pointer("workingHours"), c.in.errors());
    Json out = Json::object();
    auto start = TimeOfDay(r, "start", false);
    auto end = TimeOfDay(r, "end", true);
    if (start && end && *end <= *start) r.Fail("end", "must be after start");
    if (start) out["start"] = schedule::FormatTimeOfDay(*start);
    if (end) out["end"] = schedule::FormatTimeOfDay(*end);
    if (const Json* days = r.Array("days")) {
      std::set<int> unique;
      for (size_t i = 0; i < days->size(); ++i) {
        const Json& d = (*days)[i];
        auto day = d.is_string() ? schedule::ParseWeekday(d.get<std::string>()) : std::nullopt;
        if (day) {
          unique.insert(*day);
        } else {
          r.FailAt(r.Pointer("days") + "/" + std::to_string(i), "must be a day such as monday");
        }
      }
      out["days"] = Json::array();
      for (int d : unique) out["days"].push_back(schedule::WeekdayName(d));
    }
    r.Finish();
    c.out["workingHours"] = std::move(out);
  }
  const Json* methods = c.in.Array("contactMethods");
  Json out = Json::array();
  std::set<std::string> types;
  for (size_t i = 0; methods && i < methods->size(); ++i) {
    std::string p = c.in.Pointer("contactMethods") + "/" + std::to_string(i);
    const Json& m = (*methods)[i];
    if (!m.is_object()) {
      c.in.FailAt(p, "must be a mapping with type and address");
      continue;
    }
    FieldReader r(m, p, c.in.errors());
    auto type = r.Enum("type", kContactTypes);
    if (!r.Get("type")) r.Fail("type", "is required");
    auto address = type && *type == "email" ? r.Email("address") : r.Text("address");
    if (!r.Get("address")) r.Fail("address", "is required");
    r.Finish();
    if (type) types.insert(*type);
    if (type && address) out.push_back({{"type", *type}, {"address", *address}});
  }
  if (!out.empty()) c.out["contactMethods"] = std::move(out);
  NotificationRulesSpec(c, types);
}

void ServiceSpec(SpecContext& c) {
  c.Owner();
  if (const Json* tier = c.in.Get("tier")) {
    if (tier->is_number_integer() && tier->get<int64_t>() >= 1 && tier->get<int64_t>() <= 4) {
      c.out["tier"] = tier->get<int64_t>();
    } else {
      c.in.Fail("tier", "must be an integer from 1 to 4 (got " + tier->dump() + ")");
    }
  }
  c.out["lifecycle"] = c.in.Enum("lifecycle", kLifecycles).value_or("production");
  c.out["type"] = c.in.Text("type").value_or("service");
  if (auto system = c.in.Name("system")) {
    c.out["system"] = *system;
    c.Ref(kPartOf, "System", *system, c.in.Pointer("system"));
  }
  if (auto v = c.in.Url("runbookUrl")) c.out["runbookUrl"] = *v;
  if (auto v = c.in.Url("repositoryUrl")) c.out["repositoryUrl"] = *v;
  auto deps = c.in.NameList("dependsOn");
  Json dep_list = Json::array();
  for (const auto& [dep, pointer] : deps) {
    if (dep == c.name) {
      c.in.FailAt(pointer, "a service cannot depend on itself");
      continue;
    }
    dep_list.push_back(dep);
    c.Ref(kDependsOn, "Service", dep, pointer);
  }
  if (!dep_list.empty()) c.out["dependsOn"] = std::move(dep_list);
  if (const Json* attrs = c.in.Object("attributes")) {
    Json out = Json::object();
    for (const auto& [k, v] : attrs->items()) {
      std::string p = c.in.Pointer("attributes") + "/" + PointerToken(k);
      if (k.empty()) {
        c.in.FailAt(p, "keys must not be empty");
      } else if (v.is_string() || v.is_number() || v.is_boolean()) {
        out[k] = v;
      } else if (!v.is_null()) {
        c.in.FailAt(p, "must be a string, number or boolean");
      }
    }
    if (!out.empty()) c.out["attributes"] = std::move(out);
  }
  PagingSpec(c);
}

void SystemSpec(SpecContext& c) {
  c.Owner();
  if (auto domain = c.in.Name("domain")) {
    c.out["domain"] = *domain;
    c.Ref(kPartOf, "Domain", *domain, c.in.Pointer("domain"));
  }
}

void DomainSpec(SpecContext& c) { c.Owner(); }

using SpecFn = void (*)(SpecContext&);

// The spec schema of each kind in the registry (model.cc). A new kind adds a row here.
constexpr std::pair<std::string_view, SpecFn> kSpecs[] = {
    {"Person", PersonSpec},     {"Team", TeamSpec},
    {"Domain", DomainSpec},     {"System", SystemSpec},
    {"Schedule", ScheduleSpec}, {"EscalationPolicy", EscalationPolicySpec},
    {"Service", ServiceSpec},   {"DataSource", DataSourceSpec},
    {"SLO", SloSpec},           {"CostAllocation", CostAllocationSpec},
    {"Budget", BudgetSpec},     {"UnitMetric", UnitMetricSpec},
};

SpecFn SpecFor(std::string_view kind) {
  for (const auto& [k, fn] : kSpecs) {
    if (k == kind) return fn;
  }
  return nullptr;
}

std::string KindList() {
  std::string out;
  for (const auto& k : Kinds()) out += (out.empty() ? "" : ", ") + std::string(k.kind);
  return out;
}

Json Metadata(FieldReader& in, std::string* name) {
  Json out = Json::object();
  if (auto n = in.Name("name", true)) {
    *name = *n;
    out["name"] = *n;
  }
  if (auto v = in.Text("title")) out["title"] = *v;
  if (auto v = in.Text("description")) out["description"] = *v;
  if (const Json* tags = in.Array("tags")) {
    std::set<std::string> unique;
    for (size_t i = 0; i < tags->size(); ++i) {
      const Json& t = (*tags)[i];
      std::string s = t.is_string() ? Trim(t.get_ref<const std::string&>()) : "";
      bool ok = !s.empty() && s.size() <= 63 && s.find_first_of(" \t\r\n") == std::string::npos;
      if (ok) {
        unique.insert(s);
      } else {
        in.FailAt(in.Pointer("tags") + "/" + std::to_string(i),
                  "must be a tag of 1-63 characters without spaces");
      }
    }
    if (!unique.empty()) out["tags"] = Json(std::vector<std::string>(unique.begin(), unique.end()));
  }
  if (auto v = in.StringMap("labels")) out["labels"] = std::move(*v);
  if (auto v = in.StringMap("annotations")) out["annotations"] = std::move(*v);
  if (const Json* links = in.Array("links")) {
    Json list = Json::array();
    for (size_t i = 0; i < links->size(); ++i) {
      std::string p = in.Pointer("links") + "/" + std::to_string(i);
      if (!(*links)[i].is_object()) {
        in.FailAt(p, "must be a mapping with url, title and icon");
        continue;
      }
      FieldReader r((*links)[i], p, in.errors());
      Json link = Json::object();
      if (!r.Get("url")) r.Fail("url", "is required");
      if (auto v = r.Url("url")) link["url"] = *v;
      if (auto v = r.Text("title")) link["title"] = *v;
      if (auto v = r.Text("icon")) link["icon"] = *v;
      r.Finish();
      if (link.contains("url")) list.push_back(std::move(link));
    }
    if (!list.empty()) out["links"] = std::move(list);
  }
  in.Finish();
  return out;
}

}  // namespace

Result<Resource> Canonicalize(const Json& doc) {
  std::vector<FieldError> errors;
  if (!doc.is_object()) {
    Error e = Error::Invalid("document must be a mapping");
    e.fields.push_back({"", "document must be a mapping", ""});
    return e;
  }
  Resource res;
  FieldReader top(doc, "", errors);
  if (auto v = top.Text("apiVersion", true); v && *v != kApiVersion) {
    top.Fail("apiVersion", "must be " + std::string(kApiVersion) + " (got \"" + *v + "\")");
  }
  if (auto v = top.Text("kind", true)) {
    if (IsKind(*v)) {
      res.kind = *v;
    } else {
      top.Fail("kind", "unknown kind \"" + *v + "\" (expected one of " + KindList() + ")");
    }
  }
  top.Get("status");  // output-only (Entity::ToJson), accepted and dropped
  Json metadata;
  if (const Json* md = top.Object("metadata", true)) {
    FieldReader in(*md, "/metadata", errors);
    metadata = Metadata(in, &res.name);
  }
  Json spec = Json::object();
  const Json* spec_in = top.Object("spec");
  if (SpecFn fn = SpecFor(res.kind)) {
    static const Json kEmpty = Json::object();
    FieldReader in(spec_in ? *spec_in : kEmpty, "/spec", errors);
    SpecContext c{in, spec, res.refs, res.name};
    fn(c);
    in.Finish();
  }
  top.Finish();
  if (!errors.empty()) {
    Error e = Error::Invalid(errors.size() == 1
                                 ? PointerToDotted(errors[0].pointer) + ": " + errors[0].message
                                 : std::to_string(errors.size()) + " problems in the document");
    e.fields = std::move(errors);
    return e;
  }
  res.doc = {
      {"apiVersion", kApiVersion}, {"kind", res.kind}, {"metadata", metadata}, {"spec", spec}};
  return res;
}

}  // namespace plinth::catalog
