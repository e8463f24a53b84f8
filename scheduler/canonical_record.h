#ifndef SCHEDULER_CANONICAL_RECORD_H_
#define SCHEDULER_CANONICAL_RECORD_H_

// The byte encoding every draw digest and the seed hash (docs/draw-spec.md §3): a
// sequence of fields, each written as
//
//   name "=" decimal(byte length of value) ":" value "\n"
//
// Names are fixed ASCII words chosen by the spec; values are UTF-8 (numbers in decimal
// without leading zeros). The length prefix makes the encoding unambiguous whatever the
// values contain.
//
//   CanonicalRecord record;
//   record.Add("domain", "regulation.draw.v1");   // "domain=18:regulation.draw.v1\n"
//   record.Add("round", 0);                       // "round=1:0\n"
//   std::string digest = record.Sha256Hex();
//
// In kHashOnly mode the bytes are hashed as they come and not kept (a roster of a million
// records digests in constant memory).
//
// Thread safety: not thread-safe; one record per thread.

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "common/sha256.h"

namespace regulation::scheduler {

class CanonicalRecord {
 public:
  enum class Mode { kKeepBytes, kHashOnly };

  // Default: kKeepBytes.
  explicit CanonicalRecord(Mode mode = Mode::kKeepBytes) : mode_(mode) {}
  CanonicalRecord(const CanonicalRecord&) = delete;
  CanonicalRecord& operator=(const CanonicalRecord&) = delete;

  void Add(absl::string_view name, absl::string_view value);
  void Add(absl::string_view name, int64_t value);

  // The encoded bytes. REQUIRES: kKeepBytes mode.
  const std::string& bytes() const { return bytes_; }
  // Lowercase hex SHA-256 of everything added. Call once, after the last Add.
  std::string Sha256Hex();

 private:
  const Mode mode_;
  // kKeepBytes: everything; kHashOnly: what has not been hashed yet.
  std::string bytes_;
  Sha256Hasher hasher_;
};

}  // namespace regulation::scheduler

#endif  // SCHEDULER_CANONICAL_RECORD_H_
