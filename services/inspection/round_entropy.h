#ifndef SERVICES_INSPECTION_ROUND_ENTROPY_H_
#define SERVICES_INSPECTION_ROUND_ENTROPY_H_

// The server's side of a round's outside randomness (docs/draw-spec.md §4): from the
// registered sources a commitment or an announcement names to the round's committed
// sources, and from the statements a draw request carries to the scheduler's form, with
// the registry's checks (registered, not retired). The cryptographic checks are
// scheduler::CheckStatements'.
//
// Thread safety: stateless functions; the registry is safe for concurrent use.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "regulation/v1/entropy.pb.h"
#include "scheduler/entropy_statement.h"
#include "scheduler/round_commitment.h"
#include "services/inspection/entropy_registry.h"

namespace regulation::services {

// The sources `refs` name, in order, as the round will commit to them. `earliest` is the
// round's commitment time plus the minimum delay: a beacon's pulse must come strictly
// after it. Refusals name the field and the source:
//   INVALID_ARGUMENT     no refs or more than 16; an id twice; no WITNESS or BEACON; an
//                        UNCHECKED source without a WITNESS; a pulse time on a source that
//                        is not a BEACON, missing on a BEACON, or not on its period;
//   FAILED_PRECONDITION  a source not registered, or retired; a WITNESS of one of
//                        `plan_departments`; a pulse time not after `earliest`.
absl::StatusOr<std::vector<scheduler::CommittedSource>> ResolveSources(
    EntropyRegistry& registry, const google::protobuf::RepeatedPtrField<v1::EntropySourceRef>& refs,
    const std::vector<std::string>& plan_departments, absl::Time earliest);

// The statements of a request in the scheduler's form. INVALID_ARGUMENT naming
// "statements[i]" for none, more than 16, an evidence missing, or one over 16 KiB.
absl::StatusOr<std::vector<scheduler::EntropyStatement>> StatementsOf(
    const google::protobuf::RepeatedPtrField<v1::EntropyStatement>& statements);

v1::EntropyStatement StatementProto(const scheduler::EntropyStatement& statement);

// FAILED_PRECONDITION "statement of source X: ..." when a statement names a source that
// is not registered, or a source of `commitment` has been retired since.
absl::Status CheckStatementSources(EntropyRegistry& registry,
                                   const std::vector<scheduler::EntropyStatement>& statements,
                                   const scheduler::RoundCommitment& commitment);

// INVALID_ARGUMENT for a request that uses regulation.draw.v1's free-text source or bare
// value (pre-1.0 change): `field` and what to do instead.
absl::Status RefuseVersion1Entropy(absl::string_view field);

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_ROUND_ENTROPY_H_
