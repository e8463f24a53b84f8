#include "disclosure/name_detector.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "disclosure/name_lexicon.h"

namespace regulation::disclosure::internal {
namespace {

// Words after a name that show the name belongs to an enterprise (张三水果店), not a person.
constexpr absl::string_view kEnterpriseSuffixes[] = {
    "水果店", "小吃店", "便利店", "副食店", "杂货店", "烟酒店", "早餐店", "理发店",
    "商店",   "商行",   "超市",   "公司",   "餐厅",   "饭店",   "酒店",   "面馆",
    "药房",   "药店",   "诊所",   "工作室", "经营部", "批发部", "门市部", "加工厂",
    "食品厂", "汽修厂", "小卖部", "修理部", "美容院",
};

// Middle dots written between the parts of a transliterated name.
bool IsNameDot(int32_t cp) {
  return cp == 0x00B7 || cp == 0x2022 || cp == 0x30FB || cp == 0xFF65 || cp == 0x2027 ||
         cp == 0x2219 || cp == '.';
}

// Place suffixes: a candidate ending in one is a place (钱塘区), not a name.
bool IsPlaceSuffix(int32_t cp) {
  static constexpr int32_t kSuffixes[] = {
      0x5DDE /*州*/, 0x5E02 /*市*/, 0x7701 /*省*/, 0x53BF /*县*/, 0x533A /*区*/, 0x9547 /*镇*/,
      0x4E61 /*乡*/, 0x6751 /*村*/, 0x8DEF /*路*/, 0x8857 /*街*/, 0x5DF7 /*巷*/};
  return std::find(std::begin(kSuffixes), std::end(kSuffixes), cp) != std::end(kSuffixes);
}

size_t CharLength(absl::string_view s, size_t pos) {
  int32_t cp = 0;
  return DecodeUtf8(s, pos, &cp);
}

class NameFinder {
 public:
  explicit NameFinder(absl::string_view s) : s_(s) {}

  void Run(std::vector<Detection>* out) {
    for (size_t pos = 0; pos < s_.size();) {
      const size_t advance = TryAt(pos);
      pos += advance > 0 ? advance : CharLength(s_, pos);
    }
    FindDottedNames();
    Propagate();
    for (const auto& [begin, end] : found_) {
      out->push_back(Detection{begin, end, PersonalDataKind::kPersonName, true});
    }
  }

 private:
  enum class Evidence {
    kRoleWord,     // after a role word: the candidate is a name unless it is a word
    kNeedsEnding,  // after a preposition or in a list: a name-ending word must follow
  };

  // The end of a name starting at `q`, if one does: the surname and one or two given-name
  // characters. The second is left out when it begins a name-ending word; when a
  // name-ending word must follow (kNeedsEnding), the one-character given name is tried
  // too (韦强上岗: 强上 is not followed by one, 强 is).
  std::optional<size_t> NameAt(size_t q, Evidence evidence) const {
    if (q >= s_.size()) return std::nullopt;
    size_t surname = CompoundSurnameAt(s_, q);
    if (surname == 0) {
      if (!IsSingleSurname(CodePointAt(s_, q))) return std::nullopt;
      surname = CharLength(s_, q);
    }
    if (IsOrdinaryWordAt(s_, q)) return std::nullopt;
    const size_t g1 = q + surname;
    const int32_t c1 = CodePointAt(s_, g1);
    if (!IsHan(c1) || NeverStartsGivenName(c1) || TitleAt(s_, g1) > 0) return std::nullopt;
    // A single name-ending character starts a given name only when a second given-name
    // character follows and the name ends after it (钟可欣提供, 王为民称; not 张在场, 李未经);
    // a longer name-ending word can (钟声称 is 钟声 and 称: a bare surname does not claim).
    const bool c1_ends_names = NameEndWordAt(s_, g1) == CharLength(s_, g1);
    const size_t g2 = g1 + CharLength(s_, g1);
    std::optional<size_t> two;
    const int32_t c2 = CodePointAt(s_, g2);
    if (IsHan(c2) && NameEndWordAt(s_, g2) == 0 && !IsEnterpriseSuffixAt(g2)) {
      if (IsPlaceSuffix(c2)) return std::nullopt;
      two = g2 + CharLength(s_, g2);
      if (IsEnterpriseSuffixAt(*two)) return std::nullopt;
    }
    if (c1_ends_names) {
      if (two.has_value() && EndsName(*two)) return *two;
      return std::nullopt;
    }
    if (IsEnterpriseSuffixAt(g2)) return std::nullopt;
    if (evidence == Evidence::kRoleWord) return two.has_value() ? *two : g2;
    if (two.has_value() && EndsName(*two)) return *two;
    if (EndsName(g2)) return g2;
    return std::nullopt;
  }

  bool IsEnterpriseSuffixAt(size_t pos) const {
    for (absl::string_view suffix : kEnterpriseSuffixes) {
      if (At(s_, pos, suffix)) return true;
    }
    return false;
  }

  // True when what follows `end` closes a name: a name-ending word, punctuation, a list
  // separator, a space or the end of the text.
  bool EndsName(size_t end) const {
    if (end >= s_.size()) return true;
    return NameEndWordAt(s_, end) > 0 || TerminatorLength(s_, end) > 0 || s_[end] == ' ' ||
           s_[end] == ':';
  }

  // A name ending at `end`, found by looking back: the longest of compound surname + 2,
  // compound + 1, surname + 2, surname + 1 characters that is a name there. A candidate
  // inside which a role word ends (主任王芳, 消费者王) is not taken: the name starts after
  // the role word.
  std::optional<size_t> NameEndingAt(size_t end, Evidence evidence) const {
    std::vector<size_t> starts;  // character boundaries 2-4 characters back
    size_t p = end;
    for (int chars = 0; chars < 4 && p > 0; ++chars) {
      p = PreviousCharacter(s_, p);
      if (!IsHan(CodePointAt(s_, p))) break;
      starts.push_back(p);
    }
    for (size_t i = starts.size(); i-- > 1;) {  // longest first, at least two characters
      const size_t start = starts[i];
      bool role_inside = false;
      for (size_t k = 0; k < i; ++k) role_inside |= RoleWordEndsAt(s_, starts[k]);
      if (role_inside) continue;
      std::optional<size_t> name = NameAt(start, evidence);
      if (name.has_value() && *name == end) return start;
    }
    return std::nullopt;
  }

  void Add(size_t begin, size_t end) { found_.insert({begin, end}); }

  // Names in a list with the name [begin, end): 张三、李四 and 张三和李四, both ways.
  void ExtendList(size_t begin, size_t end) {
    static constexpr absl::string_view kSeparators[] = {"、", "和", "及", "与"};
    for (size_t e = end;;) {
      size_t next = 0;
      for (absl::string_view sep : kSeparators) {
        if (At(s_, e, sep)) next = e + sep.size();
      }
      if (next == 0) break;
      std::optional<size_t> name = NameAt(next, Evidence::kNeedsEnding);
      if (!name.has_value()) break;
      Add(next, *name);
      e = *name;
    }
    for (size_t b = begin;;) {
      size_t before = 0;
      for (absl::string_view sep : kSeparators) {
        if (EndsAt(s_, b, sep)) before = b - sep.size();
      }
      if (before == 0) break;
      std::optional<size_t> start = NameEndingAt(before, Evidence::kRoleWord);
      if (!start.has_value()) break;
      Add(*start, before);
      b = *start;
    }
  }

  // Role word, preposition or confirming word at `pos`. Returns how far to move on.
  size_t TryAt(size_t pos) {
    if (const size_t role = RoleWordAt(s_, pos); role > 0) {
      size_t q = pos + role;
      SkipSeparators(&q);
      for (absl::string_view particle :
           {"姓名为", "姓名", "名为", "名叫", "叫", "为", "是", "系", "即"}) {
        if (At(s_, q, particle)) {
          q += particle.size();
          SkipSeparators(&q);
          break;
        }
      }
      if (std::optional<size_t> end = NameAt(q, Evidence::kRoleWord); end.has_value()) {
        Add(q, *end);
        ExtendList(q, *end);
        return *end - pos;
      }
      // No name here; a role word may still start inside this one (法人员 holds 人员).
      return 0;
    }
    const int32_t cp = CodePointAt(s_, pos);
    if (IsNamePreposition(cp)) {
      const size_t q = pos + CharLength(s_, pos);
      if (std::optional<size_t> end = NameAt(q, Evidence::kNeedsEnding); end.has_value()) {
        Add(q, *end);
        ExtendList(q, *end);
        return *end - pos;
      }
    }
    // 经查，张三在…: the subject of what an investigation found.
    if (const size_t lead = InvestigationLeadAt(pos); lead > 0) {
      if (std::optional<size_t> end = NameAt(pos + lead, Evidence::kNeedsEnding); end.has_value()) {
        Add(pos + lead, *end);
        ExtendList(pos + lead, *end);
        return *end - pos;
      }
      return lead;
    }
    if ((PersonConfirmingWordAt(s_, pos) > 0 || CountOfPeopleAt(pos) || AgeAt(pos)) && pos > 0 &&
        !(At(s_, pos, "称") && IsWordEndingInChengAt(s_, PreviousCharacter(s_, pos)))) {
      if (std::optional<size_t> start = NameEndingAt(pos, Evidence::kRoleWord); start.has_value()) {
        Add(*start, pos);
        ExtendList(*start, pos);
      }
    }
    return 0;
  }

  // The length of 经查， / 经核查： / 据查， ... at `pos`, or 0.
  size_t InvestigationLeadAt(size_t pos) const {
    for (absl::string_view lead : {"经查", "经核查", "经调查", "据查", "查明"}) {
      if (At(s_, pos, lead)) {
        const size_t q = pos + lead.size();
        if (q < s_.size() && (s_[q] == ',' || s_[q] == ':')) return lead.size() + 1;
      }
    }
    return 0;
  }

  // (80岁 or ,45岁: a person's age after a name.
  bool AgeAt(size_t pos) const {
    if (pos >= s_.size() || (s_[pos] != '(' && s_[pos] != ',')) return false;
    size_t q = pos + 1;
    const size_t first = q;
    while (q < s_.size() && IsDigit(s_[q])) ++q;
    return q > first && q - first <= 3 && At(s_, q, "岁");
  }

  // 等6名, 等三人: a count of people after 等.
  bool CountOfPeopleAt(size_t pos) const {
    if (!At(s_, pos, "等")) return false;
    size_t q = pos + absl::string_view("等").size();
    const size_t first = q;
    while (q < s_.size()) {
      if (IsDigit(s_[q])) {
        ++q;
        continue;
      }
      bool numeral = false;
      for (absl::string_view n :
           {"一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十", "余", "多"}) {
        if (At(s_, q, n)) {
          q += n.size();
          numeral = true;
          break;
        }
      }
      if (!numeral) break;
    }
    return q > first && (At(s_, q, "名") || At(s_, q, "人"));
  }

  void SkipSeparators(size_t* q) const {
    while (*q < s_.size() && (s_[*q] == ' ' || s_[*q] == ':' || s_[*q] == ')')) ++*q;
  }

  // 阿卜杜拉·买买提: two to five runs of 2-8 Han characters joined by middle dots. The first
  // run starts after a role word, a name-ending character or anything not Han, at most six
  // characters back; each later run ends before a name-ending word.
  void FindDottedNames() {
    for (size_t pos = 0; pos < s_.size(); pos += CharLength(s_, pos)) {
      if (!IsNameDot(CodePointAt(s_, pos)) || pos == 0) continue;
      size_t begin = pos;
      for (int chars = 0; chars < 6 && begin > 0; ++chars) {
        const size_t prev = PreviousCharacter(s_, begin);
        if (!IsHan(CodePointAt(s_, prev)) || RoleWordEndsAt(s_, begin) ||
            NameEndWordAt(s_, prev) == begin - prev) {
          break;
        }
        begin = prev;
      }
      if (HanCount(begin, pos) < 2) continue;
      size_t end = pos;
      for (int parts = 1; parts < 5 && end < s_.size() && IsNameDot(CodePointAt(s_, end));
           ++parts) {
        const size_t part = end + CharLength(s_, end);
        size_t r = part;
        while (r < s_.size() && IsHan(CodePointAt(s_, r)) && HanCount(part, r) < 8 &&
               (r == part || NameEndWordAt(s_, r) == 0)) {
          r += CharLength(s_, r);
        }
        if (HanCount(part, r) < 2) break;
        end = r;
      }
      if (end == pos) continue;
      Add(begin, end);
      pos = PreviousCharacter(s_, end);  // the loop steps on to `end`
    }
  }

  size_t HanCount(size_t begin, size_t end) const {
    size_t n = 0;
    for (size_t p = begin; p < end; p += CharLength(s_, p)) ++n;
    return n;
  }

  // Every other occurrence of a name found: once a role word has shown that 张三 is a
  // person, 张三 is a person wherever the text names him. One scan: at each character, the
  // 2-4 (dotted names: up to 20) characters starting there are looked up among the names.
  void Propagate() {
    absl::flat_hash_set<absl::string_view> names;
    size_t longest = 0;
    constexpr size_t kLongestPropagated = 64;  // bytes; a longer match is not looked for again
    for (const auto& [begin, end] : found_) {
      if (end - begin > kLongestPropagated) continue;
      names.insert(s_.substr(begin, end - begin));
      longest = std::max(longest, end - begin);
    }
    if (names.empty()) return;
    std::vector<std::pair<size_t, size_t>> more;
    for (size_t p = 0; p < s_.size(); p += CharLength(s_, p)) {
      for (size_t e = p + CharLength(s_, p); e <= s_.size() && e - p <= longest;
           e += CharLength(s_, e)) {
        if (names.contains(s_.substr(p, e - p))) more.push_back({p, e});
        if (e == s_.size()) break;
      }
    }
    for (const auto& [begin, end] : more) Add(begin, end);
  }

  const absl::string_view s_;
  // [begin, end) of each name, ordered.
  std::set<std::pair<size_t, size_t>> found_;
};

}  // namespace

void FindNames(absl::string_view normalized, std::vector<Detection>* out) {
  NameFinder(normalized).Run(out);
}

}  // namespace regulation::disclosure::internal
