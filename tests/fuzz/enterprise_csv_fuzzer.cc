// Fuzz target: an enterprise CSV import file as `regctl import enterprises` reads it
// (tools/regctl/import/csv_reader.h, import_enterprise_csv.h), each parsed row then
// checked as the server checks it (services/portrait/enterprise_validation.h). Checks:
//   - records come in order: each starts on or after the line the previous one ended on
//     and ends at a larger offset, never past the end of the file;
//   - a record longer than the limit is either an error row or, inside an open quote,
//     RESOURCE_EXHAUSTED; reading stops at nothing else;
//   - the fields of the well-formed records, written back as CSV (every field quoted),
//     read back the same;
//   - a row that parses is an Enterprise the server can receive (it survives the wire
//     format, so every string is UTF-8), and the server's validation answers OK or
//     INVALID_ARGUMENT naming an "enterprise." field;
//   - a row that does not parse is INVALID_ARGUMENT.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "regulation/v1/enterprise.pb.h"
#include "services/portrait/enterprise_validation.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/memory_file.h"
#include "tools/regctl/import/csv_reader.h"
#include "tools/regctl/import/enterprise_csv.h"
#include "tools/regctl/import/input.h"

namespace regulation::fuzz {
namespace {

using regctl::CsvReader;
using regctl::CsvRecord;
using regctl::ImportInput;

// Small enough that the fuzzer reaches it; a record written back quoted is at most
// about twice as long, well below the second limit.
constexpr size_t kMaxRecordBytes = 512;
constexpr size_t kMaxQuotedRecordBytes = 8 * kMaxRecordBytes;

std::unique_ptr<ImportInput> OpenInput(const MemoryFile& file) {
  absl::StatusOr<std::unique_ptr<ImportInput>> input = ImportInput::Open(file.path());
  FUZZ_CHECK(input.ok()) << input.status();
  return *std::move(input);
}

// Every record of `text`; `status` gets how reading ended.
std::vector<CsvRecord> ReadAll(absl::string_view text, size_t max_record_bytes,
                               absl::Status* status) {
  MemoryFile file(text);
  std::unique_ptr<ImportInput> input = OpenInput(file);
  input->SkipByteOrderMark();
  CsvReader reader(input.get(), 1, max_record_bytes);
  std::vector<CsvRecord> records;
  int64_t previous_end_line = 1;
  int64_t previous_end_offset = input->offset();
  while (true) {
    CsvRecord record;
    absl::StatusOr<bool> more = reader.Next(&record);
    if (!more.ok()) {
      FUZZ_CHECK(more.status().code() == absl::StatusCode::kResourceExhausted) << more.status();
      *status = more.status();
      return records;
    }
    if (!*more) break;
    FUZZ_CHECK(record.line >= previous_end_line) << record.line << " < " << previous_end_line;
    FUZZ_CHECK(record.end_line >= record.line);
    FUZZ_CHECK(record.end_offset > previous_end_offset);
    FUZZ_CHECK(record.end_offset <= static_cast<int64_t>(text.size()));
    FUZZ_CHECK(record.error.empty() || record.error_field < static_cast<int>(record.fields.size()) ||
               record.error_field < 0);
    previous_end_line = record.end_line;
    previous_end_offset = record.end_offset;
    records.push_back(std::move(record));
  }
  *status = absl::OkStatus();
  return records;
}

std::string QuoteAll(const std::vector<CsvRecord>& records) {
  std::string csv;
  for (const CsvRecord& record : records) {
    std::vector<std::string> quoted;
    for (const std::string& field : record.fields) {
      quoted.push_back(absl::StrCat("\"", absl::StrReplaceAll(field, {{"\"", "\"\""}}), "\""));
    }
    absl::StrAppend(&csv, absl::StrJoin(quoted, ","), "\n");
  }
  return csv;
}

void CheckRow(const regctl::EnterpriseCsvSchema& schema, const CsvRecord& record) {
  absl::StatusOr<v1::Enterprise> enterprise = schema.ParseRow(record.fields);
  if (!enterprise.ok()) {
    FUZZ_CHECK(enterprise.status().code() == absl::StatusCode::kInvalidArgument)
        << enterprise.status();
    return;
  }
  v1::Enterprise received;
  FUZZ_CHECK(received.ParseFromString(enterprise->SerializeAsString()))
      << "a parsed row does not survive the wire format (invalid UTF-8?)";
  const absl::Status valid =
      services::ValidateEnterprise(received, "enterprise", absl::CivilDay(2026, 6, 1));
  FUZZ_CHECK(valid.ok() || (valid.code() == absl::StatusCode::kInvalidArgument &&
                            absl::StartsWith(valid.message(), "enterprise.")))
      << valid;
}

}  // namespace
}  // namespace regulation::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regulation::fuzz;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::Status ended;
  const std::vector<regulation::regctl::CsvRecord> records = ReadAll(text, kMaxRecordBytes, &ended);

  std::vector<regulation::regctl::CsvRecord> well_formed;
  for (const auto& record : records) {
    if (record.error.empty()) well_formed.push_back(record);
  }
  absl::Status again;
  const std::vector<regulation::regctl::CsvRecord> reread =
      ReadAll(QuoteAll(well_formed), kMaxQuotedRecordBytes, &again);
  FUZZ_CHECK(again.ok()) << again;
  FUZZ_CHECK(reread.size() == well_formed.size()) << reread.size() << " != " << well_formed.size();
  for (size_t i = 0; i < reread.size(); ++i) {
    FUZZ_CHECK(reread[i].error.empty()) << i << ": " << reread[i].error;
    FUZZ_CHECK(reread[i].fields == well_formed[i].fields) << "record " << i << " read back differently";
  }

  if (records.empty() || !records[0].error.empty()) return 0;
  absl::StatusOr<regulation::regctl::EnterpriseCsvSchema> schema =
      regulation::regctl::EnterpriseCsvSchema::FromHeader(records[0].fields);
  if (!schema.ok()) {
    FUZZ_CHECK(schema.status().code() == absl::StatusCode::kInvalidArgument) << schema.status();
    return 0;
  }
  for (size_t i = 1; i < records.size(); ++i) {
    if (records[i].error.empty()) CheckRow(*schema, records[i]);
  }
  return 0;
}
