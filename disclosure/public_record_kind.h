#ifndef DISCLOSURE_PUBLIC_RECORD_KIND_H_
#define DISCLOSURE_PUBLIC_RECORD_KIND_H_

// The API's kind of a public record from its leaf's "kind" ("COMMITMENT", "DRAW",
// "ANNOUNCEMENT", "RESULT", "CORRECTION", "ENTROPY_SOURCE",
// "WITHDRAWAL", "OBJECTION_OUTCOME"); UNSPECIFIED for anything else.

#include "absl/strings/string_view.h"
#include "regulation/v1/disclosure.pb.h"

namespace regulation::disclosure {

inline v1::PublicRecordKind PublicRecordKindOf(absl::string_view kind) {
  if (kind == "COMMITMENT") return v1::PUBLIC_RECORD_KIND_COMMITMENT;
  if (kind == "DRAW") return v1::PUBLIC_RECORD_KIND_DRAW;
  if (kind == "ANNOUNCEMENT") return v1::PUBLIC_RECORD_KIND_ANNOUNCEMENT;
  if (kind == "RESULT") return v1::PUBLIC_RECORD_KIND_RESULT;
  if (kind == "CORRECTION") return v1::PUBLIC_RECORD_KIND_CORRECTION;
  if (kind == "ENTROPY_SOURCE") return v1::PUBLIC_RECORD_KIND_ENTROPY_SOURCE;
  if (kind == "WITHDRAWAL") return v1::PUBLIC_RECORD_KIND_WITHDRAWAL;
  if (kind == "OBJECTION_OUTCOME") return v1::PUBLIC_RECORD_KIND_OBJECTION_OUTCOME;
  return v1::PUBLIC_RECORD_KIND_UNSPECIFIED;
}

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_PUBLIC_RECORD_KIND_H_
