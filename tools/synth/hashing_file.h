#ifndef TOOLS_SYNTH_HASHING_FILE_H_
#define TOOLS_SYNTH_HASHING_FILE_H_

// A file written front to back through a large buffer, hashed (SHA-256) and counted as it
// is written, so that the manifest needs no second pass over the data.
//
//   HashingFileWriter out;
//   REG_RETURN_IF_ERROR(out.Open(path));
//   REG_RETURN_IF_ERROR(out.Write("header\n"));
//   REG_RETURN_IF_ERROR(out.Close());
//   out.sha256_hex(); out.bytes();
//
// Thread safety: not thread-safe. Ownership: owns its FILE*; the destructor closes a file
// still open (dropping any error: call Close to see it).

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/sha256.h"

namespace regulation::synth {

class HashingFileWriter {
 public:
  HashingFileWriter() = default;
  ~HashingFileWriter();
  HashingFileWriter(const HashingFileWriter&) = delete;
  HashingFileWriter& operator=(const HashingFileWriter&) = delete;

  // Creates or truncates `path`. An errno-derived status (e.g. NOT_FOUND,
  // PERMISSION_DENIED) naming the path when it cannot.
  absl::Status Open(const std::string& path);
  // Appends `data`. REQUIRES: open. An errno-derived status on a write error.
  absl::Status Write(absl::string_view data);
  // Flushes and closes; the digest is final from then on.
  absl::Status Close();

  int64_t bytes() const { return bytes_; }
  // Lowercase hex SHA-256 of everything written. REQUIRES: closed.
  const std::string& sha256_hex() const { return digest_hex_; }

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
  Sha256Hasher hasher_;
  int64_t bytes_ = 0;
  std::string digest_hex_;
};

}  // namespace regulation::synth

#endif  // TOOLS_SYNTH_HASHING_FILE_H_
