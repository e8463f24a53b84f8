#ifndef COMMON_LOG_H_
#define COMMON_LOG_H_

// A thin logging shim (this Abseil has no absl/log): one line per message on stderr,
// "2026-11-27T20:39:24.123Z I regulatord: message". Safe to call from any thread.
//
//   LogInfo(absl::StrFormat("listening on %s", address));

#include "absl/strings/string_view.h"

namespace regulation {

enum class LogLevel { kInfo, kWarning, kError };

void Log(LogLevel level, absl::string_view message);
inline void LogInfo(absl::string_view message) { Log(LogLevel::kInfo, message); }
inline void LogWarning(absl::string_view message) { Log(LogLevel::kWarning, message); }
inline void LogError(absl::string_view message) { Log(LogLevel::kError, message); }

// The program name printed in each line; set once at start-up (default "regulation").
void SetLogProgramName(absl::string_view name);

}  // namespace regulation

#endif  // COMMON_LOG_H_
