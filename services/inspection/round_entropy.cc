#include "services/inspection/round_entropy.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "scheduler/canonical_time.h"
#include "services/common/proto_time.h"

namespace regulation::services {
namespace {

absl::Status Refused(absl::string_view field, absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat(field, ": ", what));
}

}  // namespace

absl::Status RefuseVersion1Entropy(absl::string_view field) {
  return InvalidField(
      field,
      "no longer accepted (regulation.draw.v2): outside randomness comes from registered "
      "sources whose values the server checks. Register sources (RegisterEntropySource, "
      "regctl entropy register), name them in entropy_sources when committing or "
      "announcing, and draw with their signed statements");
}

absl::StatusOr<std::vector<scheduler::CommittedSource>> ResolveSources(
    EntropyRegistry& registry, const google::protobuf::RepeatedPtrField<v1::EntropySourceRef>& refs,
    const std::vector<std::string>& plan_departments, absl::Time earliest) {
  if (refs.empty() || refs.size() > scheduler::kMaxSourcesPerRound) {
    return InvalidField("entropy_sources",
                        absl::StrCat("name 1-", scheduler::kMaxSourcesPerRound,
                                     " registered sources (at least one WITNESS or BEACON)"));
  }
  std::vector<scheduler::CommittedSource> sources;
  std::set<std::string> ids;
  bool checked = false, witness = false, unchecked = false;
  for (int i = 0; i < refs.size(); ++i) {
    const v1::EntropySourceRef& ref = refs[i];
    const std::string field = absl::StrCat("entropy_sources[", i, "]");
    if (!ids.insert(ref.source_id()).second) {
      return InvalidField(field, absl::StrCat("source ", ref.source_id(), " is named twice"));
    }
    absl::StatusOr<v1::RegisteredEntropySource> source = registry.Get(ref.source_id());
    if (absl::IsNotFound(source.status())) {
      return Refused(field, absl::StrCat("source ", ref.source_id(),
                                         " is not registered; an admin registers it first "
                                         "(regctl entropy register)"));
    }
    if (!source.ok()) return ForField(field, source.status());
    if (source->has_retire_time()) {
      return Refused(field, absl::StrCat("source ", ref.source_id(), " was retired (",
                                         source->retire_reason(), ")"));
    }
    const bool beacon = source->kind() == v1::ENTROPY_SOURCE_KIND_BEACON;
    if (ref.has_pulse_time() != beacon) {
      return InvalidField(absl::StrCat(field, ".pulse_time"),
                          beacon ? absl::StrCat("beacon ", ref.source_id(),
                                                " needs the time of the pulse the round will use")
                                 : absl::StrCat(ref.source_id(), " is not a beacon"));
    }
    if (source->kind() == v1::ENTROPY_SOURCE_KIND_WITNESS &&
        std::find(plan_departments.begin(), plan_departments.end(), source->department()) !=
            plan_departments.end()) {
      return Refused(
          field,
          absl::StrCat("witness ", ref.source_id(), " belongs to department ", source->department(),
                       ", which takes part in the plan: the party that holds the nonce "
                       "(or whose server does) may not also supply the checked entropy; "
                       "name an independent witness"));
    }
    if (beacon) {
      absl::StatusOr<absl::Time> parsed = FromProtoTimestamp(ref.pulse_time());
      if (!parsed.ok())
        return InvalidField(absl::StrCat(field, ".pulse_time"), "is not a valid time");
      const absl::Time pulse = *parsed;
      const int64_t seconds = absl::ToUnixSeconds(pulse);
      if (absl::FromUnixSeconds(seconds) != pulse || seconds % source->period_seconds() != 0) {
        return InvalidField(
            absl::StrCat(field, ".pulse_time"),
            absl::StrFormat("beacon %s emits a pulse every %d s, on multiples "
                            "of %d s since 1970; %s is not one",
                            ref.source_id(), source->period_seconds(), source->period_seconds(),
                            scheduler::CanonicalTime(pulse)));
      }
      if (pulse <= earliest) {
        return Refused(absl::StrCat(field, ".pulse_time"),
                       absl::StrFormat("pulse %s of beacon %s is not after %s (now plus the "
                                       "minimum entropy delay): name a later pulse",
                                       scheduler::CanonicalTime(pulse), ref.source_id(),
                                       scheduler::CanonicalTime(earliest)));
      }
    }
    checked = checked || source->kind() != v1::ENTROPY_SOURCE_KIND_UNCHECKED;
    witness = witness || source->kind() == v1::ENTROPY_SOURCE_KIND_WITNESS;
    unchecked = unchecked || source->kind() == v1::ENTROPY_SOURCE_KIND_UNCHECKED;
    REG_ASSIGN_OR_RETURN(scheduler::CommittedSource committed, CommittedSourceOf(*source, ref));
    sources.push_back(std::move(committed));
  }
  if (!checked) {
    return InvalidField("entropy_sources",
                        "name at least one WITNESS or BEACON: an UNCHECKED source (a value no "
                        "machine can check) is named only in addition");
  }
  if (unchecked && !witness) {
    return InvalidField("entropy_sources",
                        "an UNCHECKED source needs a WITNESS in the same round to attest its "
                        "value");
  }
  return sources;
}

absl::StatusOr<std::vector<scheduler::EntropyStatement>> StatementsOf(
    const google::protobuf::RepeatedPtrField<v1::EntropyStatement>& statements) {
  if (statements.empty() || statements.size() > scheduler::kMaxSourcesPerRound) {
    return InvalidField("statements", absl::StrCat("send 1-", scheduler::kMaxSourcesPerRound,
                                                   " statements, one per source the round names"));
  }
  std::vector<scheduler::EntropyStatement> out;
  for (int i = 0; i < statements.size(); ++i) {
    const v1::EntropyStatement& s = statements[i];
    const std::string field = absl::StrCat("statements[", i, "]");
    scheduler::EntropyStatement& statement = out.emplace_back();
    statement.source_id = s.source_id();
    switch (s.evidence_case()) {
      case v1::EntropyStatement::kWitness:
        statement.evidence = scheduler::EntropyStatement::Evidence::kWitness;
        statement.text = s.witness().statement();
        statement.signature_hex = s.witness().signature_hex();
        break;
      case v1::EntropyStatement::kBeaconPulseJson:
        statement.evidence = scheduler::EntropyStatement::Evidence::kBeaconPulse;
        statement.text = s.beacon_pulse_json();
        break;
      case v1::EntropyStatement::kUncheckedValue:
        statement.evidence = scheduler::EntropyStatement::Evidence::kUncheckedValue;
        statement.text = s.unchecked_value();
        break;
      default:
        return InvalidField(field,
                            "needs its evidence: witness, beacon_pulse_json or "
                            "unchecked_value");
    }
    if (statement.text.empty() || statement.text.size() > scheduler::kMaxStatementBytes) {
      return InvalidField(
          field, absl::StrFormat("the evidence must be 1-%d bytes", scheduler::kMaxStatementBytes));
    }
    if (statement.signature_hex.size() > 1024) {
      return InvalidField(absl::StrCat(field, ".witness.signature_hex"), "is too long");
    }
  }
  return out;
}

v1::EntropyStatement StatementProto(const scheduler::EntropyStatement& statement) {
  v1::EntropyStatement out;
  out.set_source_id(statement.source_id);
  switch (statement.evidence) {
    case scheduler::EntropyStatement::Evidence::kWitness:
      out.mutable_witness()->set_statement(statement.text);
      out.mutable_witness()->set_signature_hex(statement.signature_hex);
      break;
    case scheduler::EntropyStatement::Evidence::kBeaconPulse:
      out.set_beacon_pulse_json(statement.text);
      break;
    case scheduler::EntropyStatement::Evidence::kUncheckedValue:
      out.set_unchecked_value(statement.text);
      break;
  }
  return out;
}

absl::Status CheckStatementSources(EntropyRegistry& registry,
                                   const std::vector<scheduler::EntropyStatement>& statements,
                                   const scheduler::RoundCommitment& commitment) {
  std::set<std::string> ids;
  for (const scheduler::EntropyStatement& s : statements) ids.insert(s.source_id);
  for (const scheduler::CommittedSource& c : commitment.sources) ids.insert(c.source_id);
  for (const std::string& id : ids) {
    absl::StatusOr<v1::RegisteredEntropySource> source = registry.Get(id);
    if (absl::IsNotFound(source.status()) || absl::IsInvalidArgument(source.status())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "statement of source ", id,
          ": not a registered entropy source; a value counts only from a source registered "
          "and named before the round's commitment"));
    }
    if (!source.ok()) return source.status();
    if (source->has_retire_time()) {
      return absl::FailedPreconditionError(
          absl::StrCat("statement of source ", id, ": the source was retired (",
                       source->retire_reason(), "); its statements are no longer accepted"));
    }
  }
  return absl::OkStatus();
}

}  // namespace regulation::services
