#include "scheduler/bundle_writer.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/escaping.h"
#include "absl/synchronization/mutex.h"
#include "common/huge_pages.h"
#include "common/sha256.h"

namespace regulation::scheduler {
namespace {

// Targets or teams per piece: large enough that the counter and the lock are noise, small
// enough that a piece (about 70 KB) stays in cache until it is appended and hashed, and
// below malloc's mmap threshold, so that its buffer is reused rather than faulted in anew.
constexpr size_t kPieceItems = 512;

struct Piece {
  enum class Part { kHead, kTargets, kTeams };
  Part part;
  size_t begin = 0;
  size_t end = 0;
};

std::vector<Piece> CutIntoPieces(const DrawBundle& b) {
  std::vector<Piece> pieces;
  pieces.push_back({Piece::Part::kHead});
  for (size_t i = 0; i < b.targets.size(); i += kPieceItems) {
    pieces.push_back({Piece::Part::kTargets, i, std::min(i + kPieceItems, b.targets.size())});
  }
  // At least one teams piece: it closes the document.
  size_t i = 0;
  do {
    pieces.push_back({Piece::Part::kTeams, i, std::min(i + kPieceItems, b.teams.size())});
    i += kPieceItems;
  } while (i < b.teams.size());
  return pieces;
}

void WritePiece(const DrawBundle& b, const Piece& piece, std::string* out) {
  switch (piece.part) {
    case Piece::Part::kHead:
      AppendBundleHeadJson(out, b);
      return;
    case Piece::Part::kTargets:
      AppendBundleTargetsJson(out, b, piece.begin, piece.end);
      return;
    case Piece::Part::kTeams:
      AppendBundleTeamsJson(out, b, piece.begin, piece.end);
      return;
  }
}

class PieceWriter {
 public:
  explicit PieceWriter(const DrawBundle& bundle)
      : bundle_(bundle),
        pieces_(CutIntoPieces(bundle)),
        texts_(pieces_.size()),
        done_(new bool[pieces_.size()]()) {}

  // Writes unclaimed pieces until there are none left.
  void WriteAll() {
    while (WriteNext()) {
    }
  }

  // The caller's part: joins and hashes the pieces in order, writing unclaimed ones while
  // the next in order is not done.
  BundleBytes Collect() {
    BundleBytes bytes;
    // A reallocation of the joined bundle would copy it and fault in its pages twice.
    const size_t hint = BundleJsonSizeHint(bundle_);
    bytes.json.reserve(hint + hint / 64);
    AdviseHugePages(bytes.json.data(), bytes.json.capacity());
    Sha256Hasher hasher;
    for (size_t k = 0; k < pieces_.size(); ++k) {
      while (!Done(k) && WriteNext()) {
      }
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(&done_[k]));
      }
      hasher.Update(texts_[k]);
      bytes.json.append(texts_[k]);
      std::string().swap(texts_[k]);
    }
    unsigned char digest[32];
    hasher.Finish(digest);
    bytes.digest = absl::BytesToHexString(
        absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
    return bytes;
  }

 private:
  // Claims and writes one piece; false when none is left.
  bool WriteNext() {
    const size_t k = next_.fetch_add(1, std::memory_order_relaxed);
    if (k >= pieces_.size()) return false;
    texts_[k].reserve(kPieceItems * 160);
    WritePiece(bundle_, pieces_[k], &texts_[k]);
    absl::MutexLock lock(&mu_);
    done_[k] = true;
    return true;
  }

  bool Done(size_t k) {
    absl::MutexLock lock(&mu_);
    return done_[k];
  }

  const DrawBundle& bundle_;
  const std::vector<Piece> pieces_;
  // texts_[k] is written by the thread that claimed piece k, then read by the collector
  // once done_[k] (under mu_) says it is finished.
  std::vector<std::string> texts_;
  std::atomic<size_t> next_{0};
  absl::Mutex mu_;
  std::unique_ptr<bool[]> done_ ABSL_PT_GUARDED_BY(mu_);
};

}  // namespace

namespace {

size_t Digits(int64_t n) {
  size_t digits = 1;
  for (; n >= 10; n /= 10) ++digits;
  return digits;
}

}  // namespace

size_t BundleJsonSizeHint(const DrawBundle& b) {
  // The fixed part of one item (keys and punctuation, with its separating comma), measured
  // by writing an empty one.
  DrawBundle empty;
  empty.targets.resize(2);
  empty.teams.resize(2);
  std::string scratch;
  AppendBundleTargetsJson(&scratch, empty, 1, 2);  // ,{...,"rank":0}
  const size_t target_fixed = scratch.size() - 1;  // without the rank's digit
  scratch.clear();
  AppendBundleTeamsJson(&scratch, empty, 1, 2);  // ,{...,"status":"UNSTAFFED",...}]}
  const size_t team_fixed = scratch.size() - 2 - StaffingStatusName(empty.teams[1].status).size();
  // The head, and the frame of the teams ("],", their key, "[" and "]}").
  empty.teams.clear();
  scratch.clear();
  AppendBundleHeadJson(&scratch, b);
  AppendBundleTeamsJson(&scratch, empty, 0, 0);
  size_t size = scratch.size();
  for (const BundleTarget& t : b.targets) {
    size += target_fixed + Digits(t.rank) + t.credit_code.size() + t.region_code.size() +
            t.ticket.size();
  }
  for (const TeamResult& t : b.teams) {
    size += team_fixed + t.credit_code.size() + StaffingStatusName(t.status).size() +
            t.reason.size();
    for (const std::string& id : t.inspector_ids) size += id.size() + 3;  // "id",
  }
  return size;
}

BundleBytes WriteBundleBytes(const DrawBundle& bundle, int threads) {
  PieceWriter writer(bundle);
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) workers.emplace_back([&writer] { writer.WriteAll(); });
  BundleBytes bytes = writer.Collect();
  for (std::thread& worker : workers) worker.join();
  return bytes;
}

}  // namespace regulation::scheduler
