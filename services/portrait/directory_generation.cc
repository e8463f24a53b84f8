#include "services/portrait/directory_generation.h"

#include <atomic>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace regulation::services {
namespace {

// One counter per store, made on first use and kept (as FeatureRowLock's mutexes are).
std::atomic<uint64_t>& Counter(const storage::KvStore* store) {
  static absl::Mutex* const registry_mu = new absl::Mutex;
  static auto* const registry =
      new absl::flat_hash_map<const storage::KvStore*, std::unique_ptr<std::atomic<uint64_t>>>;
  absl::MutexLock lock(registry_mu);
  std::unique_ptr<std::atomic<uint64_t>>& counter = (*registry)[store];
  if (counter == nullptr) counter = std::make_unique<std::atomic<uint64_t>>(0);
  return *counter;
}

}  // namespace

uint64_t DirectoryGeneration(const storage::KvStore* store) {
  return Counter(store).load(std::memory_order_acquire);
}

void DirectoryChanged(const storage::KvStore* store) {
  Counter(store).fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace regulation::services
