#include "reliability/slos.h"

#include <algorithm>
#include <limits>

#include "catalog/repository.h"
#include "reliability/sli_store.h"

namespace plinth::reliability {

namespace {

// The owner team and tier of `service`; empty when the service is gone (an SLO outlives a
// deleted service only until the next apply, but reads must not fail meanwhile).
Status FillService(store::Tx& tx, Slo& s, std::map<std::string, catalog::Entity>* services) {
  const catalog::Entity* service = nullptr;
  catalog::Entity loaded;
  if (services) {
    auto it = services->find(s.def.service);
    if (it != services->end()) service = &it->second;
  } else {
    auto got = catalog::Get(tx, "Service", s.def.service);
    if (got.ok()) {
      loaded = std::move(got).value();
      service = &loaded;
    } else if (got.error().code != ErrorCode::kNotFound) {
      return std::move(got).error();
    }
  }
  if (!service) return {};
  const Json& spec = service->doc["spec"];
  if (spec.contains("owner") && spec["owner"].is_string()) s.team = spec["owner"];
  if (spec.contains("tier") && spec["tier"].is_number_integer()) s.tier = spec["tier"].get<int>();
  return {};
}

std::optional<slo::SliceSpec> SlicesOf(const Slo& s) {
  if (!s.def.params.timeslices()) return std::nullopt;
  return s.def.params.slice;
}

}  // namespace

Result<Slo> LoadSlo(store::Tx& tx, std::string_view name) {
  PLINTH_ASSIGN_OR_RETURN(auto e, catalog::Get(tx, "SLO", name));
  Slo s{slo::FromDocument(e.doc), "", std::nullopt};
  PLINTH_RETURN_IF_ERROR(FillService(tx, s, nullptr));
  return s;
}

Result<std::vector<Slo>> LoadSlos(store::Tx& tx) {
  PLINTH_ASSIGN_OR_RETURN(auto services, catalog::All(tx, "Service"));
  std::map<std::string, catalog::Entity> by_name;
  for (auto& e : services) by_name.emplace(e.name, std::move(e));
  PLINTH_ASSIGN_OR_RETURN(auto docs, catalog::All(tx, "SLO"));
  std::vector<Slo> out;
  out.reserve(docs.size());
  for (const auto& e : docs) {
    Slo s{slo::FromDocument(e.doc), "", std::nullopt};
    PLINTH_RETURN_IF_ERROR(FillService(tx, s, &by_name));
    out.push_back(std::move(s));
  }
  return out;
}

Result<WriteResult> WriteMinutes(store::Tx& tx, std::string_view slo,
                                 const std::vector<slo::MinutePoint>& points) {
  WriteResult w;
  PLINTH_ASSIGN_OR_RETURN(w.written, UpsertMinutes(tx, slo, points));
  PLINTH_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("INSERT INTO slo_data_versions (slo, version) VALUES (?, 1) "
                            "ON CONFLICT (slo) DO UPDATE SET version = slo_data_versions.version + 1 "
                            "RETURNING version",
                            {slo}));
  if (!row) return Error::Internal("slo_data_versions: no row returned");
  w.version = row->Int(0);
  return w;
}

Result<std::shared_ptr<const slo::MinuteSeries>> SeriesCache::Get(store::Tx& tx, const Slo& s) {
  const std::string& name = s.def.name;
  PLINTH_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT version FROM slo_data_versions WHERE slo = ?", {name}));
  int64_t version = row ? row->Int(0) : 0;
  std::optional<slo::SliceSpec> slices = SlicesOf(s);
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(name);
    if (it != entries_.end() && it->second.version == version) {
      Entry& e = it->second;
      if (e.slices != slices || !e.series) {
        PLINTH_ASSIGN_OR_RETURN(auto built, slo::MinuteSeries::Build(e.points, slices));
        e.slices = slices;
        e.series = std::make_shared<const slo::MinuteSeries>(std::move(built));
      }
      return e.series;
    }
  }
  PLINTH_ASSIGN_OR_RETURN(auto points,
                          LoadMinutes(tx, name, std::numeric_limits<int64_t>::min(),
                                      std::numeric_limits<int64_t>::max()));
  PLINTH_ASSIGN_OR_RETURN(auto built, slo::MinuteSeries::Build(points, slices));
  auto series = std::make_shared<const slo::MinuteSeries>(std::move(built));
  std::lock_guard lock(mu_);
  ++loads_;
  Entry& e = entries_[name];
  e.version = version;
  e.slices = slices;
  e.points = std::move(points);
  e.series = series;
  return series;
}

void SeriesCache::Apply(std::string_view slo, const std::vector<slo::MinutePoint>& points,
                        int64_t version) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(slo);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  if (e.version != version - 1) {
    entries_.erase(it);
    return;
  }
  // The new points by minute, the last of a repeated minute winning (as UpsertMinutes).
  std::vector<slo::MinutePoint> fresh(points);
  std::stable_sort(fresh.begin(), fresh.end(),
                   [](const auto& a, const auto& b) { return a.minute < b.minute; });
  std::vector<slo::MinutePoint> merged;
  merged.reserve(e.points.size() + fresh.size());
  size_t i = 0, j = 0;
  while (i < e.points.size() || j < fresh.size()) {
    if (j < fresh.size()) {
      size_t last = j;
      while (last + 1 < fresh.size() && fresh[last + 1].minute == fresh[j].minute) ++last;
      int64_t m = fresh[j].minute;
      while (i < e.points.size() && e.points[i].minute < m) merged.push_back(e.points[i++]);
      if (i < e.points.size() && e.points[i].minute == m) ++i;
      merged.push_back(fresh[last]);
      j = last + 1;
    } else {
      merged.push_back(e.points[i++]);
    }
  }
  e.points = std::move(merged);
  e.version = version;
  e.series = nullptr;  // rebuilt on the next Get
}

void SeriesCache::Forget(std::string_view slo) {
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(slo); it != entries_.end()) entries_.erase(it);
}

int64_t SeriesCache::loads() const {
  std::lock_guard lock(mu_);
  return loads_;
}

}  // namespace plinth::reliability
