#include "cost/allocation.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

namespace plinth::cost {

namespace {

// The columns a rule can look at, in AllocationDimensions() order.
enum Column : size_t {
  kService,
  kSubAccount,
  kResourceId,
  kResourceName,
  kBillingAccount,
  kRegion,
  kChargeCategory,
  kTags,
  kColumns
};
constexpr const char* kColumnNames[kColumns] = {
    "ServiceName",      "SubAccountId", "ResourceId",     "ResourceName",
    "BillingAccountId", "RegionId",     "ChargeCategory", "Tags"};

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

bool AnyMatch(const std::vector<std::string>& patterns, std::string_view value) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return GlobMatch(p, value); });
}

template <typename Fn>
void ForEachMatch(const AllocationRules& rules, Fn fn) {
  for (const auto& r : rules.rules) fn(r.match);
  for (const auto& p : rules.shared) fn(p.match);
}

// Which optional columns the rules need, and the tag keys they read.
struct Layout {
  size_t index[kColumns];  // position in the row's keys; kColumns when not grouped by
  std::vector<std::string> tag_keys;

  explicit Layout(const AllocationRules& rules) {
    bool used[kColumns] = {true, true, true, true, false, false, false, false};
    std::set<std::string> keys;
    ForEachMatch(rules, [&](const AllocationMatch& m) {
      used[kBillingAccount] |= !m.accounts.empty();
      used[kRegion] |= !m.regions.empty();
      used[kChargeCategory] |= !m.charge_categories.empty();
      for (const auto& [k, _] : m.tags) keys.insert(k);
    });
    for (const auto& r : rules.rules) {
      for (const std::string* v :
           {&r.set.team, &r.set.service, &r.set.product, &r.set.environment}) {
        if (auto key = TagReference(*v)) keys.insert(*key);
      }
    }
    used[kTags] = !keys.empty();
    tag_keys.assign(keys.begin(), keys.end());
    size_t next = 0;
    for (size_t c = 0; c < kColumns; ++c) index[c] = used[c] ? next++ : kColumns;
  }
  size_t TagIndex(std::string_view key) const {
    return std::lower_bound(tag_keys.begin(), tag_keys.end(), key) - tag_keys.begin();
  }
};

// One row as the rules see it; tag values come from a cache keyed by the Tags text.
class RowView {
 public:
  RowView(const Layout& layout, const CostRow& row, const std::vector<std::string>* tags)
      : layout_(layout), row_(row), tags_(tags) {}
  std::string_view Get(Column c) const {
    return layout_.index[c] == kColumns ? std::string_view() : row_.keys[layout_.index[c]];
  }
  std::string_view Tag(std::string_view key) const {
    return tags_ ? std::string_view((*tags_)[layout_.TagIndex(key)]) : std::string_view();
  }
  bool Matches(const AllocationMatch& m) const {
    for (const auto& [key, glob] : m.tags) {
      std::string_view v = Tag(key);
      if (v.empty() || !GlobMatch(glob, v)) return false;
    }
    if (!m.accounts.empty() && !AnyMatch(m.accounts, Get(kSubAccount)) &&
        !AnyMatch(m.accounts, Get(kBillingAccount))) {
      return false;
    }
    return (m.services.empty() || AnyMatch(m.services, Get(kService))) &&
           (m.resources.empty() || AnyMatch(m.resources, Get(kResourceId))) &&
           (m.regions.empty() || AnyMatch(m.regions, Get(kRegion))) &&
           (m.charge_categories.empty() || AnyMatch(m.charge_categories, Get(kChargeCategory)));
  }
  // A set value: the literal, or the tag's value ("" when the tag is missing).
  std::string Value(const std::string& v) const {
    auto key = TagReference(v);
    return key ? std::string(Tag(*key)) : v;
  }

 private:
  const Layout& layout_;
  const CostRow& row_;
  const std::vector<std::string>* tags_;
};

// Catalog names looked up exactly, then ignoring case when that is unambiguous.
class Names {
 public:
  template <typename Range>
  explicit Names(const Range& names) {
    std::map<std::string, int> count;
    for (const auto& n : names) ++count[Lowercase(n)];
    for (const auto& n : names) {
      exact_.insert(n);
      if (count[Lowercase(n)] == 1) folded_[Lowercase(n)] = n;
    }
  }
  std::optional<std::string> Find(const std::string& name) const {
    if (exact_.count(name)) return name;
    auto it = folded_.find(Lowercase(name));
    if (it == folded_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::set<std::string> exact_;
  std::map<std::string, std::string> folded_;
};

// Where a row's cost goes.
struct Outcome {
  int pool = -1;       // index into rules.shared, or -1
  std::string reason;  // unallocated when not empty
  std::string team, service, product, environment;
};

struct MonthState {
  Amount total;
  std::vector<Amount> pools;  // per rules.shared entry
  std::map<std::string, Amount> direct;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, Amount> lines;
  std::map<std::string, Amount> reasons;
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string>, Amount>
      resources;  // (id, name, service, account, reason)
};

class Allocator {
 public:
  Allocator(const AllocationRules& rules, const AllocationCatalog& catalog)
      : rules_(rules), catalog_(catalog), layout_(rules), teams_(catalog.teams) {
    std::vector<std::string> services;
    for (const auto& [s, _] : catalog.service_owners) services.push_back(s);
    services_.emplace(services);
  }

  const Layout& layout() const { return layout_; }
  std::set<std::string>& warnings() { return warnings_; }

  Outcome Place(const RowView& row) {
    for (size_t i = 0; i < rules_.shared.size(); ++i) {
      if (row.Matches(rules_.shared[i].match)) {
        Outcome out;
        out.pool = static_cast<int>(i);
        return out;
      }
    }
    for (size_t i = 0; i < rules_.rules.size(); ++i) {
      const AllocationRule& rule = rules_.rules[i];
      if (!row.Matches(rule.match)) continue;
      std::string team = row.Value(rule.set.team), service = row.Value(rule.set.service);
      if (team.empty() && service.empty()) continue;  // its tags are missing: the next rule
      Outcome out;
      out.product = row.Value(rule.set.product);
      out.environment = row.Value(rule.set.environment);
      std::optional<std::string> known_service =
          service.empty() ? std::nullopt : services_->Find(service);
      if (known_service) out.service = *known_service;
      if (!team.empty()) {
        if (auto t = teams_.Find(team)) {
          out.team = *t;
        } else {
          out.reason = "team \"" + team + "\"" + From(rule.set.team) + " is not a catalog team";
        }
        if (!service.empty() && !known_service) {
          warnings_.insert("service \"" + service + "\"" + From(rule.set.service) + " (" +
                           Label(i) + ") is not a catalog service; its cost shows without one");
        }
      } else if (known_service) {
        out.team = catalog_.service_owners.find(*known_service)->second;
      } else {
        out.reason =
            "service \"" + service + "\"" + From(rule.set.service) + " is not a catalog service";
      }
      return out;
    }
    Outcome out;
    out.reason = "no rule matches";
    return out;
  }

  std::string Label(size_t rule) const {
    const std::string& name = rules_.rules[rule].name;
    return name.empty() ? "rule " + std::to_string(rule + 1) : "rule \"" + name + "\"";
  }

 private:
  static std::string From(const std::string& value) {
    auto key = TagReference(value);
    return key ? " from tag \"" + *key + "\"" : "";
  }

  const AllocationRules& rules_;
  const AllocationCatalog& catalog_;
  Layout layout_;
  Names teams_;
  std::optional<Names> services_;
  std::set<std::string> warnings_;
};

// The receivers of pool `p` and their weights in `month`.
std::vector<std::pair<std::string, Int128>> Receivers(const SharedPool& p, const MonthState& m,
                                                      const AllocationCatalog& catalog) {
  std::vector<std::pair<std::string, Int128>> out;
  if (p.split == SplitMethod::kFixed) {
    for (const auto& [team, w] : p.weights) {
      if (catalog.teams.count(team)) out.emplace_back(team, Amount::FromDecimal(w).units());
    }
    return out;
  }
  std::vector<std::string> teams = p.among;
  if (teams.empty()) {
    for (const auto& [team, cost] : m.direct) {
      if (!cost.is_zero()) teams.push_back(team);
    }
  }
  for (const auto& team : teams) {
    if (!catalog.teams.count(team)) continue;
    auto it = m.direct.find(team);
    Int128 direct = it == m.direct.end() ? 0 : it->second.units();
    Int128 w = p.split == SplitMethod::kEven ? 1 : direct;
    if (w > 0) out.emplace_back(team, w);
  }
  return out;
}

AllocationMonth Finish(int64_t month, const std::string& currency, MonthState& m,
                       const AllocationRules& rules, const AllocationCatalog& catalog,
                       const AllocationOptions& options) {
  AllocationMonth out;
  out.month_start_s = month;
  out.currency = currency;
  out.total = m.total;
  std::vector<size_t> column(rules.shared.size());  // pool -> index in out.pools
  for (size_t i = 0; i < rules.shared.size(); ++i) {
    auto it = std::find(out.pools.begin(), out.pools.end(), rules.shared[i].name);
    column[i] = it - out.pools.begin();
    if (it == out.pools.end()) out.pools.push_back(rules.shared[i].name);
  }
  out.pool_totals.assign(out.pools.size(), Amount());
  std::map<std::string, TeamAllocation> teams;
  auto team = [&](const std::string& name) -> TeamAllocation& {
    TeamAllocation& t = teams[name];
    if (t.team.empty()) {
      t.team = name;
      t.shared.assign(out.pools.size(), Amount());
    }
    return t;
  };
  for (const auto& [name, cost] : m.direct) team(name).direct += cost;
  for (size_t i = 0; i < rules.shared.size(); ++i) {
    Amount amount = m.pools[i];
    out.pool_totals[column[i]] += amount;
    if (amount.is_zero()) continue;
    auto receivers = Receivers(rules.shared[i], m, catalog);
    if (receivers.empty()) {
      std::string reason = "shared pool \"" + rules.shared[i].name + "\" has no team to share with";
      m.reasons[reason] += amount;
      m.resources[{"", "", "", "", reason}] += amount;
      continue;
    }
    std::vector<Int128> weights;
    for (const auto& [_, w] : receivers) weights.push_back(w);
    auto shares = SplitExactly(amount, weights);
    for (size_t r = 0; r < receivers.size(); ++r) {
      team(receivers[r].first).shared[column[i]] += shares[r];
    }
  }
  for (auto& [name, t] : teams) {
    t.total = t.direct;
    for (const Amount& s : t.shared) t.total += s;
    out.teams.push_back(std::move(t));
  }
  std::sort(out.teams.begin(), out.teams.end(), [](const auto& a, const auto& b) {
    return a.total != b.total ? a.total > b.total : a.team < b.team;
  });
  for (const auto& [key, cost] : m.lines) {
    const auto& [t, s, p, e] = key;
    out.lines.push_back({t, s, p, e, cost});
  }
  for (const auto& [reason, cost] : m.reasons) {
    out.unallocated += cost;
    out.reasons.push_back({reason, cost});
  }
  std::sort(out.reasons.begin(), out.reasons.end(), [](const auto& a, const auto& b) {
    return a.cost != b.cost ? a.cost > b.cost : a.reason < b.reason;
  });
  for (const auto& [key, cost] : m.resources) {
    const auto& [id, name, service, account, reason] = key;
    out.top_unallocated.push_back({id, name, service, account, reason, cost});
  }
  auto magnitude = [](Amount a) { return a.units() < 0 ? -a : a; };
  std::stable_sort(
      out.top_unallocated.begin(), out.top_unallocated.end(),
      [&](const auto& a, const auto& b) { return magnitude(a.cost) > magnitude(b.cost); });
  if (out.top_unallocated.size() > options.top_unallocated) {
    out.top_unallocated.resize(options.top_unallocated);
  }
  return out;
}

}  // namespace

double AllocationMonth::Coverage() const {
  if (total.is_zero()) return 1;
  return 1 - unallocated.ToDouble() / total.ToDouble();
}

std::vector<Dimension> AllocationDimensions(const AllocationRules& rules) {
  Layout layout(rules);
  std::vector<Dimension> dims;
  for (size_t c = 0; c < kColumns; ++c) {
    if (layout.index[c] != kColumns) dims.push_back({kColumnNames[c]});
  }
  return dims;
}

Result<AllocationReport> Allocate(const AllocationRules& rules, const AllocationCatalog& catalog,
                                  std::span<const CostRow> rows, const AllocationOptions& options) {
  Allocator allocator(rules, catalog);
  const Layout& layout = allocator.layout();
  size_t width = AllocationDimensions(rules).size();
  std::map<std::pair<int64_t, std::string>, MonthState> months;
  std::unordered_map<std::string, std::vector<std::string>> tag_cache;
  for (const CostRow& row : rows) {
    if (row.keys.size() != width) {
      return Error::Invalid("allocation needs rows grouped by its " + std::to_string(width) +
                            " dimensions (AllocationDimensions), got " +
                            std::to_string(row.keys.size()) + " keys");
    }
    const std::vector<std::string>* tags = nullptr;
    if (layout.index[kTags] != kColumns) {
      const std::string& text = row.keys[layout.index[kTags]];
      auto [it, inserted] = tag_cache.try_emplace(text);
      if (inserted) {
        for (const auto& key : layout.tag_keys) it->second.push_back(TagValue(text, key));
      }
      tags = &it->second;
    }
    RowView view(layout, row, tags);
    MonthState& m = months[{row.period_start_s, row.currency}];
    m.pools.resize(rules.shared.size());
    m.total += row.cost;
    Outcome out = allocator.Place(view);
    if (out.pool >= 0) {
      m.pools[out.pool] += row.cost;
    } else if (!out.reason.empty()) {
      m.reasons[out.reason] += row.cost;
      m.resources[{std::string(view.Get(kResourceId)), std::string(view.Get(kResourceName)),
                   std::string(view.Get(kService)), std::string(view.Get(kSubAccount)),
                   out.reason}] += row.cost;
    } else {
      m.direct[out.team] += row.cost;
      m.lines[{out.team, out.service, out.product, out.environment}] += row.cost;
    }
  }
  AllocationReport report;
  for (auto& [key, state] : months) {
    AllocationMonth month = Finish(key.first, key.second, state, rules, catalog, options);
    Amount check = month.unallocated;
    for (const auto& t : month.teams) check += t.total;
    if (check != month.total) {
      return Error::Internal("allocation of " + key.second + " does not reconcile: " +
                             check.ToExactString() + " != " + month.total.ToExactString());
    }
    report.months.push_back(std::move(month));
  }
  report.warnings.assign(allocator.warnings().begin(), allocator.warnings().end());
  return report;
}

}  // namespace plinth::cost
