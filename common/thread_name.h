#ifndef COMMON_THREAD_NAME_H_
#define COMMON_THREAD_NAME_H_

// Names the calling thread (as `top -H`, `perf` and /proc/<pid>/task/*/comm show it), so
// that a long-lived worker's CPU can be told apart from the others' (the ingestion
// benchmark prints each named thread's share). Linux keeps the first 15 bytes.

#include "absl/strings/string_view.h"

namespace regulation {

void NameThisThread(absl::string_view name);

}  // namespace regulation

#endif  // COMMON_THREAD_NAME_H_
