#pragma once
// The demo organisation's random numbers (base/rng.h), so the demo is the same on every machine.

#include "base/rng.h"

namespace plinth::cli {

using DemoRng = SplitMix64;

}  // namespace plinth::cli
