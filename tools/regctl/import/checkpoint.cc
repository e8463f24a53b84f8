#include "tools/regctl/import/checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/files.h"
#include "common/sha256.h"

namespace regulation::regctl {

absl::StatusOr<FileFingerprint> FingerprintFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileErrorStatus(errno, "cannot open", path);
  struct stat info;
  if (fstat(fd, &info) != 0) {
    absl::Status status = FileErrorStatus(errno, "cannot stat", path);
    close(fd);
    return status;
  }
  std::string head(static_cast<size_t>(kFingerprintHeadBytes), '\0');
  size_t have = 0;
  while (have < head.size()) {
    const ssize_t n = read(fd, &head[have], head.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status status = FileErrorStatus(errno, "cannot read", path);
      close(fd);
      return status;
    }
    if (n == 0) break;
    have += static_cast<size_t>(n);
  }
  close(fd);
  head.resize(have);
  FileFingerprint fingerprint;
  fingerprint.size = info.st_size;
  fingerprint.mtime_ns = static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 +
                         static_cast<int64_t>(info.st_mtim.tv_nsec);
  fingerprint.head_sha256 = Sha256Hex(head);
  return fingerprint;
}

std::string CheckpointPath(absl::string_view input_path) {
  return absl::StrCat(input_path, ".import-state");
}

std::string FormatCheckpoint(const ImportCheckpoint& c) {
  return absl::StrCat("# regctl import checkpoint: delete it (or pass --restart) to start over\n",
                      "version=1\n", "kind=", c.kind, "\n", "file_size=", c.file.size, "\n",
                      "file_mtime_ns=", c.file.mtime_ns, "\n",
                      "file_head_sha256=", c.file.head_sha256, "\n", "offset=", c.offset, "\n",
                      "line=", c.line, "\n", "accepted=", c.accepted, "\n", "rejected=", c.rejected,
                      "\n", "changed=", c.changed, "\n", "duplicates=", c.duplicates, "\n");
}

absl::StatusOr<ImportCheckpoint> ParseCheckpoint(absl::string_view text) {
  absl::flat_hash_map<std::string, std::string> values;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipWhitespace())) {
    if (absl::StartsWith(line, "#")) continue;
    const std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(line, '=');
    if (line.find('=') == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("not key=value: \"", line, "\""));
    }
    values[std::string(kv.first)] = std::string(kv.second);
  }
  if (values["version"] != "1") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown checkpoint version \"", values["version"], "\""));
  }
  ImportCheckpoint c;
  c.kind = values["kind"];
  c.file.head_sha256 = values["file_head_sha256"];
  const std::pair<const char*, int64_t*> numbers[] = {
      {"file_size", &c.file.size}, {"file_mtime_ns", &c.file.mtime_ns}, {"offset", &c.offset},
      {"line", &c.line},           {"accepted", &c.accepted},           {"rejected", &c.rejected},
      {"changed", &c.changed},     {"duplicates", &c.duplicates},
  };
  for (const auto& [key, field] : numbers) {
    auto it = values.find(key);
    if (it == values.end() || !absl::SimpleAtoi(it->second, field) || *field < 0) {
      return absl::InvalidArgumentError(absl::StrCat("missing or bad ", key));
    }
  }
  if (c.kind.empty() || c.file.head_sha256.size() != 64 || c.offset > c.file.size) {
    return absl::InvalidArgumentError("incomplete checkpoint");
  }
  return c;
}

absl::StatusOr<ImportCheckpoint> ReadCheckpoint(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  if (text->size() > 64 * 1024) {  // no checkpoint is this long
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a checkpoint: too long"));
  }
  absl::StatusOr<ImportCheckpoint> checkpoint = ParseCheckpoint(*text);
  if (!checkpoint.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not a checkpoint: ", checkpoint.status().message()));
  }
  return checkpoint;
}

absl::Status WriteCheckpoint(const std::string& path, const ImportCheckpoint& checkpoint) {
  return WriteFileAtomically(path, FormatCheckpoint(checkpoint));
}

absl::Status RemoveCheckpoint(const std::string& path) { return RemoveFileIfExists(path); }

}  // namespace regulation::regctl
