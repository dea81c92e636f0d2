#include "finops/cost_data.h"

#include <mutex>
#include <utility>

#include "base/json.h"
#include "finops/line_items.h"

namespace plinth::finops {
namespace {

cost::ColumnType TypeFromName(std::string_view name) {
  if (name == "decimal") return cost::ColumnType::kDecimal;
  if (name == "time") return cost::ColumnType::kTime;
  return cost::ColumnType::kString;
}

}  // namespace

bool CostData::HasAll(const std::vector<cost::ColumnSpec>& columns) const {
  for (const auto& [id, e] : entries_) {
    for (const auto& c : columns) {
      if (e->columns.count(c.name) && !e->loaded.count(c.name)) return false;
    }
  }
  return true;
}

Status CostData::Refresh() {
  return store_.Read([&](store::Tx& tx) -> Status {
    PLINTH_ASSIGN_OR_RETURN(int64_t version, LineItemsVersion(tx));
    if (version == version_) return Status{};
    PLINTH_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT s.id, s.rows, s.columns FROM cost_segments s "
                            "JOIN cost_partitions p ON p.id = s.partition_id WHERE p.active = 1"));
    std::map<std::string, std::unique_ptr<Entry>> next;
    for (const auto& r : rows) {
      std::string id = r.Text(0);
      if (auto it = entries_.find(id); it != entries_.end()) {
        next.emplace(id, std::move(it->second));
        continue;
      }
      auto e = std::make_unique<Entry>();
      e->segment = cost::Segment(size_t(r.Int(1)));
      Json columns = Json::parse(r.Text(2), nullptr, false);
      if (!columns.is_array()) return Error::Internal("cost segment " + id + ": bad column list");
      for (const auto& c : columns) {
        std::string name = c.at(0).get<std::string>();
        e->columns[name] = {name, TypeFromName(c.at(1).get<std::string>())};
      }
      next.emplace(id, std::move(e));
    }
    entries_ = std::move(next);
    version_ = version;
    return Status{};
  });
}

Status CostData::Load(const std::vector<cost::ColumnSpec>& columns) {
  for (auto& [id, e] : entries_) {
    for (const auto& c : columns) {
      auto spec = e->columns.find(c.name);
      if (spec == e->columns.end() || e->loaded.count(c.name)) continue;
      PLINTH_ASSIGN_OR_RETURN(
          auto row, store_.Read([&](store::Tx& tx) {
            return tx.QueryOne(
                "SELECT data FROM cost_segment_columns WHERE segment_id = ? AND name = ?",
                {id, c.name});
          }));
      if (!row) return Error::Internal("cost segment " + id + ": column " + c.name + " missing");
      std::string blob = row->Bytes(0);
      PLINTH_RETURN_IF_ERROR(e->segment.LoadColumn(spec->second, blob, e->segment.rows()));
      e->loaded.insert(c.name);
      e->bytes += blob.size();
    }
  }
  return Status{};
}

Result<CostData::View> CostData::Acquire(const std::vector<cost::ColumnSpec>& columns) {
  {
    std::unique_lock lock(mu_);
    PLINTH_RETURN_IF_ERROR(Refresh());
    if (!HasAll(columns)) PLINTH_RETURN_IF_ERROR(Load(columns));
  }
  View view;
  view.lock_ = std::shared_lock(mu_);
  if (!HasAll(columns)) {  // an import landed between the two locks: rare, load again
    view.lock_.unlock();
    return Acquire(columns);
  }
  view.version_ = version_;
  for (const auto& [id, e] : entries_) view.segments_.push_back(&e->segment);
  return view;
}

Result<cost::CostResult> CostData::Query(const cost::CostQuery& query) {
  PLINTH_ASSIGN_OR_RETURN(View view, Acquire(cost::RequiredColumns(query)));
  return cost::RunQuery(query, view.segments());
}

Result<CostData::Dimensions> CostData::ListDimensions() {
  PLINTH_ASSIGN_OR_RETURN(View view, Acquire({{"Tags", cost::ColumnType::kString}}));
  std::set<std::string> columns, keys;
  for (const auto& [id, e] : entries_) {
    for (const auto& [name, spec] : e->columns) {
      if (spec.type == cost::ColumnType::kString && name != "Tags") columns.insert(name);
    }
  }
  for (const cost::Segment* s : view.segments()) {
    const cost::StringColumn* tags = s->strings("Tags");
    if (!tags) continue;
    for (const auto& text : tags->dict) {
      Json j = Json::parse(text, nullptr, false);
      if (!j.is_object()) continue;
      for (const auto& [k, v] : j.items()) keys.insert(k);
    }
  }
  return Dimensions{{columns.begin(), columns.end()}, {keys.begin(), keys.end()}};
}

size_t CostData::memory_bytes() const {
  std::shared_lock lock(mu_);
  size_t bytes = 0;
  for (const auto& [id, e] : entries_) bytes += e->bytes;
  return bytes;
}

}  // namespace plinth::finops
