#ifndef TOOLS_BENCH_LOAD_MIX_H_
#define TOOLS_BENCH_LOAD_MIX_H_

// The load generator's operations against regulatord, in a chosen mix:
//   read    GetEnterprise of a random enterprise;
//   write   UpsertEnterprise of a random enterprise with a new name (an fsync'ed write and
//           an audit record);
//   ingest  one IngestEvents stream carrying one message of new events, until its
//           acknowledgement and the stream's end;
//   watch   one WatchAssignments stream held open for a while (ends at its deadline).
// Each caller has its own identities (an agency for the first three, an inspector for
// watches), as independent clients would.
//
// Thread safety: Step may run on many threads at once, each with its own caller index.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "tools/bench/bench_support.h"
#include "tools/bench/op_stats.h"

namespace regulation::bench {

// Relative weights of the operations.
struct Mix {
  double read = 70;
  double write = 20;
  double ingest = 5;
  double watch = 5;
};

// "read:70,write:20,ingest:5,watch:5" (missing kinds weigh 0). INVALID_ARGUMENT otherwise.
absl::StatusOr<Mix> ParseMix(absl::string_view text);

struct CallerStubs {
  std::unique_ptr<v1::PortraitService::Stub> agency;
  std::unique_ptr<v1::InspectionService::Stub> inspector;
};

struct MixOptions {
  Mix mix;
  // Events in the one message of an ingest operation. Default 100.
  int ingest_batch = 100;
  // How long a watch is held open. Default 200 ms.
  absl::Duration watch_hold = absl::Milliseconds(200);
  // Deadline of every other operation. Default 10 s.
  absl::Duration deadline = absl::Seconds(10);
};

class MixedLoad {
 public:
  // `codes` are enterprises the agencies may read and write; `directory` their records.
  MixedLoad(MixOptions options, std::vector<CallerStubs>* callers,
            std::vector<v1::Enterprise> directory);

  void Step(int caller, SplitMix64& rng);

  OpStats read, write, ingest, watch;

 private:
  grpc::Status Read(int caller, SplitMix64& rng);
  grpc::Status Write(int caller, SplitMix64& rng);
  grpc::Status Ingest(int caller, SplitMix64& rng);
  grpc::Status Watch(int caller);

  const MixOptions options_;
  std::vector<CallerStubs>* const callers_;
  const std::vector<v1::Enterprise> directory_;
  std::vector<int64_t> next_serial_;  // per caller: names and event ids stay unique
};

}  // namespace regulation::bench

#endif  // TOOLS_BENCH_LOAD_MIX_H_
