#include "scheduler/canonical_record.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace regulation::scheduler {
namespace {

constexpr size_t kFlushBytes = 1 << 16;

}  // namespace

void CanonicalRecord::Add(absl::string_view name, absl::string_view value) {
  // The length in decimal, written backwards into a small buffer.
  char length[24];
  char* start = length + sizeof(length);
  size_t n = value.size();
  do {
    *--start = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0);
  bytes_.append(name.data(), name.size());
  bytes_.push_back('=');
  bytes_.append(start, length + sizeof(length) - start);
  bytes_.push_back(':');
  bytes_.append(value.data(), value.size());
  bytes_.push_back('\n');
  if (mode_ == Mode::kHashOnly && bytes_.size() >= kFlushBytes) {
    hasher_.Update(bytes_);
    bytes_.clear();
  }
}

void CanonicalRecord::Add(absl::string_view name, int64_t value) { Add(name, absl::StrCat(value)); }

std::string CanonicalRecord::Sha256Hex() {
  hasher_.Update(bytes_);
  if (mode_ == Mode::kHashOnly) bytes_.clear();
  unsigned char digest[32];
  hasher_.Finish(digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace regulation::scheduler
