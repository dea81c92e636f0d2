#include "catalog/apply.h"

#include <algorithm>
#include <map>
#include <set>

#include "catalog/fields.h"
#include "catalog/graph.h"
#include "catalog/repository.h"
#include "catalog/rows.h"

namespace plinth::catalog {

namespace {

constexpr size_t kMaxCycleNotes = 20;

using Key = std::pair<std::string, std::string>;  // {kind, name}

size_t KindRank(std::string_view kind) {
  const auto& kinds = Kinds();
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (kinds[i].kind == kind) return i;
  }
  return kinds.size();
}

std::string ValueText(const Json* v) {
  if (!v) return "(none)";
  return v->is_primitive() ? ScalarText(*v) : v->dump();
}

bool AllStrings(const Json& v) {
  return v.is_array() && std::all_of(v.begin(), v.end(), [](const Json& x) {
           return x.is_string();
         });
}

// One entry per changed leaf; lists of names as "+added, -removed".
void FieldChanges(const Json* a, const Json* b, const std::string& pointer,
                  std::vector<std::string>& out) {
  if (a && b && *a == *b) return;
  if (a && b && a->is_object() && b->is_object()) {
    std::set<std::string> keys;
    for (const auto& [k, _] : a->items()) keys.insert(k);
    for (const auto& [k, _] : b->items()) keys.insert(k);
    for (const auto& k : keys) {
      auto ia = a->find(k);
      auto ib = b->find(k);
      FieldChanges(ia == a->end() ? nullptr : &*ia, ib == b->end() ? nullptr : &*ib,
                   pointer + "/" + PointerToken(k), out);
    }
    return;
  }
  std::string path = PointerToDotted(pointer);
  if (a && b && AllStrings(*a) && AllStrings(*b)) {
    std::set<std::string> sa(a->begin(), a->end()), sb(b->begin(), b->end());
    std::string text;
    for (const auto& x : sb) {
      if (!sa.contains(x)) text += (text.empty() ? "+" : ", +") + x;
    }
    for (const auto& x : sa) {
      if (!sb.contains(x)) text += (text.empty() ? "-" : ", -") + x;
    }
    if (!text.empty()) {
      out.push_back(path + ": " + text);
      return;
    }
  }
  out.push_back(path + ": " + ValueText(a) + " -> " + ValueText(b));
}

std::vector<std::string> CycleNotes(const ManifestSet& set, const std::vector<Entity>& stored,
                                    const std::set<Key>& in_set, bool prune) {
  std::vector<Graph::Edge> edges;
  auto add = [&](const Json& doc) {
    if (doc["kind"] != "Service") return;
    const Json& spec = doc["spec"];
    if (!spec.contains("dependsOn")) return;
    for (const auto& dep : spec["dependsOn"]) {
      edges.emplace_back(doc["metadata"]["name"].get<std::string>(), dep.get<std::string>());
    }
  };
  for (const auto& m : set.resources) add(m.doc);
  if (!prune) {
    for (const auto& e : stored) {
      if (!in_set.contains({e.kind, e.name})) add(e.doc);
    }
  }
  bool truncated = false;
  auto cycles = Graph({}, edges).Cycles(kMaxCycleNotes, &truncated);
  std::vector<std::string> notes;
  for (const auto& cycle : cycles) {
    std::string text = "dependency cycle: ";
    for (size_t i = 0; i < cycle.size(); ++i) text += (i ? " -> " : "") + cycle[i];
    notes.push_back(text);
  }
  if (truncated) notes.push_back("more dependency cycles not shown");
  return notes;
}

// Reference errors of the whole set, in file order then line order.
Status CheckReferences(const ManifestSet& set, const KeySet& existing) {
  std::map<std::string, size_t> file_rank;
  for (const auto& m : set.resources) file_rank.emplace(m.file, file_rank.size());
  std::vector<FieldError> errors;
  for (const auto& m : set.resources) {
    for (auto& e : MissingReferences(m.refs, existing)) errors.push_back(std::move(e));
  }
  if (errors.empty()) return {};
  auto key = [&](const FieldError& e) {
    size_t colon = e.location.rfind(':');
    std::string file = e.location.substr(0, colon);
    auto it = file_rank.find(file);
    return std::make_pair(it == file_rank.end() ? file_rank.size() : it->second,
                          std::stoi(e.location.substr(colon + 1)));
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const FieldError& a, const FieldError& b) { return key(a) < key(b); });
  Error e = FieldsError(std::move(errors));
  if (e.fields.size() == 1) e.message = e.fields[0].location + ": " + e.message;
  return e;
}

struct Planned {
  Plan plan;
  std::map<Key, Entity> stored;
  std::map<Key, const Manifest*> manifests;
};

Result<Planned> MakePlan(store::Tx& tx, const ManifestSet& set, bool prune) {
  Planned out;
  PLINTH_ASSIGN_OR_RETURN(auto stored, All(tx));
  std::set<Key> in_set;
  KeySet existing;
  for (const auto& m : set.resources) {
    in_set.insert({m.kind, m.name});
    existing.insert({m.kind, m.name});
    out.manifests[{m.kind, m.name}] = &m;
  }
  for (const auto& e : stored) {
    if (!prune) existing.insert({e.kind, e.name});
    out.stored[{e.kind, e.name}] = e;
  }
  PLINTH_RETURN_IF_ERROR(CheckReferences(set, existing));

  std::vector<const Manifest*> order;
  for (const auto& m : set.resources) order.push_back(&m);
  std::sort(order.begin(), order.end(), [](const Manifest* a, const Manifest* b) {
    return std::make_pair(KindRank(a->kind), a->name) < std::make_pair(KindRank(b->kind), b->name);
  });
  std::vector<Change> writes, deletes, unchanged;
  for (const Manifest* m : order) {
    auto it = out.stored.find({m->kind, m->name});
    Change c{Change::kCreate, m->kind, m->name, std::nullopt, m->doc, {}};
    if (it != out.stored.end()) {
      c.before = it->second.doc;
      c.op = it->second.doc == m->doc ? Change::kUnchanged : Change::kUpdate;
      if (c.op == Change::kUpdate) FieldChanges(&*c.before, &m->doc, "", c.field_changes);
    }
    (c.op == Change::kUnchanged ? unchanged : writes).push_back(std::move(c));
  }
  if (prune) {
    for (const auto& e : stored) {
      if (!in_set.contains({e.kind, e.name})) {
        deletes.push_back({Change::kDelete, e.kind, e.name, e.doc, std::nullopt, {}});
      }
    }
    // Referrers first: reverse Kinds() order, then name.
    std::stable_sort(deletes.begin(), deletes.end(), [](const Change& a, const Change& b) {
      if (KindRank(a.kind) != KindRank(b.kind)) return KindRank(a.kind) > KindRank(b.kind);
      return a.name < b.name;
    });
  }
  for (auto* list : {&writes, &deletes, &unchanged}) {
    for (auto& c : *list) out.plan.changes.push_back(std::move(c));
  }
  out.plan.notes = set.notes;
  for (auto& n : CycleNotes(set, stored, in_set, prune)) out.plan.notes.push_back(std::move(n));
  return out;
}

}  // namespace

int Plan::Count(Change::Op op) const {
  return static_cast<int>(std::count_if(changes.begin(), changes.end(),
                                        [op](const Change& c) { return c.op == op; }));
}

Result<Plan> Diff(store::Tx& tx, const ManifestSet& set, bool prune) {
  PLINTH_ASSIGN_OR_RETURN(Planned planned, MakePlan(tx, set, prune));
  return std::move(planned.plan);
}

Result<Plan> Apply(store::Tx& tx, const ManifestSet& set, bool prune, std::string_view actor,
                   int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(Planned planned, MakePlan(tx, set, prune));
  for (const auto& c : planned.plan.changes) {
    Key key{c.kind, c.name};
    if (c.op == Change::kDelete) {
      PLINTH_RETURN_IF_ERROR(DeleteEntity(tx, planned.stored.at(key), actor, now_ms));
      continue;
    }
    if (c.op == Change::kUnchanged) continue;
    const Manifest& m = *planned.manifests.at(key);
    Resource res{m.kind, m.name, m.doc, m.refs};
    if (c.op == Change::kCreate) {
      PLINTH_RETURN_IF_ERROR(InsertEntity(tx, res, actor, now_ms));
    } else {
      PLINTH_RETURN_IF_ERROR(UpdateEntity(tx, planned.stored.at(key), res, actor, now_ms));
    }
  }
  return std::move(planned.plan);
}

std::string FormatPlan(const Plan& plan, bool applied) {
  std::string out;
  for (const auto& c : plan.changes) {
    switch (c.op) {
      case Change::kCreate:
        out += "+ " + c.kind + " " + c.name + "\n";
        break;
      case Change::kUpdate: {
        std::string fields;
        for (const auto& f : c.field_changes) fields += (fields.empty() ? "" : "; ") + f;
        out += "~ " + c.kind + " " + c.name + " (" + fields + ")\n";
        break;
      }
      case Change::kDelete:
        out += "- " + c.kind + " " + c.name + "\n";
        break;
      case Change::kUnchanged:
        break;
    }
  }
  for (const auto& n : plan.notes) out += "note: " + n + "\n";
  int created = plan.Count(Change::kCreate);
  int updated = plan.Count(Change::kUpdate);
  int deleted = plan.Count(Change::kDelete);
  int same = plan.Count(Change::kUnchanged);
  if (created + updated + deleted == 0) {
    return out + "no changes (" + std::to_string(same) +
           (same == 1 ? " resource" : " resources") + " unchanged)\n";
  }
  auto n = [](int v) { return std::to_string(v); };
  if (applied) {
    return out + n(created) + " created, " + n(updated) + " updated, " + n(deleted) +
           " deleted, " + n(same) + " unchanged\n";
  }
  return out + n(created) + " to create, " + n(updated) + " to update, " + n(deleted) +
         " to delete, " + n(same) + " unchanged\n";
}

}  // namespace plinth::catalog
