#ifndef SERVICES_PORTRAIT_DIRECTORY_GENERATION_H_
#define SERVICES_PORTRAIT_DIRECTORY_GENERATION_H_

// A count of the enterprise directory's writes to one store, for caches of what the
// records say (the ingestor's, event_ingestor.h): a cache reads the generation before it
// reads records and drops everything once the generation moved, and the directory moves
// it after each write, so that no cached answer outlives a write that changed it (an
// enterprise's region decides who may report on it).
//
// Thread safety: safe for concurrent use.

#include <cstdint>

#include "storage/kv_store.h"

namespace regulation::services {

// The generation of `store`'s directory (0 until its first write in this process).
uint64_t DirectoryGeneration(const storage::KvStore* store);

// Called by the directory after each write to `store` (whether or not it succeeded).
void DirectoryChanged(const storage::KvStore* store);

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_DIRECTORY_GENERATION_H_
