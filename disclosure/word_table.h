#ifndef DISCLOSURE_WORD_TABLE_H_
#define DISCLOSURE_WORD_TABLE_H_

// Internal to the redactor: a fixed list of UTF-8 words, indexed by their first and last
// characters, that answers "which word starts (or ends) here?" in a few comparisons. The
// detectors ask this at every character of a text, so a linear scan of the list is too
// slow.
//
// Thread safety: immutable after construction; safe to share between threads.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace regulation::disclosure::internal {

class WordTable {
 public:
  // The words must outlive the table (string literals do). ASCII letters compare without
  // regard to case when `ignore_ascii_case`.
  WordTable(std::initializer_list<absl::string_view> words, bool ignore_ascii_case = false);
  template <size_t N>
  explicit WordTable(const absl::string_view (&words)[N], bool ignore_ascii_case = false)
      : ignore_ascii_case_(ignore_ascii_case) {
    for (absl::string_view w : words) Add(w);
  }

  // The length in bytes of the longest word that starts at text[pos], or 0.
  size_t LongestAt(absl::string_view text, size_t pos) const;
  // True when a word ends exactly at byte `end` of `text`.
  bool EndsAt(absl::string_view text, size_t end) const;

 private:
  void Add(absl::string_view word);
  // The first (last) character of `s` starting (ending) at `pos`, as a key.
  uint32_t KeyAt(absl::string_view s, size_t pos) const;
  uint32_t KeyBefore(absl::string_view s, size_t end) const;
  bool Same(absl::string_view a, absl::string_view b) const;

  bool ignore_ascii_case_ = false;
  absl::flat_hash_map<uint32_t, std::vector<absl::string_view>> by_first_;
  absl::flat_hash_map<uint32_t, std::vector<absl::string_view>> by_last_;
};

// The table of a constant word array, built on first use and never destroyed:
//   TableOf<kAddressTriggers>().LongestAt(text, pos)
template <const auto& kWords, bool kIgnoreAsciiCase = false>
const WordTable& TableOf() {
  static const WordTable* table = new WordTable(kWords, kIgnoreAsciiCase);
  return *table;
}

}  // namespace regulation::disclosure::internal

#endif  // DISCLOSURE_WORD_TABLE_H_
