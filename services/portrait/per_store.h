#ifndef SERVICES_PORTRAIT_PER_STORE_H_
#define SERVICES_PORTRAIT_PER_STORE_H_

// One T per store, for what every writer of a store in this process must share (the
// feature rows' lock, the directory's generation): made on first use and kept for the
// life of the process (a store's address reused later reuses its T, which is harmless
// for these). Stores of one process (tests, benchmarks) do not share theirs.
//
// Thread safety: safe for concurrent use; T must be safe for what its users do with it.

#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "storage/kv_store.h"

namespace regulation::services {

// T must be default-constructible. Each instantiation has its own registry.
template <typename T>
T& PerStore(const storage::KvStore* store) {
  static absl::Mutex* const registry_mu = new absl::Mutex;
  static auto* const registry =
      new absl::flat_hash_map<const storage::KvStore*, std::unique_ptr<T>>;
  absl::MutexLock lock(registry_mu);
  std::unique_ptr<T>& value = (*registry)[store];
  if (value == nullptr) value = std::make_unique<T>();
  return *value;
}

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_PER_STORE_H_
