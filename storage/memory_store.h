#ifndef STORAGE_MEMORY_STORE_H_
#define STORAGE_MEMORY_STORE_H_

// An in-memory KvStore for tests: the same semantics as the RocksDB store for
// everything in kv_store.h (bytewise key order, bounds, Seek, atomic batches in which
// later operations win, snapshots, iterators that see the data as of their creation),
// and nothing persists.
//
// Thread safety: safe for concurrent use (see kv_store.h). Writes are serialised;
// reads of the latest data share a reader lock; reads through a snapshot or an
// iterator take no lock at all.
// Ownership: the caller owns the store. Snapshots and iterators keep their own
// version of the data alive, so (unlike with RocksDB) they may even outlive it.
// Status codes: INVALID_ARGUMENT for a column family outside kAllColumnFamilies or a
// snapshot of another store; NOT_FOUND for absent keys; nothing else.
//
// Cost: each column family is a std::map held by shared_ptr. A write modifies the
// current maps in place when nobody else holds them; while a snapshot or an iterator
// holds them, the first write to each column family copies that family's map
// (copy-on-write), so writes under a long-lived snapshot cost O(size of the family).

#include <memory>

#include "storage/kv_store.h"

namespace regulation::storage {

std::unique_ptr<KvStore> NewMemoryStore();

}  // namespace regulation::storage

#endif  // STORAGE_MEMORY_STORE_H_
