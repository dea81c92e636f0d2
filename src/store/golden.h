#pragma once
// Test support for data-driven golden tests: a corpus is a folder of case folders, each with its
// input and an `expected.txt` compared exactly; PLINTH_UPDATE_GOLDEN=1 rewrites expected.txt
// instead (review the diff!). Header-only; test binaries only.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace plinth::golden {

inline std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The case folders of `corpus`, sorted.
inline std::vector<std::string> CaseNames(const std::filesystem::path& corpus) {
  std::vector<std::string> names;
  if (!std::filesystem::is_directory(corpus)) return names;
  for (const auto& d : std::filesystem::directory_iterator(corpus)) {
    if (d.is_directory()) names.push_back(d.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Compares `actual` with dir/expected.txt, or rewrites it under PLINTH_UPDATE_GOLDEN=1.
inline void ExpectMatches(const std::filesystem::path& dir, const std::string& actual) {
  const char* update = std::getenv("PLINTH_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(dir / "expected.txt", std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(ReadFile(dir / "expected.txt"), actual) << "case " << dir.filename().string();
}

// A case name as a GoogleTest parameter name (letters, digits and _).
inline std::string ParamName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

inline // Rows of cells as a table with two spaces between columns, trailing blanks trimmed.
std::string Table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

}  // namespace plinth::golden
