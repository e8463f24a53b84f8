#include "disclosure/number_detector.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/credit_code.h"
#include "disclosure/personal_data.h"

namespace regulation::disclosure::internal {
namespace {

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
  // Follows a reference word (注册号, 批号 ...): only an identity card number with a
  // correct check character is taken from it.
  bool reference = false;
};

// Credit-code-shaped tokens are never personal data: marks every byte of each maximal
// ASCII alphanumeric token of 18 characters that is a credit code by the precedence of
// ClassifyEighteenCharacters, or that contains a letter other than a final X and has the
// credit code's shape (alphabet, region digits) even with a wrong check character.
void ProtectCreditCodes(absl::string_view s, std::vector<bool>* protect) {
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
      if (is_credit_code) std::fill(protect->begin() + i, protect->begin() + j, true);
    }
    i = j;
  }
}

// Words after which a number is a reference to a document, a product or a transaction,
// not a person's: 注册号, 许可证编号, 批号, 订单号 .... Only an identity card number with a
// correct check character is taken after one (privacy first: 编号330106199003071236).
constexpr absl::string_view kReferenceWords[] = {
    "注册号", "执照号", "执照编号", "许可证号", "许可证编号", "编号",   "编码",
    "批号",   "批次",   "货号",     "型号",     "条码",       "条形码", "订单号",
    "单号",   "流水号", "交易号",   "合同号",   "备案号",     "登记号", "登记证号",
    "证书号", "文号",   "设备代码", "追溯码",   "识别代号",   "车架号", "发动机号",
    "税号",   "识别号", "案号",     "档案号",   "代码",
};

// Before a reference word, these make it a personal one (身份证编号, 卡编号, 账户代码).
constexpr absl::string_view kPersonalReferencePrefixes[] = {
    "身份证", "身份", "证件", "护照", "通行证", "居住证", "驾驶证", "驾照",
    "社保",   "医保", "卡",   "账",   "帐",     "手机",   "电话",
};

// Marks the alphanumeric token (and the digit groups linked to it by spaces or hyphens)
// that follows a reference word.
void MarkReferenceNumbers(absl::string_view s, std::vector<bool>* reference) {
  for (absl::string_view word : kReferenceWords) {
    for (size_t p = s.find(word); p != absl::string_view::npos; p = s.find(word, p + 1)) {
      bool personal = false;
      for (absl::string_view prefix : kPersonalReferencePrefixes) personal |= EndsAt(s, p, prefix);
      if (personal) continue;
      size_t q = p + word.size();
      while (q < s.size() && (s[q] == ' ' || s[q] == ':')) ++q;
      for (absl::string_view particle : {"为", "是"}) {
        if (At(s, q, particle)) q += particle.size();
      }
      while (q < s.size() && (s[q] == ' ' || s[q] == ':')) ++q;
      size_t r = q;
      while (r < s.size()) {
        if (IsAlnum(s[r])) {
          ++r;
        } else if ((s[r] == ' ' || s[r] == '-') && r > q && r + 1 < s.size() && IsDigit(s[r + 1])) {
          ++r;
        } else {
          break;
        }
      }
      std::fill(reference->begin() + q, reference->begin() + r, true);
    }
  }
}

std::vector<Group> FindGroups(absl::string_view s, const std::vector<bool>& protect,
                              const std::vector<bool>& reference) {
  std::vector<Group> groups;
  for (size_t i = 0; i < s.size();) {
    if (!IsDigit(s[i]) || protect[i]) {
      ++i;
      continue;
    }
    Group g;
    g.begin = i;
    g.reference = reference[i];
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

class NumberScanner {
 public:
  explicit NumberScanner(absl::string_view text) : s_(text) {
    std::vector<bool> protect(s_.size(), false);
    std::vector<bool> reference(s_.size(), false);
    ProtectCreditCodes(s_, &protect);
    MarkReferenceNumbers(s_, &reference);
    groups_ = FindGroups(s_, protect, reference);
  }

  void Scan(std::vector<Detection>* out) {
    FindNumbers();
    FindGluedIdNumbers();
    FindAccountsByContext();
    out->insert(out->end(), spans_.begin(), spans_.end());
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

  // A bank card written as one run, in groups of four with a shorter last group, or as
  // the six-digit issuer number and the rest (622202 1234567890123).
  bool BankCardGrouping(size_t i, size_t j) const {
    if (j == i + 1 && groups_[i].digits.size() == 6 && groups_[j].digits.size() >= 10) return true;
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
    bool reference = false;
    for (size_t j = i; j < groups_.size() && j < i + kMaxGroupsPerMatch; ++j) {
      if (j > i && !groups_[j - 1].linked) break;
      reference |= groups_[j].reference;
      const std::string d = Concat(i, j);
      const bool plain = PlainLinks(i, j);
      const bool has_x = groups_[j].x_suffix;
      if (d.size() == 18 && plain) {
        const EighteenCharacterClass c = ClassifyEighteenCharacters(d);
        if (c == EighteenCharacterClass::kIdCard) {
          best = Candidate{j, PersonalDataKind::kIdCardNumber, true};
          continue;
        }
        if (reference) continue;
        // A failed identity card check loses to a passed Luhn check.
        if (c == EighteenCharacterClass::kIdCardBadCheck &&
            !(IsBankCardNumber(d) && BankCardGrouping(i, j))) {
          best = Candidate{j, PersonalDataKind::kIdCardNumber, false};
          continue;
        }
        if (c == EighteenCharacterClass::kCreditCode) continue;
      }
      if (has_x || reference) continue;
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

  // A local number of 7-8 digits at group i: one group, or 3-4 + 4 digits joined by one
  // space or hyphen. Returns the index of its last group.
  std::optional<size_t> LocalNumberAt(size_t i) const {
    std::optional<size_t> last;
    if (IsLocalLandlineNumber(groups_[i].digits)) {
      last = i;
    } else if (groups_[i].linked && !groups_[i].paren_link && i + 1 < groups_.size() &&
               groups_[i].digits.size() >= 3 && groups_[i + 1].digits.size() == 4 &&
               groups_[i + 1].begin - groups_[i].end == 1 &&
               IsLocalLandlineNumber(Concat(i, i + 1))) {
      last = i + 1;
    }
    if (!last.has_value() || groups_[*last].x_suffix || groups_[i].reference) return std::nullopt;
    if (*last + 1 < groups_.size() && groups_[*last].linked) return std::nullopt;
    return last;
  }

  // True when a telephone keyword ends at `end` (case-insensitive).
  bool PhoneKeywordEndsAt(size_t end) const {
    static constexpr absl::string_view kKeywords[] = {
        "电话", "电话号码", "手机",     "手机号", "手机号码", "座机", "座机号", "座机号码",
        "宅电", "固话",     "联系方式", "传真",   "tel",      "tel.", "phone",  "fax",
    };
    const absl::string_view before = s_.substr(0, end);
    for (absl::string_view keyword : kKeywords) {
      if (before.size() >= keyword.size() &&
          absl::EqualsIgnoreCase(before.substr(before.size() - keyword.size()), keyword)) {
        return true;
      }
    }
    return false;
  }

  // True when a telephone keyword stands before byte `pos`: right before it (spaces,
  // colons and one 为/是 between), before a bracket there (座机（办公室）：), or, when
  // 号码 stands right before it, anywhere in the same clause before 号码
  // (宅电：区号0571，号码86541234).
  bool PhoneKeywordBefore(size_t pos) const {
    const auto skip_back = [&](size_t p) {
      while (p > 0 && (s_[p - 1] == ' ' || s_[p - 1] == ':')) --p;
      return p;
    };
    pos = skip_back(pos);
    for (absl::string_view particle : {"为", "是"}) {
      if (EndsAt(s_, pos, particle)) {
        pos = skip_back(pos - particle.size());
        break;
      }
    }
    if (PhoneKeywordEndsAt(pos)) return true;
    if (pos > 0 && s_[pos - 1] == ')') {
      // The bracket's opening within 20 bytes (a bounded search: this runs for every group).
      const size_t from = pos > 20 ? pos - 20 : 0;
      const size_t open = s_.substr(from, pos - 1 - from).rfind('(');
      if (open != absl::string_view::npos) return PhoneKeywordEndsAt(skip_back(from + open));
    }
    if (!EndsAt(s_, pos, "号码")) return false;
    size_t p = pos - absl::string_view("号码").size();
    for (int chars = 0; chars < 16 && p > 0; ++chars) {
      if (PhoneKeywordEndsAt(p)) return true;
      const size_t prev = PreviousCharacter(s_, p);
      const absl::string_view c = s_.substr(prev, p - prev);
      if (c == "。" || c == ";" || c == "!" || c == "?" || c == "\n") break;
      p = prev;
    }
    return false;
  }

  // True when the text between groups k and k + 1 separates items of a list of numbers.
  bool ListSeparatorAfter(size_t k) const {
    if (k + 1 >= groups_.size()) return false;
    absl::string_view gap = s_.substr(groups_[k].end, groups_[k + 1].begin - groups_[k].end);
    while (!gap.empty() && gap.front() == ' ') gap.remove_prefix(1);
    while (!gap.empty() && gap.back() == ' ') gap.remove_suffix(1);
    return gap == "、" || gap == "," || gap == "/" || gap == ";" || gap == "或" || gap == "及" ||
           gap == "和" || gap == "或者";
  }

  // 19000101-20991231 with a real month and day: a date in a list, not a number.
  static bool LooksLikeDate(const std::string& d) {
    if (d.size() != 8 || !(absl::StartsWith(d, "19") || absl::StartsWith(d, "20"))) return false;
    const int month = (d[4] - '0') * 10 + (d[5] - '0');
    const int day = (d[6] - '0') * 10 + (d[7] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }

  void Take(size_t first, size_t last, size_t begin, size_t end, PersonalDataKind kind,
            bool check_valid) {
    for (size_t k = first; k <= last; ++k) owner_[k] = static_cast<int>(spans_.size());
    spans_.push_back(Detection{begin, end, kind, check_valid});
  }

  void FindNumbers() {
    owner_.assign(groups_.size(), kNoOwner);
    bool previous_was_phone = false;
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
          Take(i, last, begin, end, c->kind, c->check_valid);
          previous_was_phone = c->kind == PersonalDataKind::kMobilePhone ||
                               c->kind == PersonalDataKind::kLandlinePhone;
          i = last + 1;
          continue;
        }
      }
      // A local number after a telephone keyword, or after a telephone number and a list
      // separator (电话：87654321、87654322).
      const bool in_list = previous_was_phone && i > 0 && ListSeparatorAfter(i - 1) &&
                           !LooksLikeDate(groups_[i].digits);
      if (std::optional<size_t> last = LocalNumberAt(i);
          last.has_value() && (in_list || PhoneKeywordBefore(groups_[i].begin))) {
        size_t l = *last;
        const size_t end = ExtendOverExtension(&l);
        if (!FollowedByAmountUnit(end)) {
          Take(i, l, groups_[i].begin, end, PersonalDataKind::kLandlinePhone, true);
          previous_was_phone = true;
          i = l + 1;
          continue;
        }
      }
      previous_was_phone = false;
      ++i;
    }
  }

  // Identity card numbers glued inside longer digit runs: any 18-character window with
  // a plausible date and a correct check character.
  void FindGluedIdNumbers() {
    for (size_t k = 0; k < groups_.size(); ++k) {
      const Group& g = groups_[k];
      if (owner_[k] != kNoOwner || g.digits.size() <= 18) continue;
      for (size_t w = 0; w + 18 <= g.digits.size();) {
        if (ClassifyEighteenCharacters(absl::string_view(g.digits).substr(w, 18)) ==
            EighteenCharacterClass::kIdCard) {
          spans_.push_back(
              Detection{g.begin + w, g.begin + w + 18, PersonalDataKind::kIdCardNumber, true});
          w += 18;
        } else {
          ++w;
        }
      }
    }
  }

  // A bank account or card number after 银行账号, 卡号, 账户, 开户行 ...: the digit
  // groups (joined by spaces or hyphens, 8-30 digits in all) that follow the word, with at
  // most 16 characters of other text (a bank's name, 为, ：) between, whatever their check.
  void FindAccountsByContext() {
    static constexpr absl::string_view kAccountWords[] = {
        "账号",   "帐号",   "账户",   "帐户",   "卡号",   "银行卡", "开户行",
        "信用卡", "储蓄卡", "借记卡", "社保卡", "医保卡", "存折",
    };
    constexpr size_t kMaxBetween = 16;
    for (absl::string_view word : kAccountWords) {
      for (size_t p = s_.find(word); p != absl::string_view::npos; p = s_.find(word, p + 1)) {
        size_t q = p + word.size();
        for (size_t chars = 0; q < s_.size() && !IsDigit(s_[q]) && chars < kMaxBetween; ++chars) {
          if (TerminatorLength(s_, q) > 0 && s_[q] != '(' && s_[q] != ')') break;
          int32_t cp = 0;
          q += DecodeUtf8(s_, q, &cp);
        }
        AccountAt(q);
      }
    }
  }

  bool TakenAsIdCard(size_t group) const {
    return owner_[group] != kNoOwner &&
           spans_[owner_[group]].kind == PersonalDataKind::kIdCardNumber &&
           owner_[group] != owner_[group - 1];
  }

  void AccountAt(size_t q) {
    if (q >= s_.size() || !IsDigit(s_[q]) || (q > 0 && IsAlpha(s_[q - 1]))) return;
    const auto it = std::lower_bound(groups_.begin(), groups_.end(), q,
                                     [](const Group& g, size_t pos) { return g.begin < pos; });
    if (it == groups_.end() || it->begin != q || it->reference) return;
    const size_t first = static_cast<size_t>(it - groups_.begin());
    // The linked groups that follow, up to 30 digits. After an account word a chain of
    // digit groups is the account, even where part of it also reads as a card or a
    // telephone number; only an identity card number stops it (银行账号1202… 330106…).
    size_t last = first;
    size_t digits = groups_[first].digits.size();
    while (last + 1 < groups_.size() && groups_[last].linked && !groups_[last].paren_link &&
           !groups_[last].x_suffix && !TakenAsIdCard(last + 1) &&
           digits + groups_[last + 1].digits.size() <= 30) {
      ++last;
      digits += groups_[last].digits.size();
    }
    const size_t end = groups_[last].end;
    if (digits < 8 || digits > 30 || groups_[last].x_suffix) return;
    if (end < s_.size() && IsAlpha(s_[end])) return;
    if (FollowedByAmountUnit(end)) return;
    spans_.push_back(Detection{q, end, PersonalDataKind::kBankAccountNumber, true});
  }

  const absl::string_view s_;
  std::vector<Group> groups_;
  // For each group, the index in spans_ of the number that took it, or kNoOwner.
  static constexpr int kNoOwner = -1;
  std::vector<int> owner_;
  std::vector<Detection> spans_;
};

}  // namespace

void FindPersonalNumbers(absl::string_view normalized, std::vector<Detection>* out) {
  NumberScanner(normalized).Scan(out);
}

}  // namespace regulation::disclosure::internal
