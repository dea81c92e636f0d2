#include "base/result.h"

namespace plinth {

namespace {

struct CodeInfo {
  ErrorCode code;
  const char* name;
  int http_status;
  int exit_code;
};

// The one table mapping error codes to HTTP statuses and exit codes.
constexpr CodeInfo kCodes[] = {
    {ErrorCode::kInvalid, "invalid", 400, 2},
    {ErrorCode::kNotFound, "not_found", 404, 3},
    {ErrorCode::kConflict, "conflict", 409, 4},
    {ErrorCode::kUnauthenticated, "unauthenticated", 401, 5},
    {ErrorCode::kForbidden, "forbidden", 403, 5},
    {ErrorCode::kTooLarge, "too_large", 413, 2},
    {ErrorCode::kRateLimited, "rate_limited", 429, 6},
    {ErrorCode::kUnavailable, "unavailable", 503, 6},
    {ErrorCode::kInternal, "internal", 500, 1},
};

const CodeInfo& Info(ErrorCode code) {
  for (const auto& info : kCodes) {
    if (info.code == code) return info;
  }
  return kCodes[std::size(kCodes) - 1];
}

}  // namespace

int HttpStatus(ErrorCode code) { return Info(code).http_status; }
int ExitCode(ErrorCode code) { return Info(code).exit_code; }
const char* CodeName(ErrorCode code) { return Info(code).name; }

Error Error::Field(std::string pointer, std::string msg) {
  Error e{ErrorCode::kInvalid, msg, {}};
  e.fields.push_back({std::move(pointer), std::move(msg), ""});
  return e;
}

std::string PointerToDotted(std::string_view pointer) {
  std::string out;
  size_t i = 0;
  while (i < pointer.size()) {
    if (pointer[i] != '/') return std::string(pointer);
    size_t end = pointer.find('/', i + 1);
    if (end == std::string_view::npos) end = pointer.size();
    std::string token(pointer.substr(i + 1, end - i - 1));
    for (size_t p; (p = token.find("~1")) != std::string::npos;) token.replace(p, 2, "/");
    for (size_t p; (p = token.find("~0")) != std::string::npos;) token.replace(p, 2, "~");
    bool index = !token.empty() && token.find_first_not_of("0123456789") == std::string::npos;
    if (index) {
      out += "[" + token + "]";
    } else {
      if (!out.empty()) out += ".";
      out += token;
    }
    i = end;
  }
  return out;
}

std::string Error::ToString() const {
  if (fields.empty()) return message;
  std::string out;
  for (const auto& f : fields) {
    if (!out.empty()) out += "\n";
    if (!f.location.empty()) out += f.location + ": ";
    if (!f.pointer.empty()) out += PointerToDotted(f.pointer) + ": ";
    out += f.message;
  }
  return out;
}

}  // namespace plinth
