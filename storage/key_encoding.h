#ifndef STORAGE_KEY_ENCODING_H_
#define STORAGE_KEY_ENCODING_H_

// Order-preserving encoding of composite keys. A key built from a tuple of fields with
// KeyBuilder compares bytewise (unsigned, as both stores order keys) exactly as the
// tuples compare field by field, provided every key of one kind appends the same
// sequence of field types:
//
//   AppendString  any bytes; 0x00 is escaped as 0x00 0xFF and the field ends with
//                 0x00 0x01. Encodings are prefix-free, so "ab" < "ab\0" < "abc"
//                 holds after encoding too, whatever follows the field.
//   AppendFixed   raw bytes, for fields whose width never varies (an 18-character
//                 credit code). The caller guarantees the width; mixing widths breaks
//                 both ordering and decoding.
//   AppendUint64  8 bytes, big-endian.
//   AppendInt64   8 bytes, big-endian with the sign bit flipped, so negative values
//                 sort before positive ones.
//
// Example:
//   KeyBuilder b;
//   b.AppendFixed(region_code).AppendString(name).AppendInt64(registered_at);
//   batch.Put(ColumnFamily::kEnterprisesByRegion, b.Release(), "");
//
//   KeyReader r(key);
//   absl::string_view region; std::string name; int64_t registered_at;
//   if (!r.ReadFixed(6, &region) || !r.ReadString(&name) ||
//       !r.ReadInt64(&registered_at) || !r.done()) { /* corrupt key */ }
//
// Thread safety: KeyBuilder and KeyReader are not thread-safe; each belongs to one
// thread at a time. The free function is thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace regulation::storage {

// Appends fields to a key. Methods return *this so calls can be chained.
class KeyBuilder {
 public:
  KeyBuilder() = default;

  // Appends a variable-length string field (escaped and terminated; see above).
  KeyBuilder& AppendString(absl::string_view s);
  // Appends `bytes` unchanged. The caller guarantees every key of this kind has a
  // field of the same width here.
  KeyBuilder& AppendFixed(absl::string_view bytes);
  // Appends `v` as 8 big-endian bytes.
  KeyBuilder& AppendUint64(uint64_t v);
  // Appends `v` as 8 big-endian bytes with the sign bit flipped.
  KeyBuilder& AppendInt64(int64_t v);

  // The key built so far.
  const std::string& key() const { return key_; }
  // Moves the key out, leaving the builder empty and ready for reuse.
  std::string Release();

 private:
  std::string key_;
};

// Reads fields back from a key made by KeyBuilder, in the order they were appended.
// Every Read method returns false on malformed or truncated input (and then the
// reader's position is unspecified); none crashes on any input. The reader views
// `key` and does not copy it: the caller keeps the bytes alive while reading.
class KeyReader {
 public:
  explicit KeyReader(absl::string_view key) : rest_(key) {}

  // Reads a field written by AppendString into `*out` (replacing its contents).
  bool ReadString(std::string* out);
  // Reads `n` raw bytes written by AppendFixed; `*out` views the key's bytes.
  bool ReadFixed(size_t n, absl::string_view* out);
  bool ReadUint64(uint64_t* out);
  bool ReadInt64(int64_t* out);

  // True when every byte has been read.
  bool done() const { return rest_.empty(); }
  // The bytes not read yet.
  absl::string_view remaining() const { return rest_; }

 private:
  absl::string_view rest_;
};

// The smallest string greater than every string that starts with `prefix`: the prefix
// with its trailing 0xFF bytes removed and its last byte incremented. Empty when there
// is no such string (`prefix` is empty or all 0xFF), meaning "no upper bound".
std::string PrefixSuccessor(absl::string_view prefix);

}  // namespace regulation::storage

#endif  // STORAGE_KEY_ENCODING_H_
