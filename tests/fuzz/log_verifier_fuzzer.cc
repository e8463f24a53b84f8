// Fuzz target: `regctl verify-log`'s readers (disclosure/log_verifier.h) on logs built
// from the input, and the entry bundle codec (disclosure/tiles.h). Input layout: byte 0
// chooses a tampering, bytes 1-5 where and how, the rest is an entry bundle (or, when
// it is not one, a single entry) and also the text of a verifier state file.
//
// The entries go into a transparency log over an in-memory store in two appends, each
// exported as C2SP tiles (the second incrementally) into a temporary directory.
// Checks:
//   - DecodeEntryBundle accepts only what EncodeEntryBundle writes (round trip);
//   - the untouched export verifies, with every entry counted, on its own and against
//     the checkpoint of the first export (the log only grew);
//   - one tampering of a file the latest checkpoint needs (a changed byte, a truncation,
//     an extra byte, a deleted file) is always detected, with one of the documented
//     codes (NOT_FOUND, UNAUTHENTICATED, DATA_LOSS, INVALID_ARGUMENT);
//   - a state file LoadTrustedState accepts is saved and loaded back the same.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "disclosure/log_verifier.h"
#include "disclosure/signing_key.h"
#include "disclosure/tiles.h"
#include "disclosure/transparency_log.h"
#include "storage/memory_store.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/memory_file.h"

namespace regulation::fuzz {
namespace {

namespace fs = std::filesystem;
using disclosure::SigningKey;

constexpr size_t kMaxEntries = 700;  // enough for two full tiles and a level-1 tile

const SigningKey& FuzzKey() {
  static const SigningKey* key = [] {
    absl::StatusOr<SigningKey> made =
        SigningKey::FromSeed("fuzz.example/log", std::string(32, '\x2a'));
    FUZZ_CHECK(made.ok()) << made.status();
    return new SigningKey(*std::move(made));
  }();
  return *key;
}

// A directory of this process's own, emptied for each input.
const fs::path& ScratchDirectory() {
  static const fs::path* dir = [] {
    // tmpfs when there is one: replacing files by rename on a disk file system flushes
    // them, which made every input cost milliseconds.
    const fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    std::string pattern = (base / "log_verifier_fuzzer.XXXXXX").string();
    FUZZ_CHECK(mkdtemp(pattern.data()) != nullptr) << "mkdtemp " << pattern;
    auto* made = new fs::path(pattern);
    std::atexit([] { fs::remove_all(ScratchDirectory()); });
    return made;
  }();
  return *dir;
}

bool IsDocumentedFailure(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kInvalidArgument:
      return true;
    default:
      return false;
  }
}

std::vector<std::string> EntriesOf(absl::string_view bytes) {
  absl::StatusOr<std::vector<std::string>> decoded = disclosure::DecodeEntryBundle(bytes);
  if (decoded.ok()) {
    FUZZ_CHECK(disclosure::EncodeEntryBundle(*decoded) == bytes)
        << "a decoded bundle is encoded differently";
    if (decoded->size() > kMaxEntries) decoded->resize(kMaxEntries);
    return *std::move(decoded);
  }
  FUZZ_CHECK(decoded.status().code() == absl::StatusCode::kInvalidArgument) << decoded.status();
  if (bytes.size() > disclosure::kMaxEntrySize) return {};
  return {std::string(bytes)};
}

void Tamper(const fs::path& file, uint8_t how, size_t where, uint8_t value) {
  std::string contents;
  {
    std::ifstream in(file, std::ios::binary);
    contents.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  switch (how % 4) {
    case 0:
      if (contents.empty()) {
        contents.push_back(static_cast<char>(value));
      } else {
        contents[where % contents.size()] ^= static_cast<char>(value == 0 ? 1 : value);
      }
      break;
    case 1:
      contents.resize(contents.empty() ? 0 : where % contents.size());
      break;
    case 2:
      contents.push_back(static_cast<char>(value));
      break;
    case 3:
      fs::remove(file);
      return;
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << contents;
}

void CheckLog(const uint8_t* header, const std::vector<std::string>& entries) {
  const fs::path& dir = ScratchDirectory();
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) fs::remove_all(e.path());

  std::unique_ptr<storage::KvStore> store = storage::NewMemoryStore();
  disclosure::TransparencyLogOptions options;
  options.sync = false;
  absl::StatusOr<std::unique_ptr<disclosure::TransparencyLog>> log =
      disclosure::TransparencyLog::Open(store.get(), FuzzKey(), options);
  FUZZ_CHECK(log.ok()) << log.status();
  disclosure::ExportOptions export_options;
  export_options.sync = false;

  const size_t first = entries.size() / 2;
  const absl::Span<const std::string> all(entries);
  FUZZ_CHECK((*log)->Append(all.subspan(0, first)).ok());
  FUZZ_CHECK(disclosure::ExportTiles(**log, 0, dir.string(), export_options).ok());
  const disclosure::SignedCheckpoint earlier = (*log)->Checkpoint();
  FUZZ_CHECK((*log)->Append(all.subspan(first)).ok());
  absl::StatusOr<std::vector<std::string>> written =
      disclosure::ExportTiles(**log, earlier.size, dir.string(), export_options);
  FUZZ_CHECK(written.ok()) << written.status();

  const disclosure::NoteVerifier& verifier = FuzzKey().verifier();
  absl::StatusOr<disclosure::VerifiedLog> verified =
      disclosure::VerifyLogDirectory(dir.string(), verifier, nullptr);
  FUZZ_CHECK(verified.ok()) << verified.status();
  FUZZ_CHECK(verified->entries == entries.size()) << verified->entries;
  const disclosure::TrustedCheckpoint trusted{earlier.origin, earlier.size, earlier.root_hash,
                                              verifier.VerifierKey()};
  verified = disclosure::VerifyLogDirectory(dir.string(), verifier, &trusted);
  FUZZ_CHECK(verified.ok()) << "the log did not verify as a growth of its earlier self: "
                            << verified.status();

  std::vector<std::string> needed;
  for (const std::string& path : *written) {
    if (path != "verifier.key") needed.push_back(path);
  }
  if (header[0] == 0 || needed.empty()) return;
  const std::string& victim = needed[(header[1] | header[2] << 8) % needed.size()];
  Tamper(dir / victim, header[0], header[3] | header[4] << 8, header[5]);
  verified = disclosure::VerifyLogDirectory(dir.string(), verifier, nullptr);
  FUZZ_CHECK(!verified.ok()) << "tampering with " << victim << " (" << int{header[0]} % 4
                             << ") went unnoticed";
  FUZZ_CHECK(IsDocumentedFailure(verified.status())) << verified.status();
}

void CheckTrustedState(absl::string_view text) {
  const MemoryFile file(text);
  absl::StatusOr<std::vector<disclosure::TrustedCheckpoint>> state =
      disclosure::LoadTrustedState(file.path());
  if (!state.ok()) {
    FUZZ_CHECK(state.status().code() == absl::StatusCode::kInvalidArgument) << state.status();
    return;
  }
  const std::string saved = (ScratchDirectory() / "state").string();
  const absl::Status save = disclosure::SaveTrustedState(saved, *state);
  FUZZ_CHECK(save.ok()) << "a state file that loads cannot be saved: " << save;
  absl::StatusOr<std::vector<disclosure::TrustedCheckpoint>> again =
      disclosure::LoadTrustedState(saved);
  FUZZ_CHECK(again.ok()) << again.status();
  FUZZ_CHECK(again->size() == state->size());
  for (size_t i = 0; i < state->size(); ++i) {
    const auto& a = (*state)[i];
    const auto& b = (*again)[i];
    FUZZ_CHECK(a.origin == b.origin && a.size == b.size && a.root_hash == b.root_hash &&
               a.verifier_key == b.verifier_key)
        << "entry " << i << " reads back differently";
  }
}

}  // namespace
}  // namespace regulation::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 6) return 0;
  const absl::string_view rest(reinterpret_cast<const char*>(data + 6), size - 6);
  regulation::fuzz::CheckLog(data, regulation::fuzz::EntriesOf(rest));
  regulation::fuzz::CheckTrustedState(rest);
  return 0;
}
