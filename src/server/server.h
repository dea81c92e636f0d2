#pragma once
// The HTTP server: serves the Router's routes over cpp-httplib with authentication (API
// tokens, session cookies with CSRF tokens), per-principal rate limiting, a body limit,
// timeouts, RFC 9457 errors, access logs without secrets, and metrics.
//
// Thread-safety: Bind() and Run() from one thread; Stop() from any thread. Requests are served
// on the server's thread pool.

#include <atomic>
#include <memory>
#include <string>

#include "base/clock.h"
#include "http/router.h"
#include "server/assets.h"
#include "server/metrics.h"
#include "server/rate_limit.h"
#include "store/store.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace plinth::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port
  size_t max_body_bytes = 1 << 20;
  double rate_per_second = 50;  // per principal; 0 disables
  double rate_burst = 100;
  int timeout_seconds = 30;     // read and write
  int threads = 64;             // connections served at once
  bool secure_cookies = false;  // set when served over HTTPS (e.g. behind a proxy)
};

class Server {
 public:
  // `store` and `clock` must outlive the server.
  Server(store::Store& store, const Clock& clock, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  http::Router& router() { return router_; }
  Metrics& metrics() { return metrics_; }
  const ServerOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }

  // Binds the listening socket; returns the port (useful with port 0).
  Result<int> Bind();
  // Serves until Stop(). REQUIRES: Bind() succeeded.
  void Run();
  void Stop();

 private:
  // Serves one request whose body has been read; records metrics.
  void Handle(const httplib::Request& req, httplib::Response& res, std::string body);
  // Routing, authentication, rate limiting and the handler, as a response.
  http::Response Dispatch(http::Request& request);
  // Fills request.principal from the Authorization header or the session cookie.
  Status Authenticate(http::Request& request);

  // Constant after construction
  store::Store& store_;
  const Clock& clock_;
  const ServerOptions options_;
  http::Router router_;  // filled before Run()

  const Assets assets_;  // the web console
  Metrics metrics_;
  RateLimiter limiter_;
  std::unique_ptr<httplib::Server> http_;
};

// The name of the session cookie.
inline constexpr const char* kSessionCookie = "plinth_session";

}  // namespace plinth::server
