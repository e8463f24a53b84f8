#ifndef TOOLS_CRASH_HARNESS_FIXTURE_H_
#define TOOLS_CRASH_HARNESS_FIXTURE_H_

// The world the server under test starts in, made with regctl as tools/up makes the
// demo's: a PKI (server, admin, auditor, Hangzhou's agency, the public, one identity per
// roster inspector); then, once the server runs, a generated directory of enterprises,
// the demo roster and items, and a witness with its own key registered as an entropy
// source.
//
// Thread safety: not thread-safe.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/crash_harness/endpoint.h"

namespace regulation::crash {

struct FixtureOptions {
  std::string regctl;
  std::string work_dir;
  // tools/demo: inspectors.jsonl and items.jsonl.
  std::string demo_dir;
  int enterprises = 300;
  uint64_t seed = 1;
};

struct Fixture {
  std::string pki_dir;
  std::string witness_key;
  std::string witness_id = "crash-witness";
  std::vector<std::string> inspector_ids;
  std::vector<std::string> item_ids;
  // Credit codes of the enterprises established more than 310 days ago: events go to them.
  std::vector<std::string> enterprises;
};

// Makes the PKI under work_dir/pki and adds every identity to `endpoint`.
absl::StatusOr<Fixture> MakePki(const FixtureOptions& options, Endpoint* endpoint);

// Loads the directory, roster, items and witness into the server at endpoint->address().
absl::Status LoadWorld(const FixtureOptions& options, const Endpoint& endpoint, Fixture* fixture);

}  // namespace regulation::crash

#endif  // TOOLS_CRASH_HARNESS_FIXTURE_H_
