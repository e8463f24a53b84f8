#include "common/log.h"

#include <cstdio>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace regulation {
namespace {

absl::Mutex log_mu;
std::string& ProgramName() {
  static std::string* name = new std::string("regulation");
  return *name;
}

char LevelLetter(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return 'I';
    case LogLevel::kWarning:
      return 'W';
    case LogLevel::kError:
      return 'E';
  }
  return '?';
}

}  // namespace

void SetLogProgramName(absl::string_view name) {
  absl::MutexLock lock(&log_mu);
  ProgramName() = std::string(name);
}

void Log(LogLevel level, absl::string_view message) {
  const std::string time =
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  absl::MutexLock lock(&log_mu);
  std::fprintf(stderr, "%s %c %s: %.*s\n", time.c_str(), LevelLetter(level), ProgramName().c_str(),
               static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
}

}  // namespace regulation
