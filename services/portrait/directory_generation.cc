#include "services/portrait/directory_generation.h"

#include <atomic>

#include "services/portrait/per_store.h"

namespace regulation::services {
namespace {

// A distinct type, so that the counter has a registry of its own.
struct Generation {
  std::atomic<uint64_t> value{0};
};

}  // namespace

uint64_t DirectoryGeneration(const storage::KvStore* store) {
  return PerStore<Generation>(store).value.load(std::memory_order_acquire);
}

void DirectoryChanged(const storage::KvStore* store) {
  PerStore<Generation>(store).value.fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace regulation::services
