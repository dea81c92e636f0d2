#pragma once
// The HTTP API's vocabulary, independent of the HTTP server library: a Request as a handler
// sees it (authenticated principal, path parameters, query, body), a Response, and the Router
// that holds the one table of routes. Domains declare their routes here; server/ serves them.
//
// Thread-safety: a Router is built before serving starts and read-only afterwards.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/roles.h"
#include "base/json.h"
#include "base/result.h"

namespace plinth::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string
  std::string route;   // the matched route's pattern, set by the server
  std::map<std::string, std::string> params;  // from {name} segments of the route pattern
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_addr;    // the peer's address (not X-Forwarded-For, which clients forge)
  auth::Principal principal;  // empty actor on public routes without credentials
  int64_t now_ms = 0;         // the server clock when the request arrived

  // A query parameter, or nullopt.
  std::optional<std::string> Query(const std::string& name) const;
  std::optional<std::string> Header(const std::string& lower_name) const;
  // The body parsed as a JSON object; errors name the problem ("request body: ...").
  Result<Json> JsonBody() const;
};

struct Response {
  int status = 200;
  plinth::Json body;                        // sent as JSON unless `text` is set
  std::string text;                 // raw body, sent with content_type
  std::string content_type;         // default application/json
  std::map<std::string, std::string> headers;

  static Response WithJson(int status, plinth::Json body);
  static Response NoContent();
};

using Handler = std::function<Result<Response>(Request&)>;

enum class Access {
  kPublic,         // no credentials needed
  kAuthenticated,  // any valid user session or token; handlers check roles themselves
};

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/services/{name}"; a {param} matches one path segment
  Access access = Access::kAuthenticated;
  std::string summary;  // one line, for logs and the route listing
  Handler handler;
  bool limits_itself = false;  // the handler has its own rate limit (event intake, per key)
};

class Router {
 public:
  void Add(Route route);
  // The route for method+path with path parameters filled in, or nullptr. Then `allowed`
  // lists the methods the path does have, if any (-> 405 with an Allow header).
  const Route* Match(std::string_view method, std::string_view path,
                     std::map<std::string, std::string>* params,
                     std::vector<std::string>* allowed) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Error -> RFC 9457 problem document {type, title, status, detail, errors[{pointer, detail}]}.
Response Problem(const Error& error);

// Requires principal to hold `role` for `team` (nullopt: a global grant); kForbidden otherwise,
// naming what was needed.
Status Require(const Request& request, auth::Role role, std::optional<std::string_view> team);

}  // namespace plinth::http
