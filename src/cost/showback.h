#pragma once
// Showback and chargeback reports of an allocation (allocation.h) per team per month, as
// console text, CSV, XLSX and JSON. Every printed amount is in cents, rounded by the largest
// remainder method so the printed figures add up: per month and currency, the team totals plus
// the unallocated line equal the invoice total (the sum of the line items, rounded half away
// from zero); each team's total is its direct cost plus its shares; each team's breakdown lines
// add up to its direct cost; the unallocated reasons add up to the unallocated line.
// docs/cost-allocation.md lists the columns. Pure; thread-safe.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/json.h"
#include "cost/allocation.h"

namespace plinth::cost {

// Rounds `parts` to whole cents that add up to `target_cents`: each part floored to a cent,
// the cents left over to the largest remainders (ties: lower index). REQUIRES: target_cents -
// sum of the floors is in [0, parts.size()], which holds when target_cents is the sum of the
// parts rounded to a cent (or any cent within one of it).
std::vector<int64_t> RoundToCents(std::span<const Amount> parts, int64_t target_cents);

// An AllocationMonth in cents that add up (see above).
struct CentsTeam {
  std::string team;
  int64_t direct = 0;
  std::vector<int64_t> shared;  // one per CentsMonth::pools
  int64_t shared_total = 0;
  int64_t total = 0;  // direct + shared_total
};
struct CentsLine {
  std::string team, service, product, environment;
  int64_t cents = 0;
};
struct CentsMonth {
  int64_t month_start_s = 0;
  std::string currency;
  std::vector<std::string> pools;  // the report's pool columns (every month has all of them)
  std::vector<CentsTeam> teams;    // as AllocationMonth::teams
  std::vector<CentsLine> lines;    // direct cost by team, service, product, environment
  int64_t unallocated = 0;
  std::vector<std::pair<std::string, int64_t>> reasons;                  // add up to unallocated
  std::vector<std::pair<UnallocatedResource, int64_t>> top_unallocated;  // each rounded alone
  int64_t total = 0;    // the invoice total: sum of team totals + unallocated
  double coverage = 1;  // AllocationMonth::Coverage()
};
std::vector<CentsMonth> ToCents(const AllocationReport& report);

// "2026-01" for a month start.
std::string MonthText(int64_t month_start_s);
// 1234 -> "12.34", -5 -> "-0.05".
std::string CentsText(int64_t cents);

// Showback, one row per team per month and currency, then "(unallocated)" and "(total)":
//   month,currency,team,direct,<one column per shared pool>,shared,total,percent
// percent: the row's share of the month's total, two decimals.
std::string ShowbackCsv(const AllocationReport& report);
// Chargeback, the lines to book: one per allocated team per month and currency, then
// "(unallocated)"; the lines of a month add up to its invoice total.
//   month,currency,team,amount
std::string ChargebackCsv(const AllocationReport& report);
// Direct cost per team, service, product and environment:
//   month,currency,team,service,product,environment,cost
std::string BreakdownCsv(const AllocationReport& report);
// The unallocated bucket's top resources:
//   month,currency,resource_id,resource_name,service,account,reason,cost
std::string UnallocatedCsv(const AllocationReport& report);

// Sheets "Showback", "Breakdown", "Unallocated" (columns as the CSVs above).
std::string ShowbackXlsx(const AllocationReport& report);
// One sheet "Chargeback" (columns as ChargebackCsv).
std::string ChargebackXlsx(const AllocationReport& report);

// For a person: per month a summary line, the team table and the unallocated bucket.
std::string ShowbackText(const AllocationReport& report);

// For the API: {"months": [{"month", "currency", "total", "allocated", "unallocated",
// "coverage", "pools", "teams": [{"team", "direct", "shared": {pool: amount}, "sharedTotal",
// "total"}], "lines": [...], "unallocatedReasons": [...], "topUnallocated": [...]}],
// "warnings": [...]}; amounts as strings with two decimals, coverage a percentage number.
Json ShowbackJson(const AllocationReport& report);

}  // namespace plinth::cost
