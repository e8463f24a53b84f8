#include "tools/regctl/verify_log_command.h"

#include <cstdlib>
#include <optional>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "disclosure/body_check.h"
#include "disclosure/cosignature.h"
#include "disclosure/log_verifier.h"
#include "disclosure/signing_key.h"
#include "disclosure/site/published_bundle.h"
#include "disclosure/site/site_paths.h"
#include "disclosure/site/site_record.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

constexpr int kExitValid = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

// The body and salt of record `index` as the site publishes them (record/<k>/<i>.json and
// .salt); NOT_FOUND when the body is not published.
absl::StatusOr<disclosure::BodyCheck::Body> ReadPublishedBody(const std::string& dir,
                                                              uint64_t index) {
  const int64_t i = static_cast<int64_t>(index);
  absl::StatusOr<std::string> body =
      ReadWholeFile(absl::StrCat(dir, "/", disclosure::site::RecordBodyPath(i)));
  if (!body.ok()) return body.status();
  const std::string salt_path = disclosure::site::RecordSaltPath(i);
  absl::StatusOr<std::string> salt_file = ReadWholeFile(absl::StrCat(dir, "/", salt_path));
  absl::StatusOr<std::string> salt =
      salt_file.ok() ? disclosure::site::ParseSaltFile(*salt_file) : salt_file.status();
  if (!salt.ok()) {
    return absl::DataLossError(absl::StrCat(salt_path, ": ", salt.status().message()));
  }
  return disclosure::BodyCheck::Body{*std::move(body), *std::move(salt)};
}

int Usage(absl::string_view message) { return UsageError({"verify-log"}, message); }

}  // namespace

std::string DefaultLogStateFile() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return "";
  return absl::StrCat(home, "/.regulation-log-state");
}

int RunVerifyLogCommand(const std::vector<std::string>& args, const VerifyLogOptions& options,
                        std::FILE* out) {
  if (args.size() != 1 || args[0].empty()) {
    return Usage("verify-log takes one argument: the directory of the published log");
  }
  const std::string& dir = args[0];

  const std::string state_file =
      options.state_file.empty() ? DefaultLogStateFile() : options.state_file;
  if (state_file.empty()) return Usage("--state_file: required when HOME is not set");
  absl::StatusOr<std::vector<disclosure::TrustedCheckpoint>> state =
      disclosure::LoadTrustedState(state_file);
  if (!state.ok()) {
    absl::FPrintF(stderr, "error: state file: %s\n", state.status().message());
    return kExitInvalid;
  }
  std::vector<disclosure::CosignerVerifier> witnesses;
  for (const std::string& text : options.witness_keys) {
    absl::StatusOr<disclosure::CosignerVerifier> witness = disclosure::CosignerVerifier::Parse(text);
    if (!witness.ok()) return Usage(absl::StrCat("--witness_key: ", witness.status().message()));
    witnesses.push_back(*std::move(witness));
  }

  // The remembered checkpoint is looked up by the origin the directory claims; the
  // verifier ignores it if the signed origin turns out to differ.
  std::string claimed_origin;
  if (absl::StatusOr<std::string> note = ReadWholeFile(dir + "/checkpoint");
      note.ok()) {
    claimed_origin = note->substr(0, note->find('\n'));
  }
  const disclosure::TrustedCheckpoint* previous = disclosure::FindTrusted(*state, claimed_origin);
  const std::optional<disclosure::TrustedCheckpoint> remembered =
      previous != nullptr ? std::optional<disclosure::TrustedCheckpoint>(*previous) : std::nullopt;

  // The key: pinned by the caller, else the one the state file remembers for this log;
  // the key the directory itself serves only with --trust_on_first_use (a forged site
  // serves its forger's key).
  std::string key_text = options.verifier_key;
  if (key_text.empty() && remembered.has_value()) key_text = remembered->verifier_key;
  if (key_text.empty()) {
    if (!options.trust_on_first_use) {
      return Usage(absl::StrCat(
          "no pinned key: pass --verifier_key=KEY obtained independently of ", dir,
          ", or --trust_on_first_use to trust the key the directory serves (", state_file,
          " does not know the log \"", claimed_origin, "\")"));
    }
    const std::string key_path = dir + "/verifier.key";
    absl::StatusOr<std::string> published = ReadWholeFile(key_path);
    if (!published.ok()) {
      return Usage(absl::StrCat("no --verifier_key, and ", published.status().message()));
    }
    key_text = std::string(absl::StripAsciiWhitespace(*published));
    absl::FPrintF(stderr,
                  "note: --trust_on_first_use: trusting the key published beside the log (%s) "
                  "and remembering it in %s\n",
                  key_path, state_file);
  }
  absl::StatusOr<disclosure::NoteVerifier> verifier = disclosure::NoteVerifier::Parse(key_text);
  if (!verifier.ok()) return Usage(absl::StrCat("--verifier_key: ", verifier.status().message()));

  // Each DRAW record's bundle file (and its parts) is held to the digests the record
  // names, as the plan page's panel does in the browser.
  int64_t draw_bundles = 0;
  int64_t bundles_in_parts = 0;
  disclosure::BodyCheck bodies(
      [&dir](uint64_t index) { return ReadPublishedBody(dir, index); },
      [&](uint64_t, const v1::PublicEntry& entry) -> absl::Status {
        if (!entry.has_draw()) return absl::OkStatus();
        REG_RETURN_IF_ERROR(disclosure::site::CheckPublishedBundle(
            entry.draw(), [&dir](const std::string& path) {
              return ReadWholeFile(absl::StrCat(dir, "/", path));
            }));
        ++draw_bundles;
        bundles_in_parts += entry.draw().bundle_part_digests_size() > 0;
        return absl::OkStatus();
      });
  absl::StatusOr<disclosure::VerifiedLog> verified = disclosure::VerifyLogDirectory(
      dir, *verifier, previous,
      [&bodies](uint64_t index, const std::string& leaf) { return bodies.Check(index, leaf); });
  const absl::Status complete = verified.ok() ? bodies.Finish() : verified.status();
  if (!complete.ok()) {
    absl::FPrintF(out, "INVALID: %s\n", complete.message());
    return kExitInvalid;
  }
  const disclosure::SignedCheckpoint& cp = verified->checkpoint;
  // Every required witness must have cosigned this very checkpoint.
  std::vector<std::string> cosigned_by;
  for (const disclosure::CosignerVerifier& witness : witnesses) {
    absl::StatusOr<uint64_t> at = witness.Verify(cp.note);
    if (!at.ok()) {
      absl::FPrintF(out, "INVALID: %s (required by --witness_key)\n", at.status().message());
      return kExitInvalid;
    }
    cosigned_by.push_back(absl::StrCat(witness.name(), " at ",
                                       absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                                        absl::FromUnixSeconds(static_cast<int64_t>(*at)),
                                                        absl::UTCTimeZone())));
  }
  absl::FPrintF(out, "VALID: %d entries, tree size %d, root %s\n", verified->entries, cp.size,
                absl::Base64Escape(cp.root_hash));
  if (!cosigned_by.empty()) {
    absl::FPrintF(out, "cosigned by %s\n", absl::StrJoin(cosigned_by, "; "));
  }
  absl::FPrintF(out, "bodies: %d match their leaves; %d withdrawn, each named by a WITHDRAWAL record\n",
                bodies.bodies_checked(), bodies.withdrawn());
  absl::FPrintF(out, "draw bundles: %d match their DRAW records (%d published in parts)\n",
                draw_bundles, bundles_in_parts);
  if (!bodies.still_published().empty()) {
    absl::FPrintF(out,
                  "WARNING: the bodies of withdrawn records %s are still published in %s; the "
                  "site should have removed them\n",
                  absl::StrJoin(bodies.still_published(), ", "), dir);
  }
  // The logs this state file knew before this one (for the warning below).
  std::vector<std::string> known;
  for (const disclosure::TrustedCheckpoint& t : *state) known.push_back(t.origin);
  disclosure::UpdateTrusted(&*state, {cp.origin, cp.size, cp.root_hash, verifier->VerifierKey()});
  if (absl::Status saved = disclosure::SaveTrustedState(state_file, *state); !saved.ok()) {
    absl::FPrintF(stderr, "error: the log is valid but the state file was not updated: %s\n",
                  saved.message());
    return kExitInvalid;
  }
  if (remembered.has_value()) {
    absl::FPrintF(out, "log %s: consistent with the checkpoint verified before (tree size %d)\n",
                  cp.origin, remembered->size);
  } else {
    absl::FPrintF(out, "log %s: first verification; remembered in %s\n", cp.origin, state_file);
    // A mirror that swaps the log for another (new key, new origin) would pass as a first
    // verification: say which logs this state file knows, unless the key was pinned.
    if (options.verifier_key.empty() && !known.empty()) {
      absl::FPrintF(out,
                    "WARNING: this state file remembers %s, not %s: if this directory should "
                    "hold one of those logs, it holds another one now. Pin --verifier_key to "
                    "be sure.\n",
                    absl::StrJoin(known, ", "), cp.origin);
    }
  }
  return kExitValid;
}

}  // namespace regulation::regctl
