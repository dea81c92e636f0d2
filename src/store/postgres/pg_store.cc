#include "store/store.h"

namespace plinth::store {

Result<std::unique_ptr<Store>> OpenPostgres(std::string_view, int) {
  return Error::Unavailable("PostgreSQL support is not built yet");
}

}  // namespace plinth::store
