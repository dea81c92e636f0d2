#include "server/cost_jobs.h"

#include <vector>

#include "base/log.h"
#include "finops/budgets.h"
#include "finops/query_params.h"
#include "paging/incidents.h"

namespace plinth::server {

Result<int> RunBudgetAlerts(store::Store& store, finops::CostData& data, notify::Sender& sender,
                            int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(auto views, finops::EvaluateBudgets(store, data, now_ms / 1000));
  int fresh = 0;
  for (const auto& v : views) {
    for (const auto& t : v.status.thresholds) {
      if (!finops::Crossed(v.status, t)) continue;
      std::string label = finops::ThresholdLabel(t.threshold);
      bool actual = t.threshold.basis == cost::ThresholdBasis::kActual;
      const cost::Amount& amount = actual ? v.status.actual : v.status.forecast;
      std::string title = "Budget " + v.spec.name + ": " + label + " of " +
                          v.status.budget.ToString(2) + " " + v.spec.currency + " reached (" +
                          (actual ? "actual " : "forecast ") + amount.ToString(2) + ")";
      int64_t period_s = v.status.period.start_day * 86400;
      // Record the crossing and raise the paging alerts in one transaction: exactly once.
      PLINTH_ASSIGN_OR_RETURN(bool inserted, store.Write([&](store::Tx& tx) -> Result<bool> {
        PLINTH_ASSIGN_OR_RETURN(
            int64_t n, tx.Exec("INSERT INTO cost_budget_alerts (budget, period_start_s, "
                               "threshold, crossed_day_s, amount, created_ms) VALUES "
                               "(?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                               {v.spec.name, period_s, label, *t.first_crossed_day * 86400,
                                amount.ToString(2), now_ms}));
        if (n == 0) return false;
        for (const auto& target : v.spec.notify) {
          if (target.service.empty()) continue;
          paging::Integration in;
          in.id = kBudgetIntegration;
          in.service = target.service;
          in.type = "cost";
          in.name = kBudgetIntegration;
          paging::AlertEvent e;
          e.dedup_key = "budget:" + v.spec.name + ":" + finops::DayString(period_s) + ":" + label;
          e.group_key = "budget:" + v.spec.name + ":" + finops::DayString(period_s);
          e.summary = title;
          e.source = "plinth budgets";
          e.severity = actual && t.threshold.percent >= 100 ? "critical" : "warning";
          e.klass = "cost budget";
          e.component = v.spec.name;
          e.timestamp_ms = now_ms;
          PLINTH_RETURN_IF_ERROR(paging::ApplyAlertEvent(tx, in, e, now_ms));
        }
        return true;
      }));
      if (!inserted) continue;
      ++fresh;
      std::string delivery;
      for (const auto& target : v.spec.notify) {
        if (target.webhook.empty()) continue;
        notify::Delivery d;
        d.channel = "webhook";
        d.address = target.webhook;
        d.idempotency_key = "budget:" + v.spec.name + ":" + std::to_string(period_s) + ":" + label;
        d.notice.kind = "budget";
        d.notice.title = title;
        d.notice.service = v.spec.scope.name;
        d.notice.status = actual ? "actual" : "forecast";
        d.notice.details = "Budget " + v.spec.name + " (" + v.spec.currency + " " +
                           v.status.budget.ToString(2) + " per period from " +
                           finops::DayString(period_s) + "): actual " +
                           v.status.actual.ToString(2) + ", forecast " +
                           v.status.forecast.ToString(2) + ".";
        d.notice.at_ms = now_ms;
        notify::Outcome o = sender.Send(d);
        delivery += target.webhook + ": " + (o.ok ? "sent" : "failed " + o.error) + "\n";
        if (!o.ok) LogWarn("budget alert webhook " + target.webhook + ": " + o.error);
      }
      if (!delivery.empty()) {
        PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
          PLINTH_RETURN_IF_ERROR(tx.Exec(
              "UPDATE cost_budget_alerts SET delivery = ? WHERE budget = ? AND "
              "period_start_s = ? AND threshold = ?",
              {delivery, v.spec.name, period_s, label}));
          return Status{};
        }));
      }
    }
  }
  return fresh;
}

}  // namespace plinth::server
