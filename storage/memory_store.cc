#include "storage/memory_store.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "storage/column_family.h"

namespace regulation::storage {
namespace {

constexpr size_t kNumColumnFamilies = kAllColumnFamilies.size();

constexpr bool ColumnFamiliesAreDense() {
  for (size_t i = 0; i < kNumColumnFamilies; ++i) {
    if (static_cast<size_t>(kAllColumnFamilies[i]) != i) return false;
  }
  return true;
}
static_assert(ColumnFamiliesAreDense(),
              "kAllColumnFamilies must list ColumnFamily values 0..N-1 in order");

// std::less<> compares std::string as unsigned bytes (char_traits<char>::compare
// is memcmp-like), matching RocksDB's bytewise comparator, and allows lookups by
// absl::string_view without a copy.
using Map = std::map<std::string, std::string, std::less<>>;

// One immutable version of the whole store. Shared by the store, snapshots and
// iterators; a version is modified in place only while the store is its sole owner.
struct State {
  std::array<std::shared_ptr<Map>, kNumColumnFamilies> maps;
};

// True when `p` has no owner but the caller. The caller must hold the lock under
// which new references to `p` are made, so that none can appear meanwhile.
template <typename T>
bool SoleOwner(const std::shared_ptr<T>& p) {
  if (p.use_count() != 1) return false;
  // use_count() is a relaxed load: the fence pairs it with the release in the last
  // other owner's decrement, so that owner's reads happen before our writes.
  // (ThreadSanitizer does not model fences and may report a false race here.)
  std::atomic_thread_fence(std::memory_order_acquire);
  return true;
}

absl::Status UnknownColumnFamily(ColumnFamily cf) {
  return absl::InvalidArgumentError(absl::StrCat("unknown column family ", static_cast<int>(cf)));
}

absl::Status NotFound(ColumnFamily cf) {
  return absl::NotFoundError(absl::StrCat("key not found in ", ColumnFamilyName(cf)));
}

bool ValidColumnFamily(ColumnFamily cf) { return static_cast<size_t>(cf) < kNumColumnFamilies; }

class MemorySnapshot : public Snapshot {
 public:
  MemorySnapshot(const void* owner, std::shared_ptr<const State> state)
      : owner_(owner), state_(std::move(state)) {}

  const void* owner() const { return owner_; }
  const State& state() const { return *state_; }

 private:
  const void* const owner_;
  const std::shared_ptr<const State> state_;
};

// Iterates one immutable map, holding it alive.
class MemoryIterator : public Iterator {
 public:
  MemoryIterator(std::shared_ptr<const Map> map, std::string lower_bound, std::string upper_bound)
      : map_(std::move(map)),
        lower_bound_(std::move(lower_bound)),
        upper_bound_(std::move(upper_bound)),
        it_(map_->end()) {}

  void SeekToFirst() override { Seek(lower_bound_); }
  void Seek(absl::string_view target) override {
    // As RocksDB does, a target below the lower bound seeks to the lower bound.
    it_ = map_->lower_bound(target < lower_bound_ ? absl::string_view(lower_bound_) : target);
  }
  bool Valid() const override {
    return it_ != map_->end() && (upper_bound_.empty() || it_->first < upper_bound_);
  }
  void Next() override { ++it_; }
  absl::string_view key() const override { return it_->first; }
  absl::string_view value() const override { return it_->second; }
  absl::Status status() const override { return status_; }

  static std::unique_ptr<Iterator> Error(absl::Status status) {
    auto iter = std::make_unique<MemoryIterator>(std::make_shared<const Map>(), std::string(),
                                                 std::string());
    iter->status_ = std::move(status);
    return iter;
  }

 private:
  const std::shared_ptr<const Map> map_;
  const std::string lower_bound_;
  const std::string upper_bound_;
  Map::const_iterator it_;
  absl::Status status_;
};

class MemoryStore : public KvStore {
 public:
  MemoryStore() : state_(std::make_shared<State>()) {
    for (std::shared_ptr<Map>& map : state_->maps) map = std::make_shared<Map>();
  }

  absl::StatusOr<std::string> Get(ColumnFamily cf, absl::string_view key,
                                  const ReadOptions& options) override {
    if (!ValidColumnFamily(cf)) return UnknownColumnFamily(cf);
    const size_t index = static_cast<size_t>(cf);
    if (options.snapshot != nullptr) {
      const MemorySnapshot* snapshot = nullptr;
      if (absl::Status s = ResolveSnapshot(options.snapshot, &snapshot); !s.ok()) {
        return s;
      }
      return Lookup(*snapshot->state().maps[index], cf, key);
    }
    absl::ReaderMutexLock lock(&mu_);
    return Lookup(*state_->maps[index], cf, key);
  }

  std::vector<absl::StatusOr<std::string>> MultiGet(ColumnFamily cf,
                                                    absl::Span<const std::string> keys,
                                                    const ReadOptions& options) override {
    std::vector<absl::StatusOr<std::string>> results;
    if (!ValidColumnFamily(cf)) {
      results.assign(keys.size(), UnknownColumnFamily(cf));
      return results;
    }
    const size_t index = static_cast<size_t>(cf);
    results.reserve(keys.size());
    if (options.snapshot != nullptr) {
      const MemorySnapshot* snapshot = nullptr;
      if (absl::Status s = ResolveSnapshot(options.snapshot, &snapshot); !s.ok()) {
        results.assign(keys.size(), s);
        return results;
      }
      const Map& map = *snapshot->state().maps[index];
      for (const std::string& key : keys) results.push_back(Lookup(map, cf, key));
      return results;
    }
    absl::ReaderMutexLock lock(&mu_);
    const Map& map = *state_->maps[index];
    for (const std::string& key : keys) results.push_back(Lookup(map, cf, key));
    return results;
  }

  absl::Status Write(const WriteBatch& batch, const WriteOptions& options) override {
    for (const WriteBatch::Op& op : batch.ops()) {
      if (!ValidColumnFamily(op.cf)) return UnknownColumnFamily(op.cf);
    }
    if (batch.empty()) return absl::OkStatus();

    absl::MutexLock lock(&mu_);
    if (!SoleOwner(state_)) {
      // A snapshot holds the current version: start a new one sharing its maps.
      state_ = std::make_shared<State>(*state_);
    }
    std::array<bool, kNumColumnFamilies> writable{};
    for (const WriteBatch::Op& op : batch.ops()) {
      const size_t index = static_cast<size_t>(op.cf);
      std::shared_ptr<Map>& map = state_->maps[index];
      if (!writable[index]) {
        // A snapshot or an iterator holds this map: copy it before the first change.
        if (!SoleOwner(map)) map = std::make_shared<Map>(*map);
        writable[index] = true;
      }
      switch (op.kind) {
        case WriteBatch::OpKind::kPut:
          map->insert_or_assign(op.key, op.value);
          break;
        case WriteBatch::OpKind::kDelete:
          if (auto it = map->find(op.key); it != map->end()) map->erase(it);
          break;
      }
    }
    return absl::OkStatus();
  }

  std::unique_ptr<Iterator> NewIterator(ColumnFamily cf, const IteratorOptions& options) override {
    if (!ValidColumnFamily(cf)) return MemoryIterator::Error(UnknownColumnFamily(cf));
    const size_t index = static_cast<size_t>(cf);
    std::shared_ptr<const Map> map;
    if (options.snapshot != nullptr) {
      const MemorySnapshot* snapshot = nullptr;
      if (absl::Status s = ResolveSnapshot(options.snapshot, &snapshot); !s.ok()) {
        return MemoryIterator::Error(std::move(s));
      }
      map = snapshot->state().maps[index];
    } else {
      absl::ReaderMutexLock lock(&mu_);
      map = state_->maps[index];
    }
    return std::make_unique<MemoryIterator>(std::move(map), options.lower_bound,
                                            options.upper_bound);
  }

  // Nothing to make durable: memory is all there is.
  absl::Status SyncWal() override { return absl::OkStatus(); }

  absl::StatusOr<int64_t> EstimateKeyCount(ColumnFamily cf) override {
    if (!ValidColumnFamily(cf)) return UnknownColumnFamily(cf);
    absl::ReaderMutexLock lock(&mu_);
    return static_cast<int64_t>(state_->maps[static_cast<size_t>(cf)]->size());
  }

  std::unique_ptr<Snapshot> GetSnapshot() override {
    absl::ReaderMutexLock lock(&mu_);
    return std::make_unique<MemorySnapshot>(this, state_);
  }

 private:
  static absl::StatusOr<std::string> Lookup(const Map& map, ColumnFamily cf,
                                            absl::string_view key) {
    auto it = map.find(key);
    if (it == map.end()) return NotFound(cf);
    return it->second;
  }

  absl::Status ResolveSnapshot(const Snapshot* snapshot, const MemorySnapshot** out) const {
    const auto* ours = dynamic_cast<const MemorySnapshot*>(snapshot);
    if (ours == nullptr || ours->owner() != this) {
      return absl::InvalidArgumentError("snapshot was not taken from this store");
    }
    *out = ours;
    return absl::OkStatus();
  }

  absl::Mutex mu_;
  // The current version. Its pointer, and the maps it points to, are replaced or
  // modified only under the exclusive lock. New references to the current version or
  // its maps are made only under the (shared) lock, so none can appear while a writer
  // holds the exclusive lock: that is what makes SoleOwner() reliable. (A snapshot may
  // hand out references to its maps without the lock, but then the snapshot's State
  // holds them too, and a writer never modifies a State a snapshot holds.)
  std::shared_ptr<State> state_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

std::unique_ptr<KvStore> NewMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace regulation::storage
