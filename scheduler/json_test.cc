#include "scheduler/json.h"

#include <cstdint>
#include <string>

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

std::string Quoted(absl::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

TEST(AppendJsonString, EscapesLikePythonJsonDumps) {
  // json.dumps(s, ensure_ascii=False) for the same strings.
  EXPECT_EQ(Quoted("plain"), "\"plain\"");
  EXPECT_EQ(Quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Quoted("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
  EXPECT_EQ(Quoted(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
  EXPECT_EQ(Quoted(std::string("\0", 1)), "\"\\u0000\"");
  EXPECT_EQ(Quoted("/\x7f市场"), "\"/\x7f市场\"");
}

TEST(ParseJson, ReadsObjectsInOrder) {
  absl::StatusOr<JsonValue> v =
      ParseJson(" {\"b\": [1, -2, \"x\"], \"a\": {\"t\": true, \"n\": null}} ");
  ASSERT_OK(v);
  ASSERT_TRUE(v->is_object());
  ASSERT_EQ(v->members().size(), 2u);
  EXPECT_EQ(v->members()[0].first, "b");
  EXPECT_EQ(v->members()[1].first, "a");
  const JsonValue* b = v->Find("b");
  ASSERT_TRUE(b->is_array());
  EXPECT_EQ(b->array()[0].integer(), 1);
  EXPECT_EQ(b->array()[1].integer(), -2);
  EXPECT_EQ(b->array()[2].string(), "x");
  EXPECT_TRUE(v->Find("a")->Find("t")->bool_value());
  EXPECT_EQ(v->Find("missing"), nullptr);
}

TEST(ParseJson, DecodesEscapes) {
  absl::StatusOr<JsonValue> v = ParseJson(R"("a\"\\\/\b\f\n\r\t\u00e9\u5e02\ud83d\ude00")");
  ASSERT_OK(v);
  EXPECT_EQ(v->string(), "a\"\\/\b\f\n\r\té市\xF0\x9F\x98\x80");
}

TEST(ParseJson, RoundTripsWhatAppendJsonStringWrites) {
  const std::string original = "x\"\\\n\x01 市场 \x7f";
  absl::StatusOr<JsonValue> v = ParseJson(Quoted(original));
  ASSERT_OK(v);
  EXPECT_EQ(v->string(), original);
}

TEST(ParseJson, ReadsInt64Limits) {
  EXPECT_EQ(ParseJson("9223372036854775807")->integer(), INT64_MAX);
  EXPECT_EQ(ParseJson("-9223372036854775808")->integer(), INT64_MIN);
  EXPECT_FALSE(ParseJson("9223372036854775808").ok());
}

TEST(ParseJson, RejectsWhatIsNotStrictJson) {
  for (const char* bad :
       {"",      "{",     "[1,]",         "{\"a\":1,}",  "{\"a\":1,\"a\":2}", "01",       "1.5",
        "1e3",   "'x'",   "\"\\x\"",      "\"\\ud800\"", "\"\\udc00x\"",      "\"a\nb\"", "tru",
        "{} {}", "[1] x", "\"\xC0\xAF\"", "NaN",         "{\"a\" 1}",         "{1:2}"}) {
    EXPECT_FALSE(ParseJson(bad).ok()) << bad;
  }
}

TEST(ParseJson, LimitsNesting) {
  EXPECT_OK(ParseJson(std::string(30, '[') + std::string(30, ']')));
  EXPECT_FALSE(ParseJson(std::string(100, '[') + std::string(100, ']')).ok());
}

TEST(ParseJson, ReportsTheBytePosition) {
  absl::StatusOr<JsonValue> v = ParseJson("{\"a\":1,\"a\":2}");
  EXPECT_EQ(v.status().message(), "JSON at byte 7: member \"a\" appears twice");
}

}  // namespace
}  // namespace regulation::scheduler
