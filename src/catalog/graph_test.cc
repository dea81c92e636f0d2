#include "catalog/graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace plinth::catalog {
namespace {

using Cycle = std::vector<std::string>;
using Cycles = std::vector<Cycle>;

std::string N(int i) {
  std::string s = std::to_string(i);
  return "n" + std::string(5 - s.size(), '0') + s;  // n00042: name order == number order
}

TEST(GraphTest, UpstreamAndDownstreamWithDepths) {
  Graph g({"lonely"}, {{"web", "api"}, {"api", "db"}, {"api", "cache"}, {"worker", "db"},
                       {"cache", "db"}, {"web", "api"}});
  EXPECT_EQ(g.size(), 6u);
  EXPECT_TRUE(g.Contains("lonely"));
  EXPECT_FALSE(g.Contains("nope"));
  EXPECT_EQ(g.Upstream("web", false), (std::vector<DepNode>{{"api", 1}}));
  EXPECT_EQ(g.Upstream("web", true),
            (std::vector<DepNode>{{"api", 1}, {"cache", 2}, {"db", 2}}));
  EXPECT_EQ(g.Downstream("db", false),
            (std::vector<DepNode>{{"api", 1}, {"cache", 1}, {"worker", 1}}));
  EXPECT_EQ(g.Downstream("db", true),
            (std::vector<DepNode>{{"api", 1}, {"cache", 1}, {"worker", 1}, {"web", 2}}));
  EXPECT_TRUE(g.Upstream("lonely", true).empty());
  EXPECT_TRUE(g.Upstream("nope", true).empty());
  EXPECT_TRUE(g.Cycles().empty());
}

TEST(GraphTest, ReachExcludesTheStartEvenInACycle) {
  Graph g({}, {{"a", "b"}, {"b", "a"}});
  EXPECT_EQ(g.Upstream("a", true), (std::vector<DepNode>{{"b", 1}}));
  EXPECT_EQ(g.Downstream("a", true), (std::vector<DepNode>{{"b", 1}}));
}

TEST(GraphTest, EveryElementaryCycleOnceInCanonicalRotation) {
  // Two cycles share c; a self-loop on s; d->e->f->d is a separate component; x is acyclic.
  Graph g({}, {{"b", "c"}, {"c", "a"}, {"a", "b"}, {"c", "d2"}, {"d2", "c"}, {"s", "s"},
               {"f", "d"}, {"d", "e"}, {"e", "f"}, {"x", "a"}, {"a", "c"}});
  EXPECT_EQ(g.Cycles(), (Cycles{{"a", "b", "c", "a"},
                                {"a", "c", "a"},
                                {"c", "d2", "c"},
                                {"d", "e", "f", "d"},
                                {"s", "s"}}));
}

TEST(GraphTest, CompleteGraphHasAllCycles) {
  // K4 has 20 elementary cycles: 6 of length 2, 8 of length 3, 6 of length 4.
  std::vector<Graph::Edge> edges;
  for (const char* a : {"a", "b", "c", "d"}) {
    for (const char* b : {"a", "b", "c", "d"}) {
      if (std::string(a) != b) edges.emplace_back(a, b);
    }
  }
  Graph g({}, edges);
  auto cycles = g.Cycles();
  EXPECT_EQ(cycles.size(), 20u);
  for (const auto& c : cycles) {
    EXPECT_EQ(c.front(), c.back());
    EXPECT_EQ(*std::min_element(c.begin(), c.end()), c.front());
  }
  bool truncated = false;
  EXPECT_EQ(g.Cycles(7, &truncated).size(), 7u);
  EXPECT_TRUE(truncated);
  g.Cycles(100, &truncated);
  EXPECT_FALSE(truncated);
}

// Brute force: from each start, every simple path back to it through larger names only.
Cycles BruteForceCycles(const std::vector<std::string>& names,
                        const std::vector<std::vector<int>>& adj) {
  Cycles out;
  std::vector<int> path;
  std::vector<char> on(names.size(), 0);
  auto dfs = [&](auto&& self, int start, int v) -> void {
    for (int w : adj[v]) {
      if (w == start) {
        Cycle c;
        for (int x : path) c.push_back(names[x]);
        c.push_back(names[start]);
        out.push_back(c);
      } else if (w > start && !on[w]) {
        on[w] = 1;
        path.push_back(w);
        self(self, start, w);
        path.pop_back();
        on[w] = 0;
      }
    }
  };
  for (int s = 0; s < static_cast<int>(names.size()); ++s) {
    path = {s};
    dfs(dfs, s, s);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(GraphTest, CyclesMatchBruteForceOnRandomGraphs) {
  uint32_t seed = 12345;
  auto rnd = [&] { return seed = seed * 1664525u + 1013904223u, seed >> 8; };
  size_t total = 0;
  for (int round = 0; round < 300; ++round) {
    int n = 1 + static_cast<int>(rnd() % 7);
    std::vector<std::string> names;
    for (int i = 0; i < n; ++i) names.push_back(std::string(1, static_cast<char>('a' + i)));
    std::vector<std::vector<int>> adj(n);
    std::vector<Graph::Edge> edges;
    for (int a = 0; a < n; ++a) {
      for (int b = 0; b < n; ++b) {
        if (rnd() % 100 < 30) {
          adj[a].push_back(b);
          edges.emplace_back(names[a], names[b]);
        }
      }
    }
    Graph g(names, edges);
    Cycles expected = BruteForceCycles(names, adj);
    total += expected.size();
    EXPECT_EQ(g.Cycles(), expected) << "round " << round;
  }
  EXPECT_GT(total, 500u);   // the comparison was not vacuous
}

TEST(GraphTest, TenThousandNodeChainAndRing) {
  const int n = 10000;
  std::vector<Graph::Edge> chain;
  for (int i = 0; i + 1 < n; ++i) chain.emplace_back(N(i), N(i + 1));
  Graph g({}, chain);
  auto up = g.Upstream(N(0), true);
  ASSERT_EQ(up.size(), static_cast<size_t>(n - 1));
  EXPECT_EQ(up.back(), (DepNode{N(n - 1), n - 1}));
  auto down = g.Downstream(N(n - 1), true);
  ASSERT_EQ(down.size(), static_cast<size_t>(n - 1));
  EXPECT_EQ(down.back(), (DepNode{N(0), n - 1}));
  EXPECT_TRUE(g.Cycles().empty());

  chain.emplace_back(N(n - 1), N(0));  // close the ring: one cycle through every node
  Graph ring({}, chain);
  auto cycles = ring.Cycles();
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0].size(), static_cast<size_t>(n + 1));
  EXPECT_EQ(cycles[0].front(), N(0));
  EXPECT_EQ(cycles[0][1], N(1));
}

TEST(GraphTest, TenThousandNodeLayeredGraphWithSomeCycles) {
  // 100 layers of 100 services; service i depends on services i, i+1 and i+2 of the next
  // layer. Back edges from layer 1 to layer 0 (j -> j for j < 50) make exactly 50 two-node
  // cycles: indices never decrease along a path except by wrapping past 99, where there are no
  // back edges.
  const int layers = 100, width = 100;
  std::vector<Graph::Edge> edges;
  auto id = [&](int layer, int i) { return N(layer * width + i); };
  for (int l = 0; l + 1 < layers; ++l) {
    for (int i = 0; i < width; ++i) {
      for (int k = 0; k < 3; ++k) edges.emplace_back(id(l, i), id(l + 1, (i + k) % width));
    }
  }
  for (int j = 0; j < 50; ++j) edges.emplace_back(id(1, j), id(0, j));
  Graph g({}, edges);
  EXPECT_EQ(g.size(), static_cast<size_t>(layers * width));
  auto cycles = g.Cycles();
  EXPECT_EQ(cycles.size(), 50u);
  for (const auto& c : cycles) EXPECT_EQ(c.size(), 3u);
  auto up = g.Upstream(id(0, 0), true);
  EXPECT_EQ(up.back().depth, layers - 1);
  auto down = g.Downstream(id(layers - 1, 0), true);
  EXPECT_GT(down.size(), 1000u);
}

}  // namespace
}  // namespace plinth::catalog
