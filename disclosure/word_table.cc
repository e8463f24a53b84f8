#include "disclosure/word_table.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/utf8.h"

namespace regulation::disclosure::internal {
namespace {

// The bytes of one character packed into a key (at most 4 bytes).
uint32_t Pack(absl::string_view character, bool fold) {
  uint32_t key = 0;
  for (char c : character.substr(0, 4)) {
    key = (key << 8) | static_cast<unsigned char>(fold ? absl::ascii_tolower(c) : c);
  }
  return key;
}

}  // namespace

WordTable::WordTable(std::initializer_list<absl::string_view> words, bool ignore_ascii_case)
    : ignore_ascii_case_(ignore_ascii_case) {
  for (absl::string_view w : words) Add(w);
}

void WordTable::Add(absl::string_view word) {
  if (word.empty()) return;
  by_first_[KeyAt(word, 0)].push_back(word);
  by_last_[KeyBefore(word, word.size())].push_back(word);
}

uint32_t WordTable::KeyAt(absl::string_view s, size_t pos) const {
  size_t end = pos + 1;
  while (end < s.size() && end - pos < 4 && IsUtf8Continuation(s[end])) ++end;
  return Pack(s.substr(pos, end - pos), ignore_ascii_case_);
}

uint32_t WordTable::KeyBefore(absl::string_view s, size_t end) const {
  size_t begin = end - 1;
  while (begin > 0 && end - begin < 4 && IsUtf8Continuation(s[begin])) --begin;
  return Pack(s.substr(begin, end - begin), ignore_ascii_case_);
}

bool WordTable::Same(absl::string_view a, absl::string_view b) const {
  return ignore_ascii_case_ ? absl::EqualsIgnoreCase(a, b) : a == b;
}

size_t WordTable::LongestAt(absl::string_view text, size_t pos) const {
  if (pos >= text.size()) return 0;
  const auto it = by_first_.find(KeyAt(text, pos));
  if (it == by_first_.end()) return 0;
  size_t best = 0;
  for (absl::string_view w : it->second) {
    if (w.size() > best && pos + w.size() <= text.size() && Same(text.substr(pos, w.size()), w)) {
      best = w.size();
    }
  }
  return best;
}

bool WordTable::EndsAt(absl::string_view text, size_t end) const {
  if (end == 0 || end > text.size()) return false;
  const auto it = by_last_.find(KeyBefore(text, end));
  if (it == by_last_.end()) return false;
  for (absl::string_view w : it->second) {
    if (w.size() <= end && Same(text.substr(end - w.size(), w.size()), w)) return true;
  }
  return false;
}

}  // namespace regulation::disclosure::internal
