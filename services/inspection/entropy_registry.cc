#include "services/inspection/entropy_registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "disclosure/redaction.h"
#include "google/protobuf/util/message_differencer.h"
#include "scheduler/canonical_time.h"
#include "scheduler/entropy/beacon_certificate.h"
#include "scheduler/entropy/witness_key.h"
#include "scheduler/field_checks.h"
#include "services/common/idempotency.h"
#include "services/common/proto_time.h"
#include "services/common/scan_page.h"
#include "services/inspection/public_entries.h"
#include "services/inspection/roster.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

constexpr absl::string_view kRegisterRpc = "InspectionService.RegisterEntropySource";
constexpr absl::string_view kRetireRpc = "InspectionService.RetireEntropySource";

absl::Status MustBeEmpty(absl::string_view field, bool empty, absl::string_view kind) {
  if (empty) return absl::OkStatus();
  return InvalidField(field, absl::StrCat("is not used by a ", kind, " source; leave it empty"));
}

// Checks `s` and fills in what the server derives (a beacon's RSA key).
absl::Status ValidateSource(v1::RegisteredEntropySource* s) {
  REG_RETURN_IF_ERROR(ValidateId("source.source_id", s->source_id()));
  REG_RETURN_IF_ERROR(scheduler::CheckText("source.display_name", s->display_name(), 128));
  if (!s->department().empty() || s->kind() == v1::ENTROPY_SOURCE_KIND_WITNESS) {
    REG_RETURN_IF_ERROR(ValidateId("source.department", s->department()));
  }
  switch (s->kind()) {
    case v1::ENTROPY_SOURCE_KIND_WITNESS: {
      REG_ASSIGN_OR_RETURN(
          const scheduler::entropy::WitnessAlgorithm algorithm,
          scheduler::entropy::ParseWitnessAlgorithm("source.algorithm", s->algorithm()));
      REG_RETURN_IF_ERROR(scheduler::entropy::WitnessPublicKey::FromHex(
                              algorithm, "source.public_key_hex", s->public_key_hex())
                              .status());
      REG_RETURN_IF_ERROR(
          MustBeEmpty("source.certificate_pem", s->certificate_pem().empty(), "WITNESS"));
      REG_RETURN_IF_ERROR(
          MustBeEmpty("source.period_seconds", s->period_seconds() == 0, "WITNESS"));
      REG_RETURN_IF_ERROR(MustBeEmpty("source.beacon_uri", s->beacon_uri().empty(), "WITNESS"));
      REG_RETURN_IF_ERROR(MustBeEmpty("source.description", s->description().empty(), "WITNESS"));
      REG_RETURN_IF_ERROR(MustBeEmpty("source.rsa_modulus_hex",
                                      s->rsa_modulus_hex().empty() && s->rsa_exponent_hex().empty(),
                                      "WITNESS"));
      return absl::OkStatus();
    }
    case v1::ENTROPY_SOURCE_KIND_BEACON: {
      if (s->algorithm() != scheduler::kRsaPkcs1Sha512) {
        return InvalidField("source.algorithm",
                            absl::StrCat("a BEACON signs with ", scheduler::kRsaPkcs1Sha512));
      }
      REG_RETURN_IF_ERROR(MustBeEmpty("source.public_key_hex", s->public_key_hex().empty(),
                                      "BEACON (its key is in the certificate)"));
      if (s->certificate_pem().size() > 16384) {
        return InvalidField("source.certificate_pem", "must be at most 16 KiB");
      }
      absl::StatusOr<scheduler::entropy::BeaconCertificate> certificate =
          scheduler::entropy::BeaconCertificate::FromPem(s->certificate_pem());
      if (!certificate.ok()) {
        return absl::Status(certificate.status().code(),
                            absl::StrCat("source.", certificate.status().message()));
      }
      if ((!s->rsa_modulus_hex().empty() && s->rsa_modulus_hex() != certificate->modulus_hex()) ||
          (!s->rsa_exponent_hex().empty() &&
           s->rsa_exponent_hex() != certificate->exponent_hex())) {
        return InvalidField(
            "source.rsa_modulus_hex",
            "is not the certificate's key (leave it empty: the server fills it in)");
      }
      s->set_rsa_modulus_hex(certificate->modulus_hex());
      s->set_rsa_exponent_hex(certificate->exponent_hex());
      if (s->period_seconds() < 1 || s->period_seconds() > 86400) {
        return InvalidField("source.period_seconds", "must be 1-86400 (NIST's beacon: 60)");
      }
      if (!s->beacon_uri().empty()) {
        REG_RETURN_IF_ERROR(scheduler::CheckText("source.beacon_uri", s->beacon_uri(), 512));
      }
      return MustBeEmpty("source.description", s->description().empty(), "BEACON");
    }
    case v1::ENTROPY_SOURCE_KIND_UNCHECKED:
      REG_RETURN_IF_ERROR(MustBeEmpty("source.algorithm", s->algorithm().empty(), "UNCHECKED"));
      REG_RETURN_IF_ERROR(
          MustBeEmpty("source.public_key_hex", s->public_key_hex().empty(), "UNCHECKED"));
      REG_RETURN_IF_ERROR(
          MustBeEmpty("source.certificate_pem", s->certificate_pem().empty(), "UNCHECKED"));
      REG_RETURN_IF_ERROR(
          MustBeEmpty("source.period_seconds", s->period_seconds() == 0, "UNCHECKED"));
      REG_RETURN_IF_ERROR(MustBeEmpty("source.beacon_uri", s->beacon_uri().empty(), "UNCHECKED"));
      REG_RETURN_IF_ERROR(MustBeEmpty("source.rsa_modulus_hex",
                                      s->rsa_modulus_hex().empty() && s->rsa_exponent_hex().empty(),
                                      "UNCHECKED"));
      if (s->description().empty()) {
        return InvalidField("source.description",
                            "is required: how the value is produced and announced, e.g. "
                            "televised lottery, 浙江卫视, 20:00");
      }
      REG_RETURN_IF_ERROR(scheduler::CheckText("source.description", s->description(), 600));
      // Published: no personal data.
      s->set_description(disclosure::RedactPersonalData(s->description()));
      return absl::OkStatus();
    default:
      return InvalidField("source.kind", "must be WITNESS, BEACON or UNCHECKED");
  }
}

absl::StatusOr<v1::RegisteredEntropySource> ParseStored(absl::string_view bytes) {
  v1::RegisteredEntropySource source;
  if (!source.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("a stored entropy source is corrupt");
  }
  return source;
}

// `s` without what the server sets, to compare a registration with the stored one.
v1::RegisteredEntropySource Content(v1::RegisteredEntropySource s) {
  s.clear_register_time();
  s.clear_log_index();
  s.clear_logged();
  s.clear_retire_time();
  s.clear_retire_reason();
  return s;
}

storage::WriteOptions Durable() {
  storage::WriteOptions options;
  options.sync = true;
  return options;
}

}  // namespace

std::string EntropySourceRecordKey(absl::string_view source_id) {
  return absl::StrCat("entropy-source/", source_id);
}

std::string EntropySourceRetiredRecordKey(absl::string_view source_id) {
  return absl::StrCat("entropy-source/", source_id, "/retired");
}

absl::StatusOr<scheduler::CommittedSource> CommittedSourceOf(
    const v1::RegisteredEntropySource& source, const v1::EntropySourceRef& ref) {
  scheduler::CommittedSource c;
  c.source_id = source.source_id();
  c.department = source.department();
  c.algorithm = source.algorithm();
  switch (source.kind()) {
    case v1::ENTROPY_SOURCE_KIND_WITNESS:
      c.kind = scheduler::SourceKind::kWitness;
      c.public_key = source.public_key_hex();
      break;
    case v1::ENTROPY_SOURCE_KIND_BEACON: {
      c.kind = scheduler::SourceKind::kBeacon;
      c.certificate_pem = source.certificate_pem();
      c.rsa_modulus = source.rsa_modulus_hex();
      c.rsa_exponent = source.rsa_exponent_hex();
      REG_ASSIGN_OR_RETURN(const absl::Time pulse, FromProtoTimestamp(ref.pulse_time()));
      c.pulse_time = scheduler::CanonicalTime(pulse);
      break;
    }
    default:
      c.kind = scheduler::SourceKind::kUnchecked;
      break;
  }
  return c;
}

void EntropyRegistry::WithLogIndex(v1::RegisteredEntropySource* source) {
  absl::StatusOr<uint64_t> index =
      publications_->IndexOf(EntropySourceRecordKey(source->source_id()));
  if (index.ok()) {
    source->set_log_index(static_cast<int64_t>(*index));
    source->set_logged(true);
  }
}

absl::Status EntropyRegistry::Publish() {
  // Not fatal: the records stay queued and the next write or restart publishes them.
  (void)publications_->Flush();
  return absl::OkStatus();
}

absl::StatusOr<v1::RegisteredEntropySource> EntropyRegistry::Register(
    const access::Caller& caller, const v1::RegisterEntropySourceRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  v1::RegisteredEntropySource source = Content(request.source());
  source.DiscardUnknownFields();
  REG_RETURN_IF_ERROR(ValidateSource(&source));
  const std::string digest = RequestDigest(request);
  absl::MutexLock lock(&write_mu_);
  IdempotencyLedger ledger(store_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay,
                       ledger.Lookup(kRegisterRpc, caller.subject, request.request_id(), digest));
  absl::StatusOr<std::string> existing =
      store_->Get(ColumnFamily::kEntropySources, source.source_id());
  if (replay.has_value() || existing.ok()) {
    if (!existing.ok()) return existing.status();
    REG_ASSIGN_OR_RETURN(v1::RegisteredEntropySource stored, ParseStored(*existing));
    if (!replay.has_value() &&
        !google::protobuf::util::MessageDifferencer::Equals(Content(stored), source)) {
      return absl::AlreadyExistsError(absl::StrCat(
          "source.source_id: ", source.source_id(),
          " is registered already with other content; ids are never reused, so register a "
          "new key under a new id (and retire the old one)"));
    }
    WithLogIndex(&stored);
    return stored;
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();

  const absl::Time now = clock_->Now();
  *source.mutable_register_time() = ToProtoTimestamp(now);
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kEntropySources, source.source_id(), source.SerializeAsString());
  REG_RETURN_IF_ERROR(publications_->Stage(EntropySourceRecordKey(source.source_id()),
                                           source.source_id(),
                                           EntropySourceEntry(source, "REGISTERED", now), &batch));
  IdempotencyLedger::Record(&batch, kRegisterRpc, caller.subject, request.request_id(), digest,
                            source.source_id());
  REG_RETURN_IF_ERROR(store_->Write(batch, Durable()));
  REG_RETURN_IF_ERROR(Publish());
  WithLogIndex(&source);
  return source;
}

absl::StatusOr<v1::RegisteredEntropySource> EntropyRegistry::Retire(
    const access::Caller& caller, const v1::RetireEntropySourceRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  REG_RETURN_IF_ERROR(ValidateId("source_id", request.source_id()));
  if (request.reason().empty()) {
    return InvalidField("reason", "is required, e.g. key compromised or witness withdrew");
  }
  REG_RETURN_IF_ERROR(scheduler::CheckText("reason", request.reason(), 600));
  const std::string digest = RequestDigest(request);
  absl::MutexLock lock(&write_mu_);
  IdempotencyLedger ledger(store_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay,
                       ledger.Lookup(kRetireRpc, caller.subject, request.request_id(), digest));
  REG_ASSIGN_OR_RETURN(v1::RegisteredEntropySource source, Get(request.source_id()));
  if (replay.has_value()) return source;
  if (source.has_retire_time()) {
    return absl::FailedPreconditionError(
        absl::StrCat("source_id: ", source.source_id(), " was retired at ",
                     scheduler::CanonicalTime(*FromProtoTimestamp(source.retire_time()))));
  }
  const absl::Time now = clock_->Now();
  *source.mutable_retire_time() = ToProtoTimestamp(now);
  source.set_retire_reason(disclosure::RedactPersonalData(request.reason()));
  v1::RegisteredEntropySource stored = source;
  stored.clear_log_index();
  stored.clear_logged();
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kEntropySources, stored.source_id(), stored.SerializeAsString());
  REG_RETURN_IF_ERROR(publications_->Stage(EntropySourceRetiredRecordKey(stored.source_id()),
                                           stored.source_id(),
                                           EntropySourceEntry(stored, "RETIRED", now), &batch));
  IdempotencyLedger::Record(&batch, kRetireRpc, caller.subject, request.request_id(), digest,
                            stored.source_id());
  REG_RETURN_IF_ERROR(store_->Write(batch, Durable()));
  REG_RETURN_IF_ERROR(Publish());
  return source;
}

absl::StatusOr<v1::ListEntropySourcesResponse> EntropyRegistry::List(
    const v1::ListEntropySourcesRequest& request) {
  v1::ListEntropySourcesResponse response;
  PageRequest page{request.page_size(), request.page_token(), "entropy-sources"};
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage(store_, ColumnFamily::kEntropySources, {}, page,
               [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
                 REG_ASSIGN_OR_RETURN(v1::RegisteredEntropySource source, ParseStored(value));
                 WithLogIndex(&source);
                 *response.add_sources() = std::move(source);
                 return true;
               }));
  return response;
}

absl::StatusOr<v1::RegisteredEntropySource> EntropyRegistry::Get(absl::string_view source_id) {
  REG_RETURN_IF_ERROR(ValidateId("source_id", source_id));
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kEntropySources, source_id);
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(absl::StrCat("source_id: no entropy source ", source_id,
                                            " is registered (RegisterEntropySource)"));
  }
  if (!bytes.ok()) return bytes.status();
  REG_ASSIGN_OR_RETURN(v1::RegisteredEntropySource source, ParseStored(*bytes));
  WithLogIndex(&source);
  return source;
}

}  // namespace regulation::services
