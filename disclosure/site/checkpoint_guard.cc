#include "disclosure/site/checkpoint_guard.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "disclosure/merkle.h"

namespace regulation::disclosure::site {

absl::StatusOr<ChosenKey> ChooseVerifierKey(const std::string& pinned,
                                            const std::optional<std::string>& site_key,
                                            const std::string& source_key) {
  const std::string site = site_key.has_value()
                               ? std::string(absl::StripAsciiWhitespace(*site_key))
                               : std::string();
  std::string chosen = pinned;
  bool first_use = false;
  if (!pinned.empty() && !site.empty() && site != pinned) {
    return absl::FailedPreconditionError(
        absl::StrCat("the site publishes the log under the key ", site,
                     ", not the pinned key ", pinned, ": refusing to publish"));
  }
  if (chosen.empty()) chosen = site;
  if (chosen.empty()) {
    chosen = std::string(absl::StripAsciiWhitespace(source_key));
    first_use = true;
    if (chosen.empty()) {
      return absl::InvalidArgumentError(
          "no verifier key: none pinned, none in the site, none from the log");
    }
  }
  absl::StatusOr<NoteVerifier> verifier = NoteVerifier::Parse(chosen);
  if (!verifier.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("verifier key ", chosen, ": ", verifier.status().message()));
  }
  return ChosenKey{*std::move(verifier), first_use};
}

absl::StatusOr<std::optional<CheckpointText>> ParsePublishedCheckpoint(
    const std::optional<std::string>& note) {
  if (!note.has_value()) return std::optional<CheckpointText>();
  absl::StatusOr<Note> parsed = ParseNote(*note);
  absl::StatusOr<CheckpointText> text =
      parsed.ok() ? ParseCheckpointText(parsed->text) : parsed.status();
  if (!text.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the site's checkpoint is not a checkpoint: ", text.status().message()));
  }
  return std::optional<CheckpointText>(*std::move(text));
}

absl::StatusOr<SignedCheckpoint> CheckNextCheckpoint(const std::string& note,
                                                     const NoteVerifier& verifier,
                                                     const std::optional<CheckpointText>& published,
                                                     SiteSource& source) {
  absl::StatusOr<SignedCheckpoint> next = VerifyCheckpoint(note, verifier);
  if (!next.ok()) {
    if (absl::IsUnauthenticated(next.status())) {
      return absl::UnauthenticatedError(
          absl::StrCat("the log's checkpoint is not signed by ", verifier.VerifierKey(), ": ",
                       next.status().message()));
    }
    return next.status();
  }
  if (!published.has_value()) return next;
  if (next->origin != published->origin) {
    return absl::FailedPreconditionError(absl::StrCat("the site publishes the log \"",
                                                      published->origin, "\", not \"",
                                                      next->origin, "\""));
  }
  if (next->size < published->size) {
    return absl::FailedPreconditionError(absl::StrCat(
        "rollback: the log's checkpoint has ", next->size, " records but the site already ",
        "publishes ", published->size, ": refusing to publish"));
  }
  std::vector<std::string> proof;
  if (published->size > 0 && published->size < next->size) {
    REG_ASSIGN_OR_RETURN(proof, source.ConsistencyProof(static_cast<int64_t>(published->size),
                                                        static_cast<int64_t>(next->size)));
  }
  if (absl::Status consistent = VerifyConsistency(published->size, next->size, proof,
                                                  published->root_hash, next->root_hash);
      !consistent.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "fork: the site's checkpoint (", published->size, " records, root ",
        absl::Base64Escape(published->root_hash), ") is not a prefix of the log's (",
        next->size, " records, root ", absl::Base64Escape(next->root_hash),
        "): refusing to publish (", consistent.message(), ")"));
  }
  return next;
}

}  // namespace regulation::disclosure::site
