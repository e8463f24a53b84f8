#include "services/disclosure/publication_preview.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "disclosure/redaction.h"
#include "services/disclosure/public_result.h"
#include "services/inspection/public_entries.h"

namespace regulation::services {
namespace {

constexpr absl::string_view kDigestDomain = "regulation.publication-preview.v1";

v1::PublicEntry EntryOf(const v1::InspectionResult& result, const PublicationInputs& inputs,
                        std::optional<absl::Time> approved) {
  return ResultEntryOf(PublishedResult(result, inputs, approved), approved);
}

// Each removal from `text` (the field `field` of the result), with where its mask lands in
// the published text.
void AddRedactions(absl::string_view field, absl::string_view text,
                   v1::PublicationPreview* preview) {
  int64_t shift = 0;  // published offset minus original offset, so far
  for (const disclosure::PersonalDataMatch& m : disclosure::FindPersonalData(text)) {
    const absl::string_view mask = disclosure::RedactionMask(m.kind);
    v1::PreviewRedaction* r = preview->add_redactions();
    r->set_field(std::string(field));
    r->set_kind(std::string(disclosure::PersonalDataKindName(m.kind)));
    r->set_original(std::string(text.substr(m.begin, m.end - m.begin)));
    r->set_mask(std::string(mask));
    r->set_original_begin(static_cast<int64_t>(m.begin));
    r->set_original_end(static_cast<int64_t>(m.end));
    r->set_published_begin(static_cast<int64_t>(m.begin) + shift);
    r->set_published_end(r->published_begin() + static_cast<int64_t>(mask.size()));
    shift += static_cast<int64_t>(mask.size()) - static_cast<int64_t>(m.end - m.begin);
  }
}

}  // namespace

v1::PublicResult PublishedResult(const v1::InspectionResult& result,
                                 const PublicationInputs& inputs,
                                 std::optional<absl::Time> approved) {
  v1::PublicResult published =
      PublicResultOf(result, inputs.enterprise_name, inputs.departments, approved);
  published.set_target_reason(inputs.target_reason);
  return published;
}

std::string PreviewDigest(absl::string_view result_id, int64_t version,
                          absl::string_view body_json) {
  return Sha256Hex(absl::StrCat(kDigestDomain, "\n", result_id, "\n", version, "\n", body_json));
}

v1::PublicationPreview PreviewPublicationOf(const v1::InspectionResult& result,
                                            const PublicationInputs& inputs) {
  v1::PublicationPreview preview;
  preview.set_result_id(result.result_id());
  preview.set_result_version(result.version());
  preview.set_body_json(PublicEntryJson(EntryOf(result, inputs, std::nullopt)));
  preview.set_preview_digest(
      PreviewDigest(result.result_id(), result.version(), preview.body_json()));
  AddRedactions("findings", result.findings(), &preview);
  AddRedactions("follow_up_measures", result.follow_up_measures(), &preview);
  preview.add_set_at_approval("publish_time");
  preview.add_set_at_approval("result.approve_time");
  return preview;
}

std::string ApprovedResultEntry(const v1::InspectionResult& result, const PublicationInputs& inputs,
                                absl::Time approved) {
  return PublicEntryJson(EntryOf(result, inputs, approved));
}

}  // namespace regulation::services
