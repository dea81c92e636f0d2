#pragma once
// Test support for the reliability tests (test binaries only): a team, a tier-1 service and a
// pushed SLO in a fresh store, and helpers to write minutes through a cache.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/time.h"
#include "catalog/repository.h"
#include "reliability/slos.h"
#include "store/test_fixture.h"

namespace plinth::reliability::test_util {

inline int64_t T(const char* rfc3339) { return *ParseRfc3339(rfc3339); }
inline int64_t Minute(const char* rfc3339) { return T(rfc3339) / 60000; }

inline Json Doc(const std::string& kind, const std::string& name, Json spec) {
  return {{"apiVersion", "plinth/v1"}, {"kind", kind}, {"metadata", {{"name", name}}},
          {"spec", spec}};
}

// Team "pay", service "api" (owner pay, tier 1), and SLO `name` on it.
inline Status CreateSlo(store::Store& store, const std::string& name, Json spec) {
  return store.Write([&](store::Tx& tx) -> Status {
    if (!catalog::Get(tx, "Team", "pay").ok()) {
      PLINTH_RETURN_IF_ERROR(catalog::Create(tx, Doc("Team", "pay", Json::object()), "t", 0));
      PLINTH_RETURN_IF_ERROR(
          catalog::Create(tx, Doc("Service", "api", {{"owner", "pay"}, {"tier", 1}}), "t", 0));
    }
    spec["service"] = "api";
    if (!spec.contains("indicator")) spec["indicator"] = {{"pushed", Json::object()}};
    PLINTH_RETURN_IF_ERROR(catalog::Create(tx, Doc("SLO", name, spec), "t", 0));
    return {};
  });
}

// `count` minutes from `first` with the same counts.
inline std::vector<slo::MinutePoint> Flat(int64_t first, int64_t count, double good, double total) {
  std::vector<slo::MinutePoint> out;
  for (int64_t m = first; m < first + count; ++m) out.push_back({m, good, total});
  return out;
}

// Writes through `cache` as the API does.
inline void Push(store::Store& store, SeriesCache& cache, const std::string& slo,
                 const std::vector<slo::MinutePoint>& points) {
  auto w = store.Write([&](store::Tx& tx) { return WriteMinutes(tx, slo, points); });
  ASSERT_TRUE(w.ok()) << w.error().ToString();
  cache.Apply(slo, points, w->version);
}

}  // namespace plinth::reliability::test_util
