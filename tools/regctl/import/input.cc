#include "tools/regctl/import/input.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace regulation::regctl {
namespace {

absl::Status ErrnoStatus(int error, absl::string_view what) {
  const std::string message = absl::StrCat(what, ": ", std::strerror(error));
  switch (error) {
    case ENOENT:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    default:
      return absl::UnknownError(message);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<ImportInput>> ImportInput::Open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return ErrnoStatus(errno, absl::StrCat("cannot open ", path));
  struct stat info;
  if (fstat(fileno(file), &info) != 0) {
    const int error = errno;
    std::fclose(file);
    return ErrnoStatus(error, absl::StrCat("cannot stat ", path));
  }
  if (!S_ISREG(info.st_mode)) {
    std::fclose(file);
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is not a regular file (imports need one to measure and resume)"));
  }
  return std::unique_ptr<ImportInput>(new ImportInput(file, info.st_size));
}

ImportInput::ImportInput(std::FILE* file, int64_t size)
    : file_(file), size_(size), buffer_(new char[kBufferSize]) {}

ImportInput::~ImportInput() { std::fclose(file_); }

absl::Status ImportInput::Seek(int64_t offset) {
  if (offset < 0 || offset > size_) {
    return absl::InvalidArgumentError(
        absl::StrCat("offset ", offset, " is outside the file (", size_, " bytes)"));
  }
  if (fseeko(file_, offset, SEEK_SET) != 0) return ErrnoStatus(errno, "seek");
  next_ = end_ = 0;
  offset_ = offset;
  status_ = absl::OkStatus();
  return absl::OkStatus();
}

void ImportInput::SkipByteOrderMark() {
  if (Peek() != 0xEF) return;
  // The buffer holds at least three bytes unless the file ends sooner.
  if (end_ - next_ >= 3 && static_cast<unsigned char>(buffer_[next_ + 1]) == 0xBB &&
      static_cast<unsigned char>(buffer_[next_ + 2]) == 0xBF) {
    next_ += 3;
    offset_ += 3;
  }
}

bool ImportInput::Fill() {
  if (!status_.ok()) return false;
  next_ = 0;
  end_ = std::fread(buffer_.get(), 1, kBufferSize, file_);
  if (end_ == 0 && std::ferror(file_)) {
    status_ = ErrnoStatus(errno, absl::StrCat("read error at byte ", offset_));
  }
  return end_ > 0;
}

}  // namespace regulation::regctl
