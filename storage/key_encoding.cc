#include "storage/key_encoding.h"

#include <utility>

namespace regulation::storage {
namespace {

constexpr char kEscape = '\x00';
constexpr char kEscapedZero = '\xff';
constexpr char kTerminator = '\x01';
constexpr uint64_t kSignBit = uint64_t{1} << 63;

void AppendBigEndian(uint64_t v, std::string* out) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  out->append(buf, sizeof(buf));
}

bool ReadBigEndian(absl::string_view* rest, uint64_t* out) {
  if (rest->size() < 8) return false;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v = (v << 8) | static_cast<uint8_t>((*rest)[i]);
  }
  rest->remove_prefix(8);
  *out = v;
  return true;
}

}  // namespace

KeyBuilder& KeyBuilder::AppendString(absl::string_view s) {
  // Copy runs without 0x00 in one append each; most strings have none.
  key_.reserve(key_.size() + s.size() + 2);
  size_t start = 0;
  while (true) {
    const size_t zero = s.find(kEscape, start);
    if (zero == absl::string_view::npos) {
      key_.append(s.data() + start, s.size() - start);
      break;
    }
    key_.append(s.data() + start, zero - start);
    key_.push_back(kEscape);
    key_.push_back(kEscapedZero);
    start = zero + 1;
  }
  key_.push_back(kEscape);
  key_.push_back(kTerminator);
  return *this;
}

KeyBuilder& KeyBuilder::AppendFixed(absl::string_view bytes) {
  key_.append(bytes.data(), bytes.size());
  return *this;
}

KeyBuilder& KeyBuilder::AppendUint64(uint64_t v) {
  AppendBigEndian(v, &key_);
  return *this;
}

KeyBuilder& KeyBuilder::AppendInt64(int64_t v) {
  AppendBigEndian(static_cast<uint64_t>(v) ^ kSignBit, &key_);
  return *this;
}

std::string KeyBuilder::Release() {
  std::string out = std::move(key_);
  key_.clear();
  return out;
}

bool KeyReader::ReadString(std::string* out) {
  out->clear();
  size_t start = 0;
  while (true) {
    const size_t zero = rest_.find(kEscape, start);
    if (zero == absl::string_view::npos || zero + 1 >= rest_.size()) return false;
    out->append(rest_.data() + start, zero - start);
    const char next = rest_[zero + 1];
    if (next == kTerminator) {
      rest_.remove_prefix(zero + 2);
      return true;
    }
    if (next != kEscapedZero) return false;
    out->push_back(kEscape);
    start = zero + 2;
  }
}

bool KeyReader::ReadFixed(size_t n, absl::string_view* out) {
  if (rest_.size() < n) return false;
  *out = rest_.substr(0, n);
  rest_.remove_prefix(n);
  return true;
}

bool KeyReader::ReadUint64(uint64_t* out) { return ReadBigEndian(&rest_, out); }

bool KeyReader::ReadInt64(int64_t* out) {
  uint64_t v;
  if (!ReadBigEndian(&rest_, &v)) return false;
  *out = static_cast<int64_t>(v ^ kSignBit);
  return true;
}

std::string PrefixSuccessor(absl::string_view prefix) {
  std::string out(prefix);
  while (!out.empty() && static_cast<uint8_t>(out.back()) == 0xff) out.pop_back();
  if (!out.empty()) out.back() = static_cast<char>(static_cast<uint8_t>(out.back()) + 1);
  return out;
}

}  // namespace regulation::storage
