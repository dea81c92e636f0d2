#include "catalog/graph.h"

#include <algorithm>
#include <deque>

namespace plinth::catalog {

Graph::Graph(const std::vector<std::string>& nodes, const std::vector<Edge>& edges) {
  names_ = nodes;
  for (const auto& [from, to] : edges) {
    names_.push_back(from);
    names_.push_back(to);
  }
  std::sort(names_.begin(), names_.end());
  names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
  ids_.reserve(names_.size());
  for (size_t i = 0; i < names_.size(); ++i) ids_.emplace(names_[i], static_cast<int>(i));
  out_.resize(names_.size());
  in_.resize(names_.size());
  for (const auto& [from, to] : edges) {
    int a = ids_.at(from);
    int b = ids_.at(to);
    out_[a].push_back(b);
    in_[b].push_back(a);
  }
  for (auto* adj : {&out_, &in_}) {
    for (auto& list : *adj) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
    }
  }
}

bool Graph::Contains(std::string_view name) const {
  return ids_.find(std::string(name)) != ids_.end();
}

std::vector<DepNode> Graph::Upstream(std::string_view name, bool transitive) const {
  return Reach(name, transitive, out_);
}

std::vector<DepNode> Graph::Downstream(std::string_view name, bool transitive) const {
  return Reach(name, transitive, in_);
}

std::vector<DepNode> Graph::Reach(std::string_view name, bool transitive,
                                  const std::vector<std::vector<int>>& adj) const {
  auto it = ids_.find(std::string(name));
  if (it == ids_.end()) return {};
  std::vector<int> depth(names_.size(), -1);
  std::deque<int> queue{it->second};
  depth[it->second] = 0;
  std::vector<std::pair<int, int>> found;  // {depth, id}
  while (!queue.empty()) {
    int v = queue.front();
    queue.pop_front();
    if (!transitive && depth[v] >= 1) continue;
    for (int w : adj[v]) {
      if (depth[w] >= 0) continue;
      depth[w] = depth[v] + 1;
      found.emplace_back(depth[w], w);
      queue.push_back(w);
    }
  }
  std::sort(found.begin(), found.end());  // ids are in name order
  std::vector<DepNode> out;
  out.reserve(found.size());
  for (const auto& [d, id] : found) out.push_back({names_[id], d});
  return out;
}

namespace {

// Scratch arrays sized to the whole graph, reused across searches; every search resets the
// entries it touched.
struct Scratch {
  explicit Scratch(int n) : index(n, -1), low(n, 0), on_stack(n, 0), in_set(n, 0),
                            blocked(n, 0), b_sets(n) {}
  std::vector<int> index, low;
  std::vector<char> on_stack, in_set, blocked;
  std::vector<std::vector<int>> b_sets;
};

// Strongly connected components of the subgraph induced by `vertices` (marked in
// s.in_set), by iterative Tarjan. Returns only the components that contain a cycle (size > 1
// or a self-loop), each sorted.
std::vector<std::vector<int>> CyclicComponents(const std::vector<std::vector<int>>& adj,
                                               const std::vector<int>& vertices, Scratch& s) {
  std::vector<int> stack;
  std::vector<std::pair<int, size_t>> call;  // {vertex, next edge}
  std::vector<std::vector<int>> out;
  int counter = 0;
  for (int root : vertices) {
    if (s.index[root] >= 0) continue;
    call.emplace_back(root, 0);
    s.index[root] = s.low[root] = counter++;
    stack.push_back(root);
    s.on_stack[root] = 1;
    while (!call.empty()) {
      int v = call.back().first;
      size_t& ei = call.back().second;
      if (ei < adj[v].size()) {
        int w = adj[v][ei++];
        if (!s.in_set[w]) continue;
        if (s.index[w] < 0) {
          s.index[w] = s.low[w] = counter++;
          stack.push_back(w);
          s.on_stack[w] = 1;
          call.emplace_back(w, 0);
        } else if (s.on_stack[w]) {
          s.low[v] = std::min(s.low[v], s.index[w]);
        }
        continue;
      }
      call.pop_back();
      if (!call.empty()) {
        int parent = call.back().first;
        s.low[parent] = std::min(s.low[parent], s.low[v]);
      }
      if (s.low[v] != s.index[v]) continue;
      std::vector<int> comp;
      int w;
      do {
        w = stack.back();
        stack.pop_back();
        s.on_stack[w] = 0;
        comp.push_back(w);
      } while (w != v);
      bool self_loop = std::binary_search(adj[v].begin(), adj[v].end(), v);
      if (comp.size() > 1 || self_loop) {
        std::sort(comp.begin(), comp.end());
        out.push_back(std::move(comp));
      }
    }
  }
  for (int v : vertices) s.index[v] = -1;
  return out;
}

// Johnson's circuit search: every elementary cycle through `start` inside the component
// `comp` (marked in s.in_set), where start is the smallest vertex of comp. Iterative, with
// Johnson's blocked/B bookkeeping so each search is linear per cycle found.
void CircuitsFrom(int start, const std::vector<std::vector<int>>& adj,
                  const std::vector<int>& comp, size_t max_cycles, Scratch& s,
                  std::vector<std::vector<int>>& cycles, bool& truncated) {
  for (int v : comp) {
    s.blocked[v] = 0;
    s.b_sets[v].clear();
  }
  auto unblock = [&](int u) {
    std::vector<int> work{u};
    while (!work.empty()) {
      int x = work.back();
      work.pop_back();
      if (!s.blocked[x]) continue;
      s.blocked[x] = 0;
      for (int y : s.b_sets[x]) work.push_back(y);
      s.b_sets[x].clear();
    }
  };
  struct Frame {
    int v;
    size_t ei;
    bool found;
  };
  std::vector<Frame> frames{{start, 0, false}};
  std::vector<int> path{start};
  s.blocked[start] = 1;
  while (!frames.empty()) {
    Frame& f = frames.back();
    if (f.ei < adj[f.v].size()) {
      int w = adj[f.v][f.ei++];
      if (!s.in_set[w]) continue;
      if (w == start) {
        cycles.push_back(path);
        cycles.back().push_back(start);
        f.found = true;
        if (cycles.size() >= max_cycles) {
          truncated = true;
          return;
        }
      } else if (!s.blocked[w]) {
        s.blocked[w] = 1;
        path.push_back(w);
        frames.push_back({w, 0, false});
      }
      continue;
    }
    Frame done = f;
    frames.pop_back();
    path.pop_back();
    if (done.found) {
      unblock(done.v);
    } else {
      for (int w : adj[done.v]) {
        if (!s.in_set[w]) continue;
        auto& b = s.b_sets[w];
        if (std::find(b.begin(), b.end(), done.v) == b.end()) b.push_back(done.v);
      }
    }
    if (!frames.empty()) frames.back().found = frames.back().found || done.found;
  }
}

}  // namespace

std::vector<std::vector<std::string>> Graph::Cycles(size_t max_cycles, bool* truncated) const {
  const int n = static_cast<int>(names_.size());
  std::vector<std::vector<int>> cycles;
  bool cut = false;
  Scratch scratch(n);
  std::vector<int> all(n);
  for (int i = 0; i < n; ++i) all[i] = i;
  // Work list of vertex sets still to search. For a cyclic component C with smallest vertex s,
  // every cycle of C through s is found now; the other cycles of C avoid s, so they lie in the
  // components of C minus s, which are searched later. Each cycle is found once, from its
  // smallest vertex.
  std::vector<std::vector<int>> work;
  if (max_cycles > 0) work.push_back(std::move(all));
  while (!work.empty() && !cut) {
    std::vector<int> set = std::move(work.back());
    work.pop_back();
    for (int v : set) scratch.in_set[v] = 1;
    auto comps = CyclicComponents(out_, set, scratch);
    for (int v : set) scratch.in_set[v] = 0;
    for (auto& comp : comps) {
      for (int v : comp) scratch.in_set[v] = 1;
      CircuitsFrom(comp.front(), out_, comp, max_cycles, scratch, cycles, cut);
      for (int v : comp) scratch.in_set[v] = 0;
      if (cut) break;
      comp.erase(comp.begin());
      if (!comp.empty()) work.push_back(std::move(comp));
    }
  }
  if (truncated) *truncated = cut;
  std::vector<std::vector<std::string>> out;
  out.reserve(cycles.size());
  for (const auto& c : cycles) {
    std::vector<std::string> names;
    names.reserve(c.size());
    for (int v : c) names.push_back(names_[v]);
    out.push_back(std::move(names));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace plinth::catalog
