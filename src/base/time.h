#pragma once
// UTC timestamps as integer milliseconds since the epoch, and their RFC 3339 text form.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace plinth {

// "2026-11-22T08:03:00Z", or with milliseconds "2026-11-22T08:03:00.250Z" when not whole.
std::string FormatRfc3339(int64_t ms);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]", a space instead of 'T', and "YYYY-MM-DD".
Result<int64_t> ParseRfc3339(std::string_view text);

}  // namespace plinth
