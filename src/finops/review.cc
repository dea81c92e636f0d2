#include "finops/review.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "base/html.h"
#include "catalog/repository.h"
#include "cost/showback.h"
#include "cost/specs.h"
#include "cost/unit_cost.h"
#include "cost/xlsx.h"
#include "finops/allocation.h"
#include "finops/anomalies.h"
#include "finops/budgets.h"
#include "finops/line_items.h"
#include "finops/query_params.h"
#include "finops/unit_metrics.h"

namespace plinth::finops {
namespace {

constexpr int64_t kDay = 86400;

std::string MonthLabel(int64_t s) { return DayString(s).substr(0, 7); }

Json Pct(const cost::Amount& now, const cost::Amount& before) {
  if (before.is_zero()) return Json();
  return std::round((now.ToDouble() - before.ToDouble()) / std::abs(before.ToDouble()) * 1000) /
         10;
}

// Cost per month and currency over [from_s, to_s), optionally grouped by one dimension.
Result<std::map<std::pair<std::string, int64_t>, cost::Amount>> Monthly(
    CostData& data, int64_t from_s, int64_t to_s, const std::string& currency,
    const std::string& dimension = "") {
  cost::CostQuery q;
  q.from_s = from_s;
  q.to_s = to_s;
  q.granularity = cost::Granularity::kMonth;
  if (!dimension.empty()) q.group_by = {{dimension}};
  q.filters = {{{"BillingCurrency"}, {currency}, false}};
  PLINTH_ASSIGN_OR_RETURN(auto result, data.Query(q));
  std::map<std::pair<std::string, int64_t>, cost::Amount> out;
  for (const auto& r : result.rows) {
    out[{dimension.empty() ? "" : r.keys[0], r.period_start_s}] += r.cost;
  }
  return out;
}

// The currency with the largest spend over the last 13 months ("USD" when there is none).
Result<std::string> MainCurrency(CostData& data, int64_t now_s) {
  cost::CostQuery q;
  q.from_s = AddMonths(MonthStartOf(now_s), -12);
  q.to_s = AddMonths(MonthStartOf(now_s), 1);
  PLINTH_ASSIGN_OR_RETURN(auto result, data.Query(q));
  std::string best = "USD";
  cost::Amount most;
  for (const auto& r : result.rows) {
    if (r.cost > most) {
      most = r.cost;
      best = r.currency;
    }
  }
  return best;
}

const cost::AllocationMonth* FindMonth(const cost::AllocationReport& report, int64_t month_s,
                                       const std::string& currency) {
  for (const auto& m : report.months) {
    if (m.month_start_s == month_s && m.currency == currency) return &m;
  }
  return nullptr;
}

Json UnallocatedJson(const cost::AllocationMonth* m) {
  Json top = Json::array();
  if (m) {
    for (const auto& r : m->top_unallocated) {
      top.push_back({{"resourceId", r.resource_id},
                     {"name", r.resource_name},
                     {"service", r.service},
                     {"account", r.account},
                     {"reason", r.reason},
                     {"cost", r.cost.ToString(2)}});
    }
  }
  double pct = m ? std::round((1 - m->Coverage()) * 1000) / 10 : 0;
  return {{"amount", m ? m->unallocated.ToString(2) : "0.00"}, {"pct", pct}, {"topResources", top}};
}

}  // namespace

Result<Json> CostSummary(store::Store& store, CostData& data, int64_t month_s, int64_t now_s) {
  PLINTH_ASSIGN_OR_RETURN(std::string currency, MainCurrency(data, now_s));
  int64_t prev = AddMonths(month_s, -1), next = AddMonths(month_s, 1);
  PLINTH_ASSIGN_OR_RETURN(auto totals, Monthly(data, prev, next, currency));
  cost::Amount total = totals[{"", month_s}], previous = totals[{"", prev}];
  PLINTH_ASSIGN_OR_RETURN(auto allocation, AllocateRange(store, data, month_s, next,
                                                         cost::CostMetric::kEffective));
  const cost::AllocationMonth* m = FindMonth(allocation, month_s, currency);
  PLINTH_ASSIGN_OR_RETURN(Json open, ListAnomalies(store, true, 1000));
  PLINTH_ASSIGN_OR_RETURN(auto budgets, EvaluateBudgets(store, data, now_s));
  int over = 0;
  for (const auto& b : budgets) {
    if (BudgetJson(b)["status"] != "ok") ++over;
  }
  PLINTH_ASSIGN_OR_RETURN(Json imports, ListImports(store, 20));
  Json last;
  for (const auto& i : imports) {
    if (i["state"] == "applied") {
      last = {{"id", i["id"]}, {"finishedMs", i["finishedMs"]}, {"format", i["format"]}};
      break;
    }
  }
  PLINTH_ASSIGN_OR_RETURN(auto months, Monthly(data, AddMonths(MonthStartOf(now_s), -36),
                                               AddMonths(MonthStartOf(now_s), 1), currency));
  Json available = Json::array();
  for (const auto& [key, amount] : months) available.push_back(MonthLabel(key.second));
  return Json{{"month", MonthLabel(month_s)},
              {"currency", currency},
              {"total", total.ToString(2)},
              {"previousTotal", previous.ToString(2)},
              {"changePct", Pct(total, previous)},
              {"unallocated", m ? m->unallocated.ToString(2) : "0.00"},
              {"coveragePct", m ? std::round(m->Coverage() * 1000) / 10 : 100.0},
              {"openAnomalies", open.size()},
              {"budgetsOverThreshold", over},
              {"lastImport", last},
              {"monthsAvailable", available}};
}

Result<Json> UnitCosts(store::Store& store, CostData& data, int64_t now_s) {
  int64_t today = now_s / kDay;
  int64_t from_s = AddMonths(MonthStartOf(now_s), -12);
  PLINTH_ASSIGN_OR_RETURN(auto entities,
                          store.Read([](store::Tx& tx) { return catalog::All(tx, "UnitMetric"); }));
  Json metrics = Json::array();
  if (entities.empty()) return Json{{"metrics", metrics}};
  PLINTH_ASSIGN_OR_RETURN(std::string currency, MainCurrency(data, now_s));
  PLINTH_ASSIGN_OR_RETURN(auto report, AllocateRange(store, data, from_s, today * kDay,
                                                     cost::CostMetric::kEffective,
                                                     cost::Granularity::kDay));
  int64_t first_day = from_s / kDay;
  for (const auto& e : entities) {
    PLINTH_ASSIGN_OR_RETURN(auto spec,
                            cost::UnitMetricFromSpec(e.name, e.doc.value("spec", Json::object())));
    bool team = spec.scope_kind == cost::UnitMetricSpec::ScopeKind::kTeam;
    std::vector<cost::Amount> daily(size_t(today - first_day));
    for (const auto& m : report.months) {
      if (m.currency != currency) continue;
      size_t i = size_t(m.month_start_s / kDay - first_day);
      if (i >= daily.size()) continue;
      if (team) {
        for (const auto& t : m.teams) {
          if (t.team == spec.scope_name) daily[i] += t.total;
        }
      } else {
        for (const auto& l : m.lines) {
          if (l.service == spec.scope_name) daily[i] += l.cost;
        }
      }
    }
    PLINTH_ASSIGN_OR_RETURN(auto points, store.Read([&](store::Tx& tx) {
      return LoadUnitPoints(tx, spec.name, from_s, today * kDay);
    }));
    std::vector<cost::MetricPoint> metric;
    for (const auto& p : points) {
      metric.push_back({p.day_s / kDay, cost::Amount::FromDecimal(p.value).ToDouble()});
    }
    PLINTH_ASSIGN_OR_RETURN(auto months,
                            cost::MonthlyUnitCost(first_day, daily, metric, spec.per));
    Json out_months = Json::array();
    for (const auto& m : months) {
      out_months.push_back(
          {{"month", MonthLabel(m.month_start_day * kDay)},
           {"cost", m.cost.ToString(2)},
           {"units", m.metric_total},
           {"unitCost", m.unit_cost ? Json(m.unit_cost->ToString(4)) : Json()},
           {"changePct", m.change_percent ? Json(std::round(*m.change_percent * 10) / 10) : Json()},
           {"coveragePct", std::round(m.coverage_percent * 10) / 10}});
    }
    metrics.push_back({{"name", spec.name},
                       {"scope", {{"kind", team ? "team" : "service"}, {"name", spec.scope_name}}},
                       {"unit", spec.unit},
                       {"per", spec.per},
                       {"currency", currency},
                       {"source", spec.source == cost::UnitMetricSpec::Source::kPush ? "push"
                                                                                    : "prometheus"},
                       {"months", out_months}});
  }
  return Json{{"metrics", metrics}};
}

Result<Json> MonthlyReview(store::Store& store, CostData& data, int64_t month_s, int64_t now_s) {
  PLINTH_ASSIGN_OR_RETURN(std::string currency, MainCurrency(data, now_s));
  int64_t prev = AddMonths(month_s, -1), next = AddMonths(month_s, 1);
  PLINTH_ASSIGN_OR_RETURN(auto allocation,
                          AllocateRange(store, data, prev, next, cost::CostMetric::kEffective));
  const cost::AllocationMonth* cur = FindMonth(allocation, month_s, currency);
  const cost::AllocationMonth* before = FindMonth(allocation, prev, currency);

  // Budgets as of the month's last day (or now, for the month in progress).
  int64_t as_of_s = std::min(now_s, next);
  PLINTH_ASSIGN_OR_RETURN(auto budgets, EvaluateBudgets(store, data, as_of_s));
  std::map<std::string, const BudgetView*> team_budget;
  cost::Amount budget_total;
  for (const auto& b : budgets) {
    if (b.spec.scope.kind == cost::BudgetScope::Kind::kTeam &&
        b.spec.period == cost::BudgetPeriod::kMonthly && b.spec.currency == currency) {
      team_budget[b.spec.scope.name] = &b;
      budget_total += b.status.budget;
    }
  }

  std::map<std::string, std::pair<cost::Amount, cost::Amount>> teams;  // now, before
  if (cur) for (const auto& t : cur->teams) teams[t.team].first = t.total;
  if (before) for (const auto& t : before->teams) teams[t.team].second = t.total;
  Json team_rows = Json::array();
  Json actions = Json::array();
  for (const auto& [team, v] : teams) {
    Json row = {{"team", team},
                {"actual", v.first.ToString(2)},
                {"previous", v.second.ToString(2)},
                {"changePct", Pct(v.first, v.second)},
                {"budget", Json()},
                {"budgetPct", Json()}};
    if (auto it = team_budget.find(team); it != team_budget.end()) {
      const auto& s = it->second->status;
      row["budget"] = s.budget.ToString(2);
      double pct = s.budget.is_zero() ? 0 : v.first.ToDouble() / s.budget.ToDouble() * 100;
      row["budgetPct"] = std::round(pct * 10) / 10;
      if (pct >= 100) {
        actions.push_back("Team " + team + " spent " + v.first.ToString(2) + " " + currency +
                          " against a budget of " + s.budget.ToString(2) +
                          ": agree savings or a new budget with the team.");
      }
    }
    team_rows.push_back(std::move(row));
  }
  std::stable_sort(team_rows.begin(), team_rows.end(), [](const Json& a, const Json& b) {
    return std::stod(a["actual"].get<std::string>()) > std::stod(b["actual"].get<std::string>());
  });

  PLINTH_ASSIGN_OR_RETURN(auto by_service, Monthly(data, prev, next, currency, "ServiceName"));
  std::map<std::string, std::pair<cost::Amount, cost::Amount>> services;
  for (const auto& [key, amount] : by_service) {
    (key.second == month_s ? services[key.first].first : services[key.first].second) += amount;
  }
  std::vector<std::pair<cost::Amount, std::string>> moves;
  for (const auto& [name, v] : services) {
    cost::Amount change = v.first - v.second;
    moves.push_back({change < cost::Amount() ? -change : change, name});
  }
  std::sort(moves.begin(), moves.end(), [](auto& a, auto& b) { return a.first > b.first; });
  Json movers = Json::array();
  for (size_t i = 0; i < moves.size() && i < 8; ++i) {
    const auto& v = services[moves[i].second];
    movers.push_back({{"dimension", "service"},
                      {"value", moves[i].second.empty() ? "(no service)" : moves[i].second},
                      {"current", v.first.ToString(2)},
                      {"previous", v.second.ToString(2)},
                      {"change", (v.first - v.second).ToString(2)},
                      {"changePct", Pct(v.first, v.second)}});
  }

  PLINTH_ASSIGN_OR_RETURN(Json all_anomalies, ListAnomalies(store, false, 500));
  Json anomalies = Json::array();
  std::string month_label = MonthLabel(month_s);
  for (const auto& a : all_anomalies) {
    if (a["start"].get<std::string>().substr(0, 7) != month_label) continue;
    anomalies.push_back(a);
    if (a["feedback"].is_null()) {
      actions.push_back("Review the " + a["monitor"].get<std::string>() + " anomaly of " +
                        a["value"].get<std::string>() + " from " + a["start"].get<std::string>() +
                        " (impact " + a["impact"].get<std::string>() + " " + currency +
                        "): mark it expected, planned or unexpected.");
    }
  }

  Json unallocated = UnallocatedJson(cur);
  if (unallocated["pct"].get<double>() > 5) {
    actions.push_back("Unallocated spend is " + unallocated["amount"].get<std::string>() + " " +
                      currency + " (" + Json(unallocated["pct"]).dump() +
                      "%): tag the top resources or add an allocation rule.");
  }

  PLINTH_ASSIGN_OR_RETURN(Json units, UnitCosts(store, data, now_s));
  Json unit_rows = Json::array();
  std::string prev_label = MonthLabel(prev);
  for (const auto& m : units["metrics"]) {
    Json now_v, before_v, change;
    for (const auto& mm : m["months"]) {
      if (mm["month"] == month_label) {
        now_v = mm["unitCost"];
        change = mm["changePct"];
      }
      if (mm["month"] == prev_label) before_v = mm["unitCost"];
    }
    unit_rows.push_back({{"name", m["name"]},
                         {"unit", m["unit"]},
                         {"per", m["per"]},
                         {"unitCost", now_v},
                         {"previousUnitCost", before_v},
                         {"changePct", change}});
  }
  return Json{{"month", month_label},
              {"currency", currency},
              {"total", cur ? cur->total.ToString(2) : "0.00"},
              {"previousTotal", before ? before->total.ToString(2) : "0.00"},
              {"budgetTotal", budget_total.ToString(2)},
              {"teams", team_rows},
              {"topMovers", movers},
              {"anomalies", anomalies},
              {"unallocated", unallocated},
              {"unitCosts", unit_rows},
              {"actions", actions}};
}

namespace {

std::string Cell(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// The review's tables: title, header, rows of cells.
struct Table {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

std::vector<Table> Tables(const Json& r) {
  std::vector<Table> out;
  Table teams{"Teams", {"team", "actual", "previous", "change %", "budget", "budget %"}, {}};
  for (const auto& t : r["teams"]) {
    teams.rows.push_back({Cell(t["team"]), Cell(t["actual"]), Cell(t["previous"]),
                          Cell(t["changePct"]), Cell(t["budget"]), Cell(t["budgetPct"])});
  }
  out.push_back(teams);
  Table movers{"Top movers", {"service", "current", "previous", "change", "change %"}, {}};
  for (const auto& m : r["topMovers"]) {
    movers.rows.push_back({Cell(m["value"]), Cell(m["current"]), Cell(m["previous"]),
                           Cell(m["change"]), Cell(m["changePct"])});
  }
  out.push_back(movers);
  Table anomalies{"Anomalies", {"monitor", "value", "start", "end", "impact", "feedback"}, {}};
  for (const auto& a : r["anomalies"]) {
    anomalies.rows.push_back({Cell(a["monitor"]), Cell(a["value"]), Cell(a["start"]),
                              Cell(a["end"]), Cell(a["impact"]), Cell(a["feedback"])});
  }
  out.push_back(anomalies);
  Table unallocated{"Unallocated", {"resource", "name", "service", "account", "cost"}, {}};
  for (const auto& u : r["unallocated"]["topResources"]) {
    unallocated.rows.push_back({Cell(u["resourceId"]), Cell(u["name"]), Cell(u["service"]),
                                Cell(u["account"]), Cell(u["cost"])});
  }
  out.push_back(unallocated);
  Table units{"Unit costs", {"metric", "unit", "per", "unit cost", "previous", "change %"}, {}};
  for (const auto& u : r["unitCosts"]) {
    units.rows.push_back({Cell(u["name"]), Cell(u["unit"]), Cell(u["per"]), Cell(u["unitCost"]),
                          Cell(u["previousUnitCost"]), Cell(u["changePct"])});
  }
  out.push_back(units);
  Table actions{"Actions", {"action"}, {}};
  for (const auto& a : r["actions"]) actions.rows.push_back({Cell(a)});
  out.push_back(actions);
  return out;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool IsNumber(const std::string& s) {
  if (s.empty()) return false;
  size_t i = s[0] == '-' ? 1 : 0, dots = 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (++dots > 1) return false;
    } else if (s[i] < '0' || s[i] > '9') {
      return false;
    }
  }
  return s.back() != '.';
}

}  // namespace

std::string ReviewCsv(const Json& review) {
  std::string out = "section,month,currency,total,previous total,budget total\n";
  out += "summary," + Cell(review["month"]) + "," + Cell(review["currency"]) + "," +
         Cell(review["total"]) + "," + Cell(review["previousTotal"]) + "," +
         Cell(review["budgetTotal"]) + "\n";
  for (const auto& t : Tables(review)) {
    out += "\nsection";
    for (const auto& h : t.header) out += "," + CsvField(h);
    out += "\n";
    for (const auto& row : t.rows) {
      out += CsvField(t.title);
      for (const auto& c : row) out += "," + CsvField(c);
      out += "\n";
    }
  }
  return out;
}

std::string ReviewHtml(const Json& review) {
  std::string month = Cell(review["month"]), currency = Cell(review["currency"]);
  std::string out =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cost review " +
      HtmlEscape(month) +
      "</title><style>body{font:14px system-ui,sans-serif;margin:2em;color:#1b1f24}"
      "table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border-bottom:1px solid #ccd;"
      "padding:4px 10px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}"
      "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.5em}</style></head><body>";
  out += "<h1>Monthly cost review — " + HtmlEscape(month) + "</h1>";
  out += "<p>Total " + HtmlEscape(Cell(review["total"])) + " " + HtmlEscape(currency) +
         " (previous month " + HtmlEscape(Cell(review["previousTotal"])) + ", team budgets " +
         HtmlEscape(Cell(review["budgetTotal"])) + ").</p>";
  for (const auto& t : Tables(review)) {
    out += "<h2>" + HtmlEscape(t.title) + "</h2>";
    if (t.rows.empty()) {
      out += "<p>None.</p>";
      continue;
    }
    out += "<table><thead><tr>";
    for (const auto& h : t.header) out += "<th>" + HtmlEscape(h) + "</th>";
    out += "</tr></thead><tbody>";
    for (const auto& row : t.rows) {
      out += "<tr>";
      for (const auto& c : row) {
        out += std::string(IsNumber(c) ? "<td class=\"n\">" : "<td>") + HtmlEscape(c) + "</td>";
      }
      out += "</tr>";
    }
    out += "</tbody></table>";
  }
  return out + "</body></html>\n";
}

std::string ReviewXlsx(const Json& review) {
  std::vector<cost::XlsxSheet> sheets;
  cost::XlsxSheet summary{"Summary", {"month", "currency", "total", "previous total",
                                      "budget total"}, {}};
  summary.rows.push_back({cost::XlsxCell::Text(Cell(review["month"])),
                          cost::XlsxCell::Text(Cell(review["currency"])),
                          cost::XlsxCell::Number(Cell(review["total"])),
                          cost::XlsxCell::Number(Cell(review["previousTotal"])),
                          cost::XlsxCell::Number(Cell(review["budgetTotal"]))});
  sheets.push_back(std::move(summary));
  for (const auto& t : Tables(review)) {
    cost::XlsxSheet sheet{t.title, t.header, {}};
    for (const auto& row : t.rows) {
      std::vector<cost::XlsxCell> cells;
      for (const auto& c : row) {
        cells.push_back(IsNumber(c) ? cost::XlsxCell::Number(c) : cost::XlsxCell::Text(c));
      }
      sheet.rows.push_back(std::move(cells));
    }
    sheets.push_back(std::move(sheet));
  }
  return cost::WriteXlsx(sheets);
}

}  // namespace plinth::finops
