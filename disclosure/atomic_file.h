#ifndef DISCLOSURE_ATOMIC_FILE_H_
#define DISCLOSURE_ATOMIC_FILE_H_

// Whole-file reads and all-or-nothing writes: what the key file, the tile export and the
// verifier's state file need. A file written here is first written in full to a
// temporary file beside it, then renamed (or linked) into place, so a reader sees the
// old contents or the new ones, never a part.
//
// Thread safety: the functions are thread-safe (temporary names are unique per process
// and call). Two writers of the same path race; the last rename wins.

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::disclosure {

struct AtomicWriteOptions {
  // Permissions of the file (exactly; the umask does not narrow them). Default 0644.
  mode_t mode = 0644;
  // fsync the file before it is renamed into place, and its directory after. Default
  // true. Without it the file is still replaced atomically for readers, but a machine
  // crash may leave it empty or old; callers that skip it sync the filesystem
  // themselves (SyncFileSystem) before publishing anything that depends on it.
  bool sync = true;
  // Fail with ALREADY_EXISTS instead of replacing an existing file. Default false.
  bool exclusive = false;
};

// Replaces (or creates) `path` with `data`. Errors: ALREADY_EXISTS (exclusive),
// PERMISSION_DENIED, INTERNAL for other I/O errors; messages name the path.
absl::Status WriteFileAtomically(const std::string& path, absl::string_view data,
                                 const AtomicWriteOptions& options = {});

// The whole contents of `path`. NOT_FOUND when it does not exist; PERMISSION_DENIED;
// INTERNAL for other I/O errors.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// mkdir -p with `mode` for the directories it creates. FAILED_PRECONDITION when a
// component exists and is not a directory.
absl::Status MakeDirectories(const std::string& dir, mode_t mode = 0755);

// fsyncs the directory itself (its entries: renames and new files in it).
absl::Status SyncDirectory(const std::string& dir);

// Flushes every file of the filesystem holding `path` to disk (Linux syncfs): one call
// instead of one fsync per file when many files were written without sync.
absl::Status SyncFileSystem(const std::string& path);

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_ATOMIC_FILE_H_
