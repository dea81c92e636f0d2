#include "server/server.h"

#include <httplib.h>

#include <chrono>

#include "auth/sessions.h"
#include "auth/tokens.h"
#include "base/crypto.h"
#include "base/embedded.h"
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

// Bodies past the limit are read and dropped up to this many times the limit, then cut.
constexpr size_t kHardBodyCapFactor = 16;

bool IsSafeMethod(const std::string& m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

void Send(const http::Response& r, httplib::Response& res) {
  res.status = r.status;
  for (const auto& [k, v] : r.headers) res.set_header(k, v);
  if (r.status == 204 || r.status == 304) return;
  if (!r.text.empty() || (!r.content_type.empty() && r.body.is_null())) {
    res.set_content(r.text, r.content_type.empty() ? "text/plain; charset=utf-8" : r.content_type);
  } else {
    // Invalid UTF-8 echoed from a client (a path, a bad JSON body) is replaced, not thrown.
    res.set_content(r.body.dump(-1, ' ', false, Json::error_handler_t::replace),
                    r.content_type.empty() ? "application/json" : r.content_type);
  }
}

}  // namespace

Server::Server(store::Store& store, const Clock& clock, ServerOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      assets_(embedded::Web()),
      limiter_(options_.rate_per_second, options_.rate_burst),
      http_(std::make_unique<httplib::Server>()) {
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    Handle(req, res, req.body);
  };
  // Bodies are streamed so the size limit holds whatever the framing (the library enforces it
  // only for Content-Length); past the limit the rest is read and dropped, keeping the
  // connection in step, up to a hard cap after which the connection is cut.
  auto body_handler = [this](const httplib::Request& req, httplib::Response& res,
                             const httplib::ContentReader& reader) {
    std::string body;
    size_t received = 0;
    const size_t limit = options_.max_body_bytes;
    bool complete = reader([&](const char* data, size_t length) {
      received += length;
      if (received <= limit) body.append(data, length);
      return received <= kHardBodyCapFactor * limit;
    });
    if (received > limit || (!complete && res.status == 413)) {
      Send(http::Problem({ErrorCode::kTooLarge, "request body too large", {}}), res);
      metrics_.RecordRequest(req.method, "unmatched", 413, 0);
      return;
    }
    Handle(req, res, std::move(body));
  };
  const char* all = ".*";
  http_->Get(all, handler);
  http_->Delete(all, handler);
  http_->Options(all, handler);
  http_->Post(all, body_handler);
  http_->Put(all, body_handler);
  http_->Patch(all, body_handler);
  http_->set_payload_max_length(kHardBodyCapFactor * options_.max_body_bytes);
  http_->set_read_timeout(options_.timeout_seconds, 0);
  http_->set_write_timeout(options_.timeout_seconds, 0);
  http_->set_keep_alive_timeout(5);
  // A connection holds a worker thread while it is kept alive; handing threads back every 100
  // requests keeps a few busy clients (an event flood) from starving new connections.
  http_->set_keep_alive_max_count(100);
  http_->set_tcp_nodelay(true);  // headers and body are separate writes: no Nagle delay
  // cpp-httplib holds a thread per open connection for its keep-alive time, so the pool is sized
  // for concurrent clients, not for cores. (The library takes ownership of the raw pointer.)
  const int threads = options_.threads;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Errors raised by the HTTP library itself (413, 400 on malformed requests) get problem
  // documents too.
  // Debian's cpp-httplib compresses with Brotli at its slowest quality whenever a client
  // accepts it (0.9 s for a 160 kB JSON page, against 30 ms with gzip), so plinth offers the
  // library only gzip. The request object is the library's own mutable one, handed out const.
  http_->set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    auto it = req.headers.find("Accept-Encoding");
    if (it != req.headers.end() && it->second.find("br") != std::string::npos) {
      bool gzip = it->second.find("gzip") != std::string::npos;
      const_cast<httplib::Request&>(req).headers.erase(it);
      if (gzip) const_cast<httplib::Request&>(req).headers.emplace("Accept-Encoding", "gzip");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
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

http::Response Server::Dispatch(http::Request& request) {
  std::vector<std::string> allowed;
  const http::Route* route = router_.Match(request.method, request.path, &request.params, &allowed);
  if (!route && allowed.empty() && (request.method == "GET" || request.method == "HEAD") &&
      !request.path.starts_with("/api/")) {
    request.route = "console";
    return assets_.Serve(request);
  }
  if (!route) {
    if (allowed.empty()) return http::Problem(Error::NotFound("no such endpoint: " + request.path));
    http::Response r = http::Problem(Error::Invalid("method " + request.method +
                                                    " not allowed on " + request.path));
    r.status = 405;
    r.body["status"] = 405;
    r.body["title"] = "Method Not Allowed";
    r.body["type"] = "urn:plinth:problem:method_not_allowed";
    std::string allow;
    for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    r.headers["Allow"] = allow;
    return r;
  }
  request.route = route->pattern;
  // Public routes serve anonymous callers, also when a stale cookie comes along.
  Status auth = Authenticate(request);
  if (!auth.ok() && route->access != http::Access::kPublic) {
    http::Response r = http::Problem(auth.error());
    if (auth.error().code == ErrorCode::kUnauthenticated) {
      r.headers["WWW-Authenticate"] = "Bearer realm=\"plinth\"";
    }
    return r;
  }
  std::string key = request.principal.actor.empty() ? "addr:" + request.remote_addr
                                                    : request.principal.actor;
  if (int64_t retry = route->limits_itself ? 0 : limiter_.Take(key, request.now_ms); retry > 0) {
    http::Response r = http::Problem(
        {ErrorCode::kRateLimited, "rate limit exceeded; retry in " + std::to_string(retry) + " s",
         {}});
    r.headers["Retry-After"] = std::to_string(retry);
    return r;
  }
  Result<http::Response> r = route->handler(request);
  if (r.ok()) return std::move(r).value();
  if (r.error().code == ErrorCode::kInternal) {
    LogError(request.method + " " + request.path + ": " + r.error().message);
  }
  return http::Problem(r.error());
}

void Server::Handle(const httplib::Request& req, httplib::Response& res, std::string body) {
  auto start = std::chrono::steady_clock::now();
  http::Request request;
  request.method = req.method;
  request.path = req.path;
  request.now_ms = clock_.NowMs();
  request.body = std::move(body);
  request.remote_addr = req.remote_addr;
  for (const auto& [k, v] : req.params) request.query.emplace(k, v);
  for (const auto& [k, v] : req.headers) {
    std::string lower = k;
    for (auto& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
    request.headers[lower] = v;
  }

  http::Response response = Dispatch(request);
  response.headers.try_emplace("Cache-Control", "no-store");
  response.headers["X-Content-Type-Options"] = "nosniff";
  Send(response, res);

  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.RecordRequest(req.method, request.route.empty() ? "unmatched" : request.route,
                         response.status, seconds);
  if (response.status >= 500) {
    LogWarn(req.method + " " + req.path + " " + std::to_string(response.status));
  }
}

}  // namespace plinth::server
