#ifndef DISCLOSURE_NAME_LEXICON_H_
#define DISCLOSURE_NAME_LEXICON_H_

// The word lists behind the personal-name rules of the redactor (name_detector.h;
// docs/redaction-and-deadlines.md §3.12): Chinese surnames, the role words that introduce a
// person in inspection findings, and the words that show where a name ends or that a
// surname character begins an ordinary word instead.
//
// Every list is UTF-8 and fixed at compile time. The lookups take UTF-8 text and a byte
// offset into it and answer the length in bytes of the longest entry that starts there
// (0 for none).
//
// Thread safety: the lists are built once, on first use, and are read-only afterwards;
// every function is safe to call from any thread.

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace regulation::disclosure {

// A single-character surname likely enough to be meant as one after a role word. Common
// surnames that are also prepositions, adverbs or pronouns (于, 向, 经, 由, 和, 从, 将,
// 其, 现, 当, 能, 查 ...) are left out: after a role word they begin a sentence far more
// often than a name.
bool IsSingleSurname(int32_t code_point);

// Compound surnames (欧阳, 司马, 诸葛, 上官, 东方, 皇甫, 慕容 ...).
size_t CompoundSurnameAt(absl::string_view text, size_t pos);

// Role words that introduce a natural person (当事人, 负责人, 法定代表人, 店长, 经理, 户名,
// 联系人, 员工, 顾客, 投诉人, 举报人, 股东, 收款人, 厨师, 姓名 ...).
size_t RoleWordAt(absl::string_view text, size_t pos);

// True when a role word ends exactly at byte `end` of `text`.
bool RoleWordEndsAt(absl::string_view text, size_t end);

// Prepositions after which a name may follow without a role word (由, 经, 与, 向, 从, 据,
// 和, 及 ...), when a word that ends a name follows it.
bool IsNamePreposition(int32_t code_point);

// Words that end a name: verbs and adverbs that follow a person (称, 表示, 承认, 签字, 在场,
// 当场, 经营, 提供 ...), particles and function characters (的, 在, 于, 未, 已, 等 ...), and
// nouns that follow a person (处, 本人, 手机, 身份证 ...). A name never contains one at
// the start of its given name, and a two-character given name is cut to one when its
// second character begins one.
size_t NameEndWordAt(absl::string_view text, size_t pos);

// Words that confirm that what precedes them is a person, without a role word: 称, 表示,
// 承认, 陈述, 签字, 先生, 女士, 等人, 二人, 本人, (男 ...; a subset of NameEndWordAt.
size_t PersonConfirmingWordAt(absl::string_view text, size_t pos);

// Ordinary words that begin with a surname character (安全, 管理, 方面, 应当, 曾经, 高于,
// 马上, 全部, 顾客, 尚未 ...): a candidate name starting with one is no name.
bool IsOrdinaryWordAt(absl::string_view text, size_t pos);

// Titles and forms of address that follow a bare surname (王女士, 李经理, 张师傅): the
// length of the one at text[pos], or 0.
size_t TitleAt(absl::string_view text, size_t pos);

// True when text[pos] starts a word ending in 称 in which no one speaks (标称, 名称, 简称,
// 宣称 ...).
bool IsWordEndingInChengAt(absl::string_view text, size_t pos);

// Characters that never begin a given name: titles and forms of address after a bare
// surname (某, 先, 女, 总, 工, 姐, 老 ... as in 张某, 王先生, 李总), and place suffixes (州,
// 市, 省, 县, 区, 镇, 村 ... as in 杭州, 温州).
bool NeverStartsGivenName(int32_t code_point);

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_NAME_LEXICON_H_
