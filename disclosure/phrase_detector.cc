#include "disclosure/phrase_detector.h"

#include <algorithm>
#include <iterator>

#include "disclosure/word_table.h"

namespace regulation::disclosure::internal {
namespace {

// --- Shared ------------------------------------------------------------------------------

size_t CharLength(absl::string_view s, size_t pos) {
  int32_t cp = 0;
  return DecodeUtf8(s, pos, &cp);
}

void SkipSeparators(absl::string_view s, size_t* q) {
  while (*q < s.size() && (s[*q] == ' ' || s[*q] == ':')) ++*q;
}

// After a trigger: separators, one particle, separators.
size_t ValueStart(absl::string_view s, size_t q) {
  static constexpr absl::string_view kParticles[] = {"位于", "为", "是", "在", "于", "的"};
  SkipSeparators(s, &q);
  for (absl::string_view particle : kParticles) {
    if (At(s, q, particle)) {
      q += particle.size();
      break;
    }
  }
  SkipSeparators(s, &q);
  return q;
}

void Emit(size_t begin, size_t end, PersonalDataKind kind, std::vector<Detection>* out) {
  if (end >= begin + kMinMatchBytes) out->push_back(Detection{begin, end, kind, true});
}

// --- Addresses ---------------------------------------------------------------------------

// Longest first where one starts another.
constexpr absl::string_view kAddressTriggers[] = {
    "家庭住址",   "家庭地址", "家庭住所",   "居住地址",   "户籍所在地", "户籍地址", "户籍地",
    "户口所在地", "户口地址", "户口登记地", "经常居住地", "现住址",     "现住所",   "现居住地",
    "现居住",     "现居地",   "现居",       "现住",       "居住地",     "居住于",   "居住在",
    "住址",       "家住",     "暂住地",     "暂住",       "租住地",     "租住",     "寄住",
    "借住",       "住在",     "住于",       "住处",       "收货地址",   "收件地址", "寄件地址",
    "联系地址",   "送货地址", "配送地址",   "通讯地址",   "通信地址",   "邮寄地址", "退货地址",
    "房屋地址",   "出生地",   "籍贯",       "住宅",
};

// Before a trigger, these make it an enterprise's address (登记住址, 公司联系地址).
constexpr absl::string_view kEnterprisePrefixes[] = {
    "登记", "注册", "经营", "营业", "企业", "公司", "单位", "店铺", "门店", "办公", "工商",
};

// Address units: an address can end after any of them.
constexpr absl::string_view kAddressUnits[] = {
    "街道", "社区", "胡同", "单元", "号楼", "号院", "省", "市", "区", "县", "旗", "盟",
    "镇",   "乡",   "村",   "屯",   "组",   "路",   "街", "巷", "弄", "道", "里", "号",
    "楼",   "幢",   "栋",   "座",   "层",   "室",   "户", "院", "苑", "园", "城", "府",
    "庄",   "湾",   "坊",   "厦",   "寓",   "宅",   "舍", "期", "排",
};

// Words that cannot be part of an address: the address ends before one (before a
// one-character one only once an address unit has been seen).
constexpr absl::string_view kAddressBreaks[] = {
    "从事", "经营", "开设", "开办", "开店", "销售", "生产", "加工", "制作", "存放", "储存", "摆放",
    "居住", "期间", "至今", "以来", "用于", "作为", "联系", "电话", "手机", "身份", "邮箱", "微信",
    "及其", "与其", "的",   "未",   "已",   "并",   "且",   "但",   "而",   "称",   "系",   "被",
    "将",   "因",   "在",   "于",   "等",   "时",   "后",   "前",   "内",   "处",
};

// After a number, these make it a date, an amount or a count, not a house number.
constexpr absl::string_view kNumberUnits[] = {
    "年", "月", "日", "时", "点", "分", "元", "万",   "岁", "个", "人",
    "次", "天", "件", "台", "辆", "盒", "斤", "公斤", "%",  "名",
};

constexpr size_t kMaxAddressCharacters = 48;

bool IsAddressTriggerHere(absl::string_view s, size_t p, size_t trigger_size) {
  const absl::string_view trigger = s.substr(p, trigger_size);
  const absl::string_view next = s.substr(p + trigger_size, 3);
  // 国家住房, 商家住所, 农家住宿, 农家住户: 家 ends another word.
  if (trigger == "家住" && (next == "房" || next == "所" || next == "宿" || next == "户")) {
    return false;
  }
  // 暂住证, 暂住人口: a permit and a population, not an address.
  if (trigger == "暂住" && (next == "证" || next == "人")) return false;
  // 住宅小区, 商品住宅: a kind of building; only 住宅（…） and 住宅：… give an address.
  if (trigger == "住宅" && !(next.substr(0, 1) == "(" || next.substr(0, 1) == ":")) return false;
  return !TableOf<kEnterprisePrefixes>().EndsAt(s, p);
}

// The end of the address value that starts at `q`.
size_t AddressEnd(absl::string_view s, size_t q) {
  size_t r = q;
  size_t unit_end = q;  // after the last unit or number seen
  for (size_t chars = 0; r < s.size() && chars < kMaxAddressCharacters; ++chars) {
    if (s[r] == '(') {
      // A bracket holding address parts (东区, 3幢, 近学院路) belongs to the address.
      // Its closing bracket within 40 bytes (a bounded search: this runs at every bracket).
      const size_t found = s.substr(r, 41).find(')');
      if (found == absl::string_view::npos) break;
      const size_t close = r + found;
      const absl::string_view inside = s.substr(r + 1, close - r - 1);
      bool address_like = std::any_of(inside.begin(), inside.end(), IsDigit);
      for (size_t i = 0; i < inside.size() && !address_like; i += CharLength(inside, i)) {
        address_like = TableOf<kAddressUnits>().LongestAt(inside, i) > 0;
      }
      if (!address_like) break;
      r = unit_end = close + 1;
      continue;
    }
    if (TerminatorLength(s, r) > 0) break;
    // A break word ends the address; a one-character one only once a unit has been seen
    // (内蒙古, 于家村 start addresses).
    if (const size_t brk = TableOf<kAddressBreaks>().LongestAt(s, r);
        brk > 0 && (unit_end > q || brk > CharLength(s, r))) {
      break;
    }
    if (IsDigit(s[r])) {
      size_t d = r;
      while (d < s.size() &&
             (IsDigit(s[d]) || (s[d] == '-' && d + 1 < s.size() && IsDigit(s[d + 1]) && d > r))) {
        ++d;
      }
      if (TableOf<kNumberUnits>().LongestAt(s, d) > 0) break;
      r = unit_end = d;
      continue;
    }
    if (IsAlpha(s[r])) {
      while (r < s.size() && IsAlnum(s[r])) ++r;
      unit_end = r;
      continue;
    }
    if (const size_t unit = TableOf<kAddressUnits>().LongestAt(s, r); unit > 0) {
      r = unit_end = r + unit;
      continue;
    }
    r += CharLength(s, r);
  }
  if (unit_end > q) return unit_end;
  // No unit at all (户籍地：浙江温州, 住址不详): everything up to where the scan stopped.
  while (r > q && s[r - 1] == ' ') --r;
  return r;
}

// --- Health ------------------------------------------------------------------------------

constexpr absl::string_view kHealthTriggers[] = {
    "诊断结果", "被诊断为", "诊断为", "诊断出", "确诊为", "确诊",
    "病历",     "病情",     "患有",   "罹患",   "身患",   "患上",
};

// Triggers that follow the condition: 有高血压病史, 系糖尿病患者.
constexpr absl::string_view kHealthSuffixTriggers[] = {"病史", "既往史", "症状", "患者", "病人"};

// Where a condition written before its trigger starts: after one of these.
constexpr absl::string_view kConditionStarts[] = {"有",   "系",   "为",   "是",   "其",  "的", "患",
                                                  "无",   "名",   "位",   "该",   "此",  "均", "往",
                                                  "出现", "伴有", "感到", "自觉", "发生"};

// The last character of a condition's name (病, 症, 炎, 癌 ...): before 患者 and 病人 the
// text must end like this to be a condition rather than, say, a verb (使用了患者的照片).
constexpr absl::string_view kConditionEndings[] = {
    "病", "症", "炎", "癌", "瘤", "伤", "染", "压", "热", "核", "毒", "疾",
    "痛", "损", "衰", "碍", "征", "肿", "痒", "咳", "喘", "痫", "残", "敏",
    "疸", "疹", "痢", "肝", "瘫", "聋", "盲", "哑", "呆", "孕",
};

// Words that end a condition written after its trigger.
constexpr absl::string_view kConditionBreaks[] = {
    "为由", "为理由", "而",   "仍",     "并",     "但",   "却",   "且",
    "后",   "期间",   "已",   "的情况", "等原因", "目前", "现已", "正在",
    "一直", "的",     "隐瞒", "未",     "不报",   "导致", "致使", "造成",
};

// Verbs between a record and what it says: 病历显示…, 病历记载：….
constexpr absl::string_view kRecordVerbs[] = {"显示", "记载", "记录", "载明", "表明", "写明"};

// An animal's disease is no person's health information (犬只患有犬瘟热).
constexpr absl::string_view kAnimals[] = {"犬", "猫", "宠物", "畜", "禽", "猪", "牛",
                                          "羊", "鸡", "鸭",   "鹅", "鱼", "兔", "动物"};

constexpr size_t kMaxConditionCharacters = 24;

bool AfterAnimal(absl::string_view s, size_t p) {
  size_t b = p;
  for (int chars = 0; chars < 3 && b > 0; ++chars) {
    b = PreviousCharacter(s, b);
    for (absl::string_view animal : kAnimals) {
      if (At(s, b, animal)) return true;
    }
  }
  return false;
}

// The start of a condition that ends at `t` (a suffix trigger), or t when there is none.
size_t ConditionStart(absl::string_view s, size_t t, bool must_end_like_condition) {
  if (must_end_like_condition && !TableOf<kConditionEndings>().EndsAt(s, t)) return t;
  size_t b = t;
  for (int chars = 0; chars < 12 && b > 0; ++chars) {
    const size_t prev = PreviousCharacter(s, b);
    const int32_t cp = CodePointAt(s, prev);
    const bool list = At(s, prev, "、");
    if (!list && !IsHan(cp) && !IsAlnum(s[prev])) break;
    if (TableOf<kConditionStarts>().EndsAt(s, b)) break;
    b = prev;
  }
  while (b < t && (At(s, b, "、"))) b += absl::string_view("、").size();
  return b;
}

// True when 的 + a word for people in general follows `pos`.
bool IsClassOfPeopleAt(absl::string_view s, size_t pos) {
  if (!At(s, pos, "的")) return false;
  pos += absl::string_view("的").size();
  for (absl::string_view people : {"人员", "人", "从业人员", "员工", "职工", "者", "患者"}) {
    if (At(s, pos, people)) return true;
  }
  return false;
}

}  // namespace

void FindHomeAddresses(absl::string_view s, std::vector<Detection>* out) {
  for (size_t p = 0; p < s.size();) {
    const size_t trigger = TableOf<kAddressTriggers>().LongestAt(s, p);
    if (trigger == 0 || !IsAddressTriggerHere(s, p, trigger)) {
      p += CharLength(s, p);
      continue;
    }
    size_t value = p + trigger;
    // 暂住处, 居住处: the place itself, named by the trigger and 处.
    if (At(s, value, "处")) value += absl::string_view("处").size();
    // 住宅（温州市…）: the address inside the bracket.
    if (At(s, value, "(")) ++value;
    const size_t q = ValueStart(s, value);
    const size_t end = AddressEnd(s, q);
    Emit(q, end, PersonalDataKind::kHomeAddress, out);
    p = std::max(end, p + trigger);
  }
}

void FindHealthInformation(absl::string_view s, std::vector<Detection>* out) {
  for (size_t p = 0; p < s.size();) {
    if (const size_t suffix = TableOf<kHealthSuffixTriggers>().LongestAt(s, p); suffix > 0) {
      // Before 病史 and 症状 any condition counts (有腹泻症状); before 患者 and 病人 the
      // words must end like a disease.
      const bool history = At(s, p, "病史") || At(s, p, "既往史") || At(s, p, "症状");
      const size_t start = ConditionStart(s, p, /*must_end_like_condition=*/!history);
      if (start < p && !AfterAnimal(s, start)) {
        Emit(start, p, PersonalDataKind::kHealthInformation, out);
        p += suffix;
        continue;
      }
      // A mask right before the trigger is a condition redacted by an earlier pass
      // (人病史糖 -> ［健康信息已隐去］病史糖): reading forward now would redact what the
      // first pass kept, and a second redaction must change nothing.
      if (!history || EndsAt(s, p, "已隐去］") || EndsAt(s, p, "已隐去]")) {
        p += suffix;
        continue;
      }
      // 病史：… with nothing before it reads forward, like the triggers below.
    }
    size_t trigger = TableOf<kHealthTriggers>().LongestAt(s, p);
    if (trigger == 0 && (At(s, p, "病史") || At(s, p, "既往史"))) {
      trigger = TableOf<kHealthSuffixTriggers>().LongestAt(s, p);
    }
    if (trigger == 0 || AfterAnimal(s, p)) {
      p += trigger > 0 ? trigger : CharLength(s, p);
      continue;
    }
    size_t value = p + trigger;
    value += TableOf<kRecordVerbs>().LongestAt(s, value);
    const size_t q = ValueStart(s, value);
    size_t r = q;
    for (size_t chars = 0; r < s.size() && chars < kMaxConditionCharacters; ++chars) {
      if (TerminatorLength(s, r) > 0) break;
      // Another trigger starts the next phrase; a break word ends this one.
      if (r > q && (TableOf<kConditionBreaks>().LongestAt(s, r) > 0 ||
                    TableOf<kHealthTriggers>().LongestAt(s, r) > 0 || At(s, r, "经诊断"))) {
        break;
      }
      if (IsDigit(s[r])) {
        while (r < s.size() && IsDigit(s[r])) ++r;
        continue;
      }
      r += CharLength(s, r);
    }
    size_t end = r;
    while (end > q && s[end - 1] == ' ') --end;
    // 患有有碍食品安全疾病的人员不得…: a class of people (the statute's words), no one's
    // health.
    if (!IsClassOfPeopleAt(s, end)) Emit(q, end, PersonalDataKind::kHealthInformation, out);
    p = std::max(r, p + trigger);
  }
}

}  // namespace regulation::disclosure::internal
