#include "finops/anomalies.h"

#include <algorithm>
#include <map>

#include "base/crypto.h"
#include "cost/root_cause.h"
#include "finops/query_params.h"

namespace plinth::finops {
namespace {

constexpr int64_t kDay = 86400;
constexpr int kHistoryDays = 120;  // enough for the model's 56-day window and its trend

const std::vector<std::string> kCauseDimensions = {"ServiceName", "SubAccountId", "RegionId",
                                                   "SkuId"};

using SeriesKey = std::pair<std::string, std::string>;  // value, currency

// Daily cost per (value, currency) of one dimension over [from_s, to_s), zero-filled.
Result<std::map<SeriesKey, cost::CostSeries>> DailySeries(CostData& data, const Monitor& m,
                                                          int64_t from_s, int64_t to_s,
                                                          const std::string& only_value = "") {
  cost::CostQuery q;
  q.from_s = from_s;
  q.to_s = to_s;
  q.granularity = cost::Granularity::kDay;
  q.group_by = {{m.dimension}};
  // Monthly fees and purchases are not spend that can run away from one day to the next.
  q.filters = {{{"ChargeFrequency"}, {"One-Time", "Recurring"}, true}};
  if (!only_value.empty()) q.filters.push_back({{m.dimension}, {only_value}, false});
  PLINTH_ASSIGN_OR_RETURN(auto result, data.Query(q));
  std::map<SeriesKey, cost::CostSeries> out;
  int64_t days = (to_s - from_s) / kDay;
  for (const auto& row : result.rows) {
    if (row.keys[0].empty()) continue;  // no value: tax, credits without a service
    auto& s = out[{row.keys[0], row.currency}];
    if (s.daily.empty()) {
      s = {m.name, row.keys[0], row.currency, from_s / kDay, std::vector<cost::Amount>(size_t(days))};
    }
    s.daily[size_t((row.period_start_s - from_s) / kDay)] += row.cost;
  }
  return out;
}

Result<std::vector<cost::AnomalyFeedback>> LoadFeedback(store::Tx& tx, const std::string& monitor) {
  PLINTH_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT value, start_day_s, end_day_s, feedback FROM cost_anomalies "
                          "WHERE monitor = ? AND feedback IS NOT NULL ORDER BY feedback_ms",
                          {monitor}));
  std::vector<cost::AnomalyFeedback> out;
  for (const auto& r : rows) {
    auto kind = cost::ParseFeedbackKind(r.Text(3));
    if (!kind) continue;
    out.push_back({monitor, r.Text(0), r.Int(1) / kDay, r.Int(2) / kDay, *kind});
  }
  return out;
}

Json CauseJson(const cost::Contribution& c) {
  Json j = {{"service", c.keys.size() > 0 ? c.keys[0] : ""},
            {"account", c.keys.size() > 1 ? c.keys[1] : ""},
            {"region", c.keys.size() > 2 ? c.keys[2] : ""},
            {"usage", c.keys.size() > 3 ? c.keys[3] : ""},
            {"actual", c.actual.ToString(2)},
            {"expected", c.expected.ToString(2)},
            {"impact", c.impact.ToString(2)},
            {"sharePct", c.share ? Json(*c.share) : Json()}};
  return j;
}

Result<Json> RootCausesJson(CostData& data, const Monitor& m, const std::string& value,
                            int64_t start_day, int64_t end_day) {
  cost::CostQuery q;
  q.from_s = cost::RootCauseQueryStart(start_day, end_day, 4) * kDay;
  q.to_s = (end_day + 1) * kDay;
  q.granularity = cost::Granularity::kDay;
  for (const auto& d : kCauseDimensions) q.group_by.push_back({d});
  q.filters = {{{m.dimension}, {value}, false},
               {{"ChargeFrequency"}, {"One-Time", "Recurring"}, true}};
  PLINTH_ASSIGN_OR_RETURN(auto result, data.Query(q));
  cost::RootCauseInput in;
  in.dimensions = kCauseDimensions;
  in.start_day = start_day;
  in.end_day = end_day;
  for (const auto& row : result.rows) {
    in.rows.push_back({row.period_start_s / kDay, row.keys, row.cost});
  }
  PLINTH_ASSIGN_OR_RETURN(auto causes, cost::RankRootCauses(in));
  Json out = Json::array();
  for (const auto& c : causes.combinations) out.push_back(CauseJson(c));
  return out;
}

Json RowJson(const store::Row& r) {
  Json causes = Json::parse(r.Text(11), nullptr, false);
  std::string top;
  if (causes.is_array() && !causes.empty()) {
    const Json& c = causes[0];
    for (const char* k : {"service", "account", "region", "usage"}) {
      std::string v = c.value(k, "");
      if (v.empty()) continue;
      top += (top.empty() ? "" : " / ") + v;
    }
  }
  return {{"id", r.Text(0)},
          {"monitor", r.Text(1)},
          {"value", r.Text(2)},
          {"currency", r.Text(3)},
          {"start", DayString(r.Int(4))},
          {"end", DayString(r.Int(5))},
          {"peak", DayString(r.Int(6))},
          {"actual", r.Text(7)},
          {"expected", r.Text(8)},
          {"impact", r.Text(9)},
          {"impactPct", r.IsNull(10) ? Json() : Json(r.Real(10))},
          {"feedback", r.IsNull(12) ? Json() : Json(r.Text(12))},
          {"topCause", top},
          {"rootCauses", causes}};
}

constexpr const char* kColumns =
    "id, monitor, value, currency, start_day_s, end_day_s, peak_day_s, actual, expected, impact, "
    "impact_pct, root_causes, feedback";

}  // namespace

const std::vector<Monitor>& Monitors() {
  static const std::vector<Monitor> monitors = {
      {"service", "ServiceName"}, {"account", "SubAccountId"}, {"team", "tag:team"}};
  return monitors;
}

Result<ScanResult> ScanAnomalies(store::Store& store, CostData& data, int64_t today_s, int days,
                                 const cost::AnomalyOptions& options) {
  ScanResult out;
  int64_t today = today_s - today_s % kDay;
  int64_t from = today - int64_t(days + kHistoryDays) * kDay;
  int64_t judged_from_day = today / kDay - days;
  for (const Monitor& m : Monitors()) {
    PLINTH_ASSIGN_OR_RETURN(auto series, DailySeries(data, m, from, today));
    PLINTH_ASSIGN_OR_RETURN(auto feedback,
                            store.Read([&](store::Tx& tx) { return LoadFeedback(tx, m.name); }));
    for (const auto& [key, s] : series) {
      ++out.series;
      PLINTH_ASSIGN_OR_RETURN(auto detection, cost::DetectAnomalies(s, feedback, options));
      for (const auto& a : detection.anomalies) {
        if (a.suppressed || a.start_day < judged_from_day) continue;
        PLINTH_ASSIGN_OR_RETURN(Json causes,
                                RootCausesJson(data, m, s.dimension_value, a.start_day, a.end_day));
        PLINTH_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
              PLINTH_RETURN_IF_ERROR(tx.Exec(
                  "INSERT INTO cost_anomalies (id, monitor, value, currency, start_day_s, "
                  "end_day_s, peak_day_s, actual, expected, impact, impact_pct, root_causes, "
                  "detected_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (monitor, value, currency, start_day_s) DO UPDATE SET "
                  "end_day_s = excluded.end_day_s, peak_day_s = excluded.peak_day_s, "
                  "actual = excluded.actual, expected = excluded.expected, "
                  "impact = excluded.impact, impact_pct = excluded.impact_pct, "
                  "root_causes = excluded.root_causes",
                  {RandomHex(8), m.name, s.dimension_value, s.currency, a.start_day * kDay,
                   a.end_day * kDay, a.peak_day * kDay, a.actual.ToString(2),
                   a.expected.ToString(2), a.impact.ToString(2),
                   a.impact_percent ? store::Value(*a.impact_percent) : store::Value(0.0),
                   causes.dump(), today_s * 1000}));
              return Status{};
            }));
        ++out.anomalies;
      }
    }
  }
  return out;
}

Result<Json> ListAnomalies(store::Store& store, bool open_only, int limit) {
  return store.Read([&](store::Tx& tx) -> Result<Json> {
    PLINTH_ASSIGN_OR_RETURN(
        auto rows, tx.Query(std::string("SELECT ") + kColumns + " FROM cost_anomalies " +
                                (open_only ? "WHERE feedback IS NULL " : "") +
                                "ORDER BY start_day_s DESC, monitor, value LIMIT ?",
                            {limit}));
    Json out = Json::array();
    for (const auto& r : rows) {
      Json j = RowJson(r);
      j.erase("rootCauses");
      out.push_back(std::move(j));
    }
    return out;
  });
}

Result<Json> AnomalyDetail(store::Store& store, CostData& data, const std::string& id) {
  PLINTH_ASSIGN_OR_RETURN(auto row, store.Read([&](store::Tx& tx) {
    return tx.QueryOne(std::string("SELECT ") + kColumns + " FROM cost_anomalies WHERE id = ?",
                       {id});
  }));
  if (!row) return Error::NotFound("no cost anomaly with id \"" + id + "\"");
  Json out = RowJson(*row);
  const Monitor* monitor = nullptr;
  for (const auto& m : Monitors()) {
    if (m.name == out["monitor"]) monitor = &m;
  }
  if (!monitor) return out;
  int64_t start = row->Int(4), end = row->Int(5);
  int64_t from = start - int64_t(kHistoryDays) * kDay, to = end + 31 * kDay;
  PLINTH_ASSIGN_OR_RETURN(auto series,
                          DailySeries(data, *monitor, from, to, row->Text(2)));
  Json points = Json::array();
  auto it = series.find({row->Text(2), row->Text(3)});
  if (it != series.end()) {
    // Trailing days without any charge are beyond the data, not zero spend.
    auto& daily = it->second.daily;
    while (!daily.empty() && daily.back().is_zero()) daily.pop_back();
    PLINTH_ASSIGN_OR_RETURN(auto detection, cost::DetectAnomalies(it->second, {}, {}));
    for (const auto& d : detection.days) {
      if (d.day * kDay < start - 45 * kDay) continue;
      auto text = [](const std::optional<cost::Amount>& a) {
        return a ? Json(a->ToString(2)) : Json();
      };
      points.push_back({{"day", DayString(d.day * kDay)},
                        {"actual", d.actual.ToString(2)},
                        {"expected", text(d.expected)},
                        {"lower", text(d.lower)},
                        {"upper", text(d.upper)}});
    }
  }
  out["series"] = points;
  return out;
}

Result<Json> SetAnomalyFeedback(store::Store& store, const std::string& id,
                                cost::FeedbackKind kind, const std::string& actor,
                                int64_t now_ms) {
  return store.Write([&](store::Tx& tx) -> Result<Json> {
    PLINTH_ASSIGN_OR_RETURN(
        int64_t changed,
        tx.Exec("UPDATE cost_anomalies SET feedback = ?, feedback_by = ?, feedback_ms = ? "
                "WHERE id = ?",
                {std::string(cost::FeedbackName(kind)), actor, now_ms, id}));
    if (changed == 0) return Error::NotFound("no cost anomaly with id \"" + id + "\"");
    PLINTH_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kColumns +
                                                      " FROM cost_anomalies WHERE id = ?",
                                                  {id}));
    return RowJson(*row);
  });
}

}  // namespace plinth::finops
