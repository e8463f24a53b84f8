#include "tools/regctl/jsonl_upsert.h"

#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"

namespace regulation::regctl {
namespace {

// Failures that say nothing about the line: retrying the next one would fail alike.
bool IsCallFailure(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status) ||
         absl::IsUnauthenticated(status);
}

}  // namespace

absl::Status ParseCanonicalJson(absl::string_view text, google::protobuf::Message* message) {
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), message);
  if (parsed.ok()) return absl::OkStatus();
  // The parser's reason may go on with an excerpt and a caret on further lines.
  const std::string reason(parsed.message());
  return absl::InvalidArgumentError(
      absl::StrCat("not a ", message->GetTypeName(),
                   " in canonical JSON: ", reason.substr(0, reason.find('\n'))));
}

absl::StatusOr<JsonLinesResult> UpsertJsonLines(
    std::istream& in, absl::string_view name, const google::protobuf::Message& prototype,
    const std::function<absl::Status(const google::protobuf::Message&)>& upsert,
    std::FILE* errors) {
  JsonLinesResult result;
  const std::unique_ptr<google::protobuf::Message> message(prototype.New());
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    absl::string_view text = line;
    if (number == 1) absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
    absl::ConsumeSuffix(&text, "\r");
    if (absl::StripAsciiWhitespace(text).empty()) continue;
    message->Clear();
    absl::Status status = ParseCanonicalJson(text, message.get());
    if (status.ok()) {
      status = upsert(*message);
      if (IsCallFailure(status)) {
        return absl::Status(status.code(),
                            absl::StrCat(name, ":", number, ": ", status.message(), " (",
                                         result.stored, " lines stored before it)"));
      }
    }
    if (status.ok()) {
      ++result.stored;
    } else {
      ++result.rejected;
      absl::FPrintF(errors, "%s:%d: %s: %s\n", name, number,
                    absl::StatusCodeToString(status.code()), status.message());
    }
  }
  return result;
}

}  // namespace regulation::regctl
