#include "server/assets.h"

#include "base/crypto.h"

namespace plinth::server {

namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// Shown when the binary was built without the console (web/dist missing).
constexpr std::string_view kNotBuilt =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>plinth</title></head>"
    "<body><h1>plinth</h1><p>This binary was built without the web console. Run "
    "<code>make build</code> (it runs <code>scripts/build-web</code>) and restart. The API is "
    "served under <a href=\"/api/v1/openapi.json\">/api/v1</a>.</p></body></html>";

std::string ContentType(std::string_view name) {
  static const std::pair<std::string_view, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},    {".svg", "image/svg+xml"},
      {".png", "image/png"},                  {".ico", "image/x-icon"},
      {".json", "application/json"},          {".woff2", "font/woff2"},
      {".map", "application/json"},           {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (name.ends_with(ext)) return type;
  }
  return "application/octet-stream";
}

}  // namespace

Assets::Assets(const std::vector<EmbeddedFile>& files) {
  for (const auto& f : files) {
    files_[std::string(f.name)] =
        Asset{f.data, ContentType(f.name), "\"" + Sha256Hex(f.data).substr(0, 20) + "\""};
  }
  if (!files_.count("index.html")) {
    files_["index.html"] = Asset{kNotBuilt, ContentType("index.html"), "\"not-built\""};
  }
}

http::Response Assets::Serve(const http::Request& request) const {
  std::string_view name = request.path;
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  auto it = name.find('/') == std::string_view::npos ? files_.find(name) : files_.end();
  bool is_index = it == files_.end() || it->first == "index.html";
  if (is_index) it = files_.find("index.html");
  const Asset& asset = it->second;

  http::Response r;
  r.headers["ETag"] = asset.etag;
  r.headers["Cache-Control"] =
      is_index ? "no-cache" : "public, max-age=31536000, immutable";  // names carry a hash
  r.headers["X-Frame-Options"] = "DENY";
  r.headers["Referrer-Policy"] = "no-referrer";
  r.headers["Vary"] = "Accept-Encoding";  // compressed when the client accepts gzip
  if (asset.content_type.starts_with("text/html")) {
    r.headers["Content-Security-Policy"] = kContentSecurityPolicy;
  }
  if (request.Header("if-none-match") == asset.etag) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  r.text = std::string(asset.data);
  r.content_type = asset.content_type;
  return r;
}

}  // namespace plinth::server
