#include "server/slo_paging.h"

#include <map>
#include <set>

#include "catalog/repository.h"
#include "paging/incidents.h"
#include "reliability/evaluator.h"

namespace plinth::server {

namespace {

std::string DedupKey(const std::string& slo, const reliability::AlertRecord& a) {
  return "slo:" + slo + ":" + a.condition + ":" + a.id;
}

}  // namespace

Result<int> PageSloAlerts(store::Store& store, int64_t now_ms) {
  return store.Write([&](store::Tx& tx) -> Result<int> {
    PLINTH_ASSIGN_OR_RETURN(auto firing, reliability::FiringAlerts(tx));
    PLINTH_ASSIGN_OR_RETURN(auto paged, paging::OpenAlertKeys(tx, kSloIntegration));
    int changed = 0;
    std::set<std::string> still;
    for (const auto& [slo, alert] : firing) {
      std::string key = DedupKey(slo, alert);
      still.insert(key);
      if (paged.count(key)) continue;
      auto entity = catalog::Get(tx, "SLO", slo);
      if (!entity.ok()) continue;  // deleted since
      paging::Integration in;
      in.id = kSloIntegration;
      in.service = entity->doc["spec"].value("service", "");
      in.type = "slo";
      in.name = "slo-evaluator";
      paging::AlertEvent e;
      e.dedup_key = key;
      // One incident per SLO and severity: its quick and slow burns are one problem.
      e.group_key = "slo:" + slo + ":" + alert.severity;
      e.summary = "SLO " + slo + ": " + alert.condition +
                  (alert.detail.empty() ? "" : " (" + alert.detail + ")");
      e.source = "plinth SLO evaluator";
      e.severity = alert.severity == "page" ? "critical" : "warning";
      e.klass = "slo " + alert.condition;
      e.component = slo;
      e.timestamp_ms = alert.start_ms;
      PLINTH_RETURN_IF_ERROR(paging::ApplyAlertEvent(tx, in, e, now_ms));
      ++changed;
    }
    for (const auto& [key, service] : paged) {
      if (still.count(key)) continue;
      paging::Integration in;
      in.id = kSloIntegration;
      in.service = service;
      in.name = "slo-evaluator";
      paging::AlertEvent e;
      e.action = paging::Action::kResolve;
      e.dedup_key = key;
      PLINTH_RETURN_IF_ERROR(paging::ApplyAlertEvent(tx, in, e, now_ms));
      ++changed;
    }
    return changed;
  });
}

}  // namespace plinth::server
