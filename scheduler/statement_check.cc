#include "scheduler/statement_check.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "scheduler/canonical_time.h"
#include "scheduler/entropy/beacon_certificate.h"
#include "scheduler/entropy/beacon_pulse.h"
#include "scheduler/entropy/witness_statement.h"

namespace regulation::scheduler {
namespace {

// `status` with "statement of source <id>: " in front, its code kept (a malformed
// statement stays INVALID_ARGUMENT, one that does not verify FAILED_PRECONDITION).
absl::Status About(absl::string_view source_id, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat("statement of source ", source_id, ": ", status.message()));
}

absl::Status Refused(absl::string_view source_id, absl::string_view reason) {
  return absl::FailedPreconditionError(
      absl::StrCat("statement of source ", source_id, ": ", reason));
}

absl::Status NotInFuture(absl::string_view source_id, absl::Time stamped,
                         const StatementCheckOptions& options, absl::string_view what) {
  if (!options.now.has_value() || stamped <= *options.now + options.max_skew) {
    return absl::OkStatus();
  }
  return Refused(source_id,
                 absl::StrFormat("%s %s, later than the server's clock (%s) allows", what,
                                 CanonicalTime(stamped), CanonicalTime(*options.now)));
}

// The witness's checked statement.
absl::StatusOr<entropy::WitnessStatement> CheckWitness(
    const CommitmentScope& scope, const RoundCommitment& commitment, const CommittedSource& source,
    const EntropyStatement& given, absl::Time not_before, const StatementCheckOptions& options) {
  if (given.evidence != EntropyStatement::Evidence::kWitness) {
    return Refused(source.source_id, "a WITNESS source's statement must be a signed statement");
  }
  absl::StatusOr<entropy::WitnessStatement> statement = entropy::VerifyWitnessStatement(
      entropy::RegisteredWitness{source.source_id, source.algorithm, source.public_key}, given.text,
      given.signature_hex);
  if (!statement.ok()) return About(source.source_id, statement.status());
  entropy::StatementBinding binding;
  binding.plan_id = scope.plan_id;
  binding.round = scope.round;
  binding.commitment = commitment.digest;
  binding.not_before = not_before;
  REG_RETURN_IF_ERROR(About(source.source_id, entropy::CheckStatementBinding(*statement, binding)));
  REG_RETURN_IF_ERROR(NotInFuture(source.source_id, statement->signed_at, options, "signed at"));
  return statement;
}

// The pulse's outputValue.
absl::StatusOr<std::string> CheckBeacon(const CommittedSource& source,
                                        const EntropyStatement& given, absl::Time not_before,
                                        const StatementCheckOptions& options) {
  if (given.evidence != EntropyStatement::Evidence::kBeaconPulse) {
    return Refused(source.source_id, "a BEACON source's statement must be its pulse");
  }
  absl::StatusOr<entropy::BeaconCertificate> certificate =
      entropy::BeaconCertificate::FromPem(source.certificate_pem);
  if (!certificate.ok()) return About(source.source_id, certificate.status());
  if (certificate->modulus_hex() != source.rsa_modulus ||
      certificate->exponent_hex() != source.rsa_exponent) {
    return absl::InvalidArgumentError(
        absl::StrCat("source ", source.source_id,
                     ": the committed RSA modulus and exponent are not the certificate's"));
  }
  absl::StatusOr<entropy::VerifiedPulse> pulse =
      entropy::VerifyBeaconPulse(*certificate, given.text);
  if (!pulse.ok()) return About(source.source_id, pulse.status());
  REG_ASSIGN_OR_RETURN(const absl::Time committed_pulse,
                       ParseCanonicalTime("pulse_time", source.pulse_time));
  if (pulse->time != committed_pulse) {
    return Refused(source.source_id,
                   absl::StrFormat("pulse time %s differs from the committed pulse time %s",
                                   CanonicalTime(pulse->time), source.pulse_time));
  }
  if (pulse->time < not_before) {  // a commitment never names such a pulse; said anyway
    return Refused(source.source_id,
                   absl::StrFormat("pulse time %s is before %s, the earliest allowed",
                                   CanonicalTime(pulse->time), CanonicalTime(not_before)));
  }
  REG_RETURN_IF_ERROR(NotInFuture(source.source_id, pulse->time, options, "pulse stamped"));
  return pulse->output_value_hex;
}

}  // namespace

absl::StatusOr<CheckedStatements> CheckStatements(const CommitmentScope& scope,
                                                  const RoundCommitment& commitment,
                                                  const std::vector<EntropyStatement>& given,
                                                  const StatementCheckOptions& options) {
  REG_RETURN_IF_ERROR(ValidateRoundCommitment(scope, commitment));
  REG_ASSIGN_OR_RETURN(const absl::Time committed_at,
                       ParseCanonicalTime("commitment.committed_at", commitment.committed_at));
  const absl::Time not_before = committed_at + absl::Seconds(commitment.min_entropy_delay_seconds);

  std::map<std::string, const EntropyStatement*> by_source;
  std::vector<std::string> named;
  for (const CommittedSource& source : commitment.sources) {
    by_source[source.source_id] = nullptr;
    named.push_back(source.source_id);
  }
  for (const EntropyStatement& statement : given) {
    auto found = by_source.find(statement.source_id);
    if (found == by_source.end()) {
      return Refused(statement.source_id,
                     absl::StrFormat("%s is not named by round %d's commitment (it names %s)",
                                     statement.source_id, scope.round, absl::StrJoin(named, ", ")));
    }
    if (found->second != nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("source ", statement.source_id, ": more than one statement"));
    }
    found->second = &statement;
  }

  CheckedStatements out;
  std::vector<entropy::WitnessStatement> witnesses;
  for (const CommittedSource& source : commitment.sources) {
    const EntropyStatement* statement = by_source[source.source_id];
    if (statement == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat("source ", source.source_id,
                                                        ": no statement (round ", scope.round,
                                                        "'s commitment names it)"));
    }
    out.statements.push_back(*statement);
    EntropyValue& value = out.values.emplace_back();
    value.source_id = source.source_id;
    switch (source.kind) {
      case SourceKind::kWitness: {
        REG_ASSIGN_OR_RETURN(
            entropy::WitnessStatement checked,
            CheckWitness(scope, commitment, source, *statement, not_before, options));
        value.value = checked.value;
        witnesses.push_back(std::move(checked));
        break;
      }
      case SourceKind::kBeacon: {
        REG_ASSIGN_OR_RETURN(value.value, CheckBeacon(source, *statement, not_before, options));
        break;
      }
      case SourceKind::kUnchecked:
        if (statement->evidence != EntropyStatement::Evidence::kUncheckedValue) {
          return Refused(source.source_id, "an UNCHECKED source's statement is its bare value");
        }
        REG_RETURN_IF_ERROR(
            About(source.source_id, ValidateEntropyValue("unchecked_value", statement->text)));
        value.value = statement->text;
        break;
    }
  }
  // An unchecked value counts only when a witness of the round vouches for it.
  for (const CommittedSource& source : commitment.sources) {
    if (source.kind != SourceKind::kUnchecked) continue;
    const std::string& value = by_source[source.source_id]->text;
    bool attested = false;
    for (const entropy::WitnessStatement& w : witnesses) {
      for (const entropy::AttestedValue& a : w.attested) {
        attested = attested || (a.source_id == source.source_id && a.value == value);
      }
    }
    if (!attested) {
      return Refused(source.source_id,
                     "its value is attested by no witness statement of this round (a witness "
                     "lists the source and the same value among its attested values)");
    }
  }
  return out;
}

}  // namespace regulation::scheduler
