// BackstageImporter::Finish(): what spans documents (memberOf, API providers and consumers),
// then schema validation of every converted document with errors mapped back to the source.

#include "catalog/backstage.h"
#include "catalog/fields.h"

namespace plinth::catalog {

std::vector<std::pair<size_t, Manifest>> BackstageImporter::Finish() {
  for (const auto& [doc, order] : added_) Convert(doc, order);
  auto find = [&](const std::string& kind, const std::string& name) -> Pending* {
    for (auto& p : pending_) {
      if (p.out["kind"] == kind && p.out["metadata"]["name"] == name) return &p;
    }
    return nullptr;
  };
  auto append = [](Pending& p, const char* key, const std::string& name, const Spot& spot) {
    Json& list = p.out["spec"][key];
    if (!list.is_array()) list = Json::array();
    p.spots[Item("/spec/" + std::string(key), list.size())] = spot;
    list.push_back(name);
  };
  for (const auto& m : memberships_) {
    Pending* team = find("Team", m.team);
    if (!team) {
      FailAt(m.spot, "group \"" + m.team + "\" is not defined in these files (memberOf can only "
                                           "add people to a Group applied with them)");
      continue;
    }
    append(*team, "members", m.person, m.spot);
  }
  for (const auto& use : consumers_) {
    Pending& consumer = pending_[use.pending];
    bool linked = false;
    for (size_t provider : providers_[use.api]) {
      if (provider == use.pending) continue;
      append(consumer, "dependsOn", pending_[provider].out["metadata"]["name"], use.spot);
      linked = true;
    }
    if (!linked) {
      Note(use.spot.doc, use.spot.pointer,
           consumer.label + ": " + PointerToDotted(use.spot.pointer) + " \"" + use.text +
               "\" has no provider in these files; no dependency added");
    }
  }
  std::vector<std::pair<size_t, Manifest>> out;
  std::map<size_t, std::vector<std::string>> summaries;  // file index -> conversions
  for (const auto& p : pending_) {
    const LoadedDoc& d = docs_[p.doc];
    auto res = Canonicalize(p.out);
    if (!res.ok()) {
      for (const auto& f : res.error().fields) {
        if (!p.failed.contains(f.pointer)) FailAt(Locate(p, f.pointer), f.message);
      }
      continue;
    }
    Manifest m;
    m.kind = res->kind;
    m.name = res->name;
    m.doc = std::move(res->doc);
    for (auto& ref : res->refs) {
      Spot spot = Locate(p, ref.pointer);
      ref.pointer = spot.pointer;
      ref.location = docs_[spot.doc].file + ":" + std::to_string(LineOf(spot));
      m.refs.push_back(std::move(ref));
    }
    m.file = d.file;
    m.line = LineOf(Locate(p, "/metadata/name"));
    m.source = "backstage " + p.source_kind;
    out.emplace_back(p.order, std::move(m));
    summaries[d.file_index].push_back(p.summary);
    if (summaries[d.file_index].size() == 1) notes_.push_back({d.file_index, 0, d.file});
  }
  for (auto& n : notes_) {
    if (n.line != 0) continue;
    std::string text = n.text + ": ";
    const auto& list = summaries[n.file_index];
    for (size_t i = 0; i < list.size(); ++i) text += (i ? "; " : "") + list[i];
    n.text = text;
  }
  return out;
}

}  // namespace plinth::catalog
