#ifndef TOOLS_REGCTL_JSONL_UPSERT_H_
#define TOOLS_REGCTL_JSONL_UPSERT_H_

// `regctl inspector put --file` and `regctl item put --file`: a JSON-lines file, one
// message per line in protobuf's canonical JSON, written with one upsert call per line.
//
// Thread safety: UpsertJsonLines calls `upsert` on the caller's thread, one line at a
// time.

#include <cstdio>
#include <functional>
#include <istream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace regulation::regctl {

struct JsonLinesResult {
  // Lines whose upsert succeeded.
  int stored = 0;
  // Lines that did not parse or whose upsert failed; each reported on `errors`.
  int rejected = 0;
};

// Parses `text` into `message` (protobuf's canonical JSON). INVALID_ARGUMENT "not a
// <full type name> in canonical JSON: <the parser's reason, one line>" otherwise.
absl::Status ParseCanonicalJson(absl::string_view text, google::protobuf::Message* message);

// Reads `in` (called `name` in messages) line by line. Blank lines are skipped; a UTF-8
// byte order mark on the first line and a trailing CR are ignored. Every other line is
// parsed as a message of `prototype`'s type (canonical JSON: lowerCamelCase or original
// field names, enum names) and passed to `upsert`. A line that does not parse, or whose
// upsert fails, is reported on `errors` as "NAME:LINE: CODE: message" and counted as
// rejected, and the next line is tried.
//
// When an upsert fails with UNAVAILABLE, DEADLINE_EXCEEDED or UNAUTHENTICATED the server,
// not the line, is the trouble: it stops and returns that status, its message prefixed
// with "NAME:LINE: " and followed by how many lines were stored before.
absl::StatusOr<JsonLinesResult> UpsertJsonLines(
    std::istream& in, absl::string_view name, const google::protobuf::Message& prototype,
    const std::function<absl::Status(const google::protobuf::Message&)>& upsert, std::FILE* errors);

// UpsertJsonLines for messages of type T, with `upsert` taking a const T&.
template <typename T, typename Upsert>
absl::StatusOr<JsonLinesResult> UpsertJsonLinesOf(std::istream& in, absl::string_view name,
                                                  Upsert&& upsert, std::FILE* errors) {
  return UpsertJsonLines(
      in, name, T::default_instance(),
      [&](const google::protobuf::Message& message) {
        return upsert(static_cast<const T&>(message));
      },
      errors);
}

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_JSONL_UPSERT_H_
