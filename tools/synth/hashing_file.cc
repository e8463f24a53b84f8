#include "tools/synth/hashing_file.h"

#include <cerrno>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace regulation::synth {
namespace {

constexpr size_t kBufferBytes = 1 << 20;

}  // namespace

HashingFileWriter::~HashingFileWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

absl::Status HashingFileWriter::Open(const std::string& path) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) return absl::ErrnoToStatus(errno, absl::StrCat("cannot create ", path));
  std::setvbuf(file_, nullptr, _IOFBF, kBufferBytes);
  hasher_.Reset();
  bytes_ = 0;
  digest_hex_.clear();
  return absl::OkStatus();
}

absl::Status HashingFileWriter::Write(absl::string_view data) {
  if (data.empty()) return absl::OkStatus();
  if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot write ", path_));
  }
  hasher_.Update(data);
  bytes_ += static_cast<int64_t>(data.size());
  return absl::OkStatus();
}

absl::Status HashingFileWriter::Close() {
  std::FILE* file = file_;
  file_ = nullptr;
  digest_hex_ = absl::BytesToHexString(hasher_.FinishString());
  if (file != nullptr && std::fclose(file) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot close ", path_));
  }
  return absl::OkStatus();
}

}  // namespace regulation::synth
