#include "catalog/backstage.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "catalog/fields.h"

namespace plinth::catalog {

namespace {

// A Backstage entity reference "[kind:][namespace/]name", kind lower-cased.
struct EntityRef {
  std::string kind;
  std::string ns;
  std::string name;

  std::string PlinthName() const { return ns == "default" ? name : ns + "--" + name; }
};

EntityRef ParseRef(std::string_view text, std::string_view default_kind) {
  EntityRef r;
  std::string s = Trim(text);
  size_t colon = s.find(':');
  if (colon != std::string::npos) {
    for (char c : s.substr(0, colon)) r.kind += static_cast<char>(std::tolower(c));
    s = s.substr(colon + 1);
  } else {
    r.kind = default_kind;
  }
  size_t slash = s.find('/');
  if (slash != std::string::npos) {
    r.ns = s.substr(0, slash);
    s = s.substr(slash + 1);
  } else {
    r.ns = "default";
  }
  r.name = s;
  return r;
}

const std::set<std::string> kStoredKinds = {"Component", "Resource", "System",
                                            "Domain",    "Group",    "User"};

std::string PlinthKind(const std::string& backstage_kind) {
  if (backstage_kind == "Component" || backstage_kind == "Resource") return "Service";
  if (backstage_kind == "Group") return "Team";
  if (backstage_kind == "User") return "Person";
  return backstage_kind;
}

}  // namespace

bool IsBackstageApiVersion(std::string_view v) {
  return v.starts_with("backstage.io/") || v.find(".backstage.io/") != std::string_view::npos;
}

void BackstageImporter::Add(LoadedDoc doc, size_t order) {
  docs_.push_back(std::move(doc));
  added_.emplace_back(docs_.size() - 1, order);
}

int BackstageImporter::LineOf(const Spot& spot) const {
  return docs_[spot.doc].yaml.LineOf(spot.pointer);
}

void BackstageImporter::Note(size_t doc, const std::string& pointer, const std::string& text) {
  int line = docs_[doc].yaml.LineOf(pointer);
  notes_.push_back({docs_[doc].file_index, line,
                    docs_[doc].file + ":" + std::to_string(line) + ": " + text});
}

void BackstageImporter::Fail(size_t doc, const std::string& pointer, const std::string& message) {
  FailAt({doc, pointer}, message);
}

void BackstageImporter::FailAt(const Spot& spot, const std::string& message) {
  const LoadedDoc& d = docs_[spot.doc];
  errors_.push_back({d.file_index, d.file, LineOf(spot), spot.pointer, message});
}

BackstageImporter::Spot BackstageImporter::Locate(const Pending& p,
                                                  const std::string& pointer) const {
  std::string prefix = pointer;
  while (true) {
    auto it = p.spots.find(prefix);
    if (it != p.spots.end()) {
      return {it->second.doc, it->second.pointer + pointer.substr(prefix.size())};
    }
    if (prefix.empty()) return {p.doc, pointer};
    prefix.erase(prefix.rfind('/'));
  }
}

void BackstageImporter::Convert(size_t di, size_t order) {
  const Json& v = docs_[di].yaml.value;
  const Json* kind_v = v.contains("kind") ? &v["kind"] : nullptr;
  if (!kind_v || !kind_v->is_string()) return Fail(di, "/kind", "is required");
  const std::string kind = kind_v->get<std::string>();
  if (!v.contains("metadata") || !v["metadata"].is_object()) {
    return Fail(di, "/metadata", "is required");
  }
  const Json& md = v["metadata"];
  if (!md.contains("name") || !md["name"].is_string()) {
    return Fail(di, "/metadata/name", "is required");
  }
  std::string ns = "default";
  if (md.contains("namespace") && !md["namespace"].is_null()) {
    if (!md["namespace"].is_string()) return Fail(di, "/metadata/namespace", "must be a string");
    ns = md["namespace"].get<std::string>();
  }
  const EntityRef self{"", ns, md["name"].get<std::string>()};
  const std::string label =
      kind + " " + (ns == "default" ? self.name : ns + "/" + self.name);
  auto ignore = [&](const std::string& pointer, const Json* value, const std::string& why) {
    std::string shown = value && value->is_primitive() ? " \"" + ScalarText(*value) + "\"" : "";
    Note(di, pointer, label + ": " + PointerToDotted(pointer) + shown + " ignored (" + why + ")");
  };
  if (kind == "API") {
    return Note(di, "/kind", label + ": not stored (APIs become dependencies between their "
                                     "providers and consumers)");
  }
  if (!kStoredKinds.contains(kind)) {
    return Note(di, "/kind", label + ": not stored (plinth has no equivalent of a Backstage " +
                                 kind + ")");
  }
  Pending p;
  p.order = order;
  p.doc = di;
  p.source_kind = kind;
  p.label = label;
  const std::string plinth_kind = PlinthKind(kind);
  Json meta = {{"name", self.PlinthName()}};
  for (const auto& [key, value] : md.items()) {
    if (key == "name" || key == "namespace" || key == "uid" || key == "etag") continue;
    if (key == "title" || key == "description" || key == "labels" || key == "annotations" ||
        key == "tags") {
      meta[key] = value;
    } else if (key == "links" && value.is_array()) {
      Json links = Json::array();
      for (size_t i = 0; i < value.size(); ++i) {
        const Json& link = value[i];
        if (!link.is_object()) {
          links.push_back(link);  // Canonicalize reports it
          continue;
        }
        Json out = Json::object();
        for (const auto& [lk, lv] : link.items()) {
          if (lk == "url" || lk == "title" || lk == "icon") {
            out[lk] = lv;
          } else {
            ignore(Item("/metadata/links", i) + "/" + PointerToken(lk), &lv,
                   "plinth links have url, title and icon");
          }
        }
        links.push_back(std::move(out));
      }
      meta["links"] = std::move(links);
    } else {
      ignore("/metadata/" + PointerToken(key), nullptr, "no plinth equivalent");
    }
  }
  if (v.contains("spec") && !v["spec"].is_null() && !v["spec"].is_object()) {
    return Fail(di, "/spec", "must be a mapping");
  }
  const Json spec = v.contains("spec") && v["spec"].is_object() ? v["spec"] : Json::object();
  Json out = Json::object();
  std::set<std::string> handled;
  auto take = [&](const char* key) -> const Json* {
    handled.insert(key);
    auto it = spec.find(key);
    return it == spec.end() || it->is_null() ? nullptr : &*it;
  };
  // A single reference field (owner, system, domain) of kind `want`.
  auto single_ref = [&](const char* key, const char* want) {
    const Json* r = take(key);
    if (!r) return;
    if (!r->is_string()) {
      out[key] = *r;  // Canonicalize reports the type
      return;
    }
    EntityRef ref = ParseRef(r->get<std::string>(), want);
    std::string pointer = "/spec/" + std::string(key);
    if (ref.kind == want) {
      out[key] = ref.PlinthName();
    } else if (std::string(key) == "owner" && ref.kind == "user") {
      p.failed.insert(pointer);
      Fail(di, pointer, "owner \"" + r->get<std::string>() +
                            "\" is a user; plinth resources are owned by teams (Backstage "
                            "groups)");
    } else {
      p.failed.insert(pointer);
      Fail(di, pointer, "\"" + r->get<std::string>() + "\" must refer to a " + want);
    }
  };
  // A list of references of the kinds in `want`; returns them with their source pointers.
  auto ref_list = [&](const char* key, const std::set<std::string>& want,
                      const char* default_kind, bool strict) {
    std::vector<std::pair<std::string, std::string>> refs;
    const Json* list = take(key);
    if (!list) return refs;
    std::string base = "/spec/" + std::string(key);
    if (!list->is_array()) {
      Fail(di, base, "must be a list");
      return refs;
    }
    for (size_t i = 0; i < list->size(); ++i) {
      const Json& item = (*list)[i];
      if (!item.is_string()) {
        Fail(di, Item(base, i), "must be a string");
        continue;
      }
      EntityRef ref = ParseRef(item.get<std::string>(), default_kind);
      if (want.contains(ref.kind)) {
        refs.emplace_back(ref.PlinthName(), Item(base, i));
      } else if (strict) {
        Fail(di, Item(base, i), "\"" + item.get<std::string>() + "\" must refer to a " +
                                     *want.begin());
      } else {
        ignore(Item(base, i), &item, "plinth dependencies are between services");
      }
    }
    return refs;
  };
  auto append = [&](const char* key, const std::vector<std::pair<std::string, std::string>>& r) {
    for (const auto& [name, pointer] : r) {
      if (!out.contains(key)) out[key] = Json::array();
      p.spots[Item("/spec/" + std::string(key), out[key].size())] = {di, pointer};
      out[key].push_back(name);
    }
  };
  // profile.displayName / profile.email / profile.picture of Groups and Users.
  auto profile = [&](const char* display_to) {
    const Json* prof = take("profile");
    if (!prof || !prof->is_object()) return;
    for (const auto& [key, value] : prof->items()) {
      std::string from = "/spec/profile/" + PointerToken(key);
      std::string to;
      if (key == "email") {
        to = "/spec/email";
        out["email"] = value;
      } else if (key == "displayName" && std::string(display_to) == "spec") {
        to = "/spec/displayName";
        out["displayName"] = value;
      } else if (key == "displayName" && !meta.contains("title")) {
        to = "/metadata/title";
        meta["title"] = value;
      } else {
        ignore(from, nullptr, key == "picture" ? "no pictures in plinth" : "no plinth equivalent");
        continue;
      }
      p.spots[to] = {di, from};
    }
  };

  if (kind == "Component" || kind == "Resource") {
    if (const Json* t = take("type")) out["type"] = *t;
    if (kind == "Component") {
      if (const Json* l = take("lifecycle")) out["lifecycle"] = *l;
    }
    single_ref("owner", "group");
    single_ref("system", "system");
    append("dependsOn", ref_list("dependsOn", {"component", "resource"}, "component", false));
    for (const auto& [api, pointer] : ref_list("providesApis", {"api"}, "api", true)) {
      providers_[api].push_back(pending_.size());
    }
    if (const Json* list = take("consumesApis"); list && list->is_array()) {
      for (size_t i = 0; i < list->size(); ++i) {
        if (!(*list)[i].is_string()) continue;
        std::string text = (*list)[i].get<std::string>();
        EntityRef ref = ParseRef(text, "api");
        if (ref.kind != "api") {
          Fail(di, Item("/spec/consumesApis", i), "\"" + text + "\" must refer to an api");
          continue;
        }
        consumers_.push_back(
            {pending_.size(), ref.PlinthName(), text, {di, Item("/spec/consumesApis", i)}});
      }
    }
    const Json& ann = md.value("annotations", Json::object());
    if (ann.is_object() && ann.contains("plinth.dev/tier")) {
      const Json& t = ann["plinth.dev/tier"];
      int tier = 0;
      std::string s = t.is_string() ? Trim(t.get<std::string>()) : "";
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), tier);
      out["tier"] = t.is_string() && ec == std::errc() && end == s.data() + s.size() ? Json(tier)
                                                                                    : t;
      p.spots["/spec/tier"] = {di, "/metadata/annotations/plinth.dev~1tier"};
    }
    if (ann.is_object() && ann.contains("backstage.io/source-location")) {
      const Json& loc = ann["backstage.io/source-location"];
      std::string s = loc.is_string() ? Trim(loc.get<std::string>()) : "";
      if (s.starts_with("url:")) s = s.substr(4);
      if (IsHttpUrl(s)) {
        out["repositoryUrl"] = s;
        p.spots["/spec/repositoryUrl"] = {di, "/metadata/annotations/backstage.io~1source-location"};
      } else {
        ignore("/metadata/annotations/backstage.io~1source-location", &loc,
               "repositoryUrl must be an http or https URL");
      }
    }
    std::string type = out.contains("type") && out["type"].is_string()
                           ? out["type"].get<std::string>()
                           : "service";
    p.summary = label + " -> Service " + self.PlinthName() + " (type " + type + ")";
  } else if (kind == "System" || kind == "Domain") {
    single_ref("owner", "group");
    if (kind == "System") single_ref("domain", "domain");
    p.summary = label + " -> " + kind + " " + self.PlinthName();
  } else if (kind == "Group") {
    if (const Json* t = take("type"); t && !(t->is_string() && *t == "team")) {
      ignore("/spec/type", t, "every Group becomes a Team");
    }
    profile("title");
    if (const Json* parent = take("parent")) {
      ignore("/spec/parent", parent, "no parent groups in plinth");
    }
    if (const Json* children = take("children"); children && !children->empty()) {
      ignore("/spec/children", nullptr, "no child groups in plinth");
    }
    append("members", ref_list("members", {"user"}, "user", true));
    p.summary = label + " -> Team " + self.PlinthName();
  } else if (kind == "User") {
    profile("spec");
    for (const auto& [team, pointer] : ref_list("memberOf", {"group"}, "group", true)) {
      memberships_.push_back({team, self.PlinthName(), {di, pointer}});
    }
    p.summary = label + " -> Person " + self.PlinthName();
  }
  for (const auto& [key, value] : spec.items()) {
    if (!handled.contains(key)) ignore("/spec/" + PointerToken(key), &value, "no plinth equivalent");
  }
  p.out = {{"apiVersion", kApiVersion}, {"kind", plinth_kind}, {"metadata", meta},
           {"spec", out}};
  pending_.push_back(std::move(p));
}

}  // namespace plinth::catalog
