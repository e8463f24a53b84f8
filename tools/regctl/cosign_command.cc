#include "tools/regctl/cosign_command.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/files.h"
#include "disclosure/cosignature.h"
#include "disclosure/log_verifier.h"
#include "disclosure/signing_key.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

int Usage(absl::string_view message) { return UsageError({"witness"}, message); }

int Failure(absl::string_view message) {
  absl::FPrintF(stderr, "error: %s\n", message);
  return kExitServerError;
}

std::string StateFileFor(const CosignOptions& options) {
  if (!options.state_file.empty()) return options.state_file;
  const size_t slash = options.key.rfind('/');
  return absl::StrCat(slash == std::string::npos ? "." : options.key.substr(0, slash),
                      "/cosigner-state");
}

// The publisher's lock on SITE (publisher.cc), so that a publish and a cosign never
// interleave their writes of SITE/checkpoint. Released when the descriptor closes.
class SiteLock {
 public:
  explicit SiteLock(const std::string& site) {
    fd_ = ::open((site + "/.publish.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    locked_ = fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) == 0;
  }
  ~SiteLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool locked() const { return locked_; }

 private:
  int fd_ = -1;
  bool locked_ = false;
};

}  // namespace

int RunCosignCommand(const std::vector<std::string>& args, const CosignOptions& options,
                     std::FILE* out) {
  if (options.key.empty() || options.cosigner_name.empty()) {
    return Usage("--key and --cosigner_name are required");
  }
  if (args.size() > 1) return Usage("cosign takes at most one argument: the site directory");
  absl::StatusOr<disclosure::SigningKey> key =
      disclosure::SigningKey::Load(options.key, options.cosigner_name);
  if (!key.ok()) return Failure(absl::StrCat(options.key, ": ", key.status().message()));
  const disclosure::CosignerVerifier self = disclosure::CosignerVerifier::Of(*key);
  if (args.empty()) {
    absl::FPrintF(out, "%s\n", self.VerifierKey());
    return kExitOk;
  }

  const std::string& site = args[0];
  if (options.verifier_key.empty()) {
    return Usage("--verifier_key: the log's key, obtained independently of the site, is "
                 "required to cosign");
  }
  absl::StatusOr<disclosure::NoteVerifier> log_key =
      disclosure::NoteVerifier::Parse(options.verifier_key);
  if (!log_key.ok()) return Usage(absl::StrCat("--verifier_key: ", log_key.status().message()));
  const std::string state_file = StateFileFor(options);
  absl::StatusOr<std::vector<disclosure::TrustedCheckpoint>> state =
      disclosure::LoadTrustedState(state_file);
  if (!state.ok()) return Failure(absl::StrCat("state file: ", state.status().message()));

  SiteLock lock(site);
  if (!lock.locked()) {
    return Failure(absl::StrCat(site, "/.publish.lock: a publish (or another cosigner) is "
                                      "running on this site; try again"));
  }
  const disclosure::TrustedCheckpoint* found = disclosure::FindTrusted(*state, log_key->name());
  const std::optional<disclosure::TrustedCheckpoint> previous =
      found != nullptr ? std::optional<disclosure::TrustedCheckpoint>(*found) : std::nullopt;
  absl::StatusOr<disclosure::VerifiedLog> verified =
      disclosure::VerifyLogDirectory(site, *log_key, found);
  if (!verified.ok()) {
    return Failure(absl::StrCat("not cosigned: ", verified.status().message()));
  }
  const disclosure::SignedCheckpoint& cp = verified->checkpoint;
  const uint64_t now = static_cast<uint64_t>(absl::ToUnixSeconds(options.clock->Now()));
  absl::StatusOr<std::string> cosigned = disclosure::AddCosignature(cp.note, *key, now);
  if (!cosigned.ok()) return Failure(cosigned.status().message());
  const std::string path = site + "/checkpoint";
  absl::StatusOr<std::string> current = ReadWholeFile(path);
  if (!current.ok() || *current != cp.note) {
    return Failure(absl::StrCat(path, " changed while it was verified; run again"));
  }
  if (absl::Status written = WriteFileAtomically(path, *cosigned); !written.ok()) {
    return Failure(written.message());
  }
  disclosure::UpdateTrusted(&*state, {cp.origin, cp.size, cp.root_hash, log_key->VerifierKey()});
  if (absl::Status saved = disclosure::SaveTrustedState(state_file, *state); !saved.ok()) {
    return Failure(absl::StrCat("cosigned, but the state file was not updated: ", saved.message()));
  }
  absl::FPrintF(out, "COSIGNED: %s, tree size %d, root %s, as %s at %d\n", cp.origin, cp.size,
                absl::Base64Escape(cp.root_hash), self.name(), now);
  absl::FPrintF(out, "%s\n",
                previous.has_value()
                    ? absl::StrCat("consistent with the checkpoint cosigned before (tree size ",
                                   previous->size, ")")
                    : absl::StrCat("first checkpoint of this log cosigned; remembered in ", state_file));
  return kExitOk;
}

}  // namespace regulation::regctl
