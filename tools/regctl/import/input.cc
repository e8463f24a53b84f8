#include "tools/regctl/import/input.h"

#include <sys/stat.h>

#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/files.h"

namespace regulation::regctl {

absl::StatusOr<std::unique_ptr<ImportInput>> ImportInput::Open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return FileErrorStatus(errno, "cannot open", path);
  struct stat info;
  if (fstat(fileno(file), &info) != 0) {
    const int error = errno;
    std::fclose(file);
    return FileErrorStatus(error, "cannot stat", path);
  }
  if (!S_ISREG(info.st_mode)) {
    std::fclose(file);
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is not a regular file (imports need one to measure and resume)"));
  }
  return std::unique_ptr<ImportInput>(new ImportInput(path, file, info.st_size));
}

ImportInput::ImportInput(std::string path, std::FILE* file, int64_t size)
    : path_(std::move(path)), file_(file), size_(size), buffer_(new char[kBufferSize]) {}

ImportInput::~ImportInput() { std::fclose(file_); }

absl::Status ImportInput::Seek(int64_t offset) {
  if (offset < 0 || offset > size_) {
    return absl::InvalidArgumentError(
        absl::StrCat("offset ", offset, " is outside the file (", size_, " bytes)"));
  }
  if (fseeko(file_, offset, SEEK_SET) != 0) return FileErrorStatus(errno, "cannot seek", path_);
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
    status_ = FileErrorStatus(errno, absl::StrCat("read error at byte ", offset_), path_);
  }
  return end_ > 0;
}

}  // namespace regulation::regctl
