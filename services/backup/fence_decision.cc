#include "services/backup/fence_decision.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/log.h"
#include "common/sha256.h"
#include "disclosure/transparency_log.h"
#include "services/access/audit_sink.h"
#include "services/audit/audit_log.h"
#include "services/backup/log_fence.h"
#include "services/common/request_id.h"

namespace regulation::backup {
namespace {

namespace fs = std::filesystem;

// The audit record of an accepted fork risk: who (the local operator, by the flag),
// what (the method names the decision), and which published checkpoint was overridden
// (its SHA-256 as the request digest). The reason goes to the log.
absl::Status RecordAcceptance(storage::KvStore* store, Clock* clock, const std::string& note) {
  absl::StatusOr<std::unique_ptr<audit::AuditLog>> audit = audit::AuditLog::Open(store, clock);
  if (!audit.ok()) return audit.status();
  access::AuditEntry entry;
  entry.time = clock->Now();
  entry.caller.subject = "local-operator (regulatord --accept_log_fork_risk)";
  entry.caller.roles = {access::Role::kAdmin};
  entry.method = "regulatord/AcceptLogForkRisk";
  entry.request_digest = Sha256(note);
  entry.request_count = 1;
  entry.request_id = services::NewRequestId();
  entry.outcome = absl::OkStatus();
  return (*audit)->Append(entry);
}

}  // namespace

absl::StatusOr<std::optional<std::string>> DecideLogFence(storage::KvStore* store,
                                                          const disclosure::SigningKey& key,
                                                          const FenceOptions& options) {
  absl::StatusOr<std::unique_ptr<disclosure::TransparencyLog>> log =
      disclosure::TransparencyLog::Open(store, key);
  if (!log.ok()) return log.status();

  if (!options.restored_from_checkpoint.empty()) {
    absl::StatusOr<PublishedCheck> own = CheckPublished(**log, options.restored_from_checkpoint);
    if (!own.ok()) return own.status();
    if (!own->consistent) {
      return absl::DataLossError(
          absl::StrCat("the restored log does not hold the checkpoint its backup recorded: ",
                       own->why));
    }
  }

  const std::string fence_path = (fs::path(options.data_dir) / kFenceFile).string();
  std::vector<std::string> notes;
  absl::StatusOr<std::string> fence_note = ReadWholeFile(fence_path);
  if (fence_note.ok()) {
    notes.push_back(*fence_note);
  } else if (!absl::IsNotFound(fence_note.status())) {
    return fence_note.status();
  }
  if (!options.published_checkpoint.empty()) notes.push_back(options.published_checkpoint);

  // The largest checkpoint the log does not extend, if any.
  std::optional<PublishedCheck> refused;
  std::string refused_note;
  for (const std::string& note : notes) {
    absl::StatusOr<PublishedCheck> check = CheckPublished(**log, note);
    if (!check.ok()) return check.status();
    if (check->consistent) continue;
    if (!refused.has_value() || check->published_size > refused->published_size) {
      refused = *check;
      refused_note = note;
    }
  }
  std::error_code ec;
  if (!refused.has_value()) {
    fs::remove(fence_path, ec);  // the log has caught up with what was fenced
    return std::optional<std::string>();
  }
  if (options.accept_fork_risk) {
    if (absl::Status recorded =
            RecordAcceptance(store, options.clock, refused_note);
        !recorded.ok()) {
      return absl::Status(recorded.code(),
                          absl::StrCat("--accept_log_fork_risk is not taken without its audit "
                                       "record: ",
                                       recorded.message()));
    }
    LogWarning(absl::StrCat("--accept_log_fork_risk: the disclosure log signs again although ",
                            refused->why, "; recorded in the audit trail"));
    fs::remove(fence_path, ec);
    if (ec) return absl::InternalError(absl::StrCat("removing ", fence_path, ": ", ec.message()));
    return std::optional<std::string>();
  }
  AtomicWriteOptions private_file;
  private_file.mode = 0600;
  if (absl::Status kept = WriteFileAtomically(fence_path, refused_note, private_file);
      !kept.ok()) {
    return kept;
  }
  return std::optional<std::string>(refused->why);
}

}  // namespace regulation::backup
