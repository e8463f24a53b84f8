#include "disclosure/site/site_writer.h"

#include <cerrno>
#include <cstdio>

#include "common/files.h"

namespace regulation::disclosure::site {

SiteWriter::SiteWriter(std::string dir) : dir_(std::move(dir)) {}

absl::Status SiteWriter::MakeParent(const std::string& path) {
  const std::string parent = DirectoryOf(Absolute(path));
  if (made_dirs_.contains(parent)) return absl::OkStatus();
  absl::Status made = MakeDirectories(parent);
  if (made.ok()) made_dirs_.insert(parent);
  return made;
}

absl::Status SiteWriter::WriteFile(const std::string& path, absl::string_view data, bool sync) {
  if (absl::Status made = MakeParent(path); !made.ok()) return made;
  AtomicWriteOptions options;
  // Served files must be readable by the web server whatever the umask.
  options.mode = 0644;
  options.sync = sync;
  absl::Status status = WriteFileAtomically(Absolute(path), data, options);
  if (status.ok()) written_.push_back(path);
  return status;
}

absl::Status SiteWriter::Write(const std::string& path, absl::string_view data) {
  return WriteFile(path, data, /*sync=*/false);
}

absl::Status SiteWriter::WriteIfChanged(const std::string& path, absl::string_view data) {
  absl::StatusOr<std::string> old = Read(path);
  if (old.ok() && *old == data) return absl::OkStatus();
  return Write(path, data);
}

absl::Status SiteWriter::WriteDurably(const std::string& path, absl::string_view data) {
  return WriteFile(path, data, /*sync=*/true);
}

absl::Status SiteWriter::MoveInto(const std::string& source, const std::string& path) {
  if (absl::Status made = MakeParent(path); !made.ok()) return made;
  const std::string target = Absolute(path);
  if (::rename(source.c_str(), target.c_str()) != 0) {
    return FileErrorStatus(errno, "cannot rename into place", target);
  }
  written_.push_back(path);
  return absl::OkStatus();
}

absl::Status SiteWriter::Remove(const std::string& path) {
  if (absl::Status removed = RemoveFileIfExists(Absolute(path)); !removed.ok()) return removed;
  removed_.push_back(path);
  return absl::OkStatus();
}

absl::StatusOr<std::string> SiteWriter::Read(const std::string& path) const {
  return ReadWholeFile(Absolute(path));
}

absl::Status SiteWriter::SyncAll() const { return SyncFileSystem(dir_); }

}  // namespace regulation::disclosure::site
