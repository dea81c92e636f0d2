#pragma once
// Internal to the catalog: reading the fields of one JSON object while collecting every
// problem as a FieldError, and the small value checks shared by the schema and the Backstage
// conversion.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace plinth::catalog {

std::string Trim(std::string_view s);
bool IsHttpUrl(std::string_view s);
bool IsEmail(std::string_view s);
// `"x" is not a valid name (...)`
std::string BadNameMessage(std::string_view name);
// A scalar as text for messages and field changes: strings unquoted, others as JSON.
std::string ScalarText(const Json& v);

// Reads the fields of the object `obj` found at `pointer`. Every getter marks its key as known;
// Finish() reports the keys nobody asked for as "unknown field". A null value counts as absent.
// Borrows `obj` and `errors`, which must outlive the reader.
class FieldReader {
 public:
  FieldReader(const Json& obj, std::string pointer, std::vector<FieldError>& errors);

  std::string Pointer(std::string_view key) const;
  void Fail(std::string_view key, std::string message);
  void FailAt(std::string pointer, std::string message);

  // The raw value, or nullptr when absent or null.
  const Json* Get(std::string_view key);
  // "is required" when absent.
  const Json* Require(std::string_view key);

  // A string (trimmed); nullopt when absent, empty, or not a string ("must be a string").
  std::optional<std::string> Text(std::string_view key, bool required = false);
  // A string that must be a valid resource name.
  std::optional<std::string> Name(std::string_view key, bool required = false);
  std::optional<std::string> Url(std::string_view key);
  std::optional<std::string> Email(std::string_view key);
  // One of `allowed`; message "must be one of a, b, c".
  std::optional<std::string> Enum(std::string_view key, const std::vector<std::string>& allowed);
  // A list of valid names, sorted and deduplicated; each paired with the pointer of its first
  // occurrence.
  std::vector<std::pair<std::string, std::string>> NameList(std::string_view key);
  // A mapping of string keys to scalar values (converted to strings).
  std::optional<Json> StringMap(std::string_view key);
  // An object value ("must be a mapping" otherwise).
  const Json* Object(std::string_view key, bool required = false);
  const Json* Array(std::string_view key);

  // Reports unknown fields. Call once, after all getters.
  void Finish();

  std::vector<FieldError>& errors() { return errors_; }

 private:
  const Json& obj_;
  std::string pointer_;
  std::vector<FieldError>& errors_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace plinth::catalog
