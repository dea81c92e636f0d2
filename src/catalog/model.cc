#include "catalog/model.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstring>

namespace plinth::catalog {

namespace {

// The kind registry, in reference order (a kind refers only to kinds above it). Each kind's
// spec schema is in schema.cc (kSpecs).
const std::vector<KindInfo> kKinds = {
    {"Person", "people", "person"},
    {"Team", "teams", "team"},
    {"Domain", "domains", "domain"},
    {"System", "systems", "system"},
    {"Schedule", "schedules", "schedule"},
    {"EscalationPolicy", "escalationpolicies", "escalation policy"},
    {"Service", "services", "service"},
    {"DataSource", "datasources", "data source"},
    {"SLO", "slos", "SLO"},
    {"CostAllocation", "costallocations", "cost allocation"},
    {"Budget", "budgets", "budget"},
    {"UnitMetric", "unitmetrics", "unit metric"},
};

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Backstage's name rule: ^[a-zA-Z0-9]([-_.]?[a-zA-Z0-9])*$, 1-63 characters.
bool IsSimpleName(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (IsAlnum(c)) continue;
    if (c != '-' && c != '_' && c != '.') return false;
    if (!IsAlnum(s[i - 1])) return false;  // two separators in a row
  }
  return true;
}

}  // namespace

const std::vector<KindInfo>& Kinds() { return kKinds; }

const KindInfo* FindKind(std::string_view kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return &k;
  }
  return nullptr;
}

bool IsKind(std::string_view kind) { return FindKind(kind) != nullptr; }

std::optional<std::string> KindFromPlural(std::string_view plural) {
  for (const auto& k : kKinds) {
    if (k.plural == plural) return std::string(k.kind);
  }
  return std::nullopt;
}

std::string PluralOf(std::string_view kind) {
  const KindInfo* k = FindKind(kind);
  return k ? std::string(k->plural) : "";
}

bool IsValidName(std::string_view name) {
  size_t sep = name.find("--");
  if (sep == std::string_view::npos) return IsSimpleName(name);
  return IsSimpleName(name.substr(0, sep)) && IsSimpleName(name.substr(sep + 2));
}

std::string Describe(std::string_view kind, std::string_view name) {
  const KindInfo* k = FindKind(kind);
  std::string noun;
  if (k) {
    noun = k->noun;
  } else {
    for (char c : kind) noun += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return noun + " \"" + std::string(name) + "\"";
}

std::string Reference::TargetText() const { return Describe(target_kind, target_name); }

std::vector<Reference> ReferencesOf(const Json& canonical) {
  auto r = Canonicalize(canonical);
  if (!r.ok()) return {};
  return std::move(r).value().refs;
}

std::optional<std::string> ScopeTeam(const Json& doc) {
  if (!doc.is_object()) return std::nullopt;
  auto kind = doc.find("kind");
  if (kind == doc.end() || !kind->is_string()) return std::nullopt;
  const std::string& k = kind->get_ref<const std::string&>();
  if (k == "Team") {
    auto md = doc.find("metadata");
    if (md == doc.end() || !md->is_object()) return std::nullopt;
    auto name = md->find("name");
    if (name == md->end() || !name->is_string()) return std::nullopt;
    return name->get<std::string>();
  }
  if (k == "Service" || k == "System" || k == "Domain" || k == "Schedule" ||
      k == "EscalationPolicy") {
    auto spec = doc.find("spec");
    if (spec == doc.end() || !spec->is_object()) return std::nullopt;
    auto owner = spec->find(k == "Schedule" ? "team" : "owner");
    if (owner == spec->end() || !owner->is_string()) return std::nullopt;
    return owner->get<std::string>();
  }
  if (k == "Budget" || k == "UnitMetric") {
    auto spec = doc.find("spec");
    if (spec == doc.end() || !spec->is_object()) return std::nullopt;
    auto scope = spec->find("scope");
    if (scope == spec->end() || !scope->is_object()) return std::nullopt;
    auto team = scope->find("team");
    if (team == scope->end() || !team->is_string()) return std::nullopt;
    return team->get<std::string>();
  }
  return std::nullopt;
}

// Validated against the OS tz database: a regular file under /usr/share/zoneinfo that starts
// with the TZif magic. (The date/tz library's locate_zone would read the same files; the
// catalog library does not link libdate-tz.)
bool IsTimeZone(std::string_view zone) {
  if (zone.empty() || zone.size() > 128 || zone.front() == '/' || zone.back() == '/') {
    return false;
  }
  size_t start = 0;
  while (start <= zone.size()) {
    size_t end = zone.find('/', start);
    if (end == std::string_view::npos) end = zone.size();
    std::string_view part = zone.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    for (char c : part) {
      if (!IsAlnum(c) && c != '_' && c != '-' && c != '+' && c != '.') return false;
    }
    start = end + 1;
  }
  std::string path = "/usr/share/zoneinfo/" + std::string(zone);
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char magic[4] = {};
  size_t n = std::fread(magic, 1, sizeof magic, f);
  std::fclose(f);
  return n == 4 && std::memcmp(magic, "TZif", 4) == 0;
}

}  // namespace plinth::catalog
