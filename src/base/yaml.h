#pragma once
// YAML <-> JSON with source lines kept, so errors can name file:line for any field.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace plinth {

// One document of a (possibly multi-document) YAML file, as JSON.
struct YamlDocument {
  Json value;
  int line = 1;                      // 1-based line where the document starts
  std::map<std::string, int> lines;  // JSON pointer -> 1-based line of that node

  // The line of the node at `pointer`, or of its nearest ancestor that has one.
  int LineOf(std::string_view pointer) const;
};

// Parses every document of `text`; empty documents are skipped. Plain scalars become null,
// booleans and numbers as YAML 1.2 core schema reads them; quoted scalars stay strings.
// A syntax error names `file`:line.
Result<std::vector<YamlDocument>> ParseYaml(std::string_view text, std::string_view file);

// Block-style YAML for a JSON value. Strings that would read back as another type are quoted.
// The keys of every mapping are written in `first_keys` order first, then sorted.
std::string ToYaml(const Json& value, const std::vector<std::string>& first_keys = {});

}  // namespace plinth
