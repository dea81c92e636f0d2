#pragma once
// Internal to plinth_slo's rule generator: YAML text laid out exactly as Go's gopkg.in/yaml.v2
// Marshal writes it (Sloth writes its rule files with it; sigs.k8s.io/yaml too, after sorting
// keys). Only what rule files need: block mappings and sequences of
// string scalars; scalars pick plain, single-quoted, double-quoted or literal style as yaml.v2
// does and long plain and quoted scalars fold at column 80. Not covered: keys over 128
// characters (yaml.v2 writes them as "? key") and `|+` scalars at the end of the document
// (yaml.v2 adds "...").

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plinth::slo::goyaml {

struct Node {
  enum class Kind { kScalar, kMap, kSeq };
  Kind kind = Kind::kScalar;
  std::string scalar;                             // kScalar
  std::vector<std::pair<std::string, Node>> map;  // kMap, written in this order
  std::vector<Node> seq;                          // kSeq

  static Node Scalar(std::string s);
  static Node Map();
  static Node Seq();
  // Appends `key: value` to a kMap node.
  void Add(std::string key, Node value);
};

// yaml.v2's map key order (keyList.Less): letters by code point, non-letters first, runs of
// digits compared as numbers ("a9" < "a10").
bool KeyLess(std::string_view a, std::string_view b);
// A kMap of `m` in KeyLess order.
Node StringMap(const std::map<std::string, std::string>& m);
// Sorts the keys of every mapping in the tree by KeyLess.
void SortKeys(Node& node);
// yaml.v2's Marshal of the tree, ending in one newline.
std::string Marshal(const Node& root);

}  // namespace plinth::slo::goyaml
