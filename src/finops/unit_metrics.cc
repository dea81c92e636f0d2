#include "finops/unit_metrics.h"

#include <string>

namespace plinth::finops {

Result<int64_t> UpsertUnitPoints(store::Tx& tx, std::string_view metric,
                                 const std::vector<UnitPoint>& points) {
  for (const auto& p : points) {
    std::string value = cost::Amount::FromDecimal(p.value).ToExactString();
    PLINTH_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO cost_unit_points (metric, day_s, value) VALUES (?, ?, ?) "
        "ON CONFLICT (metric, day_s) DO UPDATE SET value = excluded.value",
        {std::string(metric), p.day_s, value}));
  }
  return int64_t(points.size());
}

Result<std::vector<UnitPoint>> LoadUnitPoints(store::Tx& tx, std::string_view metric,
                                              int64_t from_s, int64_t to_s) {
  PLINTH_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT day_s, value FROM cost_unit_points WHERE metric = ? AND "
                          "day_s >= ? AND day_s < ? ORDER BY day_s",
                          {std::string(metric), from_s, to_s}));
  std::vector<UnitPoint> out;
  for (const auto& r : rows) {
    PLINTH_ASSIGN_OR_RETURN(auto value, cost::ParseDecimal(r.Text(1)));
    out.push_back({r.Int(0), value});
  }
  return out;
}

}  // namespace plinth::finops
