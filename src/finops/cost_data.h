#pragma once
// The visible cost line items of the store, cached in memory as columnar segments. Columns
// load on first use (a query of cost by service by day never loads ResourceId), and a change
// of the store's line-items version (an import on any replica) reloads only the segments that
// came or went.
//
// Thread-safety: all methods are safe from any thread. A View holds a shared lock: the
// segments it lists stay valid and unchanged while it lives; keep it short.

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "base/result.h"
#include "cost/query.h"
#include "cost/segment.h"
#include "store/store.h"

namespace plinth::finops {

class CostData {
 public:
  explicit CostData(store::Store& store) : store_(store) {}
  CostData(const CostData&) = delete;
  CostData& operator=(const CostData&) = delete;

  // The segments with at least `columns` loaded (a column a segment lacks reads as NULL).
  class View {
   public:
    const std::vector<const cost::Segment*>& segments() const { return segments_; }
    int64_t version() const { return version_; }

   private:
    friend class CostData;
    std::shared_lock<std::shared_mutex> lock_;
    std::vector<const cost::Segment*> segments_;
    int64_t version_ = 0;
  };
  Result<View> Acquire(const std::vector<cost::ColumnSpec>& columns);

  // Runs a query over the visible line items.
  Result<cost::CostResult> Query(const cost::CostQuery& query);

  // The string columns of the visible line items (sorted) and the keys of their tags.
  struct Dimensions {
    std::vector<std::string> columns;
    std::vector<std::string> tag_keys;
  };
  Result<Dimensions> ListDimensions();

  // Bytes of column data held in memory, for /metrics and the benchmark.
  size_t memory_bytes() const;

 private:
  struct Entry {
    std::map<std::string, cost::ColumnSpec, std::less<>> columns;  // what the store has
    cost::Segment segment;
    std::set<std::string, std::less<>> loaded;
    size_t bytes = 0;  // of the loaded columns' blobs
  };
  Status Refresh();                                       // REQUIRES: mu_ held exclusively
  Status Load(const std::vector<cost::ColumnSpec>& columns);  // REQUIRES: mu_ held exclusively
  bool HasAll(const std::vector<cost::ColumnSpec>& columns) const;  // REQUIRES: mu_ held

  store::Store& store_;

  mutable std::shared_mutex mu_;
  // Guarded by mu_
  int64_t version_ = -1;
  std::map<std::string, std::unique_ptr<Entry>> entries_;  // by segment id, in a stable order
};

}  // namespace plinth::finops
