#include "cli/demo_cost.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/crypto.h"
#include "base/yaml.h"
#include "cost/generate.h"
#include "finops/line_items.h"
#include "finops/query_params.h"
#include "finops/unit_metrics.h"

namespace plinth::cli {
namespace {

constexpr int64_t kDay = 86400;

// 13 months up to today; the anomaly moved to nine days ago so it is fresh in the demo.
cost::OrgSpec Spec(int64_t now_s) {
  int64_t today = now_s - now_s % kDay;
  cost::OrgSpec spec = cost::DemoOrgSpec(finops::AddMonths(finops::MonthStartOf(today), -12), 13);
  spec.end_s = today;
  if (spec.anomaly) {
    spec.anomaly->start_day = int((today - spec.start_s) / kDay) - 9;
    spec.anomaly->days = 3;
  }
  return spec;
}

// A budget a bit above what the team's services cost per month, or below for `tight` teams.
Json Budget(const std::string& team, double monthly, double factor) {
  char amount[32];
  std::snprintf(amount, sizeof amount, "%.2f", std::round(monthly * factor / 100) * 100);
  return {{"apiVersion", "plinth/v1"},
          {"kind", "Budget"},
          {"metadata", {{"name", team + "-monthly"}}},
          {"spec",
           {{"scope", {{"team", team}}},
            {"period", "monthly"},
            {"amount", amount},
            {"currency", "USD"},
            {"thresholds",
             {{{"percent", 80}, {"basis", "actual"}},
              {{"percent", 100}, {"basis", "actual"}},
              {{"percent", 100}, {"basis", "forecast"}}}}}}};
}

}  // namespace

catalog::ManifestFile DemoCostManifest() {
  cost::OrgSpec spec = cost::DemoOrgSpec(0, 13);  // the shape; dates do not matter here
  std::vector<Json> docs;
  Json rules = Json::array();
  rules.push_back({{"name", "team tag"},
                   {"match", {{"tags", {{"team", "*"}}}}},
                   {"set",
                    {{"team", "${tag:team}"},
                     {"service", "${tag:service}"},
                     {"product", "${tag:product}"},
                     {"environment", "${tag:env}"}}}});
  for (const auto& s : spec.services) {
    if (s.tag_team) continue;  // resources without a team tag: their service's owner pays
    rules.push_back({{"name", s.name + " by service tag"},
                     {"match", {{"tags", {{"service", s.name}}}}},
                     {"set", {{"service", s.name}, {"environment", "${tag:env}"}}}});
  }
  Json shared = Json::array();
  shared.push_back({{"name", "support and commitments"},
                    {"match", {{"services", {"AWS Support*", "Savings Plans*"}}}},
                    {"split", "proportional"}});
  shared.push_back({{"name", "networking"},
                    {"match", {{"accounts", {spec.platform_sub_account}}}},
                    {"split", "even"}});
  docs.push_back({{"apiVersion", "plinth/v1"},
                  {"kind", "CostAllocation"},
                  {"metadata", {{"name", "default"}}},
                  {"spec", {{"rules", rules}, {"shared", shared}}}});

  std::map<std::string, double> monthly;  // list cost per team per month, roughly
  double total = 0;
  for (const auto& s : spec.services) {
    double m = s.daily_cost * 30.4 * std::pow(1 + s.monthly_growth, 12) * 0.8;
    monthly[s.team] += m;
    total += m;
  }
  docs.push_back({{"apiVersion", "plinth/v1"},
                  {"kind", "Budget"},
                  {"metadata", {{"name", "organization-quarterly"}}},
                  {"spec",
                   {{"scope", {{"organization", true}}},
                    {"period", "quarterly"},
                    {"amount", std::to_string(int64_t(std::round(total * 3 * 1.2 / 1000) * 1000)) +
                                   ".00"},
                    {"currency", "USD"}}}});
  for (const auto& [team, m] : monthly) {
    docs.push_back(Budget(team, m, team == "data" ? 0.9 : 1.25));
  }
  docs.push_back({{"apiVersion", "plinth/v1"},
                  {"kind", "UnitMetric"},
                  {"metadata", {{"name", "orders"}}},
                  {"spec",
                   {{"scope", {{"team", "checkout"}}},
                    {"unit", "order"},
                    {"per", 1},
                    {"source", "push"}}}});
  std::string text;
  for (const auto& d : docs) text += "---\n" + ToYaml(d, {"apiVersion", "kind", "metadata", "spec"});
  return {"demo/cost.yaml", text};
}

Result<DemoCostSummary> WriteDemoCostData(store::Store& store, const Clock& clock) {
  int64_t now_s = clock.NowMs() / 1000;
  cost::OrgSpec spec = Spec(now_s);
  auto path = std::filesystem::temp_directory_path() / ("plinth-demo-focus-" + RandomHex(6) + ".csv");
  cost::GenerateStats stats;
  {
    std::ofstream out(path, std::ios::binary);
    if (!out) return Error::Internal("cannot write " + path.string());
    PLINTH_ASSIGN_OR_RETURN(stats, cost::GenerateFocus(spec, out));
  }
  std::vector<std::string> paths = {path.string()};
  auto outcome = finops::ImportFiles(store, clock, paths, {"demo", false}, {});
  std::filesystem::remove(path);
  if (!outcome.ok()) return std::move(outcome).error();
  if (!outcome->applied) return Error::Internal("demo cost data: rows rejected");

  // Orders per day for the checkout team's unit cost: weekly rhythm, growing with the business.
  std::vector<finops::UnitPoint> points;
  int64_t today = now_s - now_s % kDay;
  for (int64_t day = spec.start_s; day < today; day += kDay) {
    int64_t n = (day - spec.start_s) / kDay;
    int weekday = int((day / kDay + 4) % 7);  // 0 = Sunday
    double base = 38000 * std::pow(1.0025, double(n)) * (weekday == 0 || weekday == 6 ? 1.3 : 1);
    points.push_back({day, cost::Decimal{int64_t(base) + (n * 7919) % 1500, 0}});
  }
  PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) {
    return finops::UpsertUnitPoints(tx, "orders", points);
  }));
  cost::Amount total;
  for (const auto& t : stats.totals) total += t.effective;
  return DemoCostSummary{stats.rows, total.ToString(2)};
}

}  // namespace plinth::cli
