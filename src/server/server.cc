#include "server/server.h"

#include <httplib.h>

#include <chrono>

#include "auth/sessions.h"
#include "auth/tokens.h"
#include "base/crypto.h"
#include "base/log.h"

namespace plinth::server {

namespace {

std::string CookieValue(const std::string& header, std::string_view name) {
  size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    size_t eq = header.find('=', pos);
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    if (eq != std::string::npos && eq < end && header.compare(pos, eq - pos, name) == 0) {
      return header.substr(eq + 1, end - eq - 1);
    }
    pos = end;
  }
  return "";
}

bool IsSafeMethod(const std::string& m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

void Send(const http::Response& r, httplib::Response& res) {
  res.status = r.status;
  for (const auto& [k, v] : r.headers) res.set_header(k, v);
  if (r.status == 204) return;
  if (!r.text.empty() || (!r.content_type.empty() && r.body.is_null())) {
    res.set_content(r.text, r.content_type.empty() ? "text/plain; charset=utf-8" : r.content_type);
  } else {
    res.set_content(r.body.dump(), r.content_type.empty() ? "application/json" : r.content_type);
  }
}

}  // namespace

Server::Server(store::Store& store, const Clock& clock, ServerOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      limiter_(options_.rate_per_second, options_.rate_burst),
      http_(std::make_unique<httplib::Server>()) {
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    Handle(&req, &res);
  };
  for (const char* pattern : {".*"}) {
    http_->Get(pattern, handler);
    http_->Post(pattern, handler);
    http_->Put(pattern, handler);
    http_->Patch(pattern, handler);
    http_->Delete(pattern, handler);
    http_->Options(pattern, handler);
  }
  http_->set_payload_max_length(options_.max_body_bytes);
  http_->set_read_timeout(options_.timeout_seconds, 0);
  http_->set_write_timeout(options_.timeout_seconds, 0);
  http_->set_keep_alive_timeout(5);
  http_->set_keep_alive_max_count(1000);
  // Errors raised by the HTTP library itself (413, 400 on malformed requests) get problem
  // documents too.
  http_->set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    Error e = res.status == 413 ? Error{ErrorCode::kTooLarge, "request body too large", {}}
                                : Error::Invalid("malformed HTTP request");
    http::Response p = http::Problem(e);
    p.status = res.status;
    p.body["status"] = res.status;
    Send(p, res);
    return httplib::Server::HandlerResponse::Handled;
  }));
  http_->set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        LogError("unhandled exception in " + req.method + " " + req.path + ": " + what);
        Send(http::Problem(Error::Internal("internal error")), res);
      });
}

Server::~Server() = default;

Result<int> Server::Bind() {
  int port = options_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.host);
    if (port < 0) return Error::Unavailable("cannot listen on " + options_.host);
  } else if (!http_->bind_to_port(options_.host, port)) {
    return Error::Unavailable("cannot listen on " + options_.host + ":" + std::to_string(port) +
                              " (in use or not permitted)");
  }
  return port;
}

void Server::Run() { http_->listen_after_bind(); }

void Server::Stop() { http_->stop(); }

Status Server::Authenticate(http::Request& request) {
  auto authz = request.Header("authorization");
  if (authz) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!authz->starts_with(kBearer)) {
      return Error::Unauthenticated("Authorization header: expected \"Bearer <token>\"");
    }
    std::string token = authz->substr(kBearer.size());
    auto principal = store_.Read([&](store::Tx& tx) {
      return auth::AuthenticateToken(tx, token, request.now_ms);
    });
    if (!principal.ok()) return std::move(principal).error();
    request.principal = std::move(principal).value();
    return {};
  }
  auto cookie_header = request.Header("cookie");
  std::string session = cookie_header ? CookieValue(*cookie_header, kSessionCookie) : "";
  if (session.empty()) {
    return Error::Unauthenticated(
        "authentication required: send \"Authorization: Bearer <token>\" or log in");
  }
  auto principal = store_.Read([&](store::Tx& tx) {
    return auth::AuthenticateSession(tx, session, request.now_ms);
  });
  if (!principal.ok()) return std::move(principal).error();
  request.principal = std::move(principal).value();
  if (!IsSafeMethod(request.method)) {
    auto csrf = request.Header("x-csrf-token");
    if (!csrf || !ConstantTimeEquals(*csrf, request.principal.csrf_token)) {
      return Error::Forbidden("missing or invalid X-CSRF-Token header");
    }
  }
  return {};
}

void Server::Handle(const void* raw_request, void* raw_response) {
  const auto& req = *static_cast<const httplib::Request*>(raw_request);
  auto& res = *static_cast<httplib::Response*>(raw_response);
  auto start = std::chrono::steady_clock::now();

  http::Request request;
  request.method = req.method;
  request.path = req.path;
  request.now_ms = clock_.NowMs();
  request.body = req.body;
  for (const auto& [k, v] : req.params) request.query.emplace(k, v);
  for (const auto& [k, v] : req.headers) {
    std::string lower = k;
    for (auto& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
    request.headers[lower] = v;
  }

  bool path_exists = false;
  const http::Route* route = router_.Match(req.method, req.path, &request.params, &path_exists);
  std::string route_name = route ? route->pattern : "unmatched";
  http::Response response;
  if (!route) {
    if (path_exists) {
      response = http::Problem(Error::Invalid("method " + req.method + " not allowed on " +
                                              req.path));
      response.status = 405;
      response.body["status"] = 405;
      response.body["title"] = "Method Not Allowed";
    } else {
      response = http::Problem(Error::NotFound("no such endpoint: " + req.path));
    }
  } else {
    // Public routes serve anonymous callers, also when a stale cookie comes along.
    Status auth = Authenticate(request);
    if (!auth.ok() && route->access != http::Access::kPublic) {
      response = http::Problem(auth.error());
      if (auth.error().code == ErrorCode::kUnauthenticated) {
        response.headers["WWW-Authenticate"] = "Bearer realm=\"plinth\"";
      }
    } else {
      std::string key = request.principal.actor.empty() ? "addr:" + req.remote_addr
                                                        : request.principal.actor;
      int64_t retry = limiter_.Take(key, request.now_ms);
      if (retry > 0) {
        response = http::Problem(Error{ErrorCode::kRateLimited,
                                       "rate limit exceeded; retry in " + std::to_string(retry) +
                                           " s",
                                       {}});
        response.headers["Retry-After"] = std::to_string(retry);
      } else {
        Result<http::Response> r = route->handler(request);
        response = r.ok() ? std::move(r).value() : http::Problem(r.error());
        if (!r.ok() && r.error().code == ErrorCode::kInternal) {
          LogError(req.method + " " + req.path + ": " + r.error().message);
        }
      }
    }
  }
  response.headers.try_emplace("Cache-Control", "no-store");
  response.headers["X-Content-Type-Options"] = "nosniff";
  Send(response, res);

  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.RecordRequest(req.method, route_name, response.status, seconds);
  if (response.status >= 500) {
    LogWarn(req.method + " " + req.path + " " + std::to_string(response.status));
  }
}

}  // namespace plinth::server
