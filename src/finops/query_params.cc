#include "finops/query_params.h"

#include <charconv>
#include <date/date.h>

#include <map>

namespace plinth::finops {
namespace {

Result<std::string> One(const ParamValues& params, std::string_view name, std::string fallback) {
  auto values = params(name);
  if (values.size() > 1) {
    return Error::Field("/" + std::string(name), std::string(name) + ": given more than once");
  }
  return values.empty() || values[0].empty() ? fallback : values[0];
}

Result<std::vector<cost::Filter>> Filters(const ParamValues& params, std::string_view name,
                                          bool exclude) {
  std::map<std::string, std::vector<std::string>> by_dimension;
  for (const auto& v : params(name)) {
    auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Error::Field("/" + std::string(name),
                          std::string(name) + ": expected DIMENSION=VALUE such as "
                                              "ServiceName=Amazon EC2 (got \"" + v + "\")");
    }
    by_dimension[v.substr(0, eq)].push_back(v.substr(eq + 1));
  }
  std::vector<cost::Filter> out;
  for (auto& [dim, values] : by_dimension) {
    out.push_back({cost::Dimension{dim}, std::move(values), exclude});
  }
  return out;
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string DayString(int64_t day_s) {
  auto ymd = date::year_month_day(date::sys_days(date::days(day_s / 86400)));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

Result<int64_t> ParseDay(std::string_view text, std::string_view what) {
  int y = 0;
  unsigned m = 0, d = 0;
  auto bad = [&] {
    return Error::Field("/" + std::string(what), std::string(what) +
                                                     ": expected a day such as 2026-10-01 (got \"" +
                                                     std::string(text) + "\")");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  auto num = [&](size_t at, size_t len, auto& out) {
    auto r = std::from_chars(text.data() + at, text.data() + at + len, out);
    return r.ec == std::errc() && r.ptr == text.data() + at + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return bad();
  date::year_month_day ymd{date::year(y), date::month(m), date::day(d)};
  if (!ymd.ok()) return bad();
  return int64_t(date::sys_days(ymd).time_since_epoch().count()) * 86400;
}

Result<std::pair<int64_t, int64_t>> ParseMonth(std::string_view text, std::string_view what) {
  auto start = ParseDay(std::string(text) + "-01", what);
  if (text.size() != 7 || !start.ok()) {
    return Error::Field("/" + std::string(what), std::string(what) +
                                                     ": expected a month such as 2026-10 (got \"" +
                                                     std::string(text) + "\")");
  }
  return std::pair{*start, AddMonths(*start, 1)};
}

int64_t MonthStartOf(int64_t s) {
  auto ymd = date::year_month_day(date::floor<date::days>(date::sys_seconds(std::chrono::seconds(s))));
  return int64_t(date::sys_days(ymd.year() / ymd.month() / 1).time_since_epoch().count()) * 86400;
}

int64_t AddMonths(int64_t month_start_s, int months) {
  auto ymd = date::year_month_day(date::sys_days(date::days(month_start_s / 86400)));
  auto moved = ymd.year() / ymd.month() / 1;
  moved += date::months(months);
  return int64_t(date::sys_days(moved).time_since_epoch().count()) * 86400;
}

Result<cost::CostQuery> ParseCostQuery(const ParamValues& params, int64_t now_s) {
  cost::CostQuery q;
  int64_t today = now_s - now_s % 86400;
  int64_t month_start = MonthStartOf(today);
  PLINTH_ASSIGN_OR_RETURN(std::string from, One(params, "from", ""));
  PLINTH_ASSIGN_OR_RETURN(std::string to, One(params, "to", ""));
  if (from.empty()) {
    q.from_s = month_start;
  } else {
    PLINTH_ASSIGN_OR_RETURN(q.from_s, ParseDay(from, "from"));
  }
  if (to.empty()) {
    q.to_s = today + 86400;
  } else {
    PLINTH_ASSIGN_OR_RETURN(q.to_s, ParseDay(to, "to"));
  }
  if (q.to_s <= q.from_s) return Error::Field("/to", "to: must be after from");

  PLINTH_ASSIGN_OR_RETURN(std::string metric, One(params, "metric", "effective"));
  auto m = cost::ParseMetric(metric);
  if (!m) {
    return Error::Field("/metric", "metric: expected effective, billed, list or contracted (got \"" +
                                       metric + "\")");
  }
  q.metric = *m;

  PLINTH_ASSIGN_OR_RETURN(std::string granularity, One(params, "granularity", "total"));
  auto g = cost::ParseGranularity(granularity);
  if (!g) {
    return Error::Field("/granularity", "granularity: expected total, day, week or month (got \"" +
                                            granularity + "\")");
  }
  q.granularity = *g;

  for (const auto& d : params("groupBy")) {
    if (d.empty() || d == "tag:") {
      return Error::Field("/groupBy", "groupBy: expected a column such as ServiceName or "
                                      "tag:<key>");
    }
    q.group_by.push_back({d});
  }
  if (q.group_by.size() > 8) return Error::Field("/groupBy", "groupBy: at most 8 dimensions");
  PLINTH_ASSIGN_OR_RETURN(q.filters, Filters(params, "filter", false));
  PLINTH_ASSIGN_OR_RETURN(auto excludes, Filters(params, "exclude", true));
  q.filters.insert(q.filters.end(), excludes.begin(), excludes.end());

  PLINTH_ASSIGN_OR_RETURN(std::string limit, One(params, "limit", "0"));
  size_t n = 0;
  auto r = std::from_chars(limit.data(), limit.data() + limit.size(), n);
  if (r.ec != std::errc() || r.ptr != limit.data() + limit.size() || n > 100000) {
    return Error::Field("/limit", "limit: expected a number from 0 to 100000 (got \"" + limit +
                                      "\")");
  }
  q.limit = n;
  return q;
}

Json CostResultJson(const cost::CostQuery& query, const cost::CostResult& result) {
  Json rows = Json::array();
  for (const auto& r : result.rows) {
    rows.push_back({{"keys", r.keys},
                    {"period", query.granularity == cost::Granularity::kTotal
                                   ? Json()
                                   : Json(DayString(r.period_start_s))},
                    {"currency", r.currency},
                    {"cost", r.cost.ToString(2)}});
  }
  Json group_by = Json::array();
  for (const auto& d : query.group_by) group_by.push_back(d.name);
  return {{"rows", rows}, {"groupBy", group_by}, {"rowsScanned", result.rows_scanned}};
}

std::string CostResultCsv(const cost::CostQuery& query, const cost::CostResult& result) {
  std::string out;
  bool periods = query.granularity != cost::Granularity::kTotal;
  for (const auto& d : query.group_by) out += CsvField(d.name) + ",";
  out += periods ? "period,currency,cost\n" : "currency,cost\n";
  for (const auto& r : result.rows) {
    for (const auto& k : r.keys) out += CsvField(k) + ",";
    if (periods) out += DayString(r.period_start_s) + ",";
    out += CsvField(r.currency) + "," + r.cost.ToString(2) + "\n";
  }
  return out;
}

}  // namespace plinth::finops
