#ifndef SCHEDULER_BUNDLE_WRITER_H_
#define SCHEDULER_BUNDLE_WRITER_H_

// The canonical bundle JSON and its digest, written on several threads (docs/draw-spec.md
// §13): a ten-million-enterprise draw's bundle is 129 MB, which one thread takes about
// 0.3 s to write and 0.1 s to hash.
//
//   BundleBytes bytes = WriteBundleBytes(bundle, /*threads=*/2);
//   // bytes.json == WriteBundleJson(bundle); bytes.digest == Sha256Hex(bytes.json)
//
// The targets and teams are cut into pieces of a few thousand; every thread writes pieces
// in order of a shared counter, and the calling thread hashes and appends them in bundle
// order as they are done (writing pieces itself while the next one is not ready). The
// bytes do not depend on `threads`.
//
// Thread safety: may run on any thread; it starts and joins its own workers. `bundle`
// must not change while it runs.

#include <string>

#include "scheduler/draw_bundle.h"

namespace regulation::scheduler {

struct BundleBytes {
  // WriteBundleJson's bytes.
  std::string json;
  // Their SHA-256, 64 lowercase hex.
  std::string digest;
};

// `threads` counts the caller; values below 1 mean 1.
BundleBytes WriteBundleBytes(const DrawBundle& bundle, int threads);

// WriteBundleJson(bundle).size() when none of its strings needs escaping (credit codes,
// region codes, tickets and inspector ids never do), give or take one byte per item; what
// WriteBundleBytes reserves, with a margin, before it joins the pieces.
size_t BundleJsonSizeHint(const DrawBundle& bundle);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_BUNDLE_WRITER_H_
