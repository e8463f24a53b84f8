#ifndef COMMON_FILES_H_
#define COMMON_FILES_H_

// Whole files, the way every package reads and writes them: read all of a file, replace
// a file all at once, make directories, and the one translation of a failed system
// call's errno into an absl::Status.
//
// A file written here is first written in full to a temporary file beside it, then
// renamed (or linked) into place, so a reader sees the old contents or the new ones,
// never a part; with `sync` the data and the directory entry are on disk before the
// call returns, so a machine crash leaves the old file or the new one as well.
//
// Errors all come from FileErrorStatus and name the path:
//   NOT_FOUND           ENOENT, ENOTDIR (the file or a directory on its path does not
//                       exist, or a component of the path is a file)
//   PERMISSION_DENIED   EACCES, EPERM, EROFS
//   ALREADY_EXISTS      EEXIST
//   RESOURCE_EXHAUSTED  ENOSPC, EDQUOT, EFBIG, EMFILE, ENFILE, ENOMEM
//   FAILED_PRECONDITION EISDIR, ELOOP, ENAMETOOLONG, ENOTEMPTY, EXDEV
//   UNAVAILABLE         EAGAIN, EBUSY, EINTR, ETXTBSY
//   INTERNAL            anything else (EIO, ...)
//
// Thread safety: the functions are thread-safe (temporary names are unique per process
// and call). Two writers of the same path race; the last rename wins.

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation {

// The status for a system call on `path` that failed with `error` (an errno value),
// coded as the table above says, with the message "<path>: <what>: <strerror>", e.g.
// "/srv/ca/tls.key: cannot open: No such file or directory".
absl::Status FileErrorStatus(int error, absl::string_view what, absl::string_view path);

struct AtomicWriteOptions {
  // Permissions of the file (exactly; the umask does not narrow them). Default 0644.
  mode_t mode = 0644;
  // fsync the file before it is renamed into place, and its directory after. Default
  // true. Without it the file is still replaced atomically for readers, but a machine
  // crash may leave it empty or old; callers that skip it sync the filesystem
  // themselves (SyncFileSystem) before publishing anything that depends on it.
  bool sync = true;
  // Fail with ALREADY_EXISTS ("<path>: already exists; refusing to replace it")
  // instead of replacing an existing file. Default false.
  bool exclusive = false;
};

// Replaces (or creates) `path` with `data`. On any error the old file, if any, is left
// as it was and no temporary file is left behind. Errors as FileErrorStatus.
absl::Status WriteFileAtomically(const std::string& path, absl::string_view data,
                                 const AtomicWriteOptions& options = {});

// The whole contents of `path`. NOT_FOUND when it does not exist; otherwise as
// FileErrorStatus.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// The contents of `path`, a file holding a secret (a private key) that only its owner
// may read. NOT_FOUND "<path>: no such key file" when it does not exist;
// FAILED_PRECONDITION naming `what` and the mode when group or others have any access
// ("<path>: the signing key is open to others (mode 0644); chmod 600 it"); otherwise as
// ReadWholeFile.
absl::StatusOr<std::string> ReadPrivateFile(const std::string& path, absl::string_view what);

// mkdir -p with `mode` for the directories it creates (existing ones keep theirs).
// INVALID_ARGUMENT for an empty path; FAILED_PRECONDITION when `dir` or one of its
// parents exists and is not a directory; otherwise as FileErrorStatus.
absl::Status MakeDirectories(const std::string& dir, mode_t mode = 0755);

// Deletes the file `path`; OK when it does not exist.
absl::Status RemoveFileIfExists(const std::string& path);

// rm -r; OK when `dir` does not exist.
absl::Status RemoveTree(const std::string& dir);

// fsyncs the directory itself (its entries: renames and new files in it).
absl::Status SyncDirectory(const std::string& dir);

// Flushes every file of the filesystem holding `path` to disk (Linux syncfs): one call
// instead of one fsync per file when many files were written without sync.
absl::Status SyncFileSystem(const std::string& path);

// The directory part of `path`: "a/b" -> "a", "b" -> ".", "/b" -> "/".
std::string DirectoryOf(const std::string& path);

}  // namespace regulation

#endif  // COMMON_FILES_H_
