#pragma once
// The cost query engine, pure (no I/O, no clock reads): sums one cost metric of the line items
// in segments (segment.h) by time period and by any string dimensions or tags, exactly (128-bit
// integers; segments at different decimal scales are converted per group, never per row).
//
// Execution, per segment: a segment whose ChargePeriodStart range lies outside [from, to) is
// skipped; every dictionary is mapped once (filters to per-code allowed flags, tags to their
// values; a column whose rows share one code is a constant), then rows are scanned in batches
// of 1024: a selection vector of rows in range with a non-NULL cost, narrowed by each filter.
// When the segment's key space (periods x currencies x dictionary sizes) is small, rows are
// summed into a dense array by a mixed-radix key of their codes, and the groups are merged into
// the result by their key strings once per segment; otherwise each row's key of global string
// ids goes straight into the result's hash table (batched, prefetched probes).
//
// Thread-safety: RunQuery only reads the segments; concurrent queries are fine.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cost/decimal.h"
#include "cost/segment.h"

namespace plinth::cost {

enum class Granularity { kTotal, kDay, kWeek, kMonth };  // week starts Monday (ISO), UTC
enum class CostMetric { kBilled, kEffective, kList, kContracted };

// "total", "day", "week", "month".
const char* GranularityName(Granularity g);
std::optional<Granularity> ParseGranularity(std::string_view name);
// "billed", "effective", "list", "contracted".
const char* MetricName(CostMetric m);
std::optional<CostMetric> ParseMetric(std::string_view name);
// The FOCUS column: "BilledCost", "EffectiveCost", "ListCost", "ContractedCost".
const char* MetricColumn(CostMetric m);

// The start (UTC epoch seconds) of the day, ISO week or month holding `t`; `t` itself for
// kTotal. Instants beyond about a million years from 1970 count as that limit.
int64_t PeriodStart(Granularity g, int64_t t);

// A string column name ("ServiceName", "x_Team") or "tag:<key>" (the key's value in Tags). A
// column absent from a segment reads as NULL there.
struct Dimension {
  std::string name;
};

// Keeps rows whose dimension value is one of `values` (or none of them, with exclude). ""
// matches NULL and a missing tag.
struct Filter {
  Dimension dim;
  std::vector<std::string> values;
  bool exclude = false;
};

struct CostQuery {
  int64_t from_s = 0, to_s = 0;  // ChargePeriodStart in [from_s, to_s); REQUIRES from_s < to_s
  CostMetric metric = CostMetric::kEffective;
  Granularity granularity = Granularity::kTotal;
  std::vector<Dimension> group_by;  // 0..8 dimensions; BillingCurrency is always an implicit key
  std::vector<Filter> filters;      // all must hold
  size_t limit = 0;                 // 0: all groups; else the top `limit` groups by |cost| total
};

inline constexpr size_t kMaxGroupBy = 8;

// One group in one period. Rows whose cost is NULL form no group.
struct CostRow {
  std::vector<std::string> keys;  // one per group_by dimension; "" for NULL
  int64_t period_start_s = 0;     // PeriodStart(granularity, ...); from_s for kTotal
  std::string currency;           // BillingCurrency; "" for NULL
  Amount cost;
  friend bool operator==(const CostRow&, const CostRow&) = default;
};

struct CostResult {
  // Sorted by period, then cost descending, then keys, then currency. With a limit, only the
  // rows of the top `limit` (keys, currency) groups by |total over all periods| (ties: keys).
  std::vector<CostRow> rows;
  size_t rows_scanned = 0;  // rows of the segments whose period range meets [from_s, to_s)
};

// The columns a query reads: ChargePeriodStart, the metric column, BillingCurrency, each
// dimension's column (Tags for tags).
std::vector<ColumnSpec> RequiredColumns(const CostQuery& query);

// Errors: an invalid query (empty range, over kMaxGroupBy dimensions, an empty dimension or tag
// name), or a segment whose column has another type than RequiredColumns says.
Result<CostResult> RunQuery(const CostQuery& query, std::span<const Segment* const> segments);

// The value of tag `key` in a Tags value (a JSON object's text, as ingest writes it): a string
// value as is, null or absent as "", any other value as its compact JSON text. "" when the text
// is not a JSON object.
std::string TagValue(std::string_view tags_json, std::string_view key);

}  // namespace plinth::cost
