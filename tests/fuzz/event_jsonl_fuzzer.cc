// Fuzz target: a JSON-lines import file as `regctl import events` and `regctl inspector
// put --file` read it (tools/regctl/import/line_reader.h, import_utf8.h, jsonl_upsert.h),
// each event then checked as the server checks it (services/portrait/event_validation.h).
// Checks:
//   - lines are numbered 1, 2, 3... and end at increasing offsets within the file; a line
//     over the limit comes back flagged, empty, and reading goes on;
//   - a line that passes ValidateUtf8 is valid UTF-8 by an independent decoder, and one
//     that fails it is not;
//   - an event that parses survives the wire format, and ValidateEvent answers either its
//     time (not after `now`) or INVALID_ARGUMENT naming an "event." field;
//   - UpsertJsonLines accounts for every non-blank line: stored + rejected.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "regulation/v1/event.pb.h"
#include "regulation/v1/inspection.pb.h"
#include "services/portrait/event_validation.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/memory_file.h"
#include "tools/regctl/import/input.h"
#include "tools/regctl/import/line_reader.h"
#include "tools/regctl/import/utf8.h"
#include "tools/regctl/jsonl_upsert.h"

namespace regulation::fuzz {
namespace {

constexpr size_t kMaxLineBytes = 1024;

// RFC 3629, written independently of import_utf8.cc.
bool ModelUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int length = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + length > s.size()) return false;
    for (int k = 1; k < length; ++k) {
      const unsigned char t = static_cast<unsigned char>(s[i + k]);
      if ((t & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (t & 0x3F);
    }
    static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kSmallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

void CheckEvent(absl::string_view json) {
  v1::Event event;
  if (!google::protobuf::util::JsonStringToMessage(
           google::protobuf::StringPiece(json.data(), json.size()), &event)
           .ok()) {
    return;
  }
  v1::Event received;
  FUZZ_CHECK(received.ParseFromString(event.SerializeAsString()))
      << "a parsed event does not survive the wire format";
  const absl::Time now = absl::FromUnixSeconds(1780000000);  // 2026-05-28
  absl::StatusOr<int64_t> micros = services::ValidateEvent(received, "event", now);
  if (micros.ok()) {
    FUZZ_CHECK(*micros <= absl::ToUnixMicros(now) + 1) << *micros;
  } else {
    FUZZ_CHECK(micros.status().code() == absl::StatusCode::kInvalidArgument) << micros.status();
    FUZZ_CHECK(absl::StartsWith(micros.status().message(), "event.")) << micros.status();
  }
}

void ReadEventLines(absl::string_view text) {
  MemoryFile file(text);
  absl::StatusOr<std::unique_ptr<regctl::ImportInput>> input =
      regctl::ImportInput::Open(file.path());
  FUZZ_CHECK(input.ok()) << input.status();
  regctl::LineReader reader(input->get(), 1, kMaxLineBytes);
  int64_t expected_number = 1;
  int64_t previous_end = 0;
  while (true) {
    regctl::TextLine line;
    absl::StatusOr<bool> more = reader.Next(&line);
    FUZZ_CHECK(more.ok()) << more.status();
    if (!*more) break;
    FUZZ_CHECK(line.number == expected_number) << line.number << " != " << expected_number;
    FUZZ_CHECK(line.end_offset > previous_end && line.end_offset <= static_cast<int64_t>(text.size()));
    FUZZ_CHECK(line.text.size() <= kMaxLineBytes);
    FUZZ_CHECK(line.text.find('\n') == std::string::npos);
    FUZZ_CHECK(!line.too_long || line.text.empty());
    ++expected_number;
    previous_end = line.end_offset;
    if (line.too_long) continue;
    const absl::string_view stripped = absl::StripAsciiWhitespace(line.text);
    if (stripped.empty()) continue;
    const absl::Status utf8 = regctl::ValidateUtf8(stripped);
    FUZZ_CHECK(utf8.ok() == ModelUtf8(stripped)) << utf8;
    if (utf8.ok()) CheckEvent(stripped);
  }
  FUZZ_CHECK(previous_end == static_cast<int64_t>(text.size())) << previous_end;
}

void UpsertInspectorLines(absl::string_view text) {
  int non_blank = 0;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    if (number == 1) absl::ConsumePrefix(&line, "\xEF\xBB\xBF");
    absl::ConsumeSuffix(&line, "\r");
    if (!absl::StripAsciiWhitespace(line).empty()) ++non_blank;
  }
  std::istringstream in{std::string(text)};
  std::FILE* errors = std::fopen("/dev/null", "w");
  FUZZ_CHECK(errors != nullptr);
  int upserts = 0;
  absl::StatusOr<regctl::JsonLinesResult> result = regctl::UpsertJsonLinesOf<v1::Inspector>(
      in, "fuzz", [&](const v1::Inspector&) {
        ++upserts;
        return absl::OkStatus();
      },
      errors);
  std::fclose(errors);
  FUZZ_CHECK(result.ok()) << result.status();
  FUZZ_CHECK(result->stored == upserts);
  FUZZ_CHECK(result->stored + result->rejected == non_blank)
      << result->stored << " + " << result->rejected << " != " << non_blank;
}

}  // namespace
}  // namespace regulation::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  regulation::fuzz::ReadEventLines(text);
  regulation::fuzz::UpsertInspectorLines(text);
  return 0;
}
