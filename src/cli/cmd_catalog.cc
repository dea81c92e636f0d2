// `plinth apply`, `plinth diff` and `plinth export`: the catalog as code.

#include <cstdio>
#include <iostream>
#include <iterator>

#include "catalog/apply.h"
#include "catalog/manifest.h"
#include "cli/commands.h"

namespace plinth::cli {

namespace {

// -f PATH (repeatable); "-" reads YAML from standard input.
Result<catalog::ManifestSet> LoadFromFlags(const Flags& flags) {
  auto paths = flags.All("file");
  if (paths.empty()) return Error::Invalid("-f PATH is required (a YAML file or a directory)");
  if (paths.size() == 1 && paths[0] == "-") {
    std::string text(std::istreambuf_iterator<char>(std::cin), {});
    return catalog::LoadManifestFiles({{"<stdin>", std::move(text)}});
  }
  return catalog::LoadManifests(paths);
}

}  // namespace

Status RunApply(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(auto set, LoadFromFlags(flags));
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  bool prune = flags.Has("prune");
  PLINTH_ASSIGN_OR_RETURN(auto plan, store->Write([&](store::Tx& tx) {
    return catalog::Apply(tx, set, prune, CliActor(), SystemClock().NowMs());
  }));
  std::fputs(catalog::FormatPlan(plan, true).c_str(), stdout);
  return {};
}

Status RunDiff(const Flags& flags) {
  PLINTH_ASSIGN_OR_RETURN(auto set, LoadFromFlags(flags));
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  bool prune = flags.Has("prune");
  PLINTH_ASSIGN_OR_RETURN(auto plan, store->Read([&](store::Tx& tx) {
    return catalog::Diff(tx, set, prune);
  }));
  std::fputs(catalog::FormatPlan(plan, false).c_str(), stdout);
  return {};
}

Status RunExport(const Flags& flags) {
  if (flags.positional().size() != 1) return Error::Invalid("expected one output DIR");
  PLINTH_ASSIGN_OR_RETURN(auto store, OpenStore(flags));
  PLINTH_ASSIGN_OR_RETURN(int count, store->Read([&](store::Tx& tx) {
    return catalog::Export(tx, flags.positional()[0]);
  }));
  std::printf("exported %d resources to %s\n", count, flags.positional()[0].c_str());
  return {};
}

}  // namespace plinth::cli
