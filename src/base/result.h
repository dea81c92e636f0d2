#pragma once
// The error model for expected failures: functions return Result<T>, which holds either a T or
// an Error. Exceptions are reserved for aborting a request or command (see server/problem.h);
// asserts for programmer errors only.

#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace plinth {

// One table (base/result.cc) maps each code to an HTTP status and a process exit code.
enum class ErrorCode {
  kInvalid,          // bad input: a field, a file, a flag
  kNotFound,         // the named thing does not exist
  kConflict,         // the request contradicts stored state (duplicate, still referenced, stale)
  kUnauthenticated,  // no or bad credentials
  kForbidden,        // authenticated, but the role does not allow it
  kTooLarge,         // a body or file over its limit
  kRateLimited,      // too many requests; retry later
  kUnavailable,      // a dependency (database, upstream) is down
  kInternal,         // a bug or an unexpected failure
};

// One problem with one field of the input.
struct FieldError {
  std::string pointer;   // RFC 6901 JSON pointer to the field, e.g. "/spec/owner"
  std::string message;   // for a person: what was expected
  std::string location;  // "file:line" when the input came from a file, else empty
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;             // for a person; never contains a secret
  std::vector<FieldError> fields;  // field-level detail, may be empty

  static Error Invalid(std::string msg) { return {ErrorCode::kInvalid, std::move(msg), {}}; }
  static Error NotFound(std::string msg) { return {ErrorCode::kNotFound, std::move(msg), {}}; }
  static Error Conflict(std::string msg) { return {ErrorCode::kConflict, std::move(msg), {}}; }
  static Error Forbidden(std::string msg) { return {ErrorCode::kForbidden, std::move(msg), {}}; }
  static Error Unauthenticated(std::string msg) {
    return {ErrorCode::kUnauthenticated, std::move(msg), {}};
  }
  static Error Unavailable(std::string msg) {
    return {ErrorCode::kUnavailable, std::move(msg), {}};
  }
  static Error Internal(std::string msg) { return {ErrorCode::kInternal, std::move(msg), {}}; }
  // An invalid-input error about one field.
  static Error Field(std::string pointer, std::string msg);

  // "message" or, with field errors, one line per field: "location: field.path: message".
  std::string ToString() const;
};

int HttpStatus(ErrorCode code);
int ExitCode(ErrorCode code);
const char* CodeName(ErrorCode code);  // "invalid", "not_found", ...

// "/spec/owner" -> "spec.owner"; "/spec/links/0/url" -> "spec.links[0].url".
std::string PointerToDotted(std::string_view pointer);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok().
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace plinth

#define PLINTH_CONCAT_INNER(a, b) a##b
#define PLINTH_CONCAT(a, b) PLINTH_CONCAT_INNER(a, b)

// Returns the error of a failed Result from the enclosing function.
#define PLINTH_RETURN_IF_ERROR(expr)              \
  do {                                            \
    auto plinth_status_ = (expr);                 \
    if (!plinth_status_.ok()) {                   \
      return std::move(plinth_status_).error();   \
    }                                             \
  } while (false)

// `PLINTH_ASSIGN_OR_RETURN(auto x, Compute());` declares x from the value or returns the error.
#define PLINTH_ASSIGN_OR_RETURN(lhs, expr) \
  PLINTH_ASSIGN_OR_RETURN_IMPL(PLINTH_CONCAT(plinth_result_, __LINE__), lhs, expr)
#define PLINTH_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).error();      \
  lhs = std::move(tmp).value()
