#include "tools/regctl/import/line_reader.h"

namespace regulation::regctl {

absl::StatusOr<bool> LineReader::Next(TextLine* line) {
  line->text.clear();
  line->too_long = false;
  line->number = line_;
  const int64_t start = input_->offset();
  while (true) {
    const int c = input_->Get();
    if (c < 0) {
      if (!input_->status().ok()) return input_->status();
      if (input_->offset() == start) return false;
      break;
    }
    if (c == '\n') break;
    if (line->too_long) continue;
    if (line->text.size() == max_line_bytes_) {
      line->too_long = true;
      line->text.clear();
      line->text.shrink_to_fit();
      continue;
    }
    line->text.push_back(static_cast<char>(c));
  }
  if (!line->text.empty() && line->text.back() == '\r') line->text.pop_back();
  line->end_offset = input_->offset();
  ++line_;
  return true;
}

}  // namespace regulation::regctl
