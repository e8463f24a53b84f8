#ifndef TOOLS_REGCTL_IMPORT_INPUT_H_
#define TOOLS_REGCTL_IMPORT_INPUT_H_

// ImportInput: an import file read front to back through a fixed buffer, byte by byte,
// knowing the offset of every byte. The readers (import_csv_reader.h,
// import_line_reader.h) build records on it; the offsets they report are what a
// checkpoint (import_checkpoint.h) stores to resume at.
//
// Memory: one 64 KiB buffer, whatever the file's size.
// Thread safety: none; one thread reads an input.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace regulation::regctl {

class ImportInput {
 public:
  // Opens `path` for reading. NOT_FOUND when it does not exist; FAILED_PRECONDITION
  // when it is not a regular file (a pipe has no size to resume in); PERMISSION_DENIED
  // or another code of common/files.h's FileErrorStatus when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<ImportInput>> Open(const std::string& path);

  ~ImportInput();
  ImportInput(const ImportInput&) = delete;
  ImportInput& operator=(const ImportInput&) = delete;

  // Size of the file when it was opened.
  int64_t size() const { return size_; }

  // Continues at byte `offset` (0 <= offset <= size()). INVALID_ARGUMENT outside that
  // range; FileErrorStatus's code when the seek fails.
  absl::Status Seek(int64_t offset);

  // Skips a UTF-8 byte-order mark (EF BB BF) when the next three bytes are one.
  void SkipByteOrderMark();

  // The next byte (0-255) and advances; -1 at the end of the file or after a read error
  // (status() tells which).
  int Get() {
    if (next_ == end_ && !Fill()) return -1;
    ++offset_;
    return static_cast<unsigned char>(buffer_[next_++]);
  }

  // The byte Get would return, without consuming it; -1 at the end or after an error.
  int Peek() {
    if (next_ == end_ && !Fill()) return -1;
    return static_cast<unsigned char>(buffer_[next_]);
  }

  // Offset of the byte Get returns next.
  int64_t offset() const { return offset_; }

  // OK, or the FileErrorStatus of the read error that ended the input early.
  const absl::Status& status() const { return status_; }

 private:
  static constexpr size_t kBufferSize = 64 * 1024;

  ImportInput(std::string path, std::FILE* file, int64_t size);
  // Refills the buffer; false at the end of the file or on an error.
  bool Fill();

  const std::string path_;
  std::FILE* file_;
  int64_t size_;
  std::unique_ptr<char[]> buffer_;
  size_t next_ = 0;
  size_t end_ = 0;
  int64_t offset_ = 0;
  absl::Status status_;
};

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_IMPORT_INPUT_H_
