#include "scoring/json_document.h"

#include <string>

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;

TEST(ParseJson, KeepsNumbersAsWritten) {
  absl::StatusOr<JsonValue> doc = ParseJson(R"({"a": [1.990817E-3, -0, 5E-1, 12], "b": NaN})");
  ASSERT_OK(doc);
  const JsonValue* a = doc->Find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->elements().size(), 4u);
  EXPECT_EQ(a->elements()[0].text(), "1.990817E-3");
  EXPECT_EQ(a->elements()[1].text(), "-0");
  EXPECT_EQ(a->elements()[2].text(), "5E-1");
  EXPECT_TRUE(a->elements()[3].is_number());
  EXPECT_EQ(doc->Find("b")->text(), "NaN");
}

TEST(ParseJson, ReadsEveryKindInOrder) {
  absl::StatusOr<JsonValue> doc = ParseJson(
      " {\"s\": \"x\\\"y\\\\z\\u00e9\\ud83d\\ude00\", \"t\": true, \"f\": false, \"n\": null, "
      "\"o\": {}, \"e\": []} ");
  ASSERT_OK(doc);
  ASSERT_EQ(doc->members().size(), 6u);
  EXPECT_EQ(doc->members()[0].first, "s");
  EXPECT_EQ(doc->Find("s")->text(), "x\"y\\z\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_TRUE(doc->Find("t")->boolean());
  EXPECT_EQ(doc->Find("f")->kind(), JsonValue::Kind::kBool);
  EXPECT_FALSE(doc->Find("f")->boolean());
  EXPECT_EQ(doc->Find("n")->kind(), JsonValue::Kind::kNull);
  EXPECT_TRUE(doc->Find("o")->is_object());
  EXPECT_TRUE(doc->Find("e")->is_array());
  EXPECT_EQ(doc->Find("missing"), nullptr);
}

TEST(ParseJson, RefusesMalformedText) {
  for (const char* text :
       {"", "{", "[1,]", "{\"a\" 1}", "{\"a\": 1,}", "01", "1.", "1e", "-", "\"abc", "tru",
        "[1] 2", "{\"a\": 1, \"a\": 2}", "\"\\x\"", "\"\\ud800\"", "\"a\nb\""}) {
    absl::StatusOr<JsonValue> doc = ParseJson(text);
    EXPECT_THAT(doc, StatusIs(absl::StatusCode::kInvalidArgument)) << "text: " << text;
  }
}

TEST(ParseJson, RefusesNestingDeeperThanTheLimit) {
  EXPECT_OK(ParseJson(std::string(60, '[') + std::string(60, ']')));
  EXPECT_THAT(ParseJson(std::string(100000, '[')), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::scoring
