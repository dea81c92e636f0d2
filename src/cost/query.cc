// RunQuery's plan and result: validation, the merge of per-segment groups by key strings, the
// limit and the order. The per-segment scan is in query_scan.cc.

#include "cost/query.h"

#include <date/date.h>

#include <algorithm>
#include <limits>

#include "cost/query_scan.h"

namespace plinth::cost {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kTimeLimit = int64_t{1} << 45;  // about a million years: days fit an int

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

}  // namespace

const char* GranularityName(Granularity g) {
  switch (g) {
    case Granularity::kTotal:
      return "total";
    case Granularity::kDay:
      return "day";
    case Granularity::kWeek:
      return "week";
    case Granularity::kMonth:
      return "month";
  }
  return "total";
}

std::optional<Granularity> ParseGranularity(std::string_view name) {
  for (Granularity g :
       {Granularity::kTotal, Granularity::kDay, Granularity::kWeek, Granularity::kMonth})
    if (name == GranularityName(g)) return g;
  return std::nullopt;
}

const char* MetricName(CostMetric m) {
  switch (m) {
    case CostMetric::kBilled:
      return "billed";
    case CostMetric::kEffective:
      return "effective";
    case CostMetric::kList:
      return "list";
    case CostMetric::kContracted:
      return "contracted";
  }
  return "effective";
}

std::optional<CostMetric> ParseMetric(std::string_view name) {
  for (CostMetric m :
       {CostMetric::kBilled, CostMetric::kEffective, CostMetric::kList, CostMetric::kContracted})
    if (name == MetricName(m)) return m;
  return std::nullopt;
}

const char* MetricColumn(CostMetric m) {
  switch (m) {
    case CostMetric::kBilled:
      return "BilledCost";
    case CostMetric::kEffective:
      return "EffectiveCost";
    case CostMetric::kList:
      return "ListCost";
    case CostMetric::kContracted:
      return "ContractedCost";
  }
  return "EffectiveCost";
}

int64_t PeriodStart(Granularity g, int64_t t) {
  if (g == Granularity::kTotal) return t;
  t = std::clamp(t, -kTimeLimit, kTimeLimit);
  int64_t day = FloorDiv(t, kDay);
  switch (g) {
    case Granularity::kTotal:
      return t;
    case Granularity::kDay:
      return day * kDay;
    case Granularity::kWeek:
      return (FloorDiv(day + 3, 7) * 7 - 3) * kDay;  // 1970-01-01: Thu
    case Granularity::kMonth: {
      date::year_month_day ymd{date::sys_days{date::days{day}}};
      return date::sys_days{ymd.year() / ymd.month() / 1}.time_since_epoch().count() * kDay;
    }
  }
  return t;
}

std::vector<ColumnSpec> RequiredColumns(const CostQuery& query) {
  std::vector<ColumnSpec> out = {{std::string(kPeriodColumn), ColumnType::kTime},
                                 {MetricColumn(query.metric), ColumnType::kDecimal},
                                 {std::string(kCurrencyColumn), ColumnType::kString}};
  auto add = [&](const Dimension& d) {
    std::string column = d.name.starts_with(kTagPrefix) ? std::string(kTagsColumn) : d.name;
    for (const ColumnSpec& c : out)
      if (c.name == column) return;
    out.push_back({column, ColumnType::kString});
  };
  for (const Dimension& d : query.group_by) add(d);
  for (const Filter& f : query.filters) add(f.dim);
  return out;
}

namespace {

Result<uint32_t> SourceOf(const Dimension& d, std::vector<Source>& sources) {
  Source s;
  if (d.name.starts_with(kTagPrefix)) {
    s.column = kTagsColumn;
    s.tag_key = d.name.substr(kTagPrefix.size());
    if (s.tag_key.empty()) return Error::Invalid("dimension \"" + d.name + "\" names no tag key");
  } else {
    if (d.name.empty()) return Error::Invalid("a dimension has an empty name");
    s.column = d.name;
  }
  for (size_t i = 0; i < sources.size(); ++i)
    if (sources[i].column == s.column && sources[i].tag_key == s.tag_key)
      return static_cast<uint32_t>(i);
  sources.push_back(std::move(s));
  return static_cast<uint32_t>(sources.size() - 1);
}

Result<Plan> MakePlan(const CostQuery& query) {
  if (query.from_s >= query.to_s) return Error::Invalid("the time range is empty (from >= to)");
  if (query.group_by.size() > kMaxGroupBy)
    return Error::Invalid("at most " + std::to_string(kMaxGroupBy) + " group-by dimensions, got " +
                          std::to_string(query.group_by.size()));
  Plan plan;
  plan.query = &query;
  // NULL times are INT64_MIN; a range starting there must not take them in.
  plan.from_s = std::max(query.from_s, std::numeric_limits<int64_t>::min() + 1);
  plan.to_s = query.to_s;
  plan.sources.push_back({std::string(kCurrencyColumn), ""});
  for (const Dimension& d : query.group_by) {
    PLINTH_ASSIGN_OR_RETURN(uint32_t s, SourceOf(d, plan.sources));
    plan.group_sources.push_back(s);
  }
  for (const Filter& f : query.filters) {
    PLINTH_ASSIGN_OR_RETURN(uint32_t s, SourceOf(f.dim, plan.sources));
    PlanFilter pf{s, {}, f.exclude};
    for (const std::string& v : f.values) pf.values.Intern(v);
    plan.filters.push_back(std::move(pf));
  }
  return plan;
}

}  // namespace

Result<CostResult> RunQuery(const CostQuery& query, std::span<const Segment* const> segments) {
  PLINTH_ASSIGN_OR_RETURN(Plan plan, MakePlan(query));
  Merge merge(plan);
  CostResult result;
  SegmentScanner scanner(plan);
  for (const Segment* segment : segments) {
    PLINTH_ASSIGN_OR_RETURN(size_t scanned, scanner.Scan(*segment, merge));
    result.rows_scanned += scanned;
  }

  // Series: the groups without their period. With a limit, keep the top series by |total|.
  const size_t ndims = plan.group_sources.size();
  const auto ngroups = static_cast<uint32_t>(merge.size());
  // Compares two groups' keys, then currencies.
  auto keys_less = [&](uint32_t a, uint32_t b) {
    for (size_t k = 1; k <= ndims + 1; ++k) {
      size_t c = k % (ndims + 1);
      int order = merge.KeyString(a, c).compare(merge.KeyString(b, c));
      if (order != 0) return order < 0;
    }
    return false;
  };
  std::vector<uint8_t> keep(ngroups, 1);
  if (query.limit > 0) {
    KeyTable series(merge.series_width());
    std::vector<Int128> totals;
    std::vector<uint32_t> series_of(ngroups);
    std::vector<uint32_t> first_group;  // a group of each series, for its key strings
    for (uint32_t g = 0; g < ngroups; ++g) {
      uint32_t s = series.FindOrAdd(merge.SeriesKey(g));
      if (s == totals.size()) {
        totals.push_back(0);
        first_group.push_back(g);
      }
      totals[s] += merge.sums[g];
      series_of[g] = s;
    }
    if (query.limit < totals.size()) {
      std::vector<uint32_t> order(totals.size());
      for (uint32_t s = 0; s < order.size(); ++s) order[s] = s;
      auto abs = [](Int128 v) { return v < 0 ? -v : v; };
      auto better = [&](uint32_t a, uint32_t b) {
        Int128 x = abs(totals[a]), y = abs(totals[b]);
        if (x != y) return x > y;
        return keys_less(first_group[a], first_group[b]);
      };
      std::nth_element(order.begin(), order.begin() + static_cast<ptrdiff_t>(query.limit),
                       order.end(), better);
      std::vector<uint8_t> top(totals.size(), 0);
      for (size_t i = 0; i < query.limit; ++i) top[order[i]] = 1;
      for (uint32_t g = 0; g < ngroups; ++g) keep[g] = top[series_of[g]];
    }
  }

  std::vector<uint32_t> order;
  order.reserve(ngroups);
  for (uint32_t g = 0; g < ngroups; ++g)
    if (keep[g]) order.push_back(g);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (merge.period(a) != merge.period(b)) return merge.period(a) < merge.period(b);
    if (merge.sums[a] != merge.sums[b]) return merge.sums[a] > merge.sums[b];
    return keys_less(a, b);
  });
  result.rows.reserve(order.size());
  for (uint32_t g : order) {
    CostRow row;
    row.keys.reserve(ndims);
    for (size_t c = 1; c <= ndims; ++c) row.keys.emplace_back(merge.KeyString(g, c));
    row.period_start_s = query.granularity == Granularity::kTotal ? query.from_s : merge.period(g);
    row.currency = merge.KeyString(g, 0);
    row.cost = Amount::FromUnits(merge.sums[g]);
    result.rows.push_back(std::move(row));
  }
  return result;
}

}  // namespace plinth::cost
