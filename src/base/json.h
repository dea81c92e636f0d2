#pragma once
// JSON values (nlohmann::json: object keys sorted, so dumps are canonical) and small helpers.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/result.h"

namespace plinth {

using Json = nlohmann::json;

// Parses JSON text; the error names the byte offset and what was wrong.
Result<Json> ParseJson(std::string_view text);

// Escapes one reference token for a JSON pointer (RFC 6901): "~" -> "~0", "/" -> "~1".
std::string PointerToken(std::string_view token);

}  // namespace plinth
