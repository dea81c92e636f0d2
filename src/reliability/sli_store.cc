#include "reliability/sli_store.h"

#include <cmath>
#include <map>

namespace plinth::reliability {

std::string CheckPoint(const slo::MinutePoint& p) {
  if (!std::isfinite(p.good) || !std::isfinite(p.total)) return "counts must be finite numbers";
  if (p.good < 0 || p.total < 0) return "counts must not be negative";
  if (p.good > p.total) return "good must not exceed total";
  return "";
}

Result<int64_t> UpsertMinutes(store::Tx& tx, std::string_view slo,
                              const std::vector<slo::MinutePoint>& points) {
  std::map<int64_t, const slo::MinutePoint*> latest;  // a repeated minute: the last one wins
  for (const auto& p : points) {
    if (std::string problem = CheckPoint(p); !problem.empty()) {
      return Error::Invalid("minute " + std::to_string(p.minute) + ": " + problem);
    }
    latest[p.minute] = &p;
  }
  // Many rows per statement: one statement per row made a 90-day backfill of ten SLOs take
  // seconds on SQLite.
  constexpr size_t kRowsPerStatement = 250;
  auto it = latest.begin();
  while (it != latest.end()) {
    std::string sql = "INSERT INTO slo_minutes (slo, minute, good, total) VALUES ";
    store::Params params;
    for (size_t n = 0; n < kRowsPerStatement && it != latest.end(); ++n, ++it) {
      sql += n ? ", (?, ?, ?, ?)" : "(?, ?, ?, ?)";
      params.insert(params.end(), {slo, it->first, it->second->good, it->second->total});
    }
    sql += " ON CONFLICT (slo, minute) DO UPDATE SET good = excluded.good, total = excluded.total";
    PLINTH_RETURN_IF_ERROR(tx.Exec(sql, params));
  }
  return static_cast<int64_t>(latest.size());
}

Result<std::vector<slo::MinutePoint>> LoadMinutes(store::Tx& tx, std::string_view slo,
                                                  int64_t from_minute, int64_t to_minute) {
  PLINTH_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT minute, good, total FROM slo_minutes "
                                              "WHERE slo = ? AND minute >= ? AND minute < ? "
                                              "ORDER BY minute",
                                              {slo, from_minute, to_minute}));
  std::vector<slo::MinutePoint> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.Int(0), r.Real(1), r.Real(2)});
  return out;
}

Status DeleteMinutes(store::Tx& tx, std::string_view slo) {
  PLINTH_RETURN_IF_ERROR(tx.Exec("DELETE FROM slo_minutes WHERE slo = ?", {slo}));
  return {};
}

}  // namespace plinth::reliability
