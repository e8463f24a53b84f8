#ifndef TOOLS_CRASH_HARNESS_OFFLINE_CHECKS_H_
#define TOOLS_CRASH_HARNESS_OFFLINE_CHECKS_H_

// What the harness checks in the data directory itself once regulatord has stopped
// (nothing over gRPC shows it):
//
//   feature rows  every stored feature row (column family 32, the snapshot ScoreAll
//                 reads) equals the one derived from its enterprise and stored state,
//                 none missing, none without an enterprise: after every kill, the rows
//                 were written in the same batches as what they derive from
//
// Thread safety: opens the database; run only while no server holds it.

#include <string>

#include "tools/crash_harness/checks.h"

namespace regulation::crash {

// `rocksdb_dir`: the database under regulatord's --data_dir (DIR/rocksdb).
CheckResult CheckFeatureRowsOffline(const std::string& rocksdb_dir);

}  // namespace regulation::crash

#endif  // TOOLS_CRASH_HARNESS_OFFLINE_CHECKS_H_
