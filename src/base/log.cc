#include "base/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

#include "base/clock.h"
#include "base/time.h"

namespace plinth {

namespace {
std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_mu;
constexpr const char* kNames[] = {"DEBUG", "INFO", "WARN", "ERROR"};
}  // namespace

void SetLogLevel(LogLevel level) { g_level = level; }

void Log(LogLevel level, std::string_view message) {
  if (level < g_level.load()) return;
  std::string line = FormatRfc3339(RealClock().NowMs()) + " " + kNames[int(level)] + " ";
  line.append(message);
  line += "\n";
  std::lock_guard<std::mutex> lock(g_mu);
  std::fputs(line.c_str(), stderr);
}

}  // namespace plinth
