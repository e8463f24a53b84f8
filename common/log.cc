#include "common/log.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/escaping.h"

namespace regulation {
namespace {

absl::Mutex log_mu;

struct Settings {
  std::string program = "regulation";
  LogFormat format = LogFormat::kText;
};

Settings& CurrentSettings() ABSL_EXCLUSIVE_LOCKS_REQUIRED(log_mu) {
  static Settings* settings = new Settings();
  return *settings;
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

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
  }
  return "UNKNOWN";
}

std::string LogTime(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone());
}

double Milliseconds(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

std::string TextLine(const LogRecord& r, absl::Time time, absl::string_view program) {
  std::string line = absl::StrCat(LogTime(time), " ", std::string(1, LevelLetter(r.level)), " ",
                                  program);
  if (!r.component.empty()) absl::StrAppend(&line, " ", r.component);
  absl::StrAppend(&line, ":");
  const auto field = [&line](absl::string_view key, absl::string_view value) {
    if (!value.empty()) absl::StrAppend(&line, " ", key, "=", value);
  };
  if (!r.method.empty()) absl::StrAppend(&line, " ", r.method);
  field("request_id", r.request_id);
  field("role", r.caller_role);
  field("department", r.caller_department);
  field("status", r.status);
  if (r.duration.has_value()) {
    absl::StrAppend(&line, " ", absl::StrFormat("%.3fms", Milliseconds(*r.duration)));
  }
  if (!r.message.empty()) {
    const bool fields = line.back() != ':';
    absl::StrAppend(&line, fields ? ": " : " ", r.message);
  }
  // One line per record: a message with a line break would look like two records.
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

std::string JsonLine(const LogRecord& r, absl::Time time, absl::string_view program) {
  std::string line = absl::StrCat("{\"time\":", JsonQuote(LogTime(time)),
                                  ",\"level\":", JsonQuote(LevelName(r.level)),
                                  ",\"program\":", JsonQuote(program));
  const auto field = [&line](absl::string_view key, absl::string_view value) {
    if (!value.empty()) absl::StrAppend(&line, ",\"", key, "\":", JsonQuote(value));
  };
  field("component", r.component);
  field("method", r.method);
  field("request_id", r.request_id);
  field("caller_role", r.caller_role);
  field("caller_department", r.caller_department);
  field("status", r.status);
  if (r.duration.has_value()) {
    absl::StrAppend(&line, ",\"duration_ms\":", absl::StrFormat("%.3f", Milliseconds(*r.duration)));
  }
  field("message", r.message);
  absl::StrAppend(&line, "}");
  return line;
}

}  // namespace


std::string FormatLogLine(const LogRecord& record, absl::Time time, absl::string_view program,
                          LogFormat format) {
  return format == LogFormat::kJson ? JsonLine(record, time, program)
                                    : TextLine(record, time, program);
}

absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat("log_format: must be text or json, not \"", name, "\""));
}

void SetLogProgramName(absl::string_view name) {
  absl::MutexLock lock(&log_mu);
  CurrentSettings().program = std::string(name);
}

void SetLogFormat(LogFormat format) {
  absl::MutexLock lock(&log_mu);
  CurrentSettings().format = format;
}

void Log(const LogRecord& record) {
  const absl::Time now = absl::Now();
  absl::MutexLock lock(&log_mu);
  const Settings& settings = CurrentSettings();
  const std::string line = FormatLogLine(record, now, settings.program, settings.format);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

void Log(LogLevel level, absl::string_view message) {
  LogRecord record;
  record.level = level;
  record.message = std::string(message);
  Log(record);
}

}  // namespace regulation
