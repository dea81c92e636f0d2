#include "cli/demo_slo.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "catalog/repository.h"
#include "cli/demo_rng.h"
#include "reliability/sli_store.h"
#include "slo/burn.h"
#include "slo/definition.h"

namespace plinth::cli {

namespace {

constexpr int64_t kDays = 90;
constexpr int64_t kDay = 1440;

using Rng = DemoRng;

// A stretch of errors, placed relative to the demo's start.
struct Incident {
  int64_t minutes_ago;  // its first minute is this long before the start
  int64_t length;       // minutes
  double error_ratio;
};

struct SloDef {
  const char* name;
  const char* title;
  const char* service;
  double objective;
  const char* window;  // "30d", or "berlin-month"
  const char* method;  // "" for occurrences
  const char* description;
  const char* policy;
  double requests_per_minute;  // at the daily peak on a weekday
  double baseline_burn;        // usual error ratio as a share of the allowed one
  std::vector<Incident> incidents;
};

const std::vector<SloDef>& Defs() {
  static const std::vector<SloDef> defs = {
      {"cart-availability", "Cart availability", "cart", 0.999, "30d", "",
       "Share of cart API requests answered without a 5xx.",
       "Budget exhausted: freeze non-urgent changes to cart and its dependencies; the next "
       "sprint goes to the incident's action items.",
       2500, 0.4, {{14 * kDay + 300, 240, 0.35}, {41 * kDay + 60, 25, 0.05}}},
      {"payments-api-availability", "Payments API availability", "payments-api", 0.9995, "30d",
       "", "Share of payment authorisations that succeed (declines by the issuer count as good).",
       "Below 25% budget: payments releases need a second approver. Exhausted: freeze.",
       800, 0.4, {{120, 120, 0.03}, {63 * kDay + 500, 40, 0.02}}},
      {"payments-api-latency", "Payments API latency", "payments-api", 0.99, "30d", "",
       "Share of payment authorisations answered within 300 ms.", "", 800, 0.3,
       {{22 * kDay + 700, 90, 0.06}}},
      {"ledger-availability", "Ledger writes", "ledger", 0.999, "berlin-month", "",
       "Share of ledger postings committed on the first attempt; reviewed per calendar month "
       "with finance.",
       "Missed month: the ledger team presents the cause at the monthly finance review.", 1200,
       0.3, {{9 * kDay + 200, 30, 0.02}}},
      {"order-service-availability", "Order placement", "order-service", 0.999, "28d", "",
       "Share of order placements that succeed.", "", 400, 0.5, {}},
      {"edge-gateway-availability", "Edge availability", "edge-gateway", 0.9995, "30d", "",
       "Share of public requests the edge answers without a gateway error.",
       "Exhausted: freeze ingress configuration changes except fixes.", 6000, 0.3,
       {{33 * kDay + 900, 12, 0.03}}},
      {"auth-service-availability", "Login availability", "auth-service", 0.999, "30d", "",
       "Share of login and token requests that succeed.", "", 3000, 0.35, {}},
      {"catalog-search-latency", "Search latency", "catalog-search", 0.99, "30d", "",
       "Share of product searches answered within 500 ms.", "", 1500, 0.45,
       {{5 * kDay + 100, 60, 0.04}}},
      {"fraud-scoring-availability", "Fraud scores in time", "fraud-scoring", 0.99, "30d",
       "timeslices",
       "Share of 5-minute slices in which at least 99% of payments got a fraud score in time.",
       "", 800, 0.1, {}},
      {"user-profile-availability", "Profile availability", "user-profile", 0.995, "30d", "",
       "Share of profile reads and writes that succeed.", "", 600, 0.4, {}},
  };
  return defs;
}

const SloDef* Find(const std::string& name) {
  for (const auto& d : Defs()) {
    if (name == d.name) return &d;
  }
  return nullptr;
}

// Traffic at minute m relative to the weekday peak: a daily curve peaking at 15:00 UTC
// (afternoon in Europe, morning in the Americas) with a night floor of 25%, 70% at weekends.
double TrafficShape(int64_t m) {
  double hour = double(((m % kDay) + kDay) % kDay) / 60;
  double day = 0.5 - 0.5 * std::cos(2 * M_PI * (hour - 3) / 24);  // 0 at 03:00, 1 at 15:00
  int64_t weekday = ((m / kDay + 3) % 7 + 7) % 7;                   // 0 = Monday
  return (0.25 + 0.75 * day * day) * (weekday >= 5 ? 0.7 : 1.0);
}

uint64_t Hash(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string Detail(const slo::AlertInterval& a) {
  if (a.kind == slo::ConditionKind::kBudgetExhausted) return "error budget exhausted";
  if (a.kind == slo::ConditionKind::kNoData) return "no data";
  char buf[64];
  std::snprintf(buf, sizeof buf, "burn rate up to %.1fx", a.peak_burn);
  return buf;
}

}  // namespace

std::vector<Json> DemoSlos() {
  std::vector<Json> out;
  for (const auto& d : Defs()) {
    Json spec = {{"service", d.service},
                 {"description", d.description},
                 {"objective", d.objective},
                 {"indicator", {{"pushed", Json::object()}}},
                 // The demo pushes no live data: no-data alerts wait a day, not ten minutes.
                 {"alerting", {{"minEvents", 100}, {"noData", "1d"}}}};
    if (std::string(d.window) == "berlin-month") {
      spec["window"] = {{"calendar", "month"}, {"timeZone", "Europe/Berlin"}};
    } else {
      spec["window"] = d.window;
    }
    if (*d.method) {
      spec["budgetingMethod"] = d.method;
      spec["timeslice"] = {{"length", "5m"}, {"target", 0.99}};
    }
    if (*d.policy) spec["policy"] = d.policy;
    out.push_back({{"apiVersion", "plinth/v1"},
                   {"kind", "SLO"},
                   {"metadata", {{"name", d.name}, {"title", d.title}}},
                   {"spec", spec}});
  }
  return out;
}

std::vector<slo::MinutePoint> DemoSloMinutes(const std::string& name, int64_t now_minute,
                                             uint64_t seed) {
  const SloDef* d = Find(name);
  if (!d) return {};
  Rng rng(seed ^ Hash(name));
  const double allowed = 1 - d->objective;
  std::vector<slo::MinutePoint> out;
  out.reserve(kDays * kDay);
  for (int64_t m = now_minute - kDays * kDay; m < now_minute; ++m) {
    double total = std::floor(d->requests_per_minute * TrafficShape(m) * (0.9 + 0.2 * rng.Unit()));
    // Usual errors vary minute to minute; now and then a blip of a few percent for a minute.
    double ratio = allowed * d->baseline_burn * 2 * rng.Unit();
    if (rng.Unit() < 0.0008) ratio = 0.05;
    for (const auto& inc : d->incidents) {
      int64_t start = now_minute - inc.minutes_ago;
      if (m >= start && m < start + inc.length) ratio = inc.error_ratio * (0.8 + 0.4 * rng.Unit());
    }
    double bad = std::min(total, std::floor(total * ratio + rng.Unit()));
    out.push_back({m, total - bad, total});
  }
  return out;
}

Result<DemoSloData> WriteDemoSloData(store::Tx& tx, int64_t now_ms, uint64_t seed) {
  DemoSloData result;
  const int64_t now_minute = now_ms / slo::kMinuteMs;
  Rng ids(seed ^ static_cast<uint64_t>(now_minute));
  for (const auto& d : Defs()) {
    PLINTH_ASSIGN_OR_RETURN(auto entity, catalog::Get(tx, "SLO", d.name));
    slo::SloDefinition def = slo::FromDocument(entity.doc);
    std::vector<slo::MinutePoint> points = DemoSloMinutes(d.name, now_minute, seed);

    PLINTH_RETURN_IF_ERROR(reliability::DeleteMinutes(tx, d.name));
    PLINTH_ASSIGN_OR_RETURN(int64_t written, reliability::UpsertMinutes(tx, d.name, points));
    result.minutes += written;

    // The alert history, from a day in (so the first windows are not read as missing data).
    std::optional<slo::SliceSpec> slices;
    if (def.params.timeslices()) slices = def.params.slice;
    PLINTH_ASSIGN_OR_RETURN(auto series, slo::MinuteSeries::Build(points, slices));
    const int64_t from_ms = (now_minute - (kDays - 1) * kDay) * slo::kMinuteMs;
    PLINTH_ASSIGN_OR_RETURN(auto history, slo::AlertHistory(def.params, def.alerting, series,
                                                            from_ms, now_minute * slo::kMinuteMs));
    PLINTH_RETURN_IF_ERROR(tx.Exec("DELETE FROM slo_alerts WHERE slo = ?", {d.name}));
    for (const auto& a : history) {
      char id[24];
      std::snprintf(id, sizeof id, "sla_%016llx", static_cast<unsigned long long>(ids.Next()));
      PLINTH_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO slo_alerts (id, slo, condition, severity, start_ms, end_ms, detail) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)",
                  {std::string(id), std::string(d.name), std::string(slo::ConditionName(a.kind)),
                   std::string(slo::SeverityName(a.severity)), a.start_ms,
                   a.ongoing ? store::Value() : store::Value(a.end_ms), Detail(a)}));
      ++result.alerts;
    }
  }
  return result;
}

}  // namespace plinth::cli
