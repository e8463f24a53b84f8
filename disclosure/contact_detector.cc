#include "disclosure/contact_detector.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "disclosure/word_table.h"

namespace regulation::disclosure::internal {
namespace {

size_t CharLength(absl::string_view s, size_t pos) {
  int32_t cp = 0;
  return DecodeUtf8(s, pos, &cp);
}

bool AtIgnoreCase(absl::string_view s, size_t pos, absl::string_view word) {
  return pos + word.size() <= s.size() && absl::EqualsIgnoreCase(s.substr(pos, word.size()), word);
}

// The end of the maximal ASCII alphanumeric token starting at `pos`.
size_t TokenEnd(absl::string_view s, size_t pos) {
  while (pos < s.size() && IsAlnum(s[pos])) ++pos;
  return pos;
}

size_t CountDigits(absl::string_view token) {
  size_t n = 0;
  for (char c : token) n += IsDigit(c) ? 1 : 0;
  return n;
}

// --- E-mail --------------------------------------------------------------------------------

bool IsLocalPartChar(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

// The length of an "@" written as @, (at), [at], {at}, <at> or # at s[pos].
size_t AtSignAt(absl::string_view s, size_t pos) {
  if (s[pos] == '@' || s[pos] == '#') return 1;
  for (absl::string_view spelled : {"(at)", "[at]", "{at}", "<at>"}) {
    if (AtIgnoreCase(s, pos, spelled)) return spelled.size();
  }
  return 0;
}

// The length of a domain dot written as ., 。, (dot) or [dot] at s[pos].
size_t DomainDotAt(absl::string_view s, size_t pos) {
  if (pos >= s.size()) return 0;
  if (s[pos] == '.') return 1;
  if (At(s, pos, "。")) return absl::string_view("。").size();
  for (absl::string_view spelled : {"(dot)", "[dot]"}) {
    if (AtIgnoreCase(s, pos, spelled)) return spelled.size();
  }
  return 0;
}

// Top-level domains accepted after '#', which is too common to take on its own.
bool IsCommonTopLevelDomain(absl::string_view label) {
  for (absl::string_view tld : {"com", "cn", "net", "org", "edu", "gov", "info", "top", "vip"}) {
    if (absl::EqualsIgnoreCase(label, tld)) return true;
  }
  return false;
}

// --- Messaging -------------------------------------------------------------------------------

// Longest first where one starts another. ASCII keywords must stand on their own (not
// inside a longer word or code: "QQ" inside a credit code is no keyword).
constexpr absl::string_view kMessagingKeywords[] = {
    "微信号码", "微信号",   "微信账号", "个人微信", "微信",   "V信",    "v信",        "VX",
    "WX",       "weixin",   "wechat",   "QQ号码",   "QQ号",   "QQ",     "抖音号",     "抖音账号",
    "快手号",   "快手账号", "小红书号", "微博号",   "钉钉号", "旺旺号", "支付宝账号", "支付宝",
};

// --- Travel documents ------------------------------------------------------------------------

constexpr absl::string_view kTravelDocumentWords[] = {
    "护照", "通行证", "台胞证", "回乡证", "证件号", "旅行证", "居留许可", "签证",
};

// Right before these, a letter and digits are an approval number (国药准字H20003263,
// 国食健注G20120123, 备案号) or a reference, not a travel document.
constexpr absl::string_view kApprovalPrefixes[] = {"字",   "注",   "备",   "批号", "编号",
                                                   "型号", "货号", "代码", "号"};

bool LooksLikeDate(absl::string_view d) {
  if (d.size() != 8 || !(absl::StartsWith(d, "19") || absl::StartsWith(d, "20"))) return false;
  const int month = (d[4] - '0') * 10 + (d[5] - '0');
  const int day = (d[6] - '0') * 10 + (d[7] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return !s.empty();
}

// The shapes of Chinese travel documents, recognised without any word before them.
bool HasTravelDocumentShape(absl::string_view t) {
  if (t.size() < 2) return false;
  const char first = t[0];
  const absl::string_view rest = t.substr(1);
  if (absl::string_view("EGCWLHM").find(first) == absl::string_view::npos) return false;
  if (rest.size() == 8 && AllDigits(rest)) return !LooksLikeDate(rest);
  // E + letter + 7 digits (electronic passports), C + letter + 7 digits (permits).
  if ((first == 'E' || first == 'C') && rest.size() == 8 && IsAlpha(rest[0]) &&
      absl::ascii_isupper(rest[0]) && AllDigits(rest.substr(1))) {
    return true;
  }
  // Home-return permits also come with 10 digits.
  return (first == 'H' || first == 'M') && rest.size() == 10 && AllDigits(rest);
}

// --- Licence plates --------------------------------------------------------------------------

constexpr absl::string_view kPlateProvinces =
    "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

bool IsPlateLetter(char c) { return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O'; }
bool IsPlateChar(char c) { return IsDigit(c) || IsPlateLetter(c); }

bool IsPlateSeparator(absl::string_view s, size_t pos, size_t* len) {
  for (absl::string_view sep : {"·", "•", "・", "･", " ", "-", "."}) {
    if (At(s, pos, sep)) {
      *len = sep.size();
      return true;
    }
  }
  return false;
}

}  // namespace

void FindEmailAddresses(absl::string_view s, std::vector<Detection>* out) {
  for (size_t at = 0; at < s.size(); ++at) {
    const size_t marker = AtSignAt(s, at);
    if (marker == 0) continue;
    size_t l = at;
    while (l > 0 && IsLocalPartChar(s[l - 1])) --l;
    while (l < at && !IsAlnum(s[l])) ++l;
    if (l == at) continue;
    // The domain: labels of A-Z a-z 0-9 - joined by dots, at least two, the last of two or
    // more letters. It ends after the last label that can end it (x@qq.com。123 ends at m).
    size_t r = at + marker;
    size_t end = 0;
    int labels = 0;
    while (true) {
      size_t e = r;
      while (e < s.size() && (IsAlnum(s[e]) || s[e] == '-')) ++e;
      if (e == r) break;
      // x@a.cn。y_z@b.com: a label that runs on into a local part starts the next address.
      if (e < s.size() && (s[e] == '_' || s[e] == '%' || s[e] == '+' || AtSignAt(s, e) > 0)) {
        break;
      }
      ++labels;
      const absl::string_view label = s.substr(r, e - r);
      bool alphabetic = label.size() >= 2;
      for (char c : label) alphabetic &= IsAlpha(c);
      if (labels >= 2 && alphabetic && (s[at] != '#' || IsCommonTopLevelDomain(label))) {
        end = e;
      }
      const size_t dot = DomainDotAt(s, e);
      if (dot == 0) break;
      r = e + dot;
    }
    if (end == 0) continue;
    out->push_back(Detection{l, end, PersonalDataKind::kEmailAddress, true});
    at = end - 1;
  }
}

void FindMessagingAccounts(absl::string_view s, std::vector<Detection>* out) {
  const auto is_account_char = [](char c) {
    return IsAlnum(c) || c == '_' || c == '-' || c == '.';
  };
  for (size_t p = 0; p < s.size(); p += CharLength(s, p)) {
    const size_t keyword = TableOf<kMessagingKeywords, /*kIgnoreAsciiCase=*/true>().LongestAt(s, p);
    if (keyword == 0) continue;
    const bool ascii_keyword = IsAlpha(s[p]);
    // An ASCII keyword ("QQ") inside a longer word or code is not one; a Chinese one
    // (微信号 right after another account's last digit) still is.
    if (ascii_keyword && p > 0 && IsAlnum(s[p - 1])) continue;
    if (ascii_keyword && IsAlpha(s[p + keyword - 1]) && p + keyword < s.size() &&
        IsAlpha(s[p + keyword])) {
      continue;
    }
    size_t q = p + keyword;
    for (absl::string_view suffix : {"号码", "账号", "号", "ID", "id"}) {
      if (At(s, q, suffix)) {
        q += suffix.size();
        break;
      }
    }
    while (q < s.size() && (s[q] == ' ' || s[q] == ':')) ++q;
    for (absl::string_view particle : {"为", "是"}) {
      if (At(s, q, particle)) {
        q += particle.size();
        while (q < s.size() && (s[q] == ' ' || s[q] == ':')) ++q;
        break;
      }
    }
    if (q >= s.size() || !IsAlnum(s[q])) continue;
    size_t r = q;
    while (r < s.size() && is_account_char(s[r])) ++r;
    while (r > q && !IsAlnum(s[r - 1])) --r;  // not a trailing dot or hyphen
    if (r - q < 5 || r - q > 30) continue;
    out->push_back(Detection{q, r, PersonalDataKind::kMessagingAccount, true});
    p = r - 1;  // the loop moves on by one character (r - 1 is ASCII)
  }
}

void FindTravelDocuments(absl::string_view s, std::vector<Detection>* out) {
  // By shape, anywhere.
  for (size_t p = 0; p < s.size();) {
    if (!IsAlnum(s[p])) {
      ++p;
      continue;
    }
    const size_t end = TokenEnd(s, p);
    bool approval = false;
    for (absl::string_view prefix : kApprovalPrefixes) approval |= EndsAt(s, p, prefix);
    if (!approval && HasTravelDocumentShape(s.substr(p, end - p))) {
      out->push_back(Detection{p, end, PersonalDataKind::kTravelDocumentNumber, true});
    }
    p = end;
  }
  // By context: a 7-12 character number after a document word, at most 8 characters on.
  for (absl::string_view word : kTravelDocumentWords) {
    for (size_t p = s.find(word); p != absl::string_view::npos; p = s.find(word, p + 1)) {
      size_t q = p + word.size();
      for (int chars = 0; q < s.size() && !IsAlnum(s[q]) && chars < 8; ++chars) {
        if (TerminatorLength(s, q) > 0 && s[q] != '(' && s[q] != ')') break;
        q += CharLength(s, q);
      }
      if (q >= s.size() || !IsAlnum(s[q]) || (q > 0 && IsAlnum(s[q - 1]))) continue;
      // 通行证有效期至20250301: a date, not the number.
      const absl::string_view between = s.substr(p + word.size(), q - p - word.size());
      if (absl::StrContains(between, "期") || absl::StrContains(between, "日") ||
          absl::StrContains(between, "至")) {
        continue;
      }
      const size_t end = TokenEnd(s, q);
      const absl::string_view token = s.substr(q, end - q);
      if (token.size() >= 7 && token.size() <= 12 && CountDigits(token) >= 6 &&
          !LooksLikeDate(token)) {
        out->push_back(Detection{q, end, PersonalDataKind::kTravelDocumentNumber, true});
      }
    }
  }
}

void FindLicensePlates(absl::string_view s, std::vector<Detection>* out) {
  for (absl::string_view::size_type p = 0; p < s.size(); p += CharLength(s, p)) {
    const size_t province = CharLength(s, p);
    if (province != 3 || kPlateProvinces.find(s.substr(p, 3)) == absl::string_view::npos) {
      continue;
    }
    if (p > 0 && IsAlnum(s[p - 1])) continue;  // 梯11浙A12345(18): part of a code
    size_t q = p + province;
    if (q >= s.size() || !IsPlateLetter(s[q])) continue;
    ++q;
    size_t sep = 0;
    if (IsPlateSeparator(s, q, &sep)) q += sep;
    size_t r = q;
    while (r < s.size() && IsPlateChar(s[r]) && r - q < 7) ++r;
    const size_t body = r - q;
    if (r < s.size() && IsAlnum(s[r])) continue;
    const size_t digits = CountDigits(s.substr(q, body));
    if (!((body == 5 && digits >= 3) || (body == 6 && digits >= 4))) continue;
    for (absl::string_view suffix : {"挂", "学", "警", "港", "澳", "领"}) {
      if (At(s, r, suffix)) {
        r += suffix.size();
        break;
      }
    }
    out->push_back(Detection{p, r, PersonalDataKind::kLicensePlate, true});
    p = PreviousCharacter(s, r);
  }
}

}  // namespace regulation::disclosure::internal
