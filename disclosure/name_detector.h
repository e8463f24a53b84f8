#ifndef DISCLOSURE_NAME_DETECTOR_H_
#define DISCLOSURE_NAME_DETECTOR_H_

// Internal to the redactor: natural persons' names in normalised findings text
// (docs/redaction-and-deadlines.md §3.12). No rule finds every Chinese name in free text;
// these find the ways inspection findings introduce a person:
//   - after a role word: 当事人张三, 法定代表人：李四, 店长为王小明, 户名：郭强;
//   - after a preposition, when a word that ends a name follows: 由张三签字, 从郭强处购进;
//   - before a word that only follows a person: 张三称, 王小明先生, 李四等人, 赵六（男;
//   - in a list with a name found so: 张三、李四二人, 夏雨、韦强上岗;
//   - names written with a middle dot: 阿卜杜拉·买买提, 热依拉·艾山;
//   - every other occurrence, in the same text, of a name found by one of these.
// A name is a surname from the lexicon (name_lexicon.h; compound surnames such as 欧阳,
// 诸葛 included) and one or two given-name characters. Bare surnames with a title
// (王女士, 李总) and pseudonyms (张某, 李某某) are not names and stay.
//
// Thread safety: a pure function.

#include <vector>

#include "absl/strings/string_view.h"
#include "disclosure/redaction_text.h"

namespace regulation::disclosure::internal {

// Appends a kPersonName detection for each name found in `normalized`.
void FindNames(absl::string_view normalized, std::vector<Detection>* out);

}  // namespace regulation::disclosure::internal

#endif  // DISCLOSURE_NAME_DETECTOR_H_
