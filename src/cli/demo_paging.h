#pragma once
// Paging in the demo organisation. Catalog: an escalation policy per team (its primary
// schedule, then the whole team; platform's goes through the incident commander in between),
// paging settings on every tier-1 and tier-2 service, notification rules for the people with a
// phone. History: 90 days of alerts, incidents and pages ending at the demo's start, shaped like
// a real company's:
//   - integrations: Prometheus (Alertmanager webhook) on every paging service, plus a
//     "synthetics" PagerDuty Events v2 check on tier-1 services;
//   - everyday incidents, mostly in office hours, acknowledged within minutes (a few only after
//     the whole team was paged), resolved by a responder or by their source, with actionable
//     verdicts and some marked as noise; low-urgency warnings that clear by themselves;
//   - a noisy alert: search-index's disk-space warning fires and clears by itself within a few
//     minutes about ten times a week (flapping);
//   - a night of pages: six high-urgency payments incidents between 01:00 and 05:00 local time
//     of the person on call, about eleven days ago, one escalating to the whole team;
//   - an alert storm: a Kafka broker failure twenty days ago, 38 alerts in ten minutes on kafka
//     and the services behind it, grouped into four incidents as the paging engine groups them;
//   - incidents open now: one per SLO alert still firing (demo_slo.h: payments-api's burn,
//     cart's exhausted budget), acknowledged, with the SLO evaluator's dedup keys so the
//     starting server finds them paged already; and catalog-search, triggered three minutes ago.
// Pages go to whoever the schedule engine says was on call, level by level as escalation::Fire
// walks the policies, so the fairness report's pages received are consistent with the
// schedules. Open incidents get no timers: the demo never sends notifications by itself.
//
// Deterministic: the same seed and start time give the same data.

#include <cstdint>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "store/store.h"

namespace plinth::cli {

// The EscalationPolicy documents: "<team>-default" for each of `teams` (Team documents) that
// has a "<team>-primary" schedule.
std::vector<Json> DemoEscalationPolicies(const std::vector<Json>& teams);

// Adds spec.paging to the tier-1 and tier-2 `services` (Service documents) and
// spec.notificationRules to the `people` with an sms contact method.
void AddDemoPaging(std::vector<Json>& services, std::vector<Json>& people);

struct DemoPagingData {
  int64_t integrations = 0;
  int64_t incidents = 0;
  int64_t alerts = 0;
  int64_t pages = 0;
};

// Replaces the paging history (every incident, alert, page, timeline entry, timer and
// notification, and the demo's integrations) with 90 days ending at now_ms.
// REQUIRES: a write transaction; the demo catalog applied.
Result<DemoPagingData> WriteDemoPagingData(store::Tx& tx, int64_t now_ms, uint64_t seed = 20261122);

}  // namespace plinth::cli
