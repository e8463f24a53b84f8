#include "common/utf8.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace regulation {
namespace {

TEST(DecodeUtf8At, DecodesOneToFourByteCharacters) {
  const std::string text = "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80";  // a é 中 😀
  Utf8Char c = DecodeUtf8At(text, 0);
  EXPECT_TRUE(c.valid);
  EXPECT_EQ(c.code, 'a');
  EXPECT_EQ(c.length, 1u);
  c = DecodeUtf8At(text, 1);
  EXPECT_EQ(c.code, 0xE9u);
  EXPECT_EQ(c.length, 2u);
  c = DecodeUtf8At(text, 3);
  EXPECT_EQ(c.code, 0x4E2Du);
  EXPECT_EQ(c.length, 3u);
  c = DecodeUtf8At(text, 6);
  EXPECT_EQ(c.code, 0x1F600u);
  EXPECT_EQ(c.length, 4u);
}

TEST(IsValidUtf8, RefusesMalformedSequences) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain \xE4\xB8\xAD\xE6\x96\x87"));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/' (two bytes)
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));          // overlong (two bytes)
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong '/' (three bytes)
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // overlong '/' (four bytes)
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // U+D800, a high surrogate
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));      // U+DFFF, a low surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000, above Unicode
  EXPECT_FALSE(IsValidUtf8("\xF8\x88\x80\x80\x80"));  // five-byte form
  EXPECT_FALSE(IsValidUtf8("\x80"));                  // a lone continuation byte
  EXPECT_FALSE(IsValidUtf8("\xE4\xB8"));              // truncated at the end
  EXPECT_FALSE(IsValidUtf8("\xE4" "a" "\xAD"));       // interrupted
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Utf8Chars, IteratesCharactersWithOffsetsAndStepsOverInvalidBytes) {
  const std::string text = "a\xE4\xB8\xAD\xFF" "b";
  std::vector<uint32_t> codes;
  std::vector<size_t> offsets;
  std::vector<bool> valid;
  for (const Utf8Char c : Utf8Chars(text)) {
    codes.push_back(c.code);
    offsets.push_back(c.offset);
    valid.push_back(c.valid);
  }
  EXPECT_EQ(offsets, (std::vector<size_t>{0, 1, 4, 5}));
  EXPECT_EQ(valid, (std::vector<bool>{true, true, false, true}));
  EXPECT_EQ(codes[0], 'a');
  EXPECT_EQ(codes[1], 0x4E2Du);
  EXPECT_EQ(codes[3], 'b');
  EXPECT_EQ(Utf8Length(text), 4u);
}

TEST(Utf8Chars, EmptyTextHasNoCharacters) {
  int n = 0;
  for (const Utf8Char c : Utf8Chars("")) n += static_cast<int>(c.length);
  EXPECT_EQ(n, 0);
}

TEST(AppendUtf8, EncodesEveryLengthAndRoundTrips) {
  for (uint32_t code : {0x24u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0x4E2Du, 0xFFFDu, 0x10000u,
                        0x1F600u, 0x10FFFFu}) {
    std::string out;
    AppendUtf8(code, &out);
    const Utf8Char c = DecodeUtf8At(out, 0);
    EXPECT_TRUE(c.valid) << code;
    EXPECT_EQ(c.code, code);
    EXPECT_EQ(c.length, out.size());
  }
  std::string out;
  AppendUtf8(0x4E2D, &out);
  EXPECT_EQ(out, "\xE4\xB8\xAD");
}

TEST(Utf8Prefix, NeverCutsInsideACharacter) {
  const std::string text = "ab\xE4\xB8\xAD\xE6\x96\x87";  // ab中文
  EXPECT_EQ(Utf8Prefix(text, 100), text);
  EXPECT_EQ(Utf8Prefix(text, 8), text);
  EXPECT_EQ(Utf8Prefix(text, 2), "ab");
  EXPECT_EQ(Utf8Prefix(text, 3), "ab");
  EXPECT_EQ(Utf8Prefix(text, 4), "ab");
  EXPECT_EQ(Utf8Prefix(text, 5), "ab\xE4\xB8\xAD");
  EXPECT_EQ(Utf8Prefix(text, 7), "ab\xE4\xB8\xAD");
  EXPECT_EQ(Utf8Prefix(text, 0), "");
  EXPECT_TRUE(IsUtf8Continuation('\xB8'));
  EXPECT_FALSE(IsUtf8Continuation('\xE4'));
  EXPECT_FALSE(IsUtf8Continuation('a'));
}

}  // namespace
}  // namespace regulation
