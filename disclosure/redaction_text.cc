#include "disclosure/redaction_text.h"

#include <algorithm>
#include <iterator>

#include "common/utf8.h"

namespace regulation::disclosure::internal {
namespace {

// Invisible format characters (Unicode Cf and friends: zero-width spaces and joiners, soft
// hyphen, bidi controls, word joiner, variation selectors, BOM, tags). Rendered as nothing,
// they would split a number for the detectors but not for a reader, so detection skips
// them; a mask over their neighbours covers them too.
bool IsInvisibleFormat(int32_t cp) {
  return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x115F || cp == 0x1160 ||
         cp == 0x17B4 || cp == 0x17B5 || (cp >= 0x180B && cp <= 0x180F) ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) ||
         cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0x1D173 && cp <= 0x1D17A) ||
         (cp >= 0xE0000 && cp <= 0xE0FFF);
}

// The first code point (the zero) of each run of ten Unicode decimal digits (category Nd)
// outside ASCII that a reader would read as a number: Arabic-Indic, Indic scripts, Thai,
// Lao, Tibetan, Myanmar, Khmer, Mongolian, full width, mathematical (bold, double-struck,
// sans-serif, sans-serif bold, monospace) and segmented digits. Ascending.
constexpr int32_t kDigitZeros[] = {
    0x0660, 0x06F0, 0x07C0, 0x0966,  0x09E6,  0x0A66,  0x0AE6,  0x0B66,  0x0BE6,  0x0C66,  0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0,  0x0F20,  0x1040,  0x1090,  0x17E0,  0x1810,  0x1946,  0x19D0,
    0x1A80, 0x1A90, 0x1B50, 0x1BB0,  0x1C40,  0x1C50,  0xA620,  0xA8D0,  0xA900,  0xA9D0,  0xA9F0,
    0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1FBF0,
};

// The ASCII character a code point is read as, or 0 to keep it as it is.
char AsciiEquivalent(int32_t cp) {
  // kDigitZeros is ascending: the only run that can hold `cp` starts at the last zero <= cp.
  const int32_t* after = std::upper_bound(std::begin(kDigitZeros), std::end(kDigitZeros), cp);
  if (after != std::begin(kDigitZeros) && cp < after[-1] + 10) {
    return static_cast<char>('0' + (cp - after[-1]));
  }
  if (cp >= 0xFF01 && cp <= 0xFF5E) return static_cast<char>(cp - 0xFEE0);  // Full width.
  if (cp == 0x3000 || cp == 0x00A0 || cp == 0x202F || (cp >= 0x2002 && cp <= 0x200A)) {
    return ' ';
  }
  if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 || cp == 0xFE63) {
    return '-';
  }
  return 0;
}

constexpr absl::string_view kAsciiTerminators = ",.;!?()[]{}<>\"'|\n\r\t";
constexpr absl::string_view kCjkTerminators[] = {
    "。", "、", "“",  "”",  "‘",  "’",  "《", "》", "〈", "〉", "「",
    "」", "『", "』", "【", "】", "〔", "〕", "〖", "〗", "…",
};

}  // namespace

size_t DecodeUtf8(absl::string_view s, size_t i, int32_t* cp) {
  const Utf8Char c = DecodeUtf8At(s, i);
  *cp = c.valid ? static_cast<int32_t>(c.code) : -1;
  return c.length;
}

int32_t CodePointAt(absl::string_view s, size_t i) {
  if (i >= s.size()) return -1;
  int32_t cp = 0;
  DecodeUtf8(s, i, &cp);
  return cp;
}

size_t PreviousCharacter(absl::string_view s, size_t i) {
  size_t p = i - 1;
  // Step back over at most three continuation bytes to a well-formed start.
  for (size_t back = 1; back <= 3 && back <= i; ++back) {
    if (!IsUtf8Continuation(s[i - back])) {
      int32_t cp = 0;
      if (DecodeUtf8(s, i - back, &cp) == back) p = i - back;
      break;
    }
  }
  return p;
}

bool IsHan(int32_t cp) { return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF); }

size_t TerminatorLength(absl::string_view s, size_t pos) {
  if (pos >= s.size()) return 0;
  if (kAsciiTerminators.find(s[pos]) != absl::string_view::npos) return 1;
  for (absl::string_view t : kCjkTerminators) {
    if (s.substr(pos, t.size()) == t) return t.size();
  }
  return 0;
}

Normalized Normalize(absl::string_view in) {
  Normalized n;
  n.text.reserve(in.size());
  n.origin.reserve(in.size() + 1);
  for (size_t i = 0; i < in.size();) {
    int32_t cp = 0;
    const size_t len = DecodeUtf8(in, i, &cp);
    if (IsInvisibleFormat(cp)) {  // skipped: see IsInvisibleFormat
      i += len;
      continue;
    }
    const char ascii = cp > 0x7F ? AsciiEquivalent(cp) : 0;
    if (ascii != 0) {
      n.text.push_back(ascii);
      n.origin.push_back(i);
    } else {
      for (size_t k = 0; k < len; ++k) {
        n.text.push_back(in[i + k]);
        n.origin.push_back(i + k);
      }
    }
    i += len;
  }
  n.origin.push_back(in.size());
  return n;
}

}  // namespace regulation::disclosure::internal
