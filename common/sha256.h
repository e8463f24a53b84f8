#ifndef COMMON_SHA256_H_
#define COMMON_SHA256_H_

// SHA-256 through OpenSSL (no hand-written cryptography).
//
//   std::string digest = Sha256Hex("abc");   // "ba7816bf..."
//
// Sha256Hasher reuses one OpenSSL context: about 4x faster than one-shot calls in hot
// loops (../shared/notes/baselines.md). Not thread-safe; use one per thread.

#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace regulation {

// The 32 raw digest bytes. Thread-safe (each thread reuses a hasher of its own).
std::string Sha256(absl::string_view data);
// The digest as 64 lowercase hex characters.
std::string Sha256Hex(absl::string_view data);

class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  // Starts a new digest (called by the constructor and by Finish).
  void Reset();
  void Update(absl::string_view data);
  // Writes the 32 digest bytes to `out` and resets.
  void Finish(unsigned char out[32]);
  // Convenience: the 32 digest bytes as a string, then resets.
  std::string FinishString();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace regulation

#endif  // COMMON_SHA256_H_
