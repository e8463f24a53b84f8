#ifndef TOOLS_REGCTL_IMPORT_CSV_READER_H_
#define TOOLS_REGCTL_IMPORT_CSV_READER_H_

// CsvReader: the records of an RFC 4180 CSV file, with the line each starts on.
//
//   - Fields are separated by commas and records by LF or CRLF.
//   - A field in double quotes may hold commas, CR, LF and doubled quotes ("" for ").
//   - An empty line is skipped (it is no record).
//   - Malformed quoting does not lose the rest of the file: the record is returned with
//     `error` set (a quote inside an unquoted field, text after a closing quote, a
//     quote still open at the end of the file) and reading resumes at the next record.
//
// Lines are numbered from 1 and count every LF, including those inside quoted fields,
// so a record's `line` is what an editor shows for its first character.
//
// Memory: one record at a time, at most `max_record_bytes` long.
// Thread safety: none; one thread reads.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/regctl/import/input.h"

namespace regulation::regctl {

struct CsvRecord {
  // Line of the record's first character, and of its last.
  int64_t line = 0;
  int64_t end_line = 0;
  // Offset just past the record's line terminator (or the end of the file): where
  // the next record starts.
  int64_t end_offset = 0;
  // The field values, unquoted.
  std::vector<std::string> fields;
  // Empty for a well-formed record. Otherwise why it is malformed, and the 0-based
  // field it concerns (`fields` then holds a best-effort reading), or -1 for the record as a
  // whole (one longer than the limit, outside quotes: skipped to its line break).
  std::string error;
  int error_field = -1;
};

class CsvReader {
 public:
  static constexpr size_t kDefaultMaxRecordBytes = 1 << 20;

  // Reads `input` (not owned; must outlive the reader) from its current offset, which
  // must be the start of a record on line `first_line`.
  CsvReader(ImportInput* input, int64_t first_line,
            size_t max_record_bytes = kDefaultMaxRecordBytes)
      : input_(input), line_(first_line), max_record_bytes_(max_record_bytes) {}

  // Reads the next record into `record`: true, or false at the end of the input.
  // RESOURCE_EXHAUSTED when a record exceeds max_record_bytes (its end cannot be
  // trusted: usually a quote never closed), naming the line it starts on; the input's
  // error (UNKNOWN) when reading fails. Neither can be resumed from.
  absl::StatusOr<bool> Next(CsvRecord* record);

  // Line the next record starts on (or would).
  int64_t next_line() const { return line_; }

 private:
  ImportInput* input_;
  int64_t line_;
  size_t max_record_bytes_;
};

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_IMPORT_CSV_READER_H_
