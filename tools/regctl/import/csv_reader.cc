#include "tools/regctl/import/csv_reader.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace regulation::regctl {

absl::StatusOr<bool> CsvReader::Next(CsvRecord* record) {
  enum class State { kFieldStart, kUnquoted, kQuoted, kAfterQuote };
  while (true) {
    record->fields.clear();
    record->error.clear();
    record->error_field = -1;
    record->line = line_;
    const int64_t start = input_->offset();
    std::string field;
    State state = State::kFieldStart;
    int64_t quote_line = 0;
    size_t content_bytes = 0;  // bytes before the line terminator
    bool ended_by_eof = false;
    auto fail = [&](std::string message) {
      if (record->error.empty()) {
        record->error = std::move(message);
        record->error_field = static_cast<int>(record->fields.size());
      }
    };
    while (true) {
      if (static_cast<size_t>(input_->offset() - start) >= max_record_bytes_) {
        if (state == State::kQuoted) {  // where it ends cannot be told
          return absl::ResourceExhaustedError(
              absl::StrCat("the record starting on line ", record->line, " is longer than ",
                           max_record_bytes_, " bytes (is a quote never closed?)"));
        }
        // Outside quotes its end is the next line break: skip to it and report the row as
        // malformed, so that the import goes on (and a rerun does not stop here again).
        int skipped = 0;
        while ((skipped = input_->Get()) >= 0 && skipped != '\n') {
        }
        if (skipped < 0 && !input_->status().ok()) return input_->status();
        record->fields.clear();
        record->error = absl::StrCat("the record is longer than ", max_record_bytes_, " bytes");
        record->error_field = -1;  // no field in particular
        record->end_line = line_;
        record->end_offset = input_->offset();
        if (skipped >= 0) ++line_;
        return true;
      }
      const int c = input_->Get();
      if (c < 0) {
        if (!input_->status().ok()) return input_->status();
        if (input_->offset() == start) return false;
        ended_by_eof = true;
        if (state == State::kQuoted) {
          fail(absl::StrCat("the quote opened on line ", quote_line, " is never closed"));
        }
        break;
      }
      // A line terminator outside quotes: LF, or CR followed by LF.
      const bool newline = c == '\n' || (c == '\r' && input_->Peek() == '\n');
      if (newline && state != State::kQuoted) {
        if (c == '\r') input_->Get();
        break;
      }
      ++content_bytes;
      switch (state) {
        case State::kFieldStart:
          if (c == '"') {
            state = State::kQuoted;
            quote_line = line_;
          } else if (c == ',') {
            record->fields.push_back(std::string());
          } else {
            field.push_back(static_cast<char>(c));
            state = State::kUnquoted;
          }
          break;
        case State::kUnquoted:
          if (c == ',') {
            record->fields.push_back(std::move(field));
            field.clear();
            state = State::kFieldStart;
          } else {
            if (c == '"') {
              fail(
                  "a quote inside an unquoted field (quote the whole field and double the "
                  "quotes inside it)");
            }
            field.push_back(static_cast<char>(c));
          }
          break;
        case State::kQuoted:
          if (c == '"') {
            state = State::kAfterQuote;
          } else {
            if (c == '\n') ++line_;
            field.push_back(static_cast<char>(c));
          }
          break;
        case State::kAfterQuote:
          if (c == '"') {
            field.push_back('"');
            state = State::kQuoted;
          } else if (c == ',') {
            record->fields.push_back(std::move(field));
            field.clear();
            state = State::kFieldStart;
          } else {
            fail("text after the closing quote (double a quote inside a quoted field)");
            field.push_back(static_cast<char>(c));
            state = State::kUnquoted;
          }
          break;
      }
    }
    record->fields.push_back(std::move(field));
    record->end_line = line_;
    record->end_offset = input_->offset();
    if (!ended_by_eof) ++line_;
    if (content_bytes == 0) {
      if (ended_by_eof) return false;
      continue;  // an empty line
    }
    return true;
  }
}

}  // namespace regulation::regctl
