#ifndef DISCLOSURE_SITE_SITE_WRITER_H_
#define DISCLOSURE_SITE_SITE_WRITER_H_

// The publisher's only way to touch the site directory. Every file is written in full
// under a temporary name beside its final path and then renamed over it, so a reader
// (a web server) sees the old file or the new one, never a part. Writes are not synced
// one by one: the publisher calls SyncAll() once before it writes the checkpoint
// durably, which is what makes everything the checkpoint covers durable first.
//
// It keeps the list of paths it wrote: the publisher's report, and what the tests bound.
//
// Thread safety: not thread-safe; one writer per run. Two publishers on one directory
// are not supported.

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::disclosure::site {

class SiteWriter {
 public:
  // `dir` is the site root; it must exist.
  explicit SiteWriter(std::string dir);

  SiteWriter(const SiteWriter&) = delete;
  SiteWriter& operator=(const SiteWriter&) = delete;

  // Replaces (or creates) `path`, relative to the root, creating its folders. Errors:
  // PERMISSION_DENIED, INTERNAL for other I/O errors; messages name the path.
  absl::Status Write(const std::string& path, absl::string_view data);
  // Write, unless the file already holds exactly `data` (then nothing is written).
  absl::Status WriteIfChanged(const std::string& path, absl::string_view data);
  // Write, then fsync the file and its folder: for the checkpoint, the commit point.
  absl::Status WriteDurably(const std::string& path, absl::string_view data);
  // Renames the file at `source` (absolute, on the same filesystem) to `path`.
  absl::Status MoveInto(const std::string& source, const std::string& path);
  // Deletes `path`; OK when it does not exist. Recorded in removed().
  absl::Status Remove(const std::string& path);

  // The contents of `path`; NOT_FOUND when it does not exist.
  absl::StatusOr<std::string> Read(const std::string& path) const;
  // Flushes every file of the site's filesystem to disk (syncfs).
  absl::Status SyncAll() const;

  const std::string& dir() const { return dir_; }
  std::string Absolute(const std::string& path) const { return dir_ + "/" + path; }
  // The paths written so far, in order (a path written twice appears twice).
  const std::vector<std::string>& written() const { return written_; }
  // The paths deleted so far, in order.
  const std::vector<std::string>& removed() const { return removed_; }

 private:
  absl::Status MakeParent(const std::string& path);
  absl::Status WriteFile(const std::string& path, absl::string_view data, bool sync);

  const std::string dir_;
  absl::flat_hash_set<std::string> made_dirs_;
  std::vector<std::string> written_;
  std::vector<std::string> removed_;
};

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_SITE_WRITER_H_
