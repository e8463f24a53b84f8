#include "common/log.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

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

// The length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no
// overlong forms, no surrogates, nothing past U+10FFFF), or 0 when there is none.
size_t Utf8SequenceLength(absl::string_view s) {
  const auto byte = [&s](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto continuation = [&](size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return continuation(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (b0 == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (b0 == 0xED && byte(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (b0 == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && byte(1) >= 0x90) return 0;  // past U+10FFFF
    return 4;
  }
  return 0;
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

std::string JsonQuote(absl::string_view text) {
  std::string out = "\"";
  out.reserve(text.size() + 2);
  while (!text.empty()) {
    const size_t n = Utf8SequenceLength(text);
    if (n == 0) {
      out += "\\ufffd";
      text.remove_prefix(1);
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(text[0]);
    if (n > 1) {
      out.append(text.data(), n);
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out += static_cast<char>(c);
    }
    text.remove_prefix(n);
  }
  out += "\"";
  return out;
}

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
