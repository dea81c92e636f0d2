#pragma once
// The spec values shared by escalation policies, service paging settings and notification
// rules: durations and windows in their YAML/JSON form. The catalog validates documents field by
// field with these parsers and stores canonical specs; the *FromSpec functions of this library
// read canonical specs back and return the first problem as Error::Field (pointer relative to
// the spec, e.g. "/levels/0/when/start").
//
//   when:                          # a Window
//     timeZone: Europe/Berlin      # required
//     days: [monday, friday]       # optional, empty or absent = every day
//     start: "09:00"               # required, HH:MM[:SS]
//     end: "18:00"                 # required, HH:MM[:SS] or 24:00; <= start runs past midnight

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "escalation/window.h"

namespace plinth::escalation {

// "15m", "1h30m", "45s" -> milliseconds; "0s"/"0m" only when allow_zero. nullopt when malformed.
std::optional<int64_t> ParseDurationMs(std::string_view text, bool allow_zero);
// The canonical text of a whole-second duration: 900000 -> "15m", 0 -> "0s".
std::string FormatDurationMs(int64_t ms);

// The window at `pointer` in `spec` form (above). Day names in any case, "mon".."sun" too.
Result<Window> WindowFromSpec(const Json& spec, const std::string& pointer);
// The canonical form: days as full names Monday first, omitted when empty.
Json WindowToSpec(const Window& w);

}  // namespace plinth::escalation
