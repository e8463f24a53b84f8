#ifndef SERVICES_DISCLOSURE_PUBLICATION_PREVIEW_H_
#define SERVICES_DISCLOSURE_PUBLICATION_PREVIEW_H_

// What approving a result will publish, shown to the approver first (docs/api.md,
// "PreviewPublication"; docs/redaction-and-deadlines.md §7).
//
// The preview's body is the public record's body (PublicEntry JSON) with two fields left
// out: publish_time and result.approve_time, which only the approval can fix. The body
// staged at approval is that same entry with exactly those two fields set to the approval
// instant, built by the same code, so the approver sees every published byte except two
// timestamps. The digest covers the result's id and stored version and the preview body:
//
//   preview_digest = hex(SHA-256("regulation.publication-preview.v1\n" + result_id + "\n" +
//                                  decimal(version) + "\n" + body_json))
//
// Approval recomputes it from the result as stored and refuses a digest that differs: a
// revised result (new version), a changed enterprise name or plan departments, or a
// different redaction (a redactor updated between preview and approval) all change it.
//
// Thread safety: stateless functions.

#include <string>
#include <vector>

#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "regulation/v1/disclosure.pb.h"
#include "regulation/v1/disclosure_service.pb.h"
#include "regulation/v1/public_record.pb.h"

namespace regulation::services {

// What a result's public record takes from outside the result.
struct PublicationInputs {
  std::string enterprise_name;
  std::vector<std::string> departments;
  // A targeted plan's reason category for this enterprise ("COMPLAINT", ...), published
  // with the result; empty for a random draw.
  std::string target_reason;
};

// The public form of `result` with `inputs` (its reason category included), approved at
// `approved` when given.
v1::PublicResult PublishedResult(const v1::InspectionResult& result,
                                 const PublicationInputs& inputs,
                                 std::optional<absl::Time> approved);

// The preview of approving `result` (its stored form, with its version).
v1::PublicationPreview PreviewPublicationOf(const v1::InspectionResult& result,
                                            const PublicationInputs& inputs);

// The body to stage when `result` is approved at `approved`: the preview's body with
// publish_time and result.approve_time set to `approved`.
std::string ApprovedResultEntry(const v1::InspectionResult& result, const PublicationInputs& inputs,
                                absl::Time approved);

// The digest of a preview body (see the header comment).
std::string PreviewDigest(absl::string_view result_id, int64_t version,
                          absl::string_view body_json);

}  // namespace regulation::services

#endif  // SERVICES_DISCLOSURE_PUBLICATION_PREVIEW_H_
