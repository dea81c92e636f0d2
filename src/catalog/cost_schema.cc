// The schemas of the cost kinds CostAllocation, Budget and UnitMetric (see cost/specs.h and
// docs/cost-allocation.md for the YAML forms). The canonical specs written here are what
// cost::AllocationRulesFromSpec, BudgetFromSpec and UnitMetricFromSpec read.

#include <algorithm>
#include <cctype>
#include <set>

#include "catalog/spec_context.h"
#include "cost/decimal.h"
#include "cost/specs.h"

namespace plinth::catalog {

namespace {

const std::vector<std::string> kSplits = {"even", "proportional", "fixed"};
const std::vector<std::string> kMatchLists = {"accounts", "services", "resources", "regions",
                                              "chargeCategories"};

// A positive exact decimal at `key` (a string or a number); canonical text with at least
// `min_decimals` decimals. `what` names it in messages: "an amount above 0 such as 12.50".
std::optional<std::string> PositiveDecimal(FieldReader& r, std::string_view key,
                                           const std::string& what, int min_decimals) {
  const Json* v = r.Get(key);
  if (!v) return std::nullopt;
  auto d = v->is_string()   ? cost::ParseDecimal(Trim(v->get_ref<const std::string&>()))
           : v->is_number() ? cost::ParseDecimal(v->dump())
                            : Result<cost::Decimal>(Error::Invalid("not a number"));
  if (!d.ok() || d->mantissa <= 0) {
    r.Fail(key, "must be " + what + " (got " + v->dump() + ")");
    return std::nullopt;
  }
  return cost::Amount::FromDecimal(*d).ToString(std::max(min_decimals, d->scale));
}

// match: {tags: {KEY: glob}, accounts: [glob], ...}; empty lists and mappings are omitted.
Json MatchSpec(FieldReader& parent) {
  const Json* match = parent.Object("match");
  Json out = Json::object();
  if (!match) return out;
  FieldReader r(*match, parent.Pointer("match"), parent.errors());
  if (auto tags = r.StringMap("tags")) out["tags"] = std::move(*tags);
  for (const std::string& key : kMatchLists) {
    const Json* list = r.Array(key);
    Json patterns = Json::array();
    for (size_t i = 0; list && i < list->size(); ++i) {
      const Json& item = (*list)[i];
      std::string text = item.is_string() || item.is_number() ? Trim(ScalarText(item)) : "";
      if (text.empty()) {
        r.FailAt(r.Pointer(key) + "/" + std::to_string(i),
                 "must be a pattern such as \"prod-*\" (* any run, ? one character)");
      } else {
        patterns.push_back(text);
      }
    }
    if (!patterns.empty()) out[key] = std::move(patterns);
  }
  r.Finish();
  return out;
}

// One value of a rule's set: a literal or "${tag:KEY}"; `kind` ("Team", "Service") makes a
// literal a reference that must exist.
void SetValue(SpecContext& c, FieldReader& r, Json& out, std::string_view key,
              std::string_view kind) {
  auto v = r.Text(key);
  if (!v) return;
  if (cost::TagReference(*v)) {
    out[key] = *v;
  } else if (v->find("${") != std::string::npos) {
    r.Fail(key, "must be a literal or exactly ${tag:KEY} (got \"" + *v + "\")");
  } else if (!kind.empty() && !IsValidName(*v)) {
    r.Fail(key, BadNameMessage(*v));
  } else {
    out[key] = *v;
    if (!kind.empty()) c.Ref(kAllocatesTo, kind, *v, r.Pointer(key));
  }
}

Json RuleSpec(SpecContext& c, FieldReader& r) {
  Json out = Json::object();
  if (auto name = r.Text("name")) out["name"] = *name;
  Json match = MatchSpec(r);
  if (!match.empty()) out["match"] = std::move(match);
  const Json* set = r.Object("set", true);
  if (set) {
    FieldReader s(*set, r.Pointer("set"), r.errors());
    Json o = Json::object();
    SetValue(c, s, o, "team", "Team");
    SetValue(c, s, o, "service", "Service");
    SetValue(c, s, o, "product", "");
    SetValue(c, s, o, "environment", "");
    if (!s.Get("team") && !s.Get("service")) {
      r.Fail("set", "must set team or service (a service's team is its owner)");
    }
    s.Finish();
    out["set"] = std::move(o);
  }
  return out;
}

Json PoolSpec(SpecContext& c, FieldReader& r) {
  Json out = Json::object();
  if (auto name = r.Text("name", true)) out["name"] = *name;
  Json match = MatchSpec(r);
  if (!match.empty()) out["match"] = std::move(match);
  std::string split = r.Enum("split", kSplits).value_or("proportional");
  out["split"] = split;
  auto among = r.NameList("among");
  if (!among.empty() && split == "fixed") {
    r.Fail("among", "a fixed split goes to the teams of its weights; remove among");
  } else if (!among.empty()) {
    out["among"] = Json::array();
    for (const auto& [team, pointer] : among) {
      out["among"].push_back(team);
      c.Ref(kAllocatesTo, "Team", team, pointer);
    }
  }
  const Json* weights = r.Object("weights");
  if (split != "fixed") {
    if (weights) r.Fail("weights", "only a fixed split has weights");
    return out;
  }
  if (!weights && r.Get("weights")) return out;  // not a mapping: reported
  if (!weights || weights->empty()) {
    r.Fail("weights", "is required for a fixed split: {team: weight, ...}");
    return out;
  }
  FieldReader w(*weights, r.Pointer("weights"), r.errors());
  Json o = Json::object();
  for (const auto& [team, value] : weights->items()) {
    if (!IsValidName(team)) {
      w.Get(team);
      w.Fail(team, BadNameMessage(team));
      continue;
    }
    // Weights are relative, so a number (a double's shortest text reads back the same) is
    // exact enough; "40.0" and 40 both become 40.
    auto d = PositiveDecimal(w, team, "a weight above 0 such as 60", 0);
    if (!d) continue;
    o[team] = Json::parse(*d);
    c.Ref(kAllocatesTo, "Team", team, w.Pointer(team));
  }
  w.Finish();
  out["weights"] = std::move(o);
  return out;
}

// scope: exactly one of the `allowed` keys (organization, team, service, tag).
void ScopeSpec(SpecContext& c, const std::vector<std::string>& allowed) {
  const Json* scope = c.in.Object("scope", true);
  if (!scope) return;
  FieldReader r(*scope, c.in.Pointer("scope"), c.in.errors());
  Json out = Json::object();
  int given = 0;
  for (const std::string& key : allowed) given += r.Get(key) != nullptr;
  std::string list;
  for (size_t i = 0; i < allowed.size(); ++i) {
    list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
  }
  if (given != 1) c.in.Fail("scope", "must have exactly one of " + list);
  for (const std::string& key : allowed) {
    if (given != 1 || !r.Get(key)) continue;
    if (key == "organization") {
      if (*r.Get(key) == true) {
        out[key] = true;
      } else {
        r.Fail(key, "must be true (or give team, service or tag instead)");
      }
    } else if (key == "tag") {
      const Json* tag = r.Object("tag");
      if (!tag) continue;
      FieldReader t(*tag, r.Pointer("tag"), r.errors());
      auto k = t.Text("key", true);
      const Json* v = t.Require("value");
      if (v && !v->is_string() && !v->is_number() && !v->is_boolean()) {
        t.Fail("value", "must be a string");
      } else if (k && v) {
        out["tag"] = {{"key", *k}, {"value", Trim(ScalarText(*v))}};
      }
      t.Finish();
    } else if (auto name = r.Name(key)) {
      out[key] = *name;
      c.Ref(kScopedTo, key == "team" ? "Team" : "Service", *name, r.Pointer(key));
    }
  }
  r.Finish();
  c.out["scope"] = std::move(out);
}

void Thresholds(SpecContext& c) {
  const Json* list = c.in.Array("thresholds");
  if (!list && c.in.Get("thresholds")) return;      // not a list: reported
  std::set<std::pair<std::string, double>> unique;  // (basis, percent): actual < forecast
  if (!list) {
    for (const auto& t : cost::DefaultThresholds()) {
      unique.insert({t.basis == cost::ThresholdBasis::kActual ? "actual" : "forecast", t.percent});
    }
  } else if (list->empty()) {
    c.in.Fail("thresholds", "must list at least one threshold (omit it for the defaults)");
  }
  for (size_t i = 0; list && i < list->size(); ++i) {
    std::string p = c.in.Pointer("thresholds") + "/" + std::to_string(i);
    if (!(*list)[i].is_object()) {
      c.in.FailAt(p, "must be a mapping {percent: 80, basis: actual}");
      continue;
    }
    FieldReader r((*list)[i], p, c.in.errors());
    const Json* pct = r.Require("percent");
    bool ok = pct && pct->is_number() && pct->get<double>() > 0 && pct->get<double>() <= 1000;
    if (pct && !ok) {
      r.Fail("percent", "must be a percentage of the budget above 0 and at most 1000 (got " +
                            pct->dump() + ")");
    }
    std::string basis = r.Enum("basis", {"actual", "forecast"}).value_or("actual");
    r.Finish();
    if (ok) unique.insert({basis, pct->get<double>()});
  }
  Json out = Json::array();
  for (const auto& [basis, pct] : unique) {
    Json percent = pct == static_cast<double>(static_cast<int64_t>(pct))
                       ? Json(static_cast<int64_t>(pct))
                       : Json(pct);
    out.push_back({{"percent", percent}, {"basis", basis}});
  }
  if (!out.empty()) c.out["thresholds"] = std::move(out);
}

void Notify(SpecContext& c) {
  const Json* list = c.in.Array("notify");
  Json out = Json::array();
  for (size_t i = 0; list && i < list->size(); ++i) {
    std::string p = c.in.Pointer("notify") + "/" + std::to_string(i);
    if (!(*list)[i].is_object()) {
      c.in.FailAt(p, "must be a mapping with webhook or service");
      continue;
    }
    FieldReader r((*list)[i], p, c.in.errors());
    if ((r.Get("webhook") != nullptr) == (r.Get("service") != nullptr)) {
      c.in.FailAt(p, "give exactly one of webhook and service");
    } else if (auto url = r.Url("webhook")) {
      out.push_back({{"webhook", *url}});
    } else if (auto service = r.Name("service")) {
      out.push_back({{"service", *service}});
      c.Ref(kNotifies, "Service", *service, r.Pointer("service"));
    }
    r.Finish();
  }
  if (!out.empty()) c.out["notify"] = std::move(out);
}

}  // namespace

void CostAllocationSpec(SpecContext& c) {
  const Json* rules = c.in.Array("rules");
  const Json* shared = c.in.Array("shared");
  if (!c.in.Get("rules") && !c.in.Get("shared")) {
    c.in.FailAt(c.in.Pointer("rules"), "is required: give rules, shared pools or both");
  }
  Json out_rules = Json::array();
  for (size_t i = 0; rules && i < rules->size(); ++i) {
    std::string p = c.in.Pointer("rules") + "/" + std::to_string(i);
    if (!(*rules)[i].is_object()) {
      c.in.FailAt(p, "must be a mapping with match and set");
      continue;
    }
    FieldReader r((*rules)[i], p, c.in.errors());
    out_rules.push_back(RuleSpec(c, r));
    r.Finish();
  }
  Json out_shared = Json::array();
  std::set<std::string> names;
  for (size_t i = 0; shared && i < shared->size(); ++i) {
    std::string p = c.in.Pointer("shared") + "/" + std::to_string(i);
    if (!(*shared)[i].is_object()) {
      c.in.FailAt(p, "must be a mapping with name, match and split");
      continue;
    }
    FieldReader r((*shared)[i], p, c.in.errors());
    Json pool = PoolSpec(c, r);
    if (pool.contains("name") && !names.insert(pool["name"].get<std::string>()).second) {
      r.Fail("name",
             "another shared pool here is named \"" + pool["name"].get<std::string>() + "\"");
    }
    out_shared.push_back(std::move(pool));
    r.Finish();
  }
  if (!out_rules.empty()) c.out["rules"] = std::move(out_rules);
  if (!out_shared.empty()) c.out["shared"] = std::move(out_shared);
}

void BudgetSpec(SpecContext& c) {
  ScopeSpec(c, {"organization", "team", "service", "tag"});
  c.out["period"] = c.in.Enum("period", {"monthly", "quarterly"}).value_or("monthly");
  if (auto amount = PositiveDecimal(c.in, "amount", "an amount above 0 such as \"12000.00\"", 2)) {
    c.out["amount"] = *amount;
  }
  if (!c.in.Get("amount")) c.in.Fail("amount", "is required, e.g. \"12000.00\"");
  if (auto currency = c.in.Text("currency", true)) {
    std::string upper = *currency;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    bool ok = upper.size() == 3 && std::all_of(upper.begin(), upper.end(),
                                               [](char ch) { return ch >= 'A' && ch <= 'Z'; });
    if (ok) {
      c.out["currency"] = upper;
    } else {
      c.in.Fail("currency", "must be an ISO 4217 code such as USD (got \"" + *currency + "\")");
    }
  }
  c.out["metric"] = c.in.Enum("metric", {"effective", "billed"}).value_or("effective");
  Thresholds(c);
  Notify(c);
}

void UnitMetricSpec(SpecContext& c) {
  ScopeSpec(c, {"team", "service"});
  if (auto unit = c.in.Text("unit", true)) c.out["unit"] = *unit;
  c.out["per"] = 1;
  if (const Json* per = c.in.Get("per")) {
    if (per->is_number_integer() && per->get<int64_t>() >= 1) {
      c.out["per"] = per->get<int64_t>();
    } else {
      c.in.Fail("per", "must be a whole number of units, 1 or more (got " + per->dump() + ")");
    }
  }
  auto given = c.in.Enum("source", {"push", "prometheus"});
  if (!given && c.in.Get("source")) {  // not a known source: reported; the rest depends on it
    c.in.Get("prometheus");
    return;
  }
  std::string source = given.value_or("push");
  c.out["source"] = source;
  const Json* prom = c.in.Object("prometheus");
  if (source != "prometheus") {
    if (prom) c.in.Fail("prometheus", "only a prometheus source has a query; set source");
    return;
  }
  if (!prom) {
    if (!c.in.Get("prometheus")) {
      c.in.Fail("prometheus", "is required when source is prometheus: {dataSource, query}");
    }
    return;
  }
  FieldReader r(*prom, c.in.Pointer("prometheus"), c.in.errors());
  Json out = Json::object();
  if (auto ds = r.Name("dataSource", true)) {
    out["dataSource"] = *ds;
    c.Ref(kUses, "DataSource", *ds, r.Pointer("dataSource"));
  }
  if (auto q = r.Text("query", true)) out["query"] = *q;
  r.Finish();
  c.out["prometheus"] = std::move(out);
}

}  // namespace plinth::catalog
