#include "finops/allocation.h"

#include "catalog/repository.h"
#include "cost/specs.h"

namespace plinth::finops {

Result<AllocationSetup> LoadAllocationSetup(store::Tx& tx) {
  AllocationSetup out;
  PLINTH_ASSIGN_OR_RETURN(auto rules, catalog::All(tx, "CostAllocation"));
  std::sort(rules.begin(), rules.end(), [](auto& a, auto& b) { return a.name < b.name; });
  for (const auto& e : rules) {
    auto parsed = cost::AllocationRulesFromSpec(e.doc.value("spec", Json::object()));
    if (!parsed.ok()) {
      return Error::Invalid("CostAllocation " + e.name + ": " + parsed.error().ToString());
    }
    cost::AppendRules(out.rules, *parsed);
  }
  PLINTH_ASSIGN_OR_RETURN(auto teams, catalog::All(tx, "Team"));
  for (const auto& t : teams) out.catalog.teams.insert(t.name);
  PLINTH_ASSIGN_OR_RETURN(auto services, catalog::All(tx, "Service"));
  for (const auto& s : services) {
    out.catalog.service_owners[s.name] = s.doc["spec"].value("owner", "");
  }
  return out;
}

Result<cost::AllocationReport> AllocateRange(store::Store& store, CostData& data, int64_t from_s,
                                             int64_t to_s, cost::CostMetric metric,
                                             cost::Granularity granularity) {
  PLINTH_ASSIGN_OR_RETURN(auto setup, store.Read(LoadAllocationSetup));
  cost::CostQuery q;
  q.from_s = from_s;
  q.to_s = to_s;
  q.metric = metric;
  q.granularity = granularity;
  q.group_by = cost::AllocationDimensions(setup.rules);
  PLINTH_ASSIGN_OR_RETURN(auto result, data.Query(q));
  return cost::Allocate(setup.rules, setup.catalog, result.rows);
}

}  // namespace plinth::finops
