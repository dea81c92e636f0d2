#pragma once
// Command-line flags for one subcommand: `--name value`, `--name=value`, boolean `--name`,
// short aliases, repeated flags, and positional arguments. Unknown flags are errors.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace plinth::cli {

struct FlagSpec {
  std::string name;       // long name without dashes, e.g. "db"
  std::string alias;      // short name without dash, e.g. "f"; may be empty
  std::string value;      // placeholder for help, e.g. "URL"; empty for a boolean flag
  std::string help;       // one line
  bool repeated = false;  // may be given more than once
};

class Flags {
 public:
  // Parses args (after the subcommand name). `--help` / `-h` sets help().
  static Result<Flags> Parse(const std::vector<FlagSpec>& specs,
                             const std::vector<std::string>& args);

  bool help() const { return help_; }
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> Get(const std::string& name) const;
  std::string GetOr(const std::string& name, const std::string& fallback) const;
  std::vector<std::string> All(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  bool help_ = false;
  std::multimap<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

// "  -f, --file PATH   help" lines for a help screen.
std::string FlagHelp(const std::vector<FlagSpec>& specs);

}  // namespace plinth::cli
