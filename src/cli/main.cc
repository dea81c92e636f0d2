// The plinth binary: everything lives in the libraries; this only hands over the arguments.

#include <string>
#include <vector>

#include "cli/commands.h"

int main(int argc, char** argv) {
  return plinth::cli::Main(std::vector<std::string>(argv + 1, argv + argc));
}
