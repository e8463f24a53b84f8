#include "disclosure/redaction.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/credit_code.h"
#include "disclosure/personal_data.h"

namespace regulation::disclosure {
namespace {

// --- Normalisation ---------------------------------------------------------------------

// The input with full-width ASCII variants, odd spaces and dashes mapped to ASCII (one
// byte per mapped character); every other byte copied. `origin[i]` is the input offset
// of the character that produced byte i of `text`; origin[text.size()] == input size.
struct Normalized {
  std::string text;
  std::vector<size_t> origin;
};

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The length (1-4) of the UTF-8 character at s[i] and its code point in *cp; a byte that
// does not start a well-formed character is a character of its own with *cp = -1.
size_t DecodeUtf8(absl::string_view s, size_t i, int32_t* cp) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len = 0;
  int32_t value = 0;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    value = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    value = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    value = c & 0x07;
  } else {
    *cp = -1;
    return 1;
  }
  if (i + len > s.size()) {
    *cp = -1;
    return 1;
  }
  for (size_t k = 1; k < len; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if (!IsContinuation(cc)) {
      *cp = -1;
      return 1;
    }
    value = (value << 6) | (cc & 0x3F);
  }
  *cp = value;
  return len;
}

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
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66,
    0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810,
    0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0,
    0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x1D7CE, 0x1D7D8, 0x1D7E2,
    0x1D7EC, 0x1D7F6, 0x1FBF0,
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

// --- Character classes (on normalised text) ------------------------------------------------

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }

// Ends an address or health phrase: ASCII punctuation (full-width forms are already
// ASCII), line breaks and tabs, and CJK punctuation outside the full-width block. Not ':'
// (病历记载：高血压 must lose its diagnosis) and not spaces (addresses may contain them).
constexpr absl::string_view kAsciiTerminators = ",.;!?()[]{}<>\"'|\n\r\t";
constexpr absl::string_view kCjkTerminators[] = {
    "。", "、", "“",  "”",  "‘",  "’",  "《", "》", "〈", "〉", "「",
    "」", "『", "』", "【", "】", "〔", "〕", "〖", "〗", "…",
};

// The length of the terminator at s[pos], or 0 when there is none.
size_t TerminatorLength(absl::string_view s, size_t pos) {
  if (kAsciiTerminators.find(s[pos]) != absl::string_view::npos) return 1;
  for (absl::string_view t : kCjkTerminators) {
    if (s.substr(pos, t.size()) == t) return t.size();
  }
  return 0;
}

// --- Digit groups ---------------------------------------------------------------------------

// A maximal run of ASCII digits (after normalisation), with a trailing 'X'/'x' that is
// not followed by a letter or digit (the check character of an identity card number).
struct Group {
  size_t begin = 0;
  size_t end = 0;      // After the 'X' when x_suffix.
  std::string digits;  // The digits, then 'X' when x_suffix.
  bool x_suffix = false;
  // The separator to the next group (1-3 of ' ', '-', ')' with at most one ')'), if any.
  bool linked = false;
  bool paren_link = false;
  bool hyphen_link = false;
};

// Credit-code-shaped tokens are never personal data: marks every byte of each maximal
// ASCII alphanumeric token of 18 characters that is a credit code by the precedence of
// ClassifyEighteenCharacters, or that contains a letter other than a final X and has the
// credit code's shape (alphabet, region digits) even with a wrong check character.
std::vector<bool> ProtectedCreditCodes(absl::string_view s) {
  std::vector<bool> protect(s.size(), false);
  for (size_t i = 0; i < s.size();) {
    if (!IsAlnum(s[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && IsAlnum(s[j])) ++j;
    if (j - i == kCreditCodeLength) {
      std::string token(s.substr(i, j - i));
      token.back() = absl::ascii_toupper(token.back());
      bool first17_digits = true;
      for (size_t k = 0; k + 1 < token.size(); ++k) first17_digits &= IsDigit(token[k]);
      bool is_credit_code = false;
      if (first17_digits && (IsDigit(token.back()) || token.back() == 'X')) {
        is_credit_code = ClassifyEighteenCharacters(token) == EighteenCharacterClass::kCreditCode;
      } else {
        // A letter other than a final X: never an identity card number.
        is_credit_code = true;
        for (size_t k = 0; k < token.size(); ++k) {
          if (CreditCodeCharValue(token[k]) < 0) is_credit_code = false;
          if (k >= 2 && k < 8 && !IsDigit(token[k])) is_credit_code = false;
        }
      }
      if (is_credit_code) std::fill(protect.begin() + i, protect.begin() + j, true);
    }
    i = j;
  }
  return protect;
}

std::vector<Group> FindGroups(absl::string_view s, const std::vector<bool>& protect) {
  std::vector<Group> groups;
  for (size_t i = 0; i < s.size();) {
    if (!IsDigit(s[i]) || protect[i]) {
      ++i;
      continue;
    }
    Group g;
    g.begin = i;
    while (i < s.size() && IsDigit(s[i]) && !protect[i]) ++i;
    g.digits = std::string(s.substr(g.begin, i - g.begin));
    if (i < s.size() && (s[i] == 'X' || s[i] == 'x') && !protect[i] &&
        (i + 1 == s.size() || !IsAlnum(s[i + 1]))) {
      g.x_suffix = true;
      g.digits.push_back('X');
      ++i;
    }
    g.end = i;
    groups.push_back(std::move(g));
  }
  for (size_t k = 0; k + 1 < groups.size(); ++k) {
    Group& g = groups[k];
    if (g.x_suffix) continue;
    const absl::string_view gap = s.substr(g.end, groups[k + 1].begin - g.end);
    if (gap.empty() || gap.size() > 3) continue;
    int parens = 0;
    bool ok = true;
    for (char c : gap) {
      if (c == ')') {
        ++parens;
      } else if (c == '-') {
        g.hyphen_link = true;
      } else if (c != ' ') {
        ok = false;
      }
    }
    if (!ok || parens > 1) {
      g.hyphen_link = false;
      continue;
    }
    g.linked = true;
    g.paren_link = parens == 1;
  }
  return groups;
}

// --- Matching -------------------------------------------------------------------------------

struct Span {
  size_t begin = 0;
  size_t end = 0;
  PersonalDataKind kind = PersonalDataKind::kIdCardNumber;
  bool check_valid = true;
};

class Scanner {
 public:
  explicit Scanner(absl::string_view text) : s_(text) {}

  std::vector<Span> Scan() {
    FindNumbers();
    FindEmails();
    FindPhrases();
    FindMessagingAccounts();
    return std::move(spans_);
  }

 private:
  static constexpr int kMaxGroupsPerMatch = 6;

  struct Candidate {
    size_t last = 0;  // Index of the last group.
    PersonalDataKind kind = PersonalDataKind::kIdCardNumber;
    bool check_valid = true;
  };

  // Digits of groups [i, j].
  std::string Concat(size_t i, size_t j) const {
    std::string d;
    for (size_t k = i; k <= j; ++k) d += groups_[k].digits;
    return d;
  }

  // True when the links between groups [i, j] carry no parenthesis.
  bool PlainLinks(size_t i, size_t j) const {
    for (size_t k = i; k < j; ++k) {
      if (groups_[k].paren_link) return false;
    }
    return true;
  }

  bool GroupsAtLeast(size_t i, size_t j, size_t min_size) const {
    for (size_t k = i; k <= j; ++k) {
      if (groups_[k].digits.size() < min_size) return false;
    }
    return true;
  }

  static bool IsCountryPrefix(const std::string& d) { return d == "86" || d == "0086"; }

  // A bank card written as one run, or in groups of four with a shorter last group.
  bool BankCardGrouping(size_t i, size_t j) const {
    for (size_t k = i; k < j; ++k) {
      if (groups_[k].digits.size() != 4) return false;
    }
    return true;
  }

  bool IsMobileAt(size_t i, size_t j, const std::string& d) const {
    if (i == j) {
      if (IsMainlandMobileNumber(d)) return true;
      if (d.size() == 13 && absl::StartsWith(d, "86")) return IsMainlandMobileNumber(d.substr(2));
      if (d.size() == 15 && absl::StartsWith(d, "0086")) {
        return IsMainlandMobileNumber(d.substr(4));
      }
      // Dialled with the trunk prefix: 0 + mobile number.
      return d.size() == 12 && d[0] == '0' && IsMainlandMobileNumber(d.substr(1));
    }
    if (PlainLinks(i, j) && GroupsAtLeast(i, j, 3) && IsMainlandMobileNumber(d)) return true;
    return IsCountryPrefix(groups_[i].digits) && PlainLinks(i + 1, j) &&
           GroupsAtLeast(i + 1, j, 3) && IsMainlandMobileNumber(Concat(i + 1, j));
  }

  // Area code group `a` followed by local groups (a, j].
  bool AreaThenLocal(size_t a, size_t j, bool trunk_prefix) const {
    if (a >= j) return false;
    const std::string& area = groups_[a].digits;
    const int len = trunk_prefix ? AreaCodeLength(area) : AreaCodeLengthWithoutTrunkPrefix(area);
    if (len == 0 || static_cast<size_t>(len) != area.size()) return false;
    return PlainLinks(a + 1, j) && GroupsAtLeast(a + 1, j, 3) &&
           IsLocalLandlineNumber(Concat(a + 1, j));
  }

  bool IsLandlineAt(size_t i, size_t j, const std::string& d) const {
    if (i == j) {
      const int a = AreaCodeLength(d);
      return a > 0 && IsLocalLandlineNumber(d.substr(a));
    }
    if (AreaThenLocal(i, j, /*trunk_prefix=*/true)) return true;
    if (!IsCountryPrefix(groups_[i].digits)) return false;
    if (AreaThenLocal(i + 1, j, /*trunk_prefix=*/false) ||
        AreaThenLocal(i + 1, j, /*trunk_prefix=*/true)) {
      return true;
    }
    if (i + 1 == j) {
      const std::string& rest = groups_[j].digits;
      const int a = AreaCodeLengthWithoutTrunkPrefix(rest);
      return a > 0 && IsLocalLandlineNumber(rest.substr(a));
    }
    return false;
  }

  // The longest number that starts at group i, if any.
  std::optional<Candidate> MatchAt(size_t i) const {
    std::optional<Candidate> best;
    for (size_t j = i; j < groups_.size() && j < i + kMaxGroupsPerMatch; ++j) {
      if (j > i && !groups_[j - 1].linked) break;
      const std::string d = Concat(i, j);
      const bool plain = PlainLinks(i, j);
      const bool has_x = groups_[j].x_suffix;
      if (d.size() == 18 && plain) {
        const EighteenCharacterClass c = ClassifyEighteenCharacters(d);
        if (c == EighteenCharacterClass::kIdCard) {
          best = Candidate{j, PersonalDataKind::kIdCardNumber, true};
          continue;
        }
        // A failed identity card check loses to a passed Luhn check.
        if (c == EighteenCharacterClass::kIdCardBadCheck &&
            !(IsBankCardNumber(d) && BankCardGrouping(i, j))) {
          best = Candidate{j, PersonalDataKind::kIdCardNumber, false};
          continue;
        }
        if (c == EighteenCharacterClass::kCreditCode) continue;
      }
      if (has_x) continue;
      if (d.size() == 15 && plain && HasIdCardShape15(d)) {
        best = Candidate{j, PersonalDataKind::kIdCardNumber, true};
      } else if (plain && IsBankCardNumber(d) && BankCardGrouping(i, j)) {
        best = Candidate{j, PersonalDataKind::kBankCardNumber, true};
      } else if (IsMobileAt(i, j, d)) {
        best = Candidate{j, PersonalDataKind::kMobilePhone, true};
      } else if (IsLandlineAt(i, j, d)) {
        best = Candidate{j, PersonalDataKind::kLandlinePhone, true};
      }
    }
    return best;
  }

  // True when the text right after `pos` (spaces skipped) is a currency unit: the digits
  // before it are an amount.
  bool FollowedByAmountUnit(size_t pos) const {
    while (pos < s_.size() && s_[pos] == ' ') ++pos;
    const absl::string_view rest = s_.substr(pos);
    return absl::StartsWith(rest, "元") || absl::StartsWith(rest, "万") ||
           absl::StartsWith(rest, "亿");
  }

  // Extends a landline number over an extension: "-123" joined to the last group, or
  // 转 / 分机 / ext / ext. / x then 1-6 digits. Returns the new end; *last is updated
  // when the extension is a group of its own.
  size_t ExtendOverExtension(size_t* last) const {
    const Group& g = groups_[*last];
    if (g.linked && g.hyphen_link && !g.paren_link && *last + 1 < groups_.size() &&
        groups_[*last + 1].digits.size() <= 6 && !groups_[*last + 1].x_suffix) {
      ++*last;
      return groups_[*last].end;
    }
    size_t pos = g.end;
    while (pos < s_.size() && s_[pos] == ' ') ++pos;
    static constexpr absl::string_view kMarkers[] = {"转", "分机", "ext.", "ext", "x"};
    for (absl::string_view marker : kMarkers) {
      if (pos + marker.size() > s_.size()) continue;
      if (!absl::EqualsIgnoreCase(s_.substr(pos, marker.size()), marker)) continue;
      size_t p = pos + marker.size();
      while (p < s_.size() && (s_[p] == ' ' || s_[p] == ':')) ++p;
      size_t q = p;
      while (q < s_.size() && IsDigit(s_[q])) ++q;
      if (q > p && q - p <= 6) {
        while (*last + 1 < groups_.size() && groups_[*last + 1].begin < q) ++*last;
        return q;
      }
      break;
    }
    return g.end;
  }

  // A local number of 7-8 digits (one group, or 3-4 + 4 digits joined by one space or
  // hyphen) right after a telephone keyword. Returns the index of its last group.
  std::optional<size_t> KeywordLocalNumberAt(size_t i) const {
    std::optional<size_t> last;
    if (IsLocalLandlineNumber(groups_[i].digits)) {
      last = i;
    } else if (groups_[i].linked && !groups_[i].paren_link && i + 1 < groups_.size() &&
               groups_[i].digits.size() >= 3 && groups_[i + 1].digits.size() == 4 &&
               groups_[i + 1].begin - groups_[i].end == 1 &&
               IsLocalLandlineNumber(Concat(i, i + 1))) {
      last = i + 1;
    }
    if (!last.has_value() || groups_[*last].x_suffix) return std::nullopt;
    if (*last + 1 < groups_.size() && groups_[*last].linked) return std::nullopt;
    // Walk back over separators and one particle to the keyword.
    size_t pos = groups_[i].begin;
    while (pos > 0 && (s_[pos - 1] == ' ' || s_[pos - 1] == ':')) --pos;
    for (absl::string_view particle : {absl::string_view("为"), absl::string_view("是")}) {
      if (pos >= particle.size() && s_.substr(pos - particle.size(), particle.size()) == particle) {
        pos -= particle.size();
        while (pos > 0 && (s_[pos - 1] == ' ' || s_[pos - 1] == ':')) --pos;
        break;
      }
    }
    static constexpr absl::string_view kKeywords[] = {
        "电话",     "电话号码", "手机", "手机号", "手机号码", "座机",
        "联系方式", "传真",     "tel",  "tel.",   "phone",    "fax",
    };
    const absl::string_view before = s_.substr(0, pos);
    for (absl::string_view keyword : kKeywords) {
      if (before.size() < keyword.size()) continue;
      if (absl::EqualsIgnoreCase(before.substr(before.size() - keyword.size()), keyword)) {
        return last;
      }
    }
    return std::nullopt;
  }

  void FindNumbers() {
    const std::vector<bool> protect = ProtectedCreditCodes(s_);
    groups_ = FindGroups(s_, protect);
    std::vector<bool> consumed(groups_.size(), false);
    for (size_t i = 0; i < groups_.size();) {
      std::optional<Candidate> c = MatchAt(i);
      if (c.has_value()) {
        size_t last = c->last;
        size_t end = groups_[last].end;
        if (c->kind == PersonalDataKind::kLandlinePhone) end = ExtendOverExtension(&last);
        if (c->kind != PersonalDataKind::kIdCardNumber && FollowedByAmountUnit(end)) {
          c.reset();
        } else {
          size_t begin = groups_[i].begin;
          if (begin > 0 && s_[begin - 1] == '+') --begin;
          if (!PlainLinks(i, last) && begin > 0 && s_[begin - 1] == '(') --begin;
          spans_.push_back(Span{begin, end, c->kind, c->check_valid});
          for (size_t k = i; k <= last; ++k) consumed[k] = true;
          i = last + 1;
          continue;
        }
      }
      if (std::optional<size_t> last = KeywordLocalNumberAt(i); last.has_value()) {
        size_t l = *last;
        const size_t end = ExtendOverExtension(&l);
        spans_.push_back(Span{groups_[i].begin, end, PersonalDataKind::kLandlinePhone, true});
        for (size_t k = i; k <= l; ++k) consumed[k] = true;
        i = l + 1;
        continue;
      }
      ++i;
    }
    // Identity card numbers glued inside longer digit runs: any 18-character window with
    // a plausible date and a correct check character.
    for (size_t k = 0; k < groups_.size(); ++k) {
      const Group& g = groups_[k];
      if (consumed[k] || g.digits.size() <= 18) continue;
      for (size_t w = 0; w + 18 <= g.digits.size();) {
        if (ClassifyEighteenCharacters(absl::string_view(g.digits).substr(w, 18)) ==
            EighteenCharacterClass::kIdCard) {
          spans_.push_back(
              Span{g.begin + w, g.begin + w + 18, PersonalDataKind::kIdCardNumber, true});
          w += 18;
        } else {
          ++w;
        }
      }
    }
  }

  static bool IsLocalPartChar(char c) {
    return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }
  static bool IsDomainChar(char c) { return IsAlnum(c) || c == '.' || c == '-'; }

  static bool IsEmailDomain(absl::string_view domain) {
    size_t labels = 0;
    absl::string_view last_label;
    size_t start = 0;
    for (size_t i = 0; i <= domain.size(); ++i) {
      if (i == domain.size() || domain[i] == '.') {
        if (i == start) return false;
        last_label = domain.substr(start, i - start);
        ++labels;
        start = i + 1;
      }
    }
    if (labels < 2 || last_label.size() < 2) return false;
    for (char c : last_label) {
      if (!IsAlpha(c)) return false;
    }
    return true;
  }

  void FindEmails() {
    for (size_t at = s_.find('@'); at != absl::string_view::npos; at = s_.find('@', at + 1)) {
      size_t l = at;
      while (l > 0 && IsLocalPartChar(s_[l - 1])) --l;
      while (l < at && !IsAlnum(s_[l])) ++l;
      if (l == at) continue;
      size_t r = at + 1;
      while (r < s_.size() && IsDomainChar(s_[r])) ++r;
      while (r > at + 1 && (s_[r - 1] == '.' || s_[r - 1] == '-')) --r;
      if (!IsEmailDomain(s_.substr(at + 1, r - at - 1))) continue;
      spans_.push_back(Span{l, r, PersonalDataKind::kEmailAddress, true});
    }
  }

  struct Trigger {
    absl::string_view text;
    PersonalDataKind kind;
  };

  void FindPhrases() {
    // Longest first where one trigger starts another.
    static constexpr Trigger kTriggers[] = {
        {"家庭住址", PersonalDataKind::kHomeAddress},
        {"家庭地址", PersonalDataKind::kHomeAddress},
        {"居住地址", PersonalDataKind::kHomeAddress},
        {"户籍所在地", PersonalDataKind::kHomeAddress},
        {"户籍地址", PersonalDataKind::kHomeAddress},
        {"户籍地", PersonalDataKind::kHomeAddress},
        {"经常居住地", PersonalDataKind::kHomeAddress},
        {"现住址", PersonalDataKind::kHomeAddress},
        {"居住地", PersonalDataKind::kHomeAddress},
        {"居住于", PersonalDataKind::kHomeAddress},
        {"居住在", PersonalDataKind::kHomeAddress},
        {"住址", PersonalDataKind::kHomeAddress},
        {"家住", PersonalDataKind::kHomeAddress},
        {"暂住", PersonalDataKind::kHomeAddress},
        {"诊断结果", PersonalDataKind::kHealthInformation},
        {"诊断为", PersonalDataKind::kHealthInformation},
        {"确诊为", PersonalDataKind::kHealthInformation},
        {"确诊", PersonalDataKind::kHealthInformation},
        {"病历", PersonalDataKind::kHealthInformation},
        {"病史", PersonalDataKind::kHealthInformation},
        {"病情", PersonalDataKind::kHealthInformation},
        {"患有", PersonalDataKind::kHealthInformation},
        {"罹患", PersonalDataKind::kHealthInformation},
        {"身患", PersonalDataKind::kHealthInformation},
    };
    static constexpr absl::string_view kParticles[] = {"位于", "为", "是", "在", "于"};
    for (size_t p = 0; p < s_.size();) {
      const Trigger* hit = nullptr;
      for (const Trigger& t : kTriggers) {
        if (s_.substr(p, t.text.size()) == t.text) {
          hit = &t;
          break;
        }
      }
      // 国家住房, 商家住所, 农家住宿, 农家住户: 家 ends another word.
      if (hit != nullptr && hit->text == "家住") {
        const absl::string_view next = s_.substr(p + hit->text.size(), 3);
        if (next == "房" || next == "所" || next == "宿" || next == "户") hit = nullptr;
      }
      if (hit == nullptr) {
        int32_t cp = 0;
        p += DecodeUtf8(s_, p, &cp);
        continue;
      }
      size_t q = p + hit->text.size();
      const auto skip_separators = [&] {
        while (q < s_.size() && (s_[q] == ' ' || s_[q] == ':')) ++q;
      };
      skip_separators();
      for (absl::string_view particle : kParticles) {
        if (s_.substr(q, particle.size()) == particle) {
          q += particle.size();
          break;
        }
      }
      skip_separators();
      size_t r = q;
      while (r < s_.size() && TerminatorLength(s_, r) == 0) {
        int32_t cp = 0;
        r += DecodeUtf8(s_, r, &cp);
      }
      size_t end = r;
      while (end > q && s_[end - 1] == ' ') --end;
      if (end > q) spans_.push_back(Span{q, end, hit->kind, true});
      p = r > p ? r : p + hit->text.size();
    }
  }

  // An instant-messaging account after its keyword: QQ numbers, WeChat IDs. The account
  // is 5-20 of A-Z a-z 0-9 _ - (a QQ number is 5-11 digits; a WeChat ID 6-20 characters).
  void FindMessagingAccounts() {
    static constexpr absl::string_view kKeywords[] = {"微信号码", "微信号", "微信",  "QQ号码",
                                                      "QQ号",     "QQ",     "wechat"};
    static constexpr absl::string_view kParticles[] = {"为", "是"};
    const auto is_account_char = [](char c) { return IsAlnum(c) || c == '_' || c == '-'; };
    for (size_t p = 0; p < s_.size(); ++p) {
      for (absl::string_view keyword : kKeywords) {
        if (p + keyword.size() > s_.size() ||
            !absl::EqualsIgnoreCase(s_.substr(p, keyword.size()), keyword)) {
          continue;
        }
        // An ASCII keyword ("QQ") inside a longer word or code is not one; a Chinese one is.
        if (p > 0 && IsAlnum(s_[p - 1]) && IsAlnum(keyword[0])) break;
        size_t q = p + keyword.size();
        while (q < s_.size() && (s_[q] == ' ' || s_[q] == ':')) ++q;
        for (absl::string_view particle : kParticles) {
          if (s_.substr(q, particle.size()) == particle) {
            q += particle.size();
            while (q < s_.size() && (s_[q] == ' ' || s_[q] == ':')) ++q;
            break;
          }
        }
        size_t r = q;
        while (r < s_.size() && is_account_char(s_[r])) ++r;
        if (r - q >= 5 && r - q <= 20 && IsAlnum(s_[q])) {
          spans_.push_back(Span{q, r, PersonalDataKind::kMessagingAccount, true});
          p = r - 1;
        }
        break;
      }
    }
  }

  const absl::string_view s_;
  std::vector<Group> groups_;
  std::vector<Span> spans_;
};

// Sorted, overlapping spans merged; a merged span keeps the first span's kind.
std::vector<Span> Merge(std::vector<Span> spans) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.end != b.end) return a.end > b.end;
    return a.kind < b.kind;
  });
  std::vector<Span> merged;
  for (const Span& span : spans) {
    if (!merged.empty() && span.begin < merged.back().end) {
      merged.back().end = std::max(merged.back().end, span.end);
      continue;
    }
    merged.push_back(span);
  }
  return merged;
}

}  // namespace

absl::string_view PersonalDataKindName(PersonalDataKind kind) {
  switch (kind) {
    case PersonalDataKind::kIdCardNumber:
      return "id_card_number";
    case PersonalDataKind::kMobilePhone:
      return "mobile_phone";
    case PersonalDataKind::kLandlinePhone:
      return "landline_phone";
    case PersonalDataKind::kBankCardNumber:
      return "bank_card_number";
    case PersonalDataKind::kEmailAddress:
      return "email_address";
    case PersonalDataKind::kHomeAddress:
      return "home_address";
    case PersonalDataKind::kHealthInformation:
      return "health_information";
    case PersonalDataKind::kMessagingAccount:
      return "messaging_account";
  }
  return "unknown";
}

absl::string_view RedactionMask(PersonalDataKind kind) {
  switch (kind) {
    case PersonalDataKind::kIdCardNumber:
      return "［身份证号已隐去］";
    case PersonalDataKind::kMobilePhone:
      return "［手机号已隐去］";
    case PersonalDataKind::kLandlinePhone:
      return "［电话号码已隐去］";
    case PersonalDataKind::kBankCardNumber:
      return "［银行卡号已隐去］";
    case PersonalDataKind::kEmailAddress:
      return "［电子邮箱已隐去］";
    case PersonalDataKind::kHomeAddress:
      return "［地址已隐去］";
    case PersonalDataKind::kHealthInformation:
      return "［健康信息已隐去］";
    case PersonalDataKind::kMessagingAccount:
      return "［联系账号已隐去］";
  }
  return "［已隐去］";
}

int RedactionReport::total() const {
  int sum = 0;
  for (int c : counts) sum += c;
  return sum;
}

std::vector<PersonalDataMatch> FindPersonalData(absl::string_view text) {
  const Normalized n = Normalize(text);
  std::vector<PersonalDataMatch> matches;
  for (const Span& span : Merge(Scanner(n.text).Scan())) {
    matches.push_back(
        PersonalDataMatch{n.origin[span.begin], n.origin[span.end], span.kind, span.check_valid});
  }
  return matches;
}

std::string RedactPersonalData(absl::string_view text, RedactionReport* report) {
  if (report != nullptr) *report = RedactionReport();
  std::string out;
  out.reserve(text.size());
  size_t copied = 0;
  for (const PersonalDataMatch& m : FindPersonalData(text)) {
    out.append(text.data() + copied, m.begin - copied);
    out.append(RedactionMask(m.kind).data(), RedactionMask(m.kind).size());
    copied = m.end;
    if (report != nullptr) {
      ++report->counts[static_cast<int>(m.kind)];
      if (m.kind == PersonalDataKind::kIdCardNumber && !m.check_character_valid) {
        ++report->id_card_numbers_failing_check;
      }
    }
  }
  out.append(text.data() + copied, text.size() - copied);
  return out;
}

}  // namespace regulation::disclosure
