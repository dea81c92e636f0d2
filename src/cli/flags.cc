#include "cli/flags.h"

#include <algorithm>

namespace plinth::cli {

namespace {

const FlagSpec* Find(const std::vector<FlagSpec>& specs, std::string_view name, bool is_short) {
  for (const auto& s : specs) {
    if ((is_short ? s.alias : s.name) == name) return &s;
  }
  return nullptr;
}

}  // namespace

Result<Flags> Flags::Parse(const std::vector<FlagSpec>& specs,
                           const std::vector<std::string>& args) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      flags.help_ = true;
      continue;
    }
    if (arg == "--") {
      flags.positional_.insert(flags.positional_.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      flags.positional_.push_back(arg);
      continue;
    }
    bool is_short = arg[1] != '-';
    std::string name = arg.substr(is_short ? 1 : 2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const FlagSpec* spec = Find(specs, name, is_short);
    if (!spec) return Error::Invalid("unknown flag " + arg + " (see --help)");
    if (!spec->repeated && flags.values_.count(spec->name)) {
      return Error::Invalid("flag --" + spec->name + " given twice");
    }
    if (spec->value.empty()) {
      if (inline_value) return Error::Invalid("flag --" + spec->name + " takes no value");
      flags.values_.emplace(spec->name, "true");
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        return Error::Invalid("flag --" + spec->name + " needs a value (" + spec->value + ")");
      }
      inline_value = args[++i];
    }
    flags.values_.emplace(spec->name, *inline_value);
  }
  return flags;
}

std::optional<std::string> Flags::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Flags::GetOr(const std::string& name, const std::string& fallback) const {
  return Get(name).value_or(fallback);
}

std::vector<std::string> Flags::All(const std::string& name) const {
  std::vector<std::string> out;
  auto [b, e] = values_.equal_range(name);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

std::string FlagHelp(const std::vector<FlagSpec>& specs) {
  std::vector<std::string> left;
  size_t width = 0;
  for (const auto& s : specs) {
    std::string l = s.alias.empty() ? "      " : "  -" + s.alias + ", ";
    l += "--" + s.name + (s.value.empty() ? "" : " " + s.value);
    width = std::max(width, l.size());
    left.push_back(l);
  }
  std::string out;
  for (size_t i = 0; i < specs.size(); ++i) {
    out += left[i] + std::string(width - left[i].size() + 3, ' ') + specs[i].help + "\n";
  }
  out += "  -h, --help" + std::string(width > 12 ? width - 12 + 3 : 3, ' ') + "show this help\n";
  return out;
}

}  // namespace plinth::cli
