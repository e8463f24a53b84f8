#include "common/escaping.h"

#include <string>

#include "gtest/gtest.h"

namespace regulation {
namespace {

std::string Json(absl::string_view value) {
  std::string out;
  AppendJsonString(&out, value);
  return out;
}

TEST(HtmlEscape, EscapesMarkupQuotesAndCarriageReturn) {
  EXPECT_EQ(HtmlEscape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  EXPECT_EQ(HtmlEscape("a\r\nb"), "a&#13;\nb");
  EXPECT_EQ(HtmlEscape("&amp;"), "&amp;amp;");  // escaping twice shows the first escape
}

TEST(HtmlEscape, KeepsUtf8AndReplacesEachInvalidByte) {
  EXPECT_EQ(HtmlEscape("杭州明辉 \xF0\x9F\x98\x80"), "杭州明辉 \xF0\x9F\x98\x80");
  EXPECT_EQ(HtmlEscape(std::string("a\xFF" "b\xE6\x9D", 5)),
            "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(HtmlEscape("\xC0\xBC"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // an overlong '<' stays inert
  EXPECT_EQ(HtmlEscape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

TEST(AppendJsonString, EscapesLikePythonJsonDumps) {
  EXPECT_EQ(Json("plain 中文"), "\"plain 中文\"");
  EXPECT_EQ(Json("q\"b\\s/"), "\"q\\\"b\\\\s/\"");
  EXPECT_EQ(Json("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
  EXPECT_EQ(Json(std::string("\x00\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");
  EXPECT_EQ(Json("\x7f"), "\"\x7f\"");  // json.dumps leaves DEL as it is
  EXPECT_EQ(Json("<>&'"), "\"<>&'\"");
}

TEST(AppendJsonString, AppendsAndWritesInvalidBytesAsReplacement) {
  std::string out = "x=";
  AppendJsonString(&out, "a\xFF");
  EXPECT_EQ(out, "x=\"a\\ufffd\"");
}

TEST(JsonQuote, EscapesDelAndReplacesInvalidBytes) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("\x7f"), "\"\\u007f\"");
  EXPECT_EQ(JsonQuote("\xff"), "\"\\ufffd\"");
  EXPECT_EQ(JsonQuote("\xF4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // > U+10FFFF
  EXPECT_EQ(JsonQuote("\xF0\x9F\x98\x80"), "\"\xF0\x9F\x98\x80\"");           // U+1F600
  EXPECT_EQ(JsonQuote("a\nb\x01"), "\"a\\nb\\u0001\"");
}

}  // namespace
}  // namespace regulation
