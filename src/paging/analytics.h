#pragma once
// Paging analytics over a period: how much paging a team, a service and a person got, how fast
// incidents were acknowledged and resolved, how much of it was worth waking up for, which
// alerts make the most noise, and a daily series for a chart. Read-only; the figures come from
// paging_incidents, paging_alerts, paging_pages and the timeline, with schedules resolved by
// the on-call engine for shifts.
//
// Definitions (the period is [from, to), UTC milliseconds):
//   incidents      created in the period; attributed to their service and to the team that
//                  owns the service now (catalog), or no team when the service is gone.
//   alerts         alerts created in the period; pages: pages sent in the period.
//   MTTA           over incidents of the period that were acknowledged: the time from creation
//                  to the first acknowledgement (the earliest "acknowledged" or "snoozed"
//                  timeline entry, else acknowledged_ms). MTTR: over those resolved, creation to
//                  resolution. Mean and median in whole seconds (rounded half up; the median of
//                  an even count is the mean of the middle two), null when there are none.
//   quality        resolved incidents of the period, each in exactly one bucket: actionable
//                  (a responder's verdict true), notActionable (verdict false), autoResolved
//                  (no verdict, resolved by its source "source:..." or by "timeout"), noVerdict
//                  (resolved by a person without a verdict). Shares are of `resolved`, rounded
//                  to 3 decimals, null when nothing was resolved.
//   off-hours      a page outside the person's working hours in their own time zone
//                  (Person.spec.workingHours; 09:00-17:00 Monday to Friday when not given; UTC
//                  for a name that is not a catalog person).
//   shifts         a person's stretches on call in the period on the schedules counted: all of
//                  them, or the team's with a team filter, or the service owner's with a service
//                  filter. Adjacent final-schedule entries of one person on one schedule are one
//                  shift. pagesOnCall: their pages while on call on a counted schedule;
//                  pagesPerShift = pagesOnCall / shifts, rounded to 2 decimals (null without
//                  shifts).
//   noisiest       alerts of the period grouped by service and class (the summary when the
//                  alert has no class), the 10 largest by count (then incidents, service, name);
//                  flapping: alerts that resolved within kFlapMs of triggering other than by a
//                  responder resolving their incident.
//   daily          one entry per UTC calendar day touching the period, oldest first.
//
// The JSON (keys always present; "?" marks null-able values):
//   {"from": RFC3339, "to": RFC3339, "team": name?, "service": name?,
//    "totals":   Figures + {"pagesOnCall", "shifts", "pagesPerShift"?},
//    "teams":    [{"team": name?} + Figures]       by incidents desc, then name,
//    "services": [{"service", "team": name?} + Figures]   by incidents desc, then name,
//    "people":   [{"person", "timeZone", "pages", "highUrgencyPages", "offHoursPages",
//                  "pagesOnCall", "shifts", "pagesPerShift"?}]   by pages desc, then name,
//    "noisiest": [{"service", "alert", "alerts", "incidents", "flapping", "lastAt"}],
//    "daily":    [{"date": "2026-11-01", "incidents", "highUrgency", "alerts", "pages"}]}
//   Figures = {"incidents", "highUrgency", "alerts", "pages", "acknowledged", "resolved",
//              "open", "mtta": {"meanSeconds"?, "medianSeconds"?},
//              "mttr": {"meanSeconds"?, "medianSeconds"?},
//              "quality": {"resolved", "actionable", "notActionable", "autoResolved",
//                          "noVerdict", "actionableShare"?, "notActionableShare"?,
//                          "autoResolvedShare"?}}
//   Teams and services appear when they had an incident, an alert or a page in the period.
//
// REQUIRES: a read transaction.

#include <cstdint>
#include <string>

#include "base/json.h"
#include "base/result.h"
#include "store/store.h"

namespace plinth::paging {

// An alert that resolves this soon after triggering, by itself, is flapping.
inline constexpr int64_t kFlapMs = 5 * 60 * 1000;
// How many groups "noisiest" lists.
inline constexpr int kNoisiestLimit = 10;

struct AnalyticsQuery {
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  std::string team;     // "" all; else the services the team owns
  std::string service;  // "" all
};

// The analytics JSON above. kInvalid ("/to") when to <= from or the period is longer than 400
// days; a field error on "/team" or "/service" naming one that does not exist.
Result<Json> Analytics(store::Tx& tx, const AnalyticsQuery& q);

}  // namespace plinth::paging
