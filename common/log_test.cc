#include "common/log.h"

#include <string>

#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation {
namespace {

using ::regulation::testing::StatusIs;

const absl::Time kTime = absl::FromUnixMillis(1795869564123);  // 2026-11-28T...

// Parses a JSON log line with protobuf's parser: an independent check that it is JSON.
google::protobuf::Struct ParseJson(const std::string& line) {
  google::protobuf::Struct parsed;
  const auto status = google::protobuf::util::JsonStringToMessage(line, &parsed);
  EXPECT_OK(status) << status.ToString() << " in " << line;
  return parsed;
}

LogRecord CallRecord() {
  LogRecord r;
  r.level = LogLevel::kWarning;
  r.component = "rpc";
  r.method = "/regulation.v1.PortraitService/IngestEvent";
  r.request_id = "req-1";
  r.caller_role = "agency";
  r.caller_department = "samr";
  r.status = "INVALID_ARGUMENT";
  r.duration = absl::Microseconds(3250);
  r.message = "event.credit_code: is not a valid code";
  return r;
}

TEST(FormatLogLine, JsonCarriesEveryFieldOfACall) {
  const google::protobuf::Struct line =
      ParseJson(FormatLogLine(CallRecord(), kTime, "regulatord", LogFormat::kJson));
  const auto& f = line.fields();
  EXPECT_EQ(f.at("time").string_value(), absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", kTime,
                                                          absl::UTCTimeZone()));
  EXPECT_EQ(f.at("level").string_value(), "WARNING");
  EXPECT_EQ(f.at("program").string_value(), "regulatord");
  EXPECT_EQ(f.at("component").string_value(), "rpc");
  EXPECT_EQ(f.at("method").string_value(), "/regulation.v1.PortraitService/IngestEvent");
  EXPECT_EQ(f.at("request_id").string_value(), "req-1");
  EXPECT_EQ(f.at("caller_role").string_value(), "agency");
  EXPECT_EQ(f.at("caller_department").string_value(), "samr");
  EXPECT_EQ(f.at("status").string_value(), "INVALID_ARGUMENT");
  EXPECT_DOUBLE_EQ(f.at("duration_ms").number_value(), 3.25);
  EXPECT_EQ(f.at("message").string_value(), "event.credit_code: is not a valid code");
}

TEST(FormatLogLine, JsonLeavesEmptyFieldsOut) {
  LogRecord r;
  r.message = "started";
  const google::protobuf::Struct line =
      ParseJson(FormatLogLine(r, kTime, "regulatord", LogFormat::kJson));
  EXPECT_EQ(line.fields().size(), 4u);  // time, level, program, message
  EXPECT_EQ(line.fields().at("level").string_value(), "INFO");
}

TEST(FormatLogLine, JsonStaysOneValidLineWhateverTheMessageHolds) {
  LogRecord r;
  // Quotes, backslashes, line breaks, control bytes, Chinese, and bytes that are not
  // UTF-8 (a truncated sequence, an overlong form, a surrogate).
  const std::string valid = "a \"quoted\" \\ path\nsecond line\x01\t杭州";
  r.message = valid + "\xE6\x9D" + "\xC0\x80" + "\xED\xA0\x80" + " end";
  const std::string text = FormatLogLine(r, kTime, "regulatord", LogFormat::kJson);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD, one per invalid byte
  std::string expected = valid;
  for (int i = 0; i < 7; ++i) expected += replacement;
  EXPECT_EQ(ParseJson(text).fields().at("message").string_value(), expected + " end");
}

TEST(FormatLogLine, TextKeepsTheOldShapeForPlainMessages) {
  LogRecord r;
  r.level = LogLevel::kError;
  r.message = "cannot open";
  EXPECT_EQ(FormatLogLine(r, kTime, "regulatord", LogFormat::kText),
            absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", kTime, absl::UTCTimeZone()) +
                " E regulatord: cannot open");
}

TEST(FormatLogLine, TextNamesTheFieldsOfACallOnOneLine) {
  LogRecord r = CallRecord();
  r.message = "two\nlines";
  const std::string line = FormatLogLine(r, kTime, "regulatord", LogFormat::kText);
  EXPECT_NE(line.find(" W regulatord rpc: /regulation.v1.PortraitService/IngestEvent "
                      "request_id=req-1 role=agency department=samr status=INVALID_ARGUMENT "
                      "3.250ms: two lines"),
            std::string::npos)
      << line;
}

TEST(ParseLogFormat, AcceptsTextAndJsonOnly) {
  EXPECT_EQ(*ParseLogFormat("text"), LogFormat::kText);
  EXPECT_EQ(*ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_THAT(ParseLogFormat("xml"), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation
