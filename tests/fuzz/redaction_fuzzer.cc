// Fuzz target: RedactPersonalData and FindPersonalData (disclosure/redaction.h), the one
// function every free text passes before publication. For the raw input, and for the
// input with a personal number planted in it, it checks:
//   1. the matches are ordered, non-empty, non-overlapping, inside the text and (for
//      valid UTF-8) on character boundaries; the report counts exactly them;
//   2. the public text is the input with each match replaced by its kind's mask, byte
//      for byte, and so is never longer than kMaxGrowth times the input (a mask is at
//      most 27 bytes; a match is at least 6 bytes, or follows a trigger phrase of at
//      least 2 characters that stays: docs/redaction-and-deadlines.md);
//   3. redacting the public text again changes nothing (the header's promise);
//   4. a planted number is removed: an 18-character identity card number with a correct
//      check character, a 15-digit one, or a mobile number, in the forms the document
//      lists (grouped, +86, full-width digits), set off from the random text around it
//      by full-width commas, is covered by a match and no longer appears in the output.
// Input layout for 4: byte 0 chooses the kind and form, bytes 1-15 give the number's
// digits, byte 16 where it goes in the text, the rest is the text.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "disclosure/redaction.h"
#include "tests/fuzz/fuzz_check.h"

namespace regulation::fuzz {
namespace {

using disclosure::FindPersonalData;
using disclosure::PersonalDataKind;
using disclosure::PersonalDataMatch;
using disclosure::RedactionMask;
using disclosure::RedactionReport;
using disclosure::RedactPersonalData;

constexpr size_t kMaxGrowth = 5;
constexpr absl::string_view kComma = "\xEF\xBC\x8C";  // ，U+FF0C

bool IsValidUtf8(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                             : (c & 0xF8) == 0xF0   ? 4
                                                    : 0;
    if (n == 0 || i + n > s.size()) return false;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; ++k) {
      const unsigned char t = static_cast<unsigned char>(s[i + k]);
      if ((t & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (t & 0x3F);
    }
    static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kSmallest[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t Count(absl::string_view haystack, absl::string_view needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != absl::string_view::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// Checks 1-3 on `text`; returns its matches.
std::vector<PersonalDataMatch> CheckRedaction(absl::string_view text) {
  const std::vector<PersonalDataMatch> matches = FindPersonalData(text);
  const bool utf8 = IsValidUtf8(text);
  std::string expected;
  size_t at = 0;
  RedactionReport counted;
  for (const PersonalDataMatch& m : matches) {
    FUZZ_CHECK(m.begin >= at) << "matches overlap or are out of order at " << m.begin;
    FUZZ_CHECK(m.begin < m.end && m.end <= text.size()) << m.begin << ".." << m.end;
    if (utf8) {
      FUZZ_CHECK(!IsContinuationByte(text[m.begin])) << "match starts inside a character";
      FUZZ_CHECK(m.end == text.size() || !IsContinuationByte(text[m.end]))
          << "match ends inside a character";
    }
    absl::StrAppend(&expected, text.substr(at, m.begin - at), RedactionMask(m.kind));
    at = m.end;
    ++counted.counts[static_cast<int>(m.kind)];
  }
  absl::StrAppend(&expected, text.substr(at));

  RedactionReport report;
  const std::string redacted = RedactPersonalData(text, &report);
  FUZZ_CHECK(redacted == expected) << "RedactPersonalData disagrees with FindPersonalData";
  FUZZ_CHECK(report.counts == counted.counts) << "the report miscounts";
  FUZZ_CHECK(redacted.size() <= kMaxGrowth * text.size())
      << redacted.size() << " bytes from " << text.size();
  const std::string twice = RedactPersonalData(redacted);
  FUZZ_CHECK(twice == redacted) << "redacting the public text again changed it:\n  input:  "
                                << absl::CHexEscape(text) << "\n  once:   " << redacted
                                << "\n  twice:  " << twice;
  return matches;
}

// ISO 7064 MOD 11-2, as in GB 11643 (written independently of personal_data.cc).
char IdCheckCharacter(absl::string_view first17) {
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11];
}

// Province-level codes in use (GB 11643 as the document lists them).
constexpr const char* kProvinces[] = {"11", "12", "13", "14", "15", "21", "22", "23", "31",
                                      "32", "33", "34", "35", "36", "37", "41", "42", "43",
                                      "44", "45", "46", "50", "51", "52", "53", "54", "61",
                                      "62", "63", "64", "65", "71", "81", "82", "83"};

std::string TwoDigits(int n) { return {static_cast<char>('0' + n / 10), static_cast<char>('0' + n % 10)}; }

// A real date, from the material bytes: YYYYMMDD with year in [first_year, first_year+199].
std::string Date(const uint8_t* m, int first_year, int years) {
  const int year = first_year + (m[0] | m[1] << 8) % years;
  const int month = 1 + m[2] % 12;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  const int day = 1 + m[3] % days;
  return absl::StrCat(year, TwoDigits(month), TwoDigits(day));
}

std::string Digits(const uint8_t* m, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + m[i] % 10));
  return s;
}

// Full-width digits (U+FF10-U+FF19) for every ASCII digit.
std::string FullWidth(absl::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      out += "\xEF\xBC";
      out.push_back(static_cast<char>(0x90 + (c - '0')));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// The number to plant, from `selector` and 15 bytes of `material`.
std::string PlantedNumber(uint8_t selector, const uint8_t* m) {
  const int kind = selector % 3;
  const int form = (selector / 3) % 5;
  std::string number;
  if (kind == 0) {  // 18-character identity card number, correct check character
    const std::string province = kProvinces[m[0] % (sizeof(kProvinces) / sizeof(kProvinces[0]))];
    const std::string first17 =
        absl::StrCat(province, Digits(m + 1, 4), Date(m + 5, 1900, 200), Digits(m + 9, 3));
    const std::string id = first17 + IdCheckCharacter(first17);
    number = form == 1   ? absl::StrCat(id.substr(0, 6), " ", id.substr(6, 8), " ", id.substr(14))
             : form == 2 ? absl::StrCat(id.substr(0, 6), "-", id.substr(6, 8), "-", id.substr(14))
                         : id;
  } else if (kind == 1) {  // 15-digit first-generation number: 19YYMMDD
    const std::string province = kProvinces[m[0] % (sizeof(kProvinces) / sizeof(kProvinces[0]))];
    number = absl::StrCat(province, Digits(m + 1, 4), Date(m + 5, 1900, 100).substr(2),
                          Digits(m + 9, 3));
  } else {  // mobile number 1[3-9] + 9 digits
    const std::string mobile =
        absl::StrCat("1", std::string(1, static_cast<char>('3' + m[0] % 7)), Digits(m + 1, 9));
    const std::string grouped = absl::StrCat(mobile.substr(0, 3), form == 2 ? "-" : " ",
                                             mobile.substr(3, 4), form == 2 ? "-" : " ",
                                             mobile.substr(7));
    number = form == 1 || form == 2 ? grouped
             : form == 3            ? absl::StrCat("+86 ", mobile)
             : form == 4            ? absl::StrCat("(+86)", mobile)
                                    : mobile;
  }
  if (m[14] & 1) number = FullWidth(number);
  return number;
}

void CheckPlanted(const uint8_t* data, size_t size) {
  if (size < 17) return;
  const std::string number = PlantedNumber(data[0], data + 1);
  const absl::string_view text(reinterpret_cast<const char*>(data + 17), size - 17);
  const size_t split = text.empty() ? 0 : data[16] * text.size() / 256;
  const absl::string_view before = text.substr(0, split);
  const absl::string_view after = text.substr(split);
  const std::string full = absl::StrCat(before, kComma, number, kComma, after);
  const size_t begin = before.size() + kComma.size();
  const size_t end = begin + number.size();

  const std::vector<PersonalDataMatch> matches = CheckRedaction(full);
  const bool covered = std::any_of(matches.begin(), matches.end(), [&](const PersonalDataMatch& m) {
    return m.begin <= begin && m.end >= end;
  });
  FUZZ_CHECK(covered) << "planted \"" << number << "\" is not redacted in\n  "
                      << absl::CHexEscape(full);
  const std::string redacted = RedactPersonalData(full);
  FUZZ_CHECK(Count(redacted, number) <= Count(before, number) + Count(after, number))
      << "planted \"" << number << "\" survives in\n  " << absl::CHexEscape(full);
}

}  // namespace
}  // namespace regulation::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  regulation::fuzz::CheckRedaction(absl::string_view(reinterpret_cast<const char*>(data), size));
  regulation::fuzz::CheckPlanted(data, size);
  return 0;
}
