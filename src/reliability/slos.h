#pragma once
// SLOs as the reliability domain uses them: the catalog's SLO documents with their service's
// owner team and tier, and an in-memory cache of each SLO's per-minute series.
//
// SeriesCache: the first read of an SLO loads all its minutes from slo_minutes and builds the
// MinuteSeries (indexed for its timeslices); later reads cost one indexed read of
// slo_data_versions. Writes made through WriteMinutes + Apply in this process are merged into the
// cached points without a reload; a write by anything else (another replica, `plinth slo import`)
// bumps the version and the next read reloads that SLO. So a minute tick over many SLOs never
// reloads 30 days of minutes from SQL unless someone else changed them.
//
// Thread-safety: SeriesCache is safe to share between threads; series handed out are immutable.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "slo/definition.h"
#include "slo/series.h"
#include "store/store.h"

namespace plinth::reliability {

struct Slo {
  slo::SloDefinition def;
  std::string team;        // the service's owner team; "" when the service has none
  std::optional<int> tier;  // the service's tier (1..4), when it has one
};

// kNotFound: `slo "x" does not exist`.
Result<Slo> LoadSlo(store::Tx& tx, std::string_view name);
// Every SLO, by name.
Result<std::vector<Slo>> LoadSlos(store::Tx& tx);

struct WriteResult {
  int64_t written = 0;  // distinct minutes
  int64_t version = 0;  // the SLO's data version after the write
};

// UpsertMinutes and a bump of the SLO's data version. REQUIRES: a write transaction.
Result<WriteResult> WriteMinutes(store::Tx& tx, std::string_view slo,
                                 const std::vector<slo::MinutePoint>& points);

class SeriesCache {
 public:
  SeriesCache() = default;
  SeriesCache(const SeriesCache&) = delete;
  SeriesCache& operator=(const SeriesCache&) = delete;

  // The stored series of `slo` (indexed for its slice spec when it uses timeslices).
  Result<std::shared_ptr<const slo::MinuteSeries>> Get(store::Tx& tx, const Slo& slo);

  // After a committed WriteMinutes that returned `version`: merges `points` into the cached
  // entry when it was at version - 1, else drops it (the next Get reloads).
  void Apply(std::string_view slo, const std::vector<slo::MinutePoint>& points, int64_t version);

  // Drops the entry of `slo` (e.g. after DeleteMinutes).
  void Forget(std::string_view slo);

  // Number of full loads from SQL so far (for tests and /metrics).
  int64_t loads() const;

 private:
  struct Entry {
    int64_t version = -1;
    std::optional<slo::SliceSpec> slices;
    std::vector<slo::MinutePoint> points;  // by minute, one per minute
    std::shared_ptr<const slo::MinuteSeries> series;  // built from points; null: rebuild
  };

  // Guarded by mu_
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
  int64_t loads_ = 0;
};

}  // namespace plinth::reliability
