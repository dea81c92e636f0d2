#include "base/json.h"

namespace plinth {

Result<Json> ParseJson(std::string_view text) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    return Error::Invalid("invalid JSON at byte " + std::to_string(e.byte) + ": " +
                          std::string(e.what()).substr(std::string(e.what()).find(':') + 2));
  } catch (const Json::exception& e) {  // e.g. a number out of range: 1e400
    return Error::Invalid(std::string("invalid JSON: ") +
                          std::string(e.what()).substr(std::string(e.what()).find(' ') + 1));
  }
}

std::string PointerToken(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace plinth
