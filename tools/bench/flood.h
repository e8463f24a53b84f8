#ifndef TOOLS_BENCH_FLOOD_H_
#define TOOLS_BENCH_FLOOD_H_

// The flood of issue 12, against a running regulatord: one identity opens many
// WatchAssignments streams (spread over connections of at most 100 calls each) while many
// connections open a TLS handshake and never finish it; meanwhile a well-behaved client
// (another identity) keeps calling GetEnterprise. Reports how many streams were admitted
// and refused (by code), how many stalled connections the server closed, the share of the
// well-behaved client's calls answered, and the server's threads, memory and file
// descriptors before, at their peak during, and after the flood.

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tools/bench/bench_support.h"
#include "tools/bench/load_pki.h"
#include "tools/bench/op_stats.h"

namespace regulation::bench {

struct FloodOptions {
  int streams = 1000;
  int stalled_handshakes = 500;
  absl::Duration duration = absl::Seconds(20);
  // Calls one connection carries (the server's --max_streams_per_connection).
  int streams_per_connection = 100;
  // Deadline of each well-behaved call.
  absl::Duration call_deadline = absl::Seconds(2);
};

struct ServerSample {
  int threads = 0;
  double rss_mb = 0;
  int fds = 0;
};

struct FloodResult {
  int streams_admitted = 0;  // still open when the flood ended
  std::map<std::string, int> streams_refused;  // by status code
  int stalled_opened = 0;
  int stalled_closed = 0;  // closed by the server before the flood ended
  OpStats well_behaved;
  ServerSample before, peak, after;
  absl::Duration elapsed;

  std::string Json() const;
};

// Runs the flood into `result`. `directory` holds credit codes the agency may read.
void RunFlood(const FloodOptions& options, const ServerProcess& server, const BenchPki& pki,
              const std::string& target, const std::vector<std::string>& directory,
              FloodResult* result);

}  // namespace regulation::bench

#endif  // TOOLS_BENCH_FLOOD_H_
