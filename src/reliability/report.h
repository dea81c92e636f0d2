#pragma once
// The SLO attainment report of a calendar month or quarter in UTC — the table a manager takes
// to the reliability review: for every SLO its attainment over the period, whether it met its
// objective and how much of the period's error budget is left, grouped by service, with a
// summary per service tier. Rendered as JSON, CSV and a self-contained printable HTML page.
//
// Each SLO is judged over the report period, not its own window: the budget engine evaluates
// the minutes [from, to) (up to `now` for a period in progress) with the SLO's objective and
// budgeting method, so a 28-day rolling SLO and a Berlin-month SLO are both judged on the same
// UTC month. "met" = attainment >= objective; an SLO without countable data is "no data".
//
// Thread-safety: plain values and functions; BuildReport runs in the caller's transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "slo/definition.h"
#include "slo/series.h"
#include "store/store.h"

namespace plinth::reliability {

// A UTC calendar month ("2026-11") or quarter ("2026Q4"): the instants [from_ms, to_ms).
struct ReportPeriod {
  std::string label;  // as given, canonical: "2026-11", "2026Q4"
  int64_t from_ms = 0;
  int64_t to_ms = 0;
};

// kInvalid (field /period) unless `text` is YYYY-MM (month 01-12) or YYYYQn (n 1-4), with a
// year in 1970..9999.
Result<ReportPeriod> ParseReportPeriod(std::string_view text);

struct SloAttainment {
  std::string slo;
  std::string title;
  double objective = 0;
  std::optional<double> attainment;        // absent: no countable data in the period
  std::optional<bool> met;                 // attainment >= objective; absent with no data
  std::optional<double> budget_remaining;  // share of the period's budget left; < 0 overspent
};

struct ServiceAttainment {
  std::string service;
  std::string team;         // the service's owner; "" when it has none
  std::optional<int> tier;  // the service's tier 1-4; absent when it has none
  std::vector<SloAttainment> slos;  // by SLO name
};

struct TierSummary {
  std::optional<int> tier;
  int slos = 0, met = 0, missed = 0, no_data = 0;
};

struct AttainmentReport {
  ReportPeriod period;
  std::vector<ServiceAttainment> services;  // by tier (untiered last), then service name
  std::vector<TierSummary> tiers;           // by tier, untiered last; only tiers with SLOs
};

// One SLO over the period, from its minutes (a series covering the period; with a slice index
// for the timeslice methods, else it is scanned). Pure. Minutes from `now_ms` on are ignored.
SloAttainment EvaluatePeriod(const slo::SloDefinition& slo, const slo::MinuteSeries& series,
                             const ReportPeriod& period, int64_t now_ms);

// The report of every SLO in the catalog, from the stored minutes.
Result<AttainmentReport> BuildReport(store::Tx& tx, const ReportPeriod& period, int64_t now_ms);

// {"period","from","to","services":[...],"tiers":[...]} (docs/openapi.yaml).
Json ReportJson(const AttainmentReport& report);

// RFC 4180 CSV, header `service,team,tier,slo,objective,attainment,met,budget_remaining`, one
// row per SLO; ratios as plain decimals, empty fields for absent values.
std::string ReportCsv(const AttainmentReport& report);

// A printable HTML page: no scripts, no external assets, every text escaped.
std::string ReportHtml(const AttainmentReport& report, int64_t generated_ms);

}  // namespace plinth::reliability
