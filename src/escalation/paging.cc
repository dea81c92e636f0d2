#include "escalation/paging.h"

#include "escalation/spec.h"

namespace plinth::escalation {

namespace {

const Json* Find(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

// The duration at paging/`key`, nullopt when absent.
Result<std::optional<int64_t>> Duration(const Json& paging, const char* key, bool allow_zero) {
  const Json* v = Find(paging, key);
  if (!v) return std::optional<int64_t>();
  auto ms = v->is_string() ? ParseDurationMs(v->get<std::string>(), allow_zero) : std::nullopt;
  if (!ms) return Error::Field(std::string("/paging/") + key, "must be a duration such as 30m");
  return std::optional<int64_t>(*ms);
}

}  // namespace

const char* UrgencyName(Urgency u) { return u == Urgency::kHigh ? "high" : "low"; }

std::optional<Urgency> ParseUrgency(std::string_view text) {
  if (text == "high") return Urgency::kHigh;
  if (text == "low") return Urgency::kLow;
  return std::nullopt;
}

Result<std::optional<ServicePaging>> ServicePagingFromSpec(const Json& canonical_service_spec) {
  if (!canonical_service_spec.is_object()) return std::optional<ServicePaging>();
  const Json* paging = Find(canonical_service_spec, "paging");
  if (!paging) return std::optional<ServicePaging>();
  if (!paging->is_object()) return Error::Field("/paging", "must be a mapping");
  ServicePaging s;
  const Json* policy = Find(*paging, "escalationPolicy");
  if (!policy || !policy->is_string() || policy->get_ref<const std::string&>().empty()) {
    return Error::Field("/paging/escalationPolicy", "is required");
  }
  s.policy = policy->get<std::string>();
  if (const Json* v = Find(*paging, "urgency")) {
    if (*v == "high") {
      s.urgency = ServicePaging::Rule::kHigh;
    } else if (*v == "low") {
      s.urgency = ServicePaging::Rule::kLow;
    } else if (*v != "severity") {
      return Error::Field("/paging/urgency", "must be one of high, low, severity");
    }
  }
  if (const Json* v = Find(*paging, "supportHours")) {
    PLINTH_ASSIGN_OR_RETURN(s.support_hours, WindowFromSpec(*v, "/paging/supportHours"));
  }
  PLINTH_ASSIGN_OR_RETURN(s.ack_timeout_ms, Duration(*paging, "acknowledgementTimeout", false));
  PLINTH_ASSIGN_OR_RETURN(s.auto_resolve_ms, Duration(*paging, "autoResolveTimeout", false));
  PLINTH_ASSIGN_OR_RETURN(auto grouping, Duration(*paging, "groupingWindow", true));
  s.grouping_window_ms = grouping.value_or(0);
  return std::optional<ServicePaging>(std::move(s));
}

Urgency UrgencyOf(const ServicePaging& s, std::string_view severity, int64_t now_ms) {
  Urgency u = Urgency::kHigh;
  switch (s.urgency) {
    case ServicePaging::Rule::kHigh:
      break;
    case ServicePaging::Rule::kLow:
      u = Urgency::kLow;
      break;
    case ServicePaging::Rule::kSeverity:
      if (severity == "warning" || severity == "info") u = Urgency::kLow;
      break;
  }
  if (s.support_hours && !Inside(*s.support_hours, now_ms)) u = Urgency::kLow;
  return u;
}

}  // namespace plinth::escalation
