#ifndef COMMON_LOG_H_
#define COMMON_LOG_H_

// A thin logging shim (this Abseil has no absl/log): one line per message on stderr.
// Safe to call from any thread.
//
// Two formats, chosen once at start-up (regulatord --log_format):
//   text  "2026-11-27T20:39:24.123Z I regulatord: message", with a record's fields
//         as key=value pairs before the message;
//   json  one JSON object per line, for log collectors:
//         {"time":"2026-11-27T20:39:24.123Z","level":"INFO","program":"regulatord",
//          "component":"rpc","method":"/regulation.v1.PortraitService/IngestEvent",
//          "request_id":"...","caller_role":"agency","caller_department":"samr",
//          "status":"OK","duration_ms":3.25,"message":"..."}
//         Fields that are empty are left out. Strings are escaped, and bytes that are
//         not UTF-8 become U+FFFD, so every line is valid JSON whatever a message holds.
//
// What may be logged: identifiers (credit codes, plan and result ids, request ids,
// methods), roles, departments, status codes and the servers' own status messages.
// Never free text a caller wrote about a person (findings, follow-up measures, reasons,
// names of natural persons): see docs/operations.md, "Logs".
//
//   LogInfo(absl::StrFormat("listening on %s", address));
//   LogRecord r; r.component = "rpc"; r.method = method; ...; Log(r);

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace regulation {

enum class LogLevel { kInfo, kWarning, kError };
enum class LogFormat { kText, kJson };

// One structured log line. Every field but `level` may be empty.
struct LogRecord {
  LogLevel level = LogLevel::kInfo;
  // What part of the program speaks: "rpc" for a call's line, "log" for the disclosure
  // log, "backup", ...; empty for the program itself.
  std::string component;
  // Full gRPC method name of the call the line is about.
  std::string method;
  // The call's request id (x-request-id), also in its audit record.
  std::string request_id;
  // The caller's roles ("agency", "admin+auditor") and department; never a name.
  std::string caller_role;
  std::string caller_department;
  // The call's status code name ("OK", "PERMISSION_DENIED").
  std::string status;
  // How long the call took.
  std::optional<absl::Duration> duration;
  std::string message;
};

void Log(const LogRecord& record);
void Log(LogLevel level, absl::string_view message);
inline void LogInfo(absl::string_view message) { Log(LogLevel::kInfo, message); }
inline void LogWarning(absl::string_view message) { Log(LogLevel::kWarning, message); }
inline void LogError(absl::string_view message) { Log(LogLevel::kError, message); }

// The program name printed in each line; set once at start-up (default "regulation").
void SetLogProgramName(absl::string_view name);

// The format of every later line; set once at start-up (default text).
void SetLogFormat(LogFormat format);
// "text" or "json"; INVALID_ARGUMENT otherwise.
absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name);

// The line Log writes for `record` at `time` (without the newline). Pure; for tests.
std::string FormatLogLine(const LogRecord& record, absl::Time time, absl::string_view program,
                          LogFormat format);

}  // namespace regulation

#endif  // COMMON_LOG_H_
