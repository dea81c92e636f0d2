#include "cost/specs.h"

#include <algorithm>

namespace plinth::cost {

namespace {

const Json* Find(const Json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

Result<std::string> Text(const Json& obj, const char* key, const std::string& pointer,
                         bool required) {
  const Json* v = Find(obj, key);
  if (!v) {
    if (required) return Error::Field(pointer + "/" + key, "is required");
    return std::string();
  }
  if (!v->is_string()) return Error::Field(pointer + "/" + key, "must be a string");
  return v->get<std::string>();
}

Result<std::vector<std::string>> Patterns(const Json& obj, const char* key,
                                          const std::string& pointer) {
  std::vector<std::string> out;
  const Json* v = Find(obj, key);
  if (!v) return out;
  std::string p = pointer + "/" + key;
  if (!v->is_array()) return Error::Field(p, "must be a list of patterns");
  for (size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
      return Error::Field(p + "/" + std::to_string(i), "must be a pattern such as \"prod-*\"");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

// A decimal written as a string or a JSON number ("0.1" stays exactly 0.1: nlohmann prints the
// shortest text that reads back as the same double).
Result<Decimal> DecimalValue(const Json& v, const std::string& pointer) {
  if (!v.is_string() && !v.is_number()) return Error::Field(pointer, "must be a number");
  auto d = ParseDecimal(v.is_string() ? v.get<std::string>() : v.dump());
  if (!d.ok()) return Error::Field(pointer, d.error().message);
  return *d;
}

Result<AllocationMatch> MatchFromSpec(const Json& spec, const std::string& pointer) {
  AllocationMatch m;
  const Json* match = Find(spec, "match");
  if (!match) return m;
  std::string p = pointer + "/match";
  if (!match->is_object()) return Error::Field(p, "must be a mapping");
  if (const Json* tags = Find(*match, "tags")) {
    if (!tags->is_object()) return Error::Field(p + "/tags", "must be a mapping of tag globs");
    for (const auto& [k, v] : tags->items()) {
      if (k.empty() || !v.is_string()) {
        return Error::Field(p + "/tags/" + PointerToken(k), "must be a glob such as \"*\"");
      }
      m.tags.emplace_back(k, v.get<std::string>());
    }
  }
  PLINTH_ASSIGN_OR_RETURN(m.accounts, Patterns(*match, "accounts", p));
  PLINTH_ASSIGN_OR_RETURN(m.services, Patterns(*match, "services", p));
  PLINTH_ASSIGN_OR_RETURN(m.resources, Patterns(*match, "resources", p));
  PLINTH_ASSIGN_OR_RETURN(m.regions, Patterns(*match, "regions", p));
  PLINTH_ASSIGN_OR_RETURN(m.charge_categories, Patterns(*match, "chargeCategories", p));
  return m;
}

Status CheckValue(const std::string& value, const std::string& pointer) {
  if (value.find("${") != std::string::npos && !TagReference(value)) {
    return Error::Field(pointer, "must be a literal or exactly ${tag:KEY}");
  }
  return {};
}

Result<AllocationRule> RuleFromSpec(const Json& spec, const std::string& pointer) {
  if (!spec.is_object()) return Error::Field(pointer, "must be a mapping with match and set");
  AllocationRule r;
  PLINTH_ASSIGN_OR_RETURN(r.name, Text(spec, "name", pointer, false));
  PLINTH_ASSIGN_OR_RETURN(r.match, MatchFromSpec(spec, pointer));
  const Json* set = Find(spec, "set");
  std::string p = pointer + "/set";
  if (!set || !set->is_object()) return Error::Field(p, "must be a mapping with team or service");
  PLINTH_ASSIGN_OR_RETURN(r.set.team, Text(*set, "team", p, false));
  PLINTH_ASSIGN_OR_RETURN(r.set.service, Text(*set, "service", p, false));
  PLINTH_ASSIGN_OR_RETURN(r.set.product, Text(*set, "product", p, false));
  PLINTH_ASSIGN_OR_RETURN(r.set.environment, Text(*set, "environment", p, false));
  if (r.set.team.empty() && r.set.service.empty()) {
    return Error::Field(p, "must set team or service");
  }
  PLINTH_RETURN_IF_ERROR(CheckValue(r.set.team, p + "/team"));
  PLINTH_RETURN_IF_ERROR(CheckValue(r.set.service, p + "/service"));
  PLINTH_RETURN_IF_ERROR(CheckValue(r.set.product, p + "/product"));
  PLINTH_RETURN_IF_ERROR(CheckValue(r.set.environment, p + "/environment"));
  return r;
}

Result<SharedPool> PoolFromSpec(const Json& spec, const std::string& pointer) {
  if (!spec.is_object()) return Error::Field(pointer, "must be a mapping with name and match");
  SharedPool pool;
  PLINTH_ASSIGN_OR_RETURN(pool.name, Text(spec, "name", pointer, true));
  PLINTH_ASSIGN_OR_RETURN(pool.match, MatchFromSpec(spec, pointer));
  PLINTH_ASSIGN_OR_RETURN(std::string split, Text(spec, "split", pointer, false));
  if (split == "even") {
    pool.split = SplitMethod::kEven;
  } else if (split == "fixed") {
    pool.split = SplitMethod::kFixed;
  } else if (!split.empty() && split != "proportional") {
    return Error::Field(pointer + "/split", "must be one of even, proportional, fixed");
  }
  PLINTH_ASSIGN_OR_RETURN(pool.among, Patterns(spec, "among", pointer));
  const Json* weights = Find(spec, "weights");
  if (pool.split == SplitMethod::kFixed) {
    if (!weights || !weights->is_object() || weights->empty()) {
      return Error::Field(pointer + "/weights", "must map each receiving team to its weight");
    }
    for (const auto& [team, w] : weights->items()) {
      std::string p = pointer + "/weights/" + PointerToken(team);
      PLINTH_ASSIGN_OR_RETURN(Decimal d, DecimalValue(w, p));
      if (d.mantissa <= 0) return Error::Field(p, "must be a weight above 0");
      pool.weights.emplace_back(team, d);
    }
    if (!pool.among.empty()) {
      return Error::Field(pointer + "/among", "a fixed split goes to the teams of its weights");
    }
  } else if (weights) {
    return Error::Field(pointer + "/weights", "only a fixed split has weights");
  }
  return pool;
}

}  // namespace

const char* SplitMethodName(SplitMethod m) {
  switch (m) {
    case SplitMethod::kEven:
      return "even";
    case SplitMethod::kFixed:
      return "fixed";
    case SplitMethod::kProportional:
      break;
  }
  return "proportional";
}

std::optional<std::string> TagReference(std::string_view value) {
  constexpr std::string_view kOpen = "${tag:";
  if (value.size() <= kOpen.size() + 1 || !value.starts_with(kOpen) || !value.ends_with("}")) {
    return std::nullopt;
  }
  std::string_view key = value.substr(kOpen.size(), value.size() - kOpen.size() - 1);
  if (key.find_first_of("{}") != std::string_view::npos) return std::nullopt;
  return std::string(key);
}

Result<AllocationRules> AllocationRulesFromSpec(const Json& spec) {
  if (!spec.is_object()) return Error::Field("", "must be a mapping with rules and shared");
  AllocationRules out;
  for (const char* key : {"rules", "shared"}) {
    const Json* list = Find(spec, key);
    if (list && !list->is_array()) return Error::Field(std::string("/") + key, "must be a list");
    for (size_t i = 0; list && i < list->size(); ++i) {
      std::string p = std::string("/") + key + "/" + std::to_string(i);
      if (key == std::string_view("rules")) {
        PLINTH_ASSIGN_OR_RETURN(AllocationRule r, RuleFromSpec((*list)[i], p));
        out.rules.push_back(std::move(r));
      } else {
        PLINTH_ASSIGN_OR_RETURN(SharedPool pool, PoolFromSpec((*list)[i], p));
        out.shared.push_back(std::move(pool));
      }
    }
  }
  return out;
}

void AppendRules(AllocationRules& into, const AllocationRules& more) {
  into.rules.insert(into.rules.end(), more.rules.begin(), more.rules.end());
  into.shared.insert(into.shared.end(), more.shared.begin(), more.shared.end());
}

std::vector<BudgetThreshold> DefaultThresholds() {
  return {{80, ThresholdBasis::kActual},
          {100, ThresholdBasis::kActual},
          {100, ThresholdBasis::kForecast}};
}

Result<BudgetSpec> BudgetFromSpec(std::string_view name, const Json& spec) {
  if (!spec.is_object()) return Error::Field("", "must be a mapping with scope and amount");
  BudgetSpec b;
  b.name = std::string(name);
  const Json* scope = Find(spec, "scope");
  if (!scope || !scope->is_object() || scope->size() != 1) {
    return Error::Field("/scope", "must have exactly one of organization, team, service or tag");
  }
  if (const Json* v = Find(*scope, "organization"); v && *v == true) {
    b.scope.kind = BudgetScope::Kind::kOrganization;
  } else if (Find(*scope, "team") || Find(*scope, "service")) {
    bool team = Find(*scope, "team") != nullptr;
    b.scope.kind = team ? BudgetScope::Kind::kTeam : BudgetScope::Kind::kService;
    PLINTH_ASSIGN_OR_RETURN(b.scope.name, Text(*scope, team ? "team" : "service", "/scope", true));
  } else if (const Json* tag = Find(*scope, "tag")) {
    b.scope.kind = BudgetScope::Kind::kTag;
    PLINTH_ASSIGN_OR_RETURN(b.scope.tag_key, Text(*tag, "key", "/scope/tag", true));
    PLINTH_ASSIGN_OR_RETURN(b.scope.tag_value, Text(*tag, "value", "/scope/tag", true));
  } else {
    return Error::Field("/scope", "must have exactly one of organization, team, service or tag");
  }
  PLINTH_ASSIGN_OR_RETURN(std::string period, Text(spec, "period", "", false));
  if (period == "quarterly") {
    b.period = BudgetPeriod::kQuarterly;
  } else if (!period.empty() && period != "monthly") {
    return Error::Field("/period", "must be one of monthly, quarterly");
  }
  const Json* amount = Find(spec, "amount");
  if (!amount) return Error::Field("/amount", "is required");
  PLINTH_ASSIGN_OR_RETURN(b.amount, DecimalValue(*amount, "/amount"));
  if (b.amount.mantissa <= 0) return Error::Field("/amount", "must be an amount above 0");
  PLINTH_ASSIGN_OR_RETURN(b.currency, Text(spec, "currency", "", true));
  PLINTH_ASSIGN_OR_RETURN(std::string metric, Text(spec, "metric", "", false));
  if (metric == "billed") {
    b.metric = BudgetMetric::kBilled;
  } else if (!metric.empty() && metric != "effective") {
    return Error::Field("/metric", "must be one of effective, billed");
  }
  const Json* thresholds = Find(spec, "thresholds");
  if (!thresholds) b.thresholds = DefaultThresholds();
  for (size_t i = 0; thresholds && i < thresholds->size(); ++i) {
    std::string p = "/thresholds/" + std::to_string(i);
    const Json& t = (*thresholds)[i];
    const Json* pct = Find(t, "percent");
    if (!pct || !pct->is_number() || pct->get<double>() <= 0) {
      return Error::Field(p + "/percent", "must be a percentage above 0");
    }
    PLINTH_ASSIGN_OR_RETURN(std::string basis, Text(t, "basis", p, false));
    if (!basis.empty() && basis != "actual" && basis != "forecast") {
      return Error::Field(p + "/basis", "must be one of actual, forecast");
    }
    b.thresholds.push_back({pct->get<double>(), basis == "forecast" ? ThresholdBasis::kForecast
                                                                    : ThresholdBasis::kActual});
  }
  std::sort(b.thresholds.begin(), b.thresholds.end(), [](const auto& x, const auto& y) {
    return std::pair(x.basis, x.percent) < std::pair(y.basis, y.percent);
  });
  const Json* notify = Find(spec, "notify");
  for (size_t i = 0; notify && i < notify->size(); ++i) {
    std::string p = "/notify/" + std::to_string(i);
    BudgetNotify n;
    PLINTH_ASSIGN_OR_RETURN(n.webhook, Text((*notify)[i], "webhook", p, false));
    PLINTH_ASSIGN_OR_RETURN(n.service, Text((*notify)[i], "service", p, false));
    if (n.webhook.empty() == n.service.empty()) {
      return Error::Field(p, "give exactly one of webhook and service");
    }
    b.notify.push_back(std::move(n));
  }
  return b;
}

Result<UnitMetricSpec> UnitMetricFromSpec(std::string_view name, const Json& spec) {
  if (!spec.is_object()) return Error::Field("", "must be a mapping with scope and unit");
  UnitMetricSpec u;
  u.name = std::string(name);
  const Json* scope = Find(spec, "scope");
  bool team = scope && Find(*scope, "team");
  if (!scope || !scope->is_object() || scope->size() != 1 || (!team && !Find(*scope, "service"))) {
    return Error::Field("/scope", "must have exactly one of team or service");
  }
  u.scope_kind = team ? UnitMetricSpec::ScopeKind::kTeam : UnitMetricSpec::ScopeKind::kService;
  PLINTH_ASSIGN_OR_RETURN(u.scope_name, Text(*scope, team ? "team" : "service", "/scope", true));
  PLINTH_ASSIGN_OR_RETURN(u.unit, Text(spec, "unit", "", true));
  if (const Json* per = Find(spec, "per")) {
    if (!per->is_number_integer() || per->get<int64_t>() < 1) {
      return Error::Field("/per", "must be a whole number of units, 1 or more");
    }
    u.per = per->get<int64_t>();
  }
  PLINTH_ASSIGN_OR_RETURN(std::string source, Text(spec, "source", "", false));
  const Json* prom = Find(spec, "prometheus");
  if (source == "prometheus") {
    u.source = UnitMetricSpec::Source::kPrometheus;
    if (!prom) return Error::Field("/prometheus", "is required: {dataSource, query}");
    PLINTH_ASSIGN_OR_RETURN(u.data_source, Text(*prom, "dataSource", "/prometheus", true));
    PLINTH_ASSIGN_OR_RETURN(u.query, Text(*prom, "query", "/prometheus", true));
  } else if (!source.empty() && source != "push") {
    return Error::Field("/source", "must be one of push, prometheus");
  } else if (prom) {
    return Error::Field("/prometheus", "only a prometheus source has a query");
  }
  return u;
}

}  // namespace plinth::cost
