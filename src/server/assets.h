#pragma once
// The web console's files (web/dist, embedded at build time), served outside /api/: a file at
// "/<name>", and index.html for every other path so the console's own router handles it.
// Hashed assets are cached for a year; index.html is revalidated with its ETag. HTML carries a
// strict Content-Security-Policy: everything from this server, nothing inline.
//
// Thread-safety: immutable after construction.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/embedded.h"
#include "http/router.h"

namespace plinth::server {

class Assets {
 public:
  explicit Assets(const std::vector<EmbeddedFile>& files);

  // The response to a GET or HEAD of `request.path`.
  http::Response Serve(const http::Request& request) const;

 private:
  struct Asset {
    std::string_view data;
    std::string content_type;
    std::string etag;  // quoted, from the content
  };

  // Constant after construction
  std::map<std::string, Asset, std::less<>> files_;  // by file name
};

}  // namespace plinth::server
