#pragma once
// Line-oriented logging to stderr: "2026-11-22T08:03:00.250Z INFO message". Thread-safe.
// Never log a secret (password, token, key): log its id or hash prefix instead.

#include <string_view>

namespace plinth {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

void SetLogLevel(LogLevel level);
void Log(LogLevel level, std::string_view message);
inline void LogInfo(std::string_view m) { Log(LogLevel::kInfo, m); }
inline void LogWarn(std::string_view m) { Log(LogLevel::kWarn, m); }
inline void LogError(std::string_view m) { Log(LogLevel::kError, m); }

}  // namespace plinth
