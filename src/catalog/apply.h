#pragma once
// Declarative configuration for the catalog: diff and apply a ManifestSet against the database,
// and export the database back to YAML files that re-apply to the same state.
//
// References in the manifests are resolved against the union of the set and the database
// (without prune) or against the set alone (with prune, since everything else is deleted).
// Reference errors are reported like load errors: `FILE:LINE: spec.owner: team "x" does not
// exist`, all of them, sorted.
//
// The caller runs Apply inside one Store::Write, so it is all-or-nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "catalog/manifest.h"
#include "store/store.h"

namespace plinth::catalog {

struct Change {
  enum Op { kCreate, kUpdate, kDelete, kUnchanged };
  Op op = kUnchanged;
  std::string kind;
  std::string name;
  std::optional<Json> before;  // stored canonical document; nullopt for kCreate
  std::optional<Json> after;   // new canonical document; nullopt for kDelete
  // For kUpdate, one entry per changed leaf or list, in key order:
  //   "spec.tier: 2 -> 1", "spec.runbookUrl: (none) -> https://…", "spec.dependsOn: +b, -c"
  std::vector<std::string> field_changes;
};

struct Plan {
  // Creates and updates in write order (Kinds() order, then name), then deletes in reverse
  // Kinds() order, then unchanged resources.
  std::vector<Change> changes;
  // Backstage conversion notes from the ManifestSet, then dependency-cycle warnings.
  std::vector<std::string> notes;

  int Count(Change::Op op) const;
};

// What Apply would do; writes nothing.
Result<Plan> Diff(store::Tx& tx, const ManifestSet& set, bool prune);

// Performs the plan: creates and updates every resource in the set that differs; with `prune`,
// deletes catalog resources that are not in the set (without it nothing is deleted). One audit
// entry per change. Returns the plan that was carried out.
Result<Plan> Apply(store::Tx& tx, const ManifestSet& set, bool prune, std::string_view actor,
                   int64_t now_ms);

// Human output, one line per change, then the notes, then a summary:
//   + Service payments-api
//   ~ Service ledger (spec.tier: 2 -> 1; spec.lifecycle: production -> deprecated)
//   - Team old
//   note: <note>
//   3 created, 1 updated, 0 deleted, 12 unchanged         (applied)
//   3 to create, 1 to update, 0 to delete, 12 unchanged   (diff)
// or, when nothing changes, "no changes (12 resources unchanged)". Ends with a newline.
std::string FormatPlan(const Plan& plan, bool applied);

// One canonical document as YAML in the order a person writes it: apiVersion, kind, metadata
// (name, title, description first), spec (owner first). Parses back to the same document.
std::string ExportYaml(const Json& doc);

// Writes every stored resource to DIR/<plural>/<name>.yaml (teams, people, services, systems,
// domains), creating folders as needed. Stale *.yaml files in those kind folders are removed, so
// a resource deleted since an earlier export does not come back on `apply --prune`; other files
// are left alone. Documents start with apiVersion, kind, metadata (name first), spec. Returns
// the number of files written. LoadManifests(DIR) then Diff gives no changes.
Result<int> Export(store::Tx& tx, const std::string& dir);

}  // namespace plinth::catalog
