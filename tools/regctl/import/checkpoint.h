#ifndef TOOLS_REGCTL_IMPORT_CHECKPOINT_H_
#define TOOLS_REGCTL_IMPORT_CHECKPOINT_H_

// The checkpoint of an import: how far into its input every row is done (accepted by
// the server or reported as rejected), so that a rerun continues there. It lives next
// to the input as FILE.import-state, a small key=value text file:
//
//   # regctl import checkpoint: delete it (or pass --restart) to start over
//   version=1
//   kind=events
//   file_size=104857600
//   file_mtime_ns=1714521600123456789
//   file_head_sha256=9f86d0...    (of the first 64 KiB)
//   offset=52428800                every row before this byte is done
//   line=250000                    ... which is the end of this line
//   accepted=249990
//   rejected=10
//   changed=0
//   duplicates=120
//
// A checkpoint only applies to the file it was written for: same size, modification
// time and first 64 KiB (FileFingerprint). It is replaced atomically (write a
// temporary file, fsync, rename), so a crash leaves the old or the new one, never a
// torn one.
//
// Thread safety: the functions share no state; two processes importing the same file
// at once would overwrite each other's checkpoint.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::regctl {

// Bytes of the file's start that its fingerprint hashes.
inline constexpr int64_t kFingerprintHeadBytes = 64 * 1024;

struct FileFingerprint {
  int64_t size = 0;
  int64_t mtime_ns = 0;
  // SHA-256 of the first kFingerprintHeadBytes (or the whole file if smaller), hex.
  std::string head_sha256;

  bool operator==(const FileFingerprint& other) const {
    return size == other.size && mtime_ns == other.mtime_ns && head_sha256 == other.head_sha256;
  }
  bool operator!=(const FileFingerprint& other) const { return !(*this == other); }
};

// The fingerprint of the file at `path` now. NOT_FOUND, PERMISSION_DENIED or another
// code of common/files.h's FileErrorStatus when it cannot be read.
absl::StatusOr<FileFingerprint> FingerprintFile(const std::string& path);

struct ImportCheckpoint {
  // "enterprises" or "events".
  std::string kind;
  FileFingerprint file;
  // Every row that starts before `offset` is done; `offset` is the start of a record,
  // on line `line` + 1.
  int64_t offset = 0;
  int64_t line = 0;
  // Rows done before `offset`: accepted by the server (for events: applied or
  // duplicate), rejected (reported), and of the accepted ones, changed enterprises
  // and duplicate events.
  int64_t accepted = 0;
  int64_t rejected = 0;
  int64_t changed = 0;
  int64_t duplicates = 0;
};

// Where the checkpoint for `input_path` lives: input_path + ".import-state".
std::string CheckpointPath(absl::string_view input_path);

// The file's text, and back. ParseCheckpoint answers INVALID_ARGUMENT for text that
// is not a complete checkpoint of version 1.
std::string FormatCheckpoint(const ImportCheckpoint& checkpoint);
absl::StatusOr<ImportCheckpoint> ParseCheckpoint(absl::string_view text);

// NOT_FOUND when there is no checkpoint at `path`; INVALID_ARGUMENT when the file is
// not one; FileErrorStatus's code on a read error.
absl::StatusOr<ImportCheckpoint> ReadCheckpoint(const std::string& path);

// Replaces the checkpoint at `path` atomically (WriteFileAtomically: a temporary file
// beside it, fsynced, renamed). PERMISSION_DENIED, RESOURCE_EXHAUSTED or INTERNAL
// (with strerror) when the directory is not writable or the disk fails.
absl::Status WriteCheckpoint(const std::string& path, const ImportCheckpoint& checkpoint);

// Removes the checkpoint at `path`; OK when there is none.
absl::Status RemoveCheckpoint(const std::string& path);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_IMPORT_CHECKPOINT_H_
