#include "services/inspection/draw_desk.h"

#include <map>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "openssl/rand.h"
#include "regulation/internal/inspection_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "scheduler/canonical_time.h"
#include "scheduler/draw.h"
#include "scheduler/field_checks.h"
#include "scheduler/roster_json.h"
#include "scheduler/round_commitment.h"
#include "scheduler/seed.h"
#include "scheduler/staffing_forecast.h"
#include "scheduler/statement_check.h"
#include "services/common/idempotency.h"
#include "services/common/idempotent_write.h"
#include "services/inspection/joint_visits.h"
#include "services/inspection/repeat_visits.h"
#include "services/inspection/visit_rules_record.h"
#include "services/common/proto_time.h"
#include "services/inspection/draw_fanout.h"
#include "services/inspection/plan_freezer.h"
#include "services/inspection/public_entries.h"
#include "services/inspection/round_entropy.h"
#include "services/inspection/round_inputs.h"
#include "services/inspection/targeted_plan.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

constexpr absl::string_view kCommitRpc = "InspectionService.CommitPlan";
constexpr absl::string_view kDrawRpc = "InspectionService.DrawPlan";
constexpr absl::string_view kReplaceRpc = "InspectionService.DrawReplacements";
constexpr absl::string_view kAnnounceRpc = "InspectionService.AnnounceReplacements";

// Most targets one replacement request may name.
constexpr int kMaxReplacedPerRound = 1000;

bool IsLowerHex(absl::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

absl::Status ValidateCommitRequest(const v1::CommitPlanRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  if (request.plan_id().empty()) return InvalidField("plan_id", "is required");
  if (!request.nonce_commitment().empty() &&
      (request.nonce_commitment().size() != 64 || !IsLowerHex(request.nonce_commitment()))) {
    return InvalidField("nonce_commitment",
                        "must be the SHA-256 of your nonce's bytes, 64 lowercase hex characters "
                        "(or empty: the server then keeps a sealed nonce)");
  }
  if (request.has_entropy_source()) return RefuseVersion1Entropy("entropy_source");
  if (request.entropy_sources().empty() ||
      request.entropy_sources_size() > scheduler::kMaxSourcesPerRound) {
    return InvalidField("entropy_sources",
                        absl::StrCat("name 1-", scheduler::kMaxSourcesPerRound,
                                     " registered sources (at least one WITNESS or BEACON)"));
  }
  return absl::OkStatus();
}

std::string SealedNonce() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) std::abort();  // no safe way on without it
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

v1::StaffingForecast StaffingProto(const scheduler::StaffingForecast& f) {
  v1::StaffingForecast out;
  out.set_expected_targets(f.expected_targets);
  out.set_seats_needed(f.seats_needed);
  out.set_eligible_inspectors(f.eligible_inspectors);
  out.set_capacity(f.capacity);
  out.set_unstaffable_expected_millis(f.unstaffable_expected_millis);
  for (const std::string& region : f.unstaffable_regions) out.add_unstaffable_regions(region);
  for (const auto& [department, capacity] : f.short_departments) {
    out.add_short_departments(department);
  }
  return out;
}

absl::Status WrongState(const v1::Plan& plan, absl::string_view wanted, absl::string_view action) {
  return absl::FailedPreconditionError(absl::StrCat("plan_id: plan ", plan.plan_id(), " is ",
                                                    PlanStateName(plan.state()), "; only a ",
                                                    wanted, " plan can be ", action));
}

std::vector<v1::InspectionItem> FrozenItems(const internal::PlanRecord& record) {
  return {record.frozen_items().begin(), record.frozen_items().end()};
}

// The stored form of a round.
v1::Draw DrawOf(scheduler::DrawResult result, absl::string_view plan_id, absl::Time now) {
  const scheduler::DrawBundle& b = result.bundle;
  v1::Draw draw;
  draw.set_plan_id(std::string(plan_id));
  draw.set_round(static_cast<int32_t>(b.round));
  draw.set_nonce(b.nonce);
  draw.set_commitment_digest(b.commitment.digest);
  for (const scheduler::EntropyStatement& s : b.statements)
    *draw.add_statements() = StatementProto(s);
  draw.set_seed(b.seed);
  std::array<int32_t, scheduler::kRiskClassCount> rank{};
  // A targeted plan's targets carry their reason instead of a class (frozen as B for the
  // draw only, see plan_freezer.h) and are outside the sampling design.
  std::map<std::string, scheduler::TargetReason> reasons;
  for (const scheduler::ListedTarget& t : b.plan.listed_targets) reasons[t.credit_code] = t.reason;
  for (size_t i = 0; i < b.targets.size(); ++i) {
    if (b.plan.targeted()) {
      v1::DrawnTarget* t = draw.add_targets();
      t->set_credit_code(b.targets[i].credit_code);
      t->set_ticket(b.targets[i].ticket);
      t->set_rank(static_cast<int32_t>(i) + 1);
      auto reason = reasons.find(b.targets[i].credit_code);
      if (reason != reasons.end()) t->set_reason(ProtoTargetReason(reason->second));
      continue;
    }
    const int risk_class = result.target_classes[i];
    v1::DrawnTarget* t = draw.add_targets();
    t->set_credit_code(b.targets[i].credit_code);
    t->set_risk_class(static_cast<v1::RiskClass>(risk_class));
    t->set_ticket(b.targets[i].ticket);
    t->set_rank(++rank[risk_class - 1]);
    const scheduler::BundleClass& stratum = b.classes[risk_class - 1];
    if (b.round == 0 && stratum.population > 0) {
      t->set_inclusion_probability(static_cast<double>(stratum.selected) /
                                   static_cast<double>(stratum.population));
    }
  }
  for (int k = 0; k < scheduler::kRiskClassCount; ++k) {
    v1::ClassCutoff* c = draw.add_cutoffs();
    c->set_risk_class(static_cast<v1::RiskClass>(k + 1));
    c->set_population(b.classes[k].population);
    c->set_selected(b.classes[k].selected);
    c->set_cutoff_ticket(b.classes[k].cutoff);
  }
  for (const scheduler::TeamResult& team : b.teams) {
    v1::Team* t = draw.add_teams();
    t->set_credit_code(team.credit_code);
    for (const std::string& id : team.inspector_ids) t->add_inspector_ids(id);
    t->set_staffing(team.status == scheduler::StaffingStatus::kStaffed
                        ? v1::STAFFING_STATUS_STAFFED
                        : v1::STAFFING_STATUS_UNSTAFFED);
    t->set_unstaffed_reason(team.reason);
    if (team.joint_visit.has_value()) {
      v1::JointVisit* joint = t->mutable_joint_visit();
      joint->set_plan_id(team.joint_visit->plan_id);
      joint->set_round(static_cast<int32_t>(team.joint_visit->round));
      joint->set_bundle_digest(team.joint_visit->bundle_digest);
    }
  }
  *draw.mutable_draw_time() = ToProtoTimestamp(now);
  draw.set_bundle_json(std::move(result.bundle_json));
  draw.set_bundle_digest(result.bundle_digest);
  draw.set_target_count(draw.targets_size());
  int64_t unstaffed = 0;
  for (const v1::Team& team : draw.teams()) {
    if (team.staffing() == v1::STAFFING_STATUS_UNSTAFFED) ++unstaffed;
  }
  draw.set_unstaffed_count(unstaffed);
  return draw;
}

// A retried draw request: the round it made.
absl::StatusOr<v1::Draw> ReplayDraw(const internal::PlanRecord& record,
                                    absl::string_view stored_round) {
  int round = 0;
  if (!absl::SimpleAtoi(stored_round, &round) || round < 0 || round >= record.draws_size()) {
    return absl::DataLossError("the stored answer of an earlier draw request is corrupt");
  }
  return record.draws(round);
}

absl::Status ValidateCodes(const google::protobuf::RepeatedPtrField<std::string>& codes,
                           bool required) {
  if ((required && codes.empty()) || codes.size() > kMaxReplacedPerRound) {
    return InvalidField("credit_codes",
                        absl::StrCat("1 to ", kMaxReplacedPerRound, " targets to replace"));
  }
  std::set<std::string> named;
  for (int i = 0; i < codes.size(); ++i) {
    const std::string field = absl::StrCat("credit_codes[", i, "]");
    REG_RETURN_IF_ERROR(ForField(field, ValidateCreditCode(codes[i])));
    if (!named.insert(codes[i]).second) return InvalidField(field, "appears twice");
  }
  return absl::OkStatus();
}

}  // namespace

void DrawDesk::Publish() {
  absl::StatusOr<int64_t> published = publications_->Flush();
  // Not fatal: the entries stay queued and the next write or restart publishes them.
  (void)published;
}

absl::StatusOr<scheduler::RoundCommitment> DrawDesk::CommitRound(
    const scheduler::DrawInputs& inputs, scheduler::RoundKind kind,
    const std::string& nonce_commitment,
    const google::protobuf::RepeatedPtrField<v1::EntropySourceRef>& refs, absl::Time now) {
  scheduler::RoundCommitment c;
  c.kind = kind;
  c.nonce_commitment = nonce_commitment;
  // Written to the microsecond: the time every check uses is the one published.
  c.committed_at = scheduler::CanonicalTime(now);
  const absl::Time committed_at = *scheduler::ParseCanonicalTime("committed_at", c.committed_at);
  c.min_entropy_delay_seconds = absl::ToInt64Seconds(options_.min_entropy_delay);
  REG_ASSIGN_OR_RETURN(c.sources,
                       ResolveSources(*registry_, refs, inputs.plan.departments,
                                      committed_at + absl::Seconds(c.min_entropy_delay_seconds)));
  absl::StatusOr<std::string> digest = scheduler::CommitmentDigest(scheduler::ScopeOf(inputs), c);
  if (!digest.ok()) {
    return absl::InternalError(
        absl::StrCat("the round's commitment cannot be digested: ", digest.status().message()));
  }
  c.digest = *digest;
  return c;
}

absl::StatusOr<scheduler::DrawResult> DrawDesk::DrawRound(
    const internal::PlanRecord& record, scheduler::DrawInputs inputs,
    const google::protobuf::RepeatedPtrField<v1::EntropyStatement>& statements,
    const KeepGoing& keep_going) {
  REG_ASSIGN_OR_RETURN(inputs.statements, StatementsOf(statements));
  REG_ASSIGN_OR_RETURN(inputs.commitment, RoundCommitmentOf(record, inputs.round));
  REG_RETURN_IF_ERROR(CheckStatementSources(*registry_, inputs.statements, inputs.commitment));
  // The server's own check, with its clock: nothing dated in the future.
  scheduler::StatementCheckOptions check;
  check.now = clock_->Now();
  check.max_skew = options_.max_clock_skew;
  REG_RETURN_IF_ERROR(
      scheduler::CheckStatements(scheduler::ScopeOf(inputs), inputs.commitment, inputs.statements, check)
          .status());
  REG_ASSIGN_OR_RETURN(scheduler::FrozenRoster roster, RoundRosterOf(record, inputs.round));
  StoredPopulationSource population(store_, record.plan().plan_id(), keep_going);
  return scheduler::RunDraw(inputs, population, roster, {options_.draw_threads});
}

absl::Status DrawDesk::FreezeVisitRules(const internal::PlanRecord& record, absl::Time now,
                                        FrozenPlan* frozen) {
  const int window_days = record.plan().no_repeat_window_days();
  if (window_days > 0) {
    // The commitment's time as it will be written (to the microsecond), so that the
    // window is the one a verifier computes from the bundle.
    REG_ASSIGN_OR_RETURN(const absl::Time committed,
                         scheduler::ParseCanonicalTime("committed_at", scheduler::CanonicalTime(now)));
    REG_ASSIGN_OR_RETURN(
        const std::vector<DrawnRound> drawn,
        DrawnRoundsBetween(store_, &archive_, record.plan().plan_id(),
                           committed - absl::Hours(24) * window_days, committed));
    frozen->spec.no_repeat = NoRepeatRuleOf(window_days, RepeatScopeOf(record.plan()),
                                            frozen->spec, committed, drawn);
    frozen->spec.no_repeat->mode = RepeatModeOf(record.plan());
  }
  frozen->spec.recusals = GrantedRecusalsOf(record);
  frozen->spec = scheduler::CanonicalPlanSpec(std::move(frozen->spec));
  REG_ASSIGN_OR_RETURN(frozen->plan_digest, scheduler::PlanDigest(frozen->spec));
  return absl::OkStatus();
}

absl::StatusOr<v1::Commitment> DrawDesk::Commit(const access::Caller& caller,
                                                const v1::CommitPlanRequest& request,
                                                const KeepGoing& keep_going) {
  REG_RETURN_IF_ERROR(ValidateCommitRequest(request));
  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kCommitRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay, write.Replay(store_));
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, plans_->Load(caller, request.plan_id()));
  if (replay.has_value()) {
    v1::Commitment commitment;
    if (!commitment.ParseFromString(*replay)) return absl::DataLossError("stored commitment");
    absl::StatusOr<uint64_t> index = publications_->IndexOf(CommitmentRecordKey(request.plan_id()));
    if (index.ok()) {
      commitment.set_log_index(static_cast<int64_t>(*index));
      commitment.set_logged(true);
    }
    return commitment;
  }
  if (record.plan().state() != v1::PLAN_STATE_DRAFT) {
    return WrongState(record.plan(), "DRAFT", "committed");
  }

  PlanFreezer freezer(store_, population_, keep_going);
  REG_ASSIGN_OR_RETURN(FrozenPlan frozen, freezer.Freeze(record.plan(), clock_->Now()));
  // A targeted plan inspects every listed target (all frozen in class B): forecast as if
  // class B were drawn whole.
  scheduler::PlanSpec forecast_spec = frozen.spec;
  if (forecast_spec.targeted()) forecast_spec.quotas[1] = scheduler::ClassQuota::RatioPpm(1000000);
  const scheduler::StaffingForecast forecast =
      scheduler::ForecastStaffing(forecast_spec, frozen.roster, frozen.region_counts);
  if (forecast.shortfall() && !request.allow_unstaffed()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plan_id: ", forecast.Describe(frozen.spec),
        ". Add inspectors or raise the workload cap; or commit with allow_unstaffed "
        "(regctl plan commit --allow_unstaffed) and staff the unstaffed targets later in a "
        "re-staffing round"));
  }

  const absl::Time now = clock_->Now();
  // No repeated visits and granted recusals: frozen into the plan (so into its digest)
  // now, before any randomness exists (draw-spec §3.2, §7).
  REG_RETURN_IF_ERROR(FreezeVisitRules(record, now, &frozen));
  v1::Commitment commitment;
  commitment.set_plan_id(record.plan().plan_id());
  commitment.set_plan_digest(frozen.plan_digest);
  commitment.set_population_digest(frozen.population.overall);
  for (int k = 0; k < scheduler::kRiskClassCount; ++k) {
    const std::string letter(1, scheduler::RiskClassLetter(k + 1));
    (*commitment.mutable_class_population_digests())[letter] = frozen.population.classes[k];
    (*commitment.mutable_class_sizes())[letter] = frozen.population.class_sizes[k];
  }
  commitment.set_roster_digest(frozen.roster_digest);
  if (request.nonce_commitment().empty()) {
    record.set_sealed_nonce_hex(SealedNonce());
    REG_ASSIGN_OR_RETURN(*commitment.mutable_nonce_commitment(),
                         scheduler::NonceCommitment(record.sealed_nonce_hex()));
  } else {
    commitment.set_nonce_commitment(request.nonce_commitment());
  }
  scheduler::DrawInputs inputs;
  inputs.plan = frozen.spec;
  inputs.plan_digest = frozen.plan_digest;
  inputs.population = frozen.population;
  inputs.roster_digest = frozen.roster_digest;
  REG_ASSIGN_OR_RETURN(const scheduler::RoundCommitment round0,
                       CommitRound(inputs, scheduler::RoundKind::kDraw,
                                   commitment.nonce_commitment(), request.entropy_sources(), now));
  *commitment.mutable_entropy_sources() = request.entropy_sources();
  commitment.set_commitment_digest(round0.digest);
  commitment.set_min_entropy_delay_seconds(round0.min_entropy_delay_seconds);
  *commitment.mutable_staffing() = StaffingProto(forecast);
  commitment.set_allow_unstaffed(request.allow_unstaffed());
  if (frozen.spec.no_repeat.has_value()) {
    commitment.set_repeat_rounds_considered(
        static_cast<int32_t>(frozen.spec.no_repeat->considered.size()));
    commitment.set_repeat_excluded(static_cast<int32_t>(frozen.spec.no_repeat->excluded.size()));
  }
  commitment.set_recusals_granted(static_cast<int32_t>(frozen.spec.recusals.size()));
  // The published time is the committed one, to the microsecond.
  *commitment.mutable_commit_time() =
      ToProtoTimestamp(*scheduler::ParseCanonicalTime("committed_at", round0.committed_at));

  const int64_t version = record.plan().version();
  record.mutable_plan()->set_state(v1::PLAN_STATE_COMMITTED);
  *record.mutable_commitment() = commitment;
  record.set_frozen_roster_json(frozen.roster_json);
  *record.mutable_visit_rules() = VisitRulesRecord(frozen.spec);
  record.add_round_commitment_json(scheduler::WriteCommitmentJson(round0));
  for (v1::InspectionItem& item : frozen.items) *record.add_frozen_items() = std::move(item);
  for (const std::string& code : frozen.spec.credit.dishonest) record.add_frozen_dishonest(code);

  storage::WriteBatch batch;
  REG_RETURN_IF_ERROR(publications_->Stage(
      CommitmentRecordKey(commitment.plan_id()), commitment.plan_id(),
      CommitmentEntry(record.plan(), frozen.spec, FrozenItems(record), commitment, now), &batch));
  write.Record(&batch, commitment.SerializeAsString());
  REG_RETURN_IF_ERROR(plans_->Save(std::move(record), version, &batch));
  Publish();
  absl::StatusOr<uint64_t> index =
      publications_->IndexOf(CommitmentRecordKey(commitment.plan_id()));
  if (index.ok()) {
    commitment.set_log_index(static_cast<int64_t>(*index));
    commitment.set_logged(true);
  }
  return commitment;
}

absl::StatusOr<v1::Draw> DrawDesk::Draw(const access::Caller& caller,
                                        const v1::DrawPlanRequest& request,
                                        const KeepGoing& keep_going) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  if (request.plan_id().empty()) return InvalidField("plan_id", "is required");
  if (!request.entropy_value().empty()) return RefuseVersion1Entropy("entropy_value");
  REG_RETURN_IF_ERROR(StatementsOf(request.statements()).status());
  if (!request.nonce().empty()) {
    REG_RETURN_IF_ERROR(scheduler::ValidateNonceHex(request.nonce()));  // names "nonce"
  }
  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kDrawRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  REG_RETURN_IF_ERROR(FinishFanOut(request.plan_id()));  // a crash's leftover first
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay, write.Replay(store_));
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, plans_->Load(caller, request.plan_id()));
  if (replay.has_value()) return ReplayDraw(record, *replay);
  if (record.plan().state() != v1::PLAN_STATE_COMMITTED) {
    return WrongState(record.plan(), "COMMITTED", "drawn");
  }
  REG_ASSIGN_OR_RETURN(scheduler::DrawInputs inputs, CommittedInputs(record));
  if (!record.sealed_nonce_hex().empty()) {
    if (!request.nonce().empty() && request.nonce() != record.sealed_nonce_hex()) {
      return InvalidField("nonce", "the server holds this plan's sealed nonce; leave nonce empty");
    }
    inputs.nonce_hex = record.sealed_nonce_hex();
  } else if (request.nonce().empty()) {
    return absl::FailedPreconditionError(
        "nonce: this plan was committed to your own nonce; reveal it to draw");
  } else {
    inputs.nonce_hex = request.nonce();
  }
  inputs.round = 0;
  REG_ASSIGN_OR_RETURN(scheduler::DrawResult result,
                       DrawRound(record, std::move(inputs), request.statements(), keep_going));

  const absl::Time now = clock_->Now();
  v1::Draw draw = DrawOf(std::move(result), record.plan().plan_id(), now);
  storage::WriteBatch batch;
  REG_ASSIGN_OR_RETURN(const std::vector<v1::Assignment> assignments,
                       StageHandOut(&record, &draw, &batch));
  REG_RETURN_IF_ERROR(publications_->Stage(DrawRecordKey(draw.plan_id(), 0), draw.plan_id(),
                                           DrawEntry(draw, {}, "", now), &batch));
  write.Record(&batch, "0");
  const int64_t version = record.plan().version();
  record.mutable_plan()->set_state(v1::PLAN_STATE_DRAWN);
  *record.add_draws() = draw;
  REG_RETURN_IF_ERROR(plans_->Save(std::move(record), version, &batch));
  board_->Publish(assignments);
  Publish();
  REG_RETURN_IF_ERROR(FinishFanOut(draw.plan_id()));
  return draw;
}

absl::StatusOr<v1::ReplacementAnnouncement> DrawDesk::Announce(
    const access::Caller& caller, const v1::AnnounceReplacementsRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  if (request.plan_id().empty()) return InvalidField("plan_id", "is required");
  REG_RETURN_IF_ERROR(ValidateCodes(request.credit_codes(), /*required=*/true));
  if (request.reason().empty()) {
    return InvalidField("reason", request.restaff()
                                      ? "is required, e.g. fire inspectors appointed in Wenzhou"
                                      : "is required, e.g. deregistered or unreachable");
  }
  REG_RETURN_IF_ERROR(scheduler::CheckText("reason", request.reason(), 600));
  if (request.has_entropy_source()) return RefuseVersion1Entropy("entropy_source");
  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kAnnounceRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  REG_RETURN_IF_ERROR(FinishFanOut(request.plan_id()));  // a crash's leftover first
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay, write.Replay(store_));
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, plans_->Load(caller, request.plan_id()));
  v1::ReplacementAnnouncement announcement;
  if (replay.has_value()) {
    if (!announcement.ParseFromString(*replay)) return absl::DataLossError("stored announcement");
  } else {
    if (record.plan().state() != v1::PLAN_STATE_DRAWN) {
      return WrongState(record.plan(), "DRAWN", "given replacements");
    }
    if (const v1::ReplacementAnnouncement* pending = PendingAnnouncement(record)) {
      return absl::FailedPreconditionError(
          absl::StrCat("plan_id: round ", pending->round(), " of plan ", request.plan_id(),
                       " is announced and not drawn yet; draw it first"));
    }
    if (IsTargeted(record.plan()) && !request.restaff()) {
      return absl::FailedPreconditionError(
          "restaff: plan's targets are listed, not drawn, so none can be replaced; re-staff a "
          "target (restaff) or list another in a new targeted plan");
    }
    REG_ASSIGN_OR_RETURN(const internal::PlanRecord full, WithEveryTarget(record));
    REG_ASSIGN_OR_RETURN(scheduler::DrawInputs inputs, CommittedInputs(full));
    inputs.round = record.draws_size();
    std::optional<FrozenRosterFiles> roster;
    if (request.restaff()) {
      REG_ASSIGN_OR_RETURN(inputs.replacement, RestaffOf(store_, full, request.credit_codes()));
      PlanFreezer freezer(store_, population_);
      REG_ASSIGN_OR_RETURN(roster, freezer.FreezeRoster(inputs.plan, inputs.replacement->named));
      inputs.roster_digest = roster->roster_digest;
    } else {
      REG_ASSIGN_OR_RETURN(inputs.replacement, ReplacementOf(full, request.credit_codes()));
    }
    const absl::Time now = clock_->Now();
    record.set_pending_nonce_hex(SealedNonce());
    REG_ASSIGN_OR_RETURN(const std::string nonce_commitment,
                         scheduler::NonceCommitment(record.pending_nonce_hex()));
    REG_ASSIGN_OR_RETURN(const scheduler::RoundCommitment round,
                         CommitRound(inputs,
                                     request.restaff() ? scheduler::RoundKind::kRestaff
                                                       : scheduler::RoundKind::kReplace,
                                     nonce_commitment, request.entropy_sources(), now));
    announcement.set_plan_id(request.plan_id());
    announcement.set_round(inputs.round);
    *announcement.mutable_credit_codes() = request.credit_codes();
    announcement.set_reason(request.reason());
    announcement.set_nonce_commitment(nonce_commitment);
    *announcement.mutable_announce_time() =
        ToProtoTimestamp(*scheduler::ParseCanonicalTime("committed_at", round.committed_at));
    *announcement.mutable_entropy_sources() = request.entropy_sources();
    announcement.set_commitment_digest(round.digest);
    announcement.set_min_entropy_delay_seconds(round.min_entropy_delay_seconds);
    announcement.set_restaff(request.restaff());
    announcement.set_roster_digest(inputs.roster_digest);
    *record.add_announcements() = announcement;
    record.add_round_commitment_json(scheduler::WriteCommitmentJson(round));
    if (roster.has_value())
      (*record.mutable_round_roster_json())[inputs.round] = roster->roster_json;
    storage::WriteBatch batch;
    REG_RETURN_IF_ERROR(
        publications_->Stage(AnnouncementRecordKey(request.plan_id(), announcement.round()),
                             request.plan_id(), AnnouncementEntry(announcement, now), &batch));
    write.Record(&batch, announcement.SerializeAsString());
    const int64_t version = record.plan().version();
    REG_RETURN_IF_ERROR(plans_->Save(std::move(record), version, &batch));
    Publish();
  }
  absl::StatusOr<uint64_t> index =
      publications_->IndexOf(AnnouncementRecordKey(request.plan_id(), announcement.round()));
  if (index.ok()) {
    announcement.set_log_index(static_cast<int64_t>(*index));
    announcement.set_logged(true);
  }
  return announcement;
}

absl::StatusOr<v1::Draw> DrawDesk::Replace(const access::Caller& caller,
                                           const v1::DrawReplacementsRequest& request,
                                           const KeepGoing& keep_going) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  if (request.plan_id().empty()) return InvalidField("plan_id", "is required");
  REG_RETURN_IF_ERROR(ValidateCodes(request.credit_codes(), /*required=*/false));
  if (!request.entropy_value().empty()) return RefuseVersion1Entropy("entropy_value");
  REG_RETURN_IF_ERROR(StatementsOf(request.statements()).status());
  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kReplaceRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  REG_RETURN_IF_ERROR(FinishFanOut(request.plan_id()));  // a crash's leftover first
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay, write.Replay(store_));
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, plans_->Load(caller, request.plan_id()));
  if (replay.has_value()) return ReplayDraw(record, *replay);
  if (record.plan().state() != v1::PLAN_STATE_DRAWN) {
    return WrongState(record.plan(), "DRAWN", "given replacements");
  }
  const v1::ReplacementAnnouncement* pending = PendingAnnouncement(record);
  if (pending == nullptr) {
    return absl::FailedPreconditionError(
        "plan_id: announce the round first (AnnounceReplacements), so that its targets, "
        "entropy sources and nonce are fixed before its randomness exists");
  }
  const v1::ReplacementAnnouncement announced = *pending;
  if (!request.credit_codes().empty() &&
      std::set<std::string>(request.credit_codes().begin(), request.credit_codes().end()) !=
          std::set<std::string>(announced.credit_codes().begin(), announced.credit_codes().end())) {
    return InvalidField("credit_codes",
                        absl::StrCat("differ from those announced for round ", announced.round()));
  }
  REG_ASSIGN_OR_RETURN(const internal::PlanRecord full, WithEveryTarget(record));
  REG_ASSIGN_OR_RETURN(scheduler::DrawInputs inputs, CommittedInputs(full));
  inputs.round = record.draws_size();
  if (announced.restaff()) {
    REG_ASSIGN_OR_RETURN(inputs.replacement, RestaffOf(store_, full, announced.credit_codes()));
  } else {
    REG_ASSIGN_OR_RETURN(inputs.replacement, ReplacementOf(full, announced.credit_codes()));
  }
  inputs.roster_digest = announced.roster_digest();
  // The round's own nonce, as announced (the plan's nonce is public by now).
  inputs.nonce_hex = record.pending_nonce_hex();
  REG_ASSIGN_OR_RETURN(scheduler::DrawResult result,
                       DrawRound(record, std::move(inputs), request.statements(), keep_going));

  const absl::Time now = clock_->Now();
  v1::Draw draw = DrawOf(std::move(result), record.plan().plan_id(), now);
  storage::WriteBatch batch;
  const std::vector<std::string> named(announced.credit_codes().begin(),
                                       announced.credit_codes().end());
  std::vector<v1::Assignment> unlinked;
  if (!announced.restaff()) {
    // The replaced targets' teams are stood down.
    std::vector<v1::Assignment> withdrawn;
    std::map<std::string, const v1::Team*> team_of;
    for (const v1::Draw& earlier : full.draws()) {
      for (const v1::Team& team : earlier.teams()) team_of[team.credit_code()] = &team;
    }
    for (const std::string& code : named) {
      const v1::Team* team = team_of[code];
      if (team != nullptr) {
        for (const std::string& id : team->inspector_ids()) {
          v1::Assignment a;
          a.set_plan_id(request.plan_id());
          a.set_credit_code(code);
          a.set_inspector_id(id);
          withdrawn.push_back(std::move(a));
        }
      }
      REG_RETURN_IF_ERROR(StageHistoryRollback(store_, request.plan_id(), code, &batch));
    }
    // Joint visits with the withdrawn teams end on the other plans' lists too.
    REG_ASSIGN_OR_RETURN(unlinked, UnlinkJointVisits(board_, withdrawn));
    AssignmentBoard::StageWithdrawal(withdrawn, &batch);
    AssignmentBoard::Stage(unlinked, &batch);
  }
  REG_ASSIGN_OR_RETURN(const std::vector<v1::Assignment> assignments,
                       StageHandOut(&record, &draw, &batch));
  REG_RETURN_IF_ERROR(
      publications_->Stage(DrawRecordKey(draw.plan_id(), draw.round()), draw.plan_id(),
                           DrawEntry(draw, named, announced.reason(), now), &batch));
  write.Record(&batch, absl::StrCat(draw.round()));
  const int64_t version = record.plan().version();
  *record.add_draws() = draw;
  if (!announced.restaff()) {
    for (const std::string& code : named) record.add_replaced_codes(code);
  }
  record.clear_pending_nonce_hex();  // revealed by the draw
  REG_RETURN_IF_ERROR(plans_->Save(std::move(record), version, &batch));
  board_->Publish(unlinked);
  board_->Publish(assignments);
  Publish();
  REG_RETURN_IF_ERROR(FinishFanOut(draw.plan_id()));
  return draw;
}

absl::Status DrawDesk::ExportInputs(const access::Caller& caller,
                                    const v1::ExportDrawInputsRequest& request,
                                    const std::function<bool(const v1::DrawInputsChunk&)>& emit) {
  const std::string& plan_id = request.plan_id();
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, plans_->Load(caller, plan_id));
  if (record.plan().state() == v1::PLAN_STATE_DRAFT) {
    return absl::FailedPreconditionError(
        absl::StrCat("plan_id: plan ", plan_id, " is a DRAFT; nothing is frozen yet"));
  }
  if (request.round() < 0 || request.round() > record.announcements_size()) {
    return InvalidField(
        "round", absl::StrCat("plan ", plan_id, " has rounds 0 to ", record.announcements_size()));
  }
  // The roster first, in parts of at most 1 MiB (it grows with rotation history).
  constexpr size_t kPart = 1 << 20;
  const std::string& roster = RoundRosterJson(record, request.round());
  v1::DrawInputsChunk chunk;
  size_t at = 0;
  for (; roster.size() - at > kPart; at += kPart) {
    chunk.set_roster_json(roster.substr(at, kPart));
    if (!emit(chunk)) return absl::CancelledError("the caller went away");
  }
  chunk.set_roster_json(roster.substr(at));  // the last part, with the population's header
  chunk.set_population_csv("credit_code,class,region_code\n");
  // Rows come in credit-code order: the canonical file, about 64 KiB a message.
  StoredPopulationSource population(store_, record.plan().plan_id());
  bool stopped = false;
  REG_RETURN_IF_ERROR(population.ForEach(
      [&](absl::string_view code, int risk_class, absl::string_view region) -> absl::Status {
        absl::StrAppend(chunk.mutable_population_csv(), code, ",",
                        std::string(1, scheduler::RiskClassLetter(risk_class)), ",", region, "\n");
        if (chunk.population_csv().size() < (64 << 10)) return absl::OkStatus();
        if (!emit(chunk)) {
          stopped = true;
          return absl::CancelledError("the caller went away");
        }
        chunk.Clear();
        return absl::OkStatus();
      }));
  if (!stopped && !chunk.population_csv().empty()) emit(chunk);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Assignment>> DrawDesk::StageHandOut(internal::PlanRecord* record,
                                                                     v1::Draw* draw,
                                                                     storage::WriteBatch* batch) {
  if (!archive_.KeepsWhole(*draw)) {
    REG_RETURN_IF_ERROR(archive_.Store(draw));
    record->set_fanout_pending(true);
    return std::vector<v1::Assignment>();
  }
  REG_ASSIGN_OR_RETURN(std::vector<v1::Assignment> assignments,
                       AssignmentsOf(store_, population_, *record, *draw, draw->teams()));
  // A joint visit's assignments name the other plan's team, both ways (joint_visits.h).
  REG_ASSIGN_OR_RETURN(std::vector<v1::Assignment> joined,
                       LinkJointVisits(store_, &archive_, board_, *record, *draw, draw->teams(),
                                       &assignments));
  assignments.insert(assignments.end(), joined.begin(), joined.end());
  AssignmentBoard::Stage(assignments, batch);
  REG_RETURN_IF_ERROR(StageHistory(store_, draw->plan_id(), draw->teams(), batch));
  return assignments;
}

absl::Status DrawDesk::FinishFanOut(absl::string_view plan_id) {
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kPlans, plan_id);
  if (absl::IsNotFound(bytes.status())) return absl::OkStatus();  // Load says so
  if (!bytes.ok()) return bytes.status();
  internal::PlanRecord record;
  if (!record.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("stored plan ", plan_id, " is corrupt"));
  }
  if (!record.fanout_pending()) return absl::OkStatus();
  if (record.draws_size() == 0) return absl::DataLossError("a plan with a fan-out but no draw");
  const v1::Draw& draw = record.draws(record.draws_size() - 1);
  REG_RETURN_IF_ERROR(FanOutInParts(store_, population_, &archive_, board_, record, draw));
  const int64_t version = record.plan().version();
  record.set_fanout_pending(false);
  storage::WriteBatch batch;
  return plans_->Save(std::move(record), version, &batch);
}

absl::Status DrawDesk::ResumeFanOuts() {
  std::vector<std::string> pending;
  {
    std::unique_ptr<storage::Iterator> it = store_->NewIterator(ColumnFamily::kPlans);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      internal::PlanRecord record;
      // A plan that does not parse is left to Load, which answers DATA_LOSS for it.
      if (record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size())) &&
          record.fanout_pending()) {
        pending.emplace_back(it->key());
      }
    }
    REG_RETURN_IF_ERROR(it->status());
  }
  absl::MutexLock lock(&mu_);
  for (const std::string& plan_id : pending) REG_RETURN_IF_ERROR(FinishFanOut(plan_id));
  return absl::OkStatus();
}

absl::StatusOr<internal::PlanRecord> DrawDesk::WithEveryTarget(
    const internal::PlanRecord& record) {
  internal::PlanRecord full = record;
  for (v1::Draw& draw : *full.mutable_draws()) {
    if (KeptInParts(draw)) {
      REG_ASSIGN_OR_RETURN(draw, archive_.WithTargets(draw));
    }
  }
  return full;
}

// The round `round` of `record`; NOT_FOUND when it was not drawn.
static absl::StatusOr<v1::Draw> DrawnRound(const internal::PlanRecord& record, int round) {
  if (round < 0) return InvalidField("round", "must not be negative");
  if (round >= record.draws_size()) {
    return absl::NotFoundError(absl::StrCat("round: plan ", record.plan().plan_id(), " has ",
                                            record.draws_size(), " draw round(s); no round ",
                                            round));
  }
  return record.draws(round);
}

absl::StatusOr<v1::ListDrawTargetsResponse> DrawDesk::ListDrawTargets(
    const access::Caller& caller, const v1::ListDrawTargetsRequest& request) {
  constexpr int kMaxPage = 5000;
  if (request.page_size() < 0 || request.page_size() > kMaxPage) {
    return InvalidField("page_size", absl::StrCat("must be 0-", kMaxPage));
  }
  const int64_t page_size = request.page_size() == 0 ? 1000 : request.page_size();
  int64_t from = 0;
  if (!request.page_token().empty() &&
      (!absl::SimpleAtoi(request.page_token(), &from) || from <= 0)) {
    return InvalidField("page_token", "is not a token this call returned");
  }
  REG_ASSIGN_OR_RETURN(const internal::PlanRecord record, plans_->Load(caller, request.plan_id()));
  REG_ASSIGN_OR_RETURN(const v1::Draw draw, DrawnRound(record, request.round()));
  REG_ASSIGN_OR_RETURN(internal::DrawSlice page, archive_.ReadTargets(draw, from, page_size));
  v1::ListDrawTargetsResponse response;
  response.mutable_targets()->Swap(page.mutable_targets());
  response.mutable_teams()->Swap(page.mutable_teams());
  if (from + response.targets_size() < draw.target_count()) {
    response.set_next_page_token(absl::StrCat(from + response.targets_size()));
  }
  return response;
}

absl::Status DrawDesk::StreamBundle(const access::Caller& caller,
                                    const v1::GetDrawBundleRequest& request,
                                    const std::function<bool(const v1::DrawBundlePart&)>& emit) {
  REG_ASSIGN_OR_RETURN(const internal::PlanRecord record, plans_->Load(caller, request.plan_id()));
  REG_ASSIGN_OR_RETURN(const v1::Draw draw, DrawnRound(record, request.round()));
  const int64_t parts = archive_.PartCount(draw);
  for (int64_t i = 0; i < parts; ++i) {
    v1::DrawBundlePart part;
    REG_ASSIGN_OR_RETURN(*part.mutable_data(), archive_.BundlePart(draw, i));
    part.set_index(static_cast<int32_t>(i));
    part.set_sha256(Sha256Hex(part.data()));
    part.set_part_count(static_cast<int32_t>(parts));
    part.set_part_bytes(archive_.PartBytes(draw));
    if (!emit(part)) return absl::CancelledError("the caller went away");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Draw> DrawDesk::GetDraw(const access::Caller& caller,
                                           const v1::GetDrawRequest& request) {
  if (request.round() < 0) return InvalidField("round", "must not be negative");
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, plans_->Load(caller, request.plan_id()));
  if (request.round() >= record.draws_size()) {
    return absl::NotFoundError(absl::StrCat("round: plan ", request.plan_id(), " has ",
                                            record.draws_size(), " draw round(s); no round ",
                                            request.round()));
  }
  return record.draws(request.round());
}

}  // namespace regulation::services
