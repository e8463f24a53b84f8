#ifndef DISCLOSURE_SITE_PUBLIC_ENTRY_H_
#define DISCLOSURE_SITE_PUBLIC_ENTRY_H_

// A record's body as the site reads it: the JSON of a regulation.v1.PublicEntry
// (proto/regulation/v1/public_record.proto), and the bilingual names of its kinds and
// result categories.
//
// Thread safety: pure functions.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regulation/v1/public_record.pb.h"

namespace regulation::disclosure::site {

// The entry of a body (disclosure::ParsePublicEntryJson). Unknown fields are ignored (a
// newer log may add some); INVALID_ARGUMENT when the body is not a PublicEntry's JSON.
absl::StatusOr<v1::PublicEntry> ParsePublicEntry(absl::string_view body);

// The entry as indented JSON, for reading (not the body's bytes).
std::string PrettyJson(const v1::PublicEntry& entry);

struct BilingualName {
  std::string zh;
  std::string en;
};

// "承诺 Commitment", "抽取 Draw", "检查结果 Result", "更正 Correction", "撤回 Withdrawal",
// "异议处理结果 Objection outcome";
// the kind itself for others.
BilingualName KindName(absl::string_view kind);

// A result category in both languages: the Chinese label the record carries (or the
// official one for a known category) and the English name of the category.
BilingualName CategoryName(const v1::PublicResult& result);

// A targeted inspection's reason category ("COMPLAINT", "ALERT", "REFERRAL",
// "MONITORING") in both languages; an unknown one as it is.
BilingualName TargetReasonName(absl::string_view reason);

// An objection's outcome ("UPHELD", "REJECTED") in both languages.
BilingualName ObjectionOutcomeName(absl::string_view outcome);

// The credit code a RESULT, CORRECTION or OBJECTION_OUTCOME is about (the corrected result's for a
// correction; the subject of a withdrawn one, or of a WITHDRAWAL); empty for other kinds.
std::string EnterpriseCodeOf(const v1::PublicEntry& entry);
// The result a RESULT or CORRECTION shows (the corrected one for a correction), or null.
const v1::PublicResult* ResultOf(const v1::PublicEntry& entry);
// The plan a COMMITMENT, DRAW or ANNOUNCEMENT belongs to; empty for other kinds.
std::string PlanIdOf(const v1::PublicEntry& entry);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_PUBLIC_ENTRY_H_
