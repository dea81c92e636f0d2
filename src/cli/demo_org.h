#pragma once
// The demo organisation: a realistic, deterministic company — teams, people in several time
// zones, services across the four tiers with dependencies, systems and domains — as plinth/v1
// YAML files. Later capabilities extend it with their own data (SLOs, schedules, costs, ...).

#include <cstdint>
#include <vector>

#include "catalog/manifest.h"

namespace plinth::cli {

// The same seed always gives the same files.
std::vector<catalog::ManifestFile> DemoCatalog(uint64_t seed = 20261122);

}  // namespace plinth::cli
