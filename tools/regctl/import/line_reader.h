#ifndef TOOLS_REGCTL_IMPORT_LINE_READER_H_
#define TOOLS_REGCTL_IMPORT_LINE_READER_H_

// LineReader: the lines of a text file (JSON lines), numbered, with where each ends.
// Lines end with LF or CRLF; the terminator is not part of the text. The last line
// needs no terminator.
//
// Memory: one line at a time. A line longer than `max_line_bytes` is skipped rather
// than held: it comes back with `too_long` set and no text, and reading continues
// with the next line.
// Thread safety: none; one thread reads.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "tools/regctl/import/input.h"

namespace regulation::regctl {

struct TextLine {
  // 1-based line number.
  int64_t number = 0;
  // Offset just past the line's terminator (or the end of the file).
  int64_t end_offset = 0;
  // Without the terminator; empty when too_long.
  std::string text;
  bool too_long = false;
};

class LineReader {
 public:
  static constexpr size_t kDefaultMaxLineBytes = 1 << 20;

  // Reads `input` (not owned; must outlive the reader) from its current offset, which
  // must be the start of line `first_line`.
  LineReader(ImportInput* input, int64_t first_line, size_t max_line_bytes = kDefaultMaxLineBytes)
      : input_(input), line_(first_line), max_line_bytes_(max_line_bytes) {}

  // Reads the next line into `line`: true, or false at the end of the input. The
  // input's error (UNKNOWN) when reading fails.
  absl::StatusOr<bool> Next(TextLine* line);

 private:
  ImportInput* input_;
  int64_t line_;
  size_t max_line_bytes_;
};

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_IMPORT_LINE_READER_H_
