#pragma once
// Files compiled into the binary at build time (cmake/embed.cmake): migrations, the OpenAPI
// document, the web console.

#include <string_view>
#include <vector>

namespace plinth {

struct EmbeddedFile {
  std::string_view name;  // file name without directory, e.g. "0001_foundation.sql"
  std::string_view data;  // static storage; valid for the life of the process
};

}  // namespace plinth

namespace plinth::embedded {
const std::vector<EmbeddedFile>& Migrations();
const std::vector<EmbeddedFile>& ApiDoc();
const std::vector<EmbeddedFile>& Web();  // web/dist: the console; empty when not built
}  // namespace plinth::embedded
