#pragma once
// The dependency graph engine: a directed graph of named nodes (edge a -> b means "a depends on
// b"), breadth-first reachability with depths in both directions, and enumeration of all
// elementary cycles. Pure: no I/O, no clock, deterministic output.
//
// Immutable after construction; const methods are safe to call from several threads.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace plinth::catalog {

// One node reached from another; depth 1 = a direct neighbour.
struct DepNode {
  std::string name;
  int depth = 0;

  bool operator==(const DepNode&) const = default;
};

class Graph {
 public:
  using Edge = std::pair<std::string, std::string>;  // {from, to}: from depends on to

  // Nodes are the union of `nodes` and every edge end. Duplicate edges count once.
  Graph(const std::vector<std::string>& nodes, const std::vector<Edge>& edges);

  size_t size() const { return names_.size(); }
  bool Contains(std::string_view name) const;

  // What `name` depends on: depth 1 only, or everything reachable (transitive) with its
  // shortest distance. Excludes `name` itself. Ordered by depth, then name. Unknown -> {}.
  std::vector<DepNode> Upstream(std::string_view name, bool transitive) const;
  // Who depends on `name` (reverse edges), same rules as Upstream.
  std::vector<DepNode> Downstream(std::string_view name, bool transitive) const;

  // Every elementary cycle exactly once, as its node names starting at the smallest name and
  // ending with it again ({"a","b","a"}; a self-loop is {"a","a"}); the list is sorted.
  // Stops after `max_cycles` (the count can grow exponentially with dense graphs); `truncated`,
  // when given, says whether it stopped early. Tarjan SCCs, then Johnson's circuit search
  // within each component.
  std::vector<std::vector<std::string>> Cycles(size_t max_cycles = 1000,
                                               bool* truncated = nullptr) const;

 private:
  std::vector<DepNode> Reach(std::string_view name, bool transitive,
                             const std::vector<std::vector<int>>& adj) const;

  // Constant after construction. Node ids are assigned in name order, so id order is name
  // order.
  std::vector<std::string> names_;
  std::unordered_map<std::string, int> ids_;
  std::vector<std::vector<int>> out_;  // sorted, unique
  std::vector<std::vector<int>> in_;   // sorted, unique
};

}  // namespace plinth::catalog
