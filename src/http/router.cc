#include "http/router.h"

namespace plinth::http {

namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(i, end - i));
    i = end;
  }
  return out;
}

bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>* params) {
  auto want = Segments(pattern);
  auto got = Segments(path);
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      found[std::string(want[i].substr(1, want[i].size() - 2))] = std::string(got[i]);
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  if (params) *params = std::move(found);
  return true;
}

}  // namespace

std::optional<std::string> Request::Query(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

Result<Json> Request::JsonBody() const {
  if (body.empty()) return Error::Invalid("request body: expected a JSON object, got nothing");
  auto parsed = ParseJson(body);
  if (!parsed.ok()) return Error::Invalid("request body: " + parsed.error().message);
  if (!parsed->is_object()) return Error::Invalid("request body: expected a JSON object");
  return parsed;
}

Response Response::WithJson(int status, plinth::Json body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  return r;
}

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

const Route* Router::Match(std::string_view method, std::string_view path,
                           std::map<std::string, std::string>* params,
                           std::vector<std::string>* allowed) const {
  allowed->clear();
  // Literal segments win over {params}: try routes without params first.
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& route : routes_) {
      bool has_params = route.pattern.find('{') != std::string::npos;
      if (has_params != (pass == 1)) continue;
      std::map<std::string, std::string> found;
      if (!MatchPattern(route.pattern, path, &found)) continue;
      if (route.method != method && !(method == "HEAD" && route.method == "GET")) {
        allowed->push_back(route.method);
        continue;
      }
      *params = std::move(found);
      return &route;
    }
  }
  return nullptr;
}

Response Problem(const Error& error) {
  int status = HttpStatus(error.code);
  static const std::map<int, const char*> kTitles = {
      {400, "Bad Request"}, {401, "Unauthorized"},      {403, "Forbidden"},
      {404, "Not Found"},   {409, "Conflict"},
      {413, "Content Too Large"}, {429, "Too Many Requests"}, {500, "Internal Server Error"},
      {503, "Service Unavailable"}};
  plinth::Json body = {{"type", std::string("urn:plinth:problem:") + CodeName(error.code)},
                       {"title", kTitles.count(status) ? kTitles.at(status) : "Error"},
                       {"status", status},
                       {"detail", error.message}};
  if (!error.fields.empty()) {
    plinth::Json errors = plinth::Json::array();
    for (const auto& f : error.fields) {
      plinth::Json e = {{"pointer", f.pointer}, {"detail", f.message}};
      if (!f.location.empty()) e["location"] = f.location;
      errors.push_back(std::move(e));
    }
    body["errors"] = std::move(errors);
  }
  Response r = Response::WithJson(status, std::move(body));
  r.content_type = "application/problem+json";
  return r;
}

Status Require(const Request& request, auth::Role role, std::optional<std::string_view> team) {
  if (request.principal.Allows(role, team)) return {};
  std::string need = std::string("role ") + auth::RoleName(role);
  need += team ? " for team \"" + std::string(*team) + "\"" : " for every team";
  return Error::Forbidden(request.principal.actor + " lacks " + need);
}

}  // namespace plinth::http
