#ifndef SERVICES_INSPECTION_ENTROPY_REGISTRY_H_
#define SERVICES_INSPECTION_ENTROPY_REGISTRY_H_

// The entropy sources a plan may name (docs/draw-spec.md §4.1): witnesses with their
// public keys, beacons with their pinned certificates, and unchecked sources (a televised
// lottery) that count only when a witness attests their value. An admin registers a
// source before any commitment names it; each registration and retirement is logged as an
// ENTROPY_SOURCE public record in the same atomic batch, so readers check statements
// against keys that were public before the draw. Ids are never reused: a new key is a new
// source. A retired source can no longer be named by a commitment or an announcement, nor
// supply a statement; its old statements still verify.
//
// Thread safety: safe for concurrent use; writes are serialised (read, then write).

#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "disclosure/publication_queue.h"
#include "regulation/v1/entropy.pb.h"
#include "regulation/v1/inspection_service.pb.h"
#include "scheduler/round_commitment.h"
#include "services/access/caller.h"
#include "storage/kv_store.h"

namespace regulation::services {

class EntropyRegistry {
 public:
  // Everything must outlive the registry.
  EntropyRegistry(storage::KvStore* store, disclosure::PublicationQueue* publications, Clock* clock)
      : store_(store), publications_(publications), clock_(clock) {}

  // Validates everything: the id (1-64 of [A-Za-z0-9._-]), the kind, the texts, and per
  // kind: WITNESS an algorithm (ed25519, sm2-sm3) with a public key that parses (the
  // right length; an SM2 point on the curve) and a department; BEACON a PEM certificate
  // with an RSA key of at least 2048 bits (the server fills in its modulus and exponent)
  // and a period of 1-86400 s; UNCHECKED a description. INVALID_ARGUMENT naming the field;
  // ALREADY_EXISTS for an id registered with other content. The same content again, or
  // the same request_id, answers the stored source.
  absl::StatusOr<v1::RegisteredEntropySource> Register(
      const access::Caller& caller, const v1::RegisterEntropySourceRequest& request);

  // INVALID_ARGUMENT naming the field (a reason is required); NOT_FOUND for an unknown
  // id; FAILED_PRECONDITION when it is retired already (a retry with the same request_id
  // answers the first retirement).
  absl::StatusOr<v1::RegisteredEntropySource> Retire(const access::Caller& caller,
                                                     const v1::RetireEntropySourceRequest& request);

  // Every source by id, retired ones included, with its log index once logged.
  absl::StatusOr<v1::ListEntropySourcesResponse> List(const v1::ListEntropySourcesRequest& request);

  // NOT_FOUND "source_id: ..." for an unknown id.
  absl::StatusOr<v1::RegisteredEntropySource> Get(absl::string_view source_id);

 private:
  // Fills log_index / logged from the publication index.
  void WithLogIndex(v1::RegisteredEntropySource* source);
  absl::Status Publish();

  storage::KvStore* const store_;
  disclosure::PublicationQueue* const publications_;
  Clock* const clock_;
  absl::Mutex write_mu_;
};

// The record keys of a source's registration and retirement in the log.
std::string EntropySourceRecordKey(absl::string_view source_id);
std::string EntropySourceRetiredRecordKey(absl::string_view source_id);

// `source` as a round's commitment names it, with `ref`'s pulse time (BEACON).
// INVALID_ARGUMENT for a stored pulse time that cannot be written (out of range).
absl::StatusOr<scheduler::CommittedSource> CommittedSourceOf(
    const v1::RegisteredEntropySource& source, const v1::EntropySourceRef& ref);

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_ENTROPY_REGISTRY_H_
