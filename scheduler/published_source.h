#ifndef SCHEDULER_PUBLISHED_SOURCE_H_
#define SCHEDULER_PUBLISHED_SOURCE_H_

// The entropy source registry as the site publishes it (regulation.v1.
// RegisteredEntropySource, ListEntropySources), and the check that a round's committed
// sources are the registered ones: a bundle carries its sources' key material itself, so
// a reader who trusts the published registry (logged, one record per registration) checks
// that the bundle did not swap in a key of its own.
//
// Thread safety: value types and stateless functions.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "scheduler/round_commitment.h"

namespace regulation::scheduler {

struct PublishedSource {
  std::string source_id;
  SourceKind kind = SourceKind::kWitness;
  std::string department;
  std::string algorithm;
  std::string public_key;
  std::string certificate_pem;
  std::string rsa_modulus;
  std::string rsa_exponent;
  absl::Time register_time = absl::InfinitePast();
  // Unset while in use.
  std::optional<absl::Time> retire_time;
};

// OK when every source of `commitment` is in `registry` with the same kind, department,
// algorithm and key material, registered no later than the commitment and not retired by
// then. DATA_LOSS "sources: <id>: <what>" otherwise (the bundle names a source or key the
// registry does not have). Ids repeated in `registry`: the last entry counts.
absl::Status CheckSourcesPublished(const RoundCommitment& commitment,
                                   const std::vector<PublishedSource>& registry);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_PUBLISHED_SOURCE_H_
