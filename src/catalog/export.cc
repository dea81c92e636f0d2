// Export(): the database back to YAML files that re-apply to the same state.

#include <filesystem>
#include <fstream>
#include <set>

#include "base/yaml.h"
#include "catalog/apply.h"
#include "catalog/repository.h"

namespace plinth::catalog {

namespace {

namespace fs = std::filesystem;

// Keys written first in metadata and spec, and in the mappings nested in them (contact methods,
// schedule layers, restrictions, escalation levels, paging settings, notification rules); the
// rest follow in sorted order.
const std::vector<std::string> kMetadataFirst = {"name", "title", "description", "url"};
// clang-format off
const std::vector<std::string> kSpecFirst = {
    // CostAllocation, Budget, UnitMetric (their nested keys are at the end)
    "rules",     "shared",    "scope",    "period",     "amount",          "currency",
    "unit",      "per",       "source",
    "owner",     "team",      "service",  "name",       "displayName",     "tier",
    "lifecycle", "type",      "calendar", "count",      "system",          "domain",
    "members",   "timeZone",  "url",      "objective",  "window",          "budgetingMethod",
    "timeslice", "indicator", "dataSource", "participants", "turn",        "startDay",
    "start",     "endDay",    "end",      "length",     "good",            "bad",
    "total",     "metric",    "selector", "threshold", "budgetPercent", "shortWindow",
    "longWindow",
    // EscalationPolicy levels, Service.spec.paging, Person.spec.notificationRules
    "repeat",    "levels",    "escalateAfter", "notify", "when",           "targets",
    "escalationPolicy", "after", "contactTypes", "urgency", "supportHours",
    "acknowledgementTimeout", "autoResolveTimeout", "groupingWindow",
    // cost rules, pools, budget scopes and thresholds, unit metric queries
    "match",     "set",       "split",    "among",      "weights",         "product",
    "environment", "tags",    "accounts", "services",   "resources",       "regions",
    "chargeCategories", "organization", "tag", "thresholds", "percent",    "basis",
    "webhook",   "prometheus", "query"};
// clang-format on

std::string Indent(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    out += (line.empty() ? "" : "  ") + line + "\n";
    start = end + 1;
  }
  return out;
}

std::string Section(const std::string& key, const Json& value,
                    const std::vector<std::string>& first) {
  if (value.empty()) return key + ": {}\n";
  return key + ":\n" + Indent(ToYaml(value, first));
}

}  // namespace

std::string ExportYaml(const Json& doc) {
  Json head = {{"apiVersion", doc["apiVersion"]}, {"kind", doc["kind"]}};
  return ToYaml(head, {"apiVersion", "kind"}) +
         Section("metadata", doc["metadata"], kMetadataFirst) +
         Section("spec", doc["spec"], kSpecFirst);
}

Result<int> Export(store::Tx& tx, const std::string& dir) {
  PLINTH_ASSIGN_OR_RETURN(auto entities, All(tx));
  std::set<fs::path> written;
  for (const auto& e : entities) {
    fs::path folder = fs::path(dir) / PluralOf(e.kind);
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) return Error::Invalid("cannot create " + folder.string() + ": " + ec.message());
    fs::path file = folder / (e.name + ".yaml");
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << ExportYaml(e.doc);
    out.close();
    if (!out) return Error::Invalid("cannot write " + file.string());
    written.insert(file);
  }
  // A resource deleted since an earlier export into the same folder must not come back when the
  // export is applied with --prune: remove the kind folders' YAML files nobody wrote now.
  for (const auto& info : Kinds()) {
    fs::path folder = fs::path(dir) / info.plural;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) continue;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      if (entry.path().extension() == ".yaml" && !written.count(entry.path())) {
        fs::remove(entry.path(), ec);
        if (ec) return Error::Invalid("cannot remove stale " + entry.path().string());
      }
    }
  }
  return int(written.size());
}

}  // namespace plinth::catalog
