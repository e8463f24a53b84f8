#include "services/inspection/draw_desk.h"

#include <map>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "openssl/rand.h"
#include "regulation/internal/inspection_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "scheduler/draw.h"
#include "scheduler/field_checks.h"
#include "scheduler/roster_json.h"
#include "scheduler/seed.h"
#include "services/common/idempotency.h"
#include "services/common/proto_time.h"
#include "services/inspection/plan_freezer.h"
#include "services/inspection/public_entries.h"

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

// What the draw will accept as a source (scheduler's field checks): the common text policy.
absl::Status ValidateEntropySource(const v1::EntropySource& source) {
  if (source.kind().empty()) {
    return InvalidField("entropy_source.kind",
                        "is required, e.g. drand-quicknet or witnessed-lottery");
  }
  REG_RETURN_IF_ERROR(scheduler::CheckText("entropy_source.kind", source.kind(), 128));
  if (!source.reference().empty()) {
    REG_RETURN_IF_ERROR(
        scheduler::CheckText("entropy_source.reference", source.reference(), 1024));
  }
  return absl::OkStatus();
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
  return ValidateEntropySource(request.entropy_source());
}

absl::Status ValidateEntropy(absl::string_view value) {
  if (scheduler::ValidateEntropyValue(value).ok()) return absl::OkStatus();
  return InvalidField("entropy_value",
                      "1-1024 bytes of UTF-8: the outside randomness, exactly as published");
}

std::string SealedNonce() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) std::abort();  // no safe way on without it
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

absl::Status WrongState(const v1::Plan& plan, absl::string_view wanted, absl::string_view action) {
  return absl::FailedPreconditionError(absl::StrCat("plan_id: plan ", plan.plan_id(), " is ",
                                                    PlanStateName(plan.state()), "; only a ",
                                                    wanted, " plan can be ", action));
}

std::vector<v1::InspectionItem> FrozenItems(const internal::PlanRecord& record) {
  return {record.frozen_items().begin(), record.frozen_items().end()};
}

// The committed inputs of every round of this plan.
absl::StatusOr<scheduler::DrawInputs> CommittedInputs(const internal::PlanRecord& record) {
  scheduler::DrawInputs inputs;
  REG_ASSIGN_OR_RETURN(inputs.plan, PlanSpecOf(record.plan(), FrozenItems(record)));
  const v1::Commitment& c = record.commitment();
  inputs.plan_digest = c.plan_digest();
  inputs.population.overall = c.population_digest();
  for (int k = 0; k < scheduler::kRiskClassCount; ++k) {
    const std::string letter(1, scheduler::RiskClassLetter(k + 1));
    auto digest = c.class_population_digests().find(letter);
    auto size = c.class_sizes().find(letter);
    if (digest == c.class_population_digests().end() || size == c.class_sizes().end()) {
      return absl::DataLossError(absl::StrCat("the commitment of plan ", record.plan().plan_id(),
                                              " lacks class ", letter));
    }
    inputs.population.classes[k] = digest->second;
    inputs.population.class_sizes[k] = size->second;
  }
  inputs.roster_digest = c.roster_digest();
  inputs.nonce_commitment = c.nonce_commitment();
  inputs.source = {c.entropy_source().kind(), c.entropy_source().reference()};
  return inputs;
}

absl::StatusOr<scheduler::FrozenRoster> FrozenRosterOf(const internal::PlanRecord& record) {
  absl::StatusOr<scheduler::FrozenRoster> roster =
      scheduler::ParseRosterJson(record.frozen_roster_json());
  if (!roster.ok()) {
    return absl::DataLossError(absl::StrCat("the frozen roster of plan ", record.plan().plan_id(),
                                            " is corrupt: ", roster.status().message()));
  }
  return roster;
}

// The stored form of a round.
v1::Draw DrawOf(const scheduler::DrawResult& result, absl::string_view plan_id, absl::Time now) {
  const scheduler::DrawBundle& b = result.bundle;
  v1::Draw draw;
  draw.set_plan_id(std::string(plan_id));
  draw.set_round(static_cast<int32_t>(b.round));
  draw.set_entropy_value(b.entropy);
  draw.set_nonce(b.nonce);
  draw.set_seed(b.seed);
  std::array<int32_t, scheduler::kRiskClassCount> rank{};
  for (size_t i = 0; i < b.targets.size(); ++i) {
    const int risk_class = result.target_classes[i];
    v1::DrawnTarget* t = draw.add_targets();
    t->set_credit_code(b.targets[i].credit_code);
    t->set_risk_class(static_cast<v1::RiskClass>(risk_class));
    t->set_ticket(b.targets[i].ticket);
    t->set_rank(++rank[risk_class - 1]);
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
  }
  *draw.mutable_draw_time() = ToProtoTimestamp(now);
  draw.set_bundle_json(result.bundle_json);
  draw.set_bundle_digest(result.bundle_digest);
  return draw;
}

// One assignment per inspector of each staffed team.
absl::StatusOr<std::vector<v1::Assignment>> AssignmentsOf(storage::KvStore* store,
                                                          const internal::PlanRecord& record,
                                                          const v1::Draw& draw) {
  std::vector<std::string> codes;
  for (const v1::Team& team : draw.teams()) codes.push_back(team.credit_code());
  std::vector<absl::StatusOr<std::string>> enterprises =
      store->MultiGet(ColumnFamily::kEnterprises, codes);
  std::vector<v1::Assignment> out;
  for (int t = 0; t < draw.teams_size(); ++t) {
    const v1::Team& team = draw.teams(t);
    if (team.staffing() != v1::STAFFING_STATUS_STAFFED) continue;
    v1::Enterprise enterprise;
    if (enterprises[t].ok()) {
      if (!enterprise.ParseFromString(*enterprises[t])) {
        return absl::DataLossError(absl::StrCat("stored enterprise ", team.credit_code()));
      }
    } else if (!absl::IsNotFound(enterprises[t].status())) {
      return enterprises[t].status();
    }
    for (const std::string& inspector : team.inspector_ids()) {
      v1::Assignment a;
      a.set_assignment_id(absl::StrCat(draw.plan_id(), "/", team.credit_code(), "/", inspector));
      a.set_plan_id(draw.plan_id());
      a.set_inspector_id(inspector);
      a.set_credit_code(team.credit_code());
      a.set_enterprise_name(enterprise.name());
      a.set_address(enterprise.address());
      for (const v1::InspectionItem& item : record.frozen_items()) {
        v1::AssignmentItem* i = a.add_items();
        i->set_item_id(item.item_id());
        i->set_title(item.title());
        i->set_legal_basis(item.legal_basis());
      }
      for (const std::string& mate : team.inspector_ids()) {
        if (mate != inspector) a.add_teammate_ids(mate);
      }
      *a.mutable_due_date() = record.plan().due_date();
      *a.mutable_assign_time() = draw.draw_time();
      out.push_back(std::move(a));
    }
  }
  return out;
}

// Records each staffed team as its enterprise's latest, keeping what it replaces.
absl::Status StageHistory(storage::KvStore* store, const v1::Draw& draw,
                          storage::WriteBatch* batch) {
  for (const v1::Team& team : draw.teams()) {
    if (team.staffing() != v1::STAFFING_STATUS_STAFFED) continue;
    internal::LastTeam latest;
    latest.set_plan_id(draw.plan_id());
    *latest.mutable_inspector_ids() = team.inspector_ids();
    absl::StatusOr<std::string> earlier =
        store->Get(ColumnFamily::kInspectionHistory, team.credit_code());
    if (earlier.ok()) {
      internal::LastTeam previous;
      if (!previous.ParseFromString(*earlier)) return absl::DataLossError("stored history");
      previous.clear_previous();  // one level is enough to undo a replacement
      *latest.mutable_previous() = std::move(previous);
    } else if (!absl::IsNotFound(earlier.status())) {
      return earlier.status();
    }
    batch->Put(ColumnFamily::kInspectionHistory, team.credit_code(), latest.SerializeAsString());
  }
  return absl::OkStatus();
}

// Undoes StageHistory for a replaced target of this plan.
absl::Status StageHistoryRollback(storage::KvStore* store, absl::string_view plan_id,
                                  absl::string_view credit_code, storage::WriteBatch* batch) {
  absl::StatusOr<std::string> bytes = store->Get(ColumnFamily::kInspectionHistory, credit_code);
  if (absl::IsNotFound(bytes.status())) return absl::OkStatus();
  if (!bytes.ok()) return bytes.status();
  internal::LastTeam latest;
  if (!latest.ParseFromString(*bytes)) return absl::DataLossError("stored history");
  if (latest.plan_id() != plan_id) return absl::OkStatus();
  if (latest.has_previous()) {
    batch->Put(ColumnFamily::kInspectionHistory, credit_code, latest.previous().SerializeAsString());
  } else {
    batch->Delete(ColumnFamily::kInspectionHistory, credit_code);
  }
  return absl::OkStatus();
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

// Checks `codes` against the plan's earlier rounds: each a target, none replaced yet.
// Fills the per-class counts, the exclusions and the workload of a replacement round.
absl::StatusOr<scheduler::ReplacementRound> ReplacementOf(
    const internal::PlanRecord& record, const google::protobuf::RepeatedPtrField<std::string>& codes) {
  std::map<std::string, int> target_class;
  scheduler::ReplacementRound replacement;
  for (const v1::Draw& earlier : record.draws()) {
    for (const v1::DrawnTarget& t : earlier.targets()) target_class[t.credit_code()] = t.risk_class();
    for (const v1::Team& team : earlier.teams()) {
      if (team.staffing() != v1::STAFFING_STATUS_STAFFED) continue;
      for (const std::string& id : team.inspector_ids()) ++replacement.prior_workload[id];
    }
    replacement.previous_entropy_values.push_back(earlier.entropy_value());
  }
  const std::set<std::string> replaced_before(record.replaced_codes().begin(),
                                              record.replaced_codes().end());
  for (int i = 0; i < codes.size(); ++i) {
    const std::string field = absl::StrCat("credit_codes[", i, "]");
    auto found = target_class.find(codes[i]);
    if (found == target_class.end()) {
      return InvalidField(field, absl::StrCat(codes[i], " is not a target of plan ",
                                              record.plan().plan_id()));
    }
    if (replaced_before.count(codes[i]) > 0) {
      return InvalidField(field, absl::StrCat(codes[i], " was replaced already"));
    }
    ++replacement.counts[found->second - 1];
  }
  for (const auto& [code, risk_class] : target_class) replacement.excluded.push_back(code);
  replacement.previous_bundle_digest = record.draws(record.draws_size() - 1).bundle_digest();
  return replacement;
}

// The announcement of the next replacement round, or nullptr when none is pending.
const v1::ReplacementAnnouncement* PendingAnnouncement(const internal::PlanRecord& record) {
  if (record.announcements().empty()) return nullptr;
  const v1::ReplacementAnnouncement& last = *record.announcements().rbegin();
  return last.round() == record.draws_size() ? &last : nullptr;
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

absl::StatusOr<v1::Commitment> DrawDesk::Commit(const access::Caller& caller,
                                                const v1::CommitPlanRequest& request,
                                                const KeepGoing& keep_going) {
  REG_RETURN_IF_ERROR(ValidateCommitRequest(request));
  const std::string digest = RequestDigest(request);
  absl::MutexLock lock(&mu_);
  IdempotencyLedger ledger(store_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay,
                       ledger.Lookup(kCommitRpc, caller.subject, request.request_id(), digest));
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

  PlanFreezer freezer(store_, keep_going);
  REG_ASSIGN_OR_RETURN(FrozenPlan frozen, freezer.Freeze(record.plan()));
  int64_t targets = 0;
  for (int k = 0; k < scheduler::kRiskClassCount; ++k) {
    targets += scheduler::QuotaCount(frozen.spec.quotas[k], frozen.population.class_sizes[k]);
  }
  if (targets > kMaxTargetsPerRound) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "plan.quotas: the quotas would select ", targets, " enterprises; a plan draws at most ",
        kMaxTargetsPerRound, " (split it, e.g. by region)"));
  }

  const absl::Time now = clock_->Now();
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
  *commitment.mutable_entropy_source() = request.entropy_source();
  *commitment.mutable_commit_time() = ToProtoTimestamp(now);

  const int64_t version = record.plan().version();
  record.mutable_plan()->set_state(v1::PLAN_STATE_COMMITTED);
  *record.mutable_commitment() = commitment;
  record.set_frozen_roster_json(frozen.roster_json);
  for (v1::InspectionItem& item : frozen.items) *record.add_frozen_items() = std::move(item);

  storage::WriteBatch batch;
  REG_RETURN_IF_ERROR(publications_->Stage(
      CommitmentRecordKey(commitment.plan_id()), commitment.plan_id(),
      CommitmentEntry(record.plan(), frozen.spec, FrozenItems(record), commitment, now), &batch));
  IdempotencyLedger::Record(&batch, kCommitRpc, caller.subject, request.request_id(), digest,
                            commitment.SerializeAsString());
  REG_RETURN_IF_ERROR(plans_->Save(std::move(record), version, &batch));
  Publish();
  absl::StatusOr<uint64_t> index = publications_->IndexOf(CommitmentRecordKey(commitment.plan_id()));
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
  REG_RETURN_IF_ERROR(ValidateEntropy(request.entropy_value()));
  if (!request.nonce().empty()) {
    REG_RETURN_IF_ERROR(scheduler::ValidateNonceHex(request.nonce()));  // names "nonce"
  }
  const std::string digest = RequestDigest(request);
  absl::MutexLock lock(&mu_);
  IdempotencyLedger ledger(store_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay,
                       ledger.Lookup(kDrawRpc, caller.subject, request.request_id(), digest));
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
  inputs.entropy_value = request.entropy_value();
  inputs.round = 0;
  REG_ASSIGN_OR_RETURN(scheduler::FrozenRoster roster, FrozenRosterOf(record));
  StoredPopulationSource population(store_, record.plan().plan_id(), keep_going);
  REG_ASSIGN_OR_RETURN(scheduler::DrawResult result,
                       scheduler::RunDraw(inputs, population, roster, {options_.draw_threads}));

  const absl::Time now = clock_->Now();
  v1::Draw draw = DrawOf(result, record.plan().plan_id(), now);
  REG_ASSIGN_OR_RETURN(std::vector<v1::Assignment> assignments,
                       AssignmentsOf(store_, record, draw));
  storage::WriteBatch batch;
  AssignmentBoard::Stage(assignments, &batch);
  REG_RETURN_IF_ERROR(StageHistory(store_, draw, &batch));
  REG_RETURN_IF_ERROR(publications_->Stage(DrawRecordKey(draw.plan_id(), 0), draw.plan_id(),
                                           DrawEntry(draw, {}, "", now), &batch));
  IdempotencyLedger::Record(&batch, kDrawRpc, caller.subject, request.request_id(), digest, "0");
  const int64_t version = record.plan().version();
  record.mutable_plan()->set_state(v1::PLAN_STATE_DRAWN);
  *record.add_draws() = draw;
  REG_RETURN_IF_ERROR(plans_->Save(std::move(record), version, &batch));
  board_->Publish(assignments);
  Publish();
  return draw;
}


absl::StatusOr<v1::ReplacementAnnouncement> DrawDesk::Announce(
    const access::Caller& caller, const v1::AnnounceReplacementsRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  if (request.plan_id().empty()) return InvalidField("plan_id", "is required");
  REG_RETURN_IF_ERROR(ValidateCodes(request.credit_codes(), /*required=*/true));
  if (request.reason().empty()) {
    return InvalidField("reason", "is required, e.g. deregistered or unreachable");
  }
  REG_RETURN_IF_ERROR(scheduler::CheckText("reason", request.reason(), 600));
  REG_RETURN_IF_ERROR(ValidateEntropySource(request.entropy_source()));
  const std::string digest = RequestDigest(request);
  absl::MutexLock lock(&mu_);
  IdempotencyLedger ledger(store_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay,
                       ledger.Lookup(kAnnounceRpc, caller.subject, request.request_id(), digest));
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, plans_->Load(caller, request.plan_id()));
  v1::ReplacementAnnouncement announcement;
  if (replay.has_value()) {
    if (!announcement.ParseFromString(*replay)) return absl::DataLossError("stored announcement");
  } else {
    if (record.plan().state() != v1::PLAN_STATE_DRAWN) {
      return WrongState(record.plan(), "DRAWN", "given replacements");
    }
    if (const v1::ReplacementAnnouncement* pending = PendingAnnouncement(record)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "plan_id: replacement round ", pending->round(), " of plan ", request.plan_id(),
          " is announced and not drawn yet; draw it first"));
    }
    REG_RETURN_IF_ERROR(ReplacementOf(record, request.credit_codes()).status());
    // A source already used would let its known value be reused.
    auto same = [&](const v1::EntropySource& s) {
      return s.kind() == request.entropy_source().kind() &&
             s.reference() == request.entropy_source().reference();
    };
    bool used = same(record.commitment().entropy_source());
    for (const v1::ReplacementAnnouncement& a : record.announcements()) used = used || same(a.entropy_source());
    if (used) {
      return InvalidField("entropy_source",
                          "an earlier round of this plan named this source; name a fresh one");
    }
    const absl::Time now = clock_->Now();
    record.set_pending_nonce_hex(SealedNonce());
    announcement.set_plan_id(request.plan_id());
    announcement.set_round(record.draws_size());
    *announcement.mutable_credit_codes() = request.credit_codes();
    announcement.set_reason(request.reason());
    *announcement.mutable_entropy_source() = request.entropy_source();
    REG_ASSIGN_OR_RETURN(*announcement.mutable_nonce_commitment(),
                         scheduler::NonceCommitment(record.pending_nonce_hex()));
    *announcement.mutable_announce_time() = ToProtoTimestamp(now);
    *record.add_announcements() = announcement;
    storage::WriteBatch batch;
    REG_RETURN_IF_ERROR(publications_->Stage(
        AnnouncementRecordKey(request.plan_id(), announcement.round()), request.plan_id(),
        AnnouncementEntry(announcement, now), &batch));
    IdempotencyLedger::Record(&batch, kAnnounceRpc, caller.subject, request.request_id(), digest,
                              announcement.SerializeAsString());
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
  REG_RETURN_IF_ERROR(ValidateEntropy(request.entropy_value()));
  const std::string digest = RequestDigest(request);
  absl::MutexLock lock(&mu_);
  IdempotencyLedger ledger(store_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay,
                       ledger.Lookup(kReplaceRpc, caller.subject, request.request_id(), digest));
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, plans_->Load(caller, request.plan_id()));
  if (replay.has_value()) return ReplayDraw(record, *replay);
  if (record.plan().state() != v1::PLAN_STATE_DRAWN) {
    return WrongState(record.plan(), "DRAWN", "given replacements");
  }
  const v1::ReplacementAnnouncement* pending = PendingAnnouncement(record);
  if (pending == nullptr) {
    return absl::FailedPreconditionError(
        "plan_id: announce the replacement round first (AnnounceReplacements), so that its "
        "targets, entropy source and nonce are fixed before its randomness exists");
  }
  const v1::ReplacementAnnouncement announced = *pending;
  if (!request.credit_codes().empty() &&
      std::set<std::string>(request.credit_codes().begin(), request.credit_codes().end()) !=
          std::set<std::string>(announced.credit_codes().begin(), announced.credit_codes().end())) {
    return InvalidField("credit_codes",
                        absl::StrCat("differ from those announced for round ", announced.round()));
  }
  REG_ASSIGN_OR_RETURN(scheduler::ReplacementRound replacement,
                       ReplacementOf(record, announced.credit_codes()));
  REG_ASSIGN_OR_RETURN(scheduler::DrawInputs inputs, CommittedInputs(record));
  // The round's own nonce and source, as announced (the plan's nonce is public by now).
  inputs.nonce_hex = record.pending_nonce_hex();
  inputs.nonce_commitment = announced.nonce_commitment();
  inputs.source = {announced.entropy_source().kind(), announced.entropy_source().reference()};
  inputs.entropy_value = request.entropy_value();
  inputs.round = record.draws_size();
  inputs.replacement = std::move(replacement);
  REG_ASSIGN_OR_RETURN(scheduler::FrozenRoster roster, FrozenRosterOf(record));
  StoredPopulationSource population(store_, record.plan().plan_id(), keep_going);
  absl::StatusOr<scheduler::DrawResult> result =
      scheduler::RunDraw(inputs, population, roster, {options_.draw_threads});
  if (!result.ok()) {
    // The caller chose only the entropy value: a reused one is theirs to fix.
    if (absl::IsInvalidArgument(result.status()) &&
        absl::StrContains(result.status().message(), "entropy")) {
      return InvalidField("entropy_value", result.status().message());
    }
    return result.status();
  }

  const absl::Time now = clock_->Now();
  v1::Draw draw = DrawOf(*result, record.plan().plan_id(), now);
  REG_ASSIGN_OR_RETURN(std::vector<v1::Assignment> assignments,
                       AssignmentsOf(store_, record, draw));
  storage::WriteBatch batch;
  std::vector<v1::Assignment> withdrawn;
  std::map<std::string, const v1::Team*> team_of;
  for (const v1::Draw& earlier : record.draws()) {
    for (const v1::Team& team : earlier.teams()) team_of[team.credit_code()] = &team;
  }
  for (const std::string& code : announced.credit_codes()) {
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
  AssignmentBoard::StageWithdrawal(withdrawn, &batch);
  AssignmentBoard::Stage(assignments, &batch);
  REG_RETURN_IF_ERROR(StageHistory(store_, draw, &batch));
  const std::vector<std::string> replaced(announced.credit_codes().begin(),
                                          announced.credit_codes().end());
  REG_RETURN_IF_ERROR(publications_->Stage(DrawRecordKey(draw.plan_id(), draw.round()),
                                           draw.plan_id(),
                                           DrawEntry(draw, replaced, announced.reason(), now),
                                           &batch));
  IdempotencyLedger::Record(&batch, kReplaceRpc, caller.subject, request.request_id(), digest,
                            absl::StrCat(draw.round()));
  const int64_t version = record.plan().version();
  *record.add_draws() = draw;
  for (const std::string& code : replaced) record.add_replaced_codes(code);
  record.clear_pending_nonce_hex();  // revealed by the draw
  REG_RETURN_IF_ERROR(plans_->Save(std::move(record), version, &batch));
  board_->Publish(assignments);
  Publish();
  return draw;
}

absl::Status DrawDesk::ExportInputs(const access::Caller& caller, absl::string_view plan_id,
                                    const std::function<bool(const v1::DrawInputsChunk&)>& emit) {
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, plans_->Load(caller, plan_id));
  if (record.plan().state() == v1::PLAN_STATE_DRAFT) {
    return absl::FailedPreconditionError(
        absl::StrCat("plan_id: plan ", plan_id, " is a DRAFT; nothing is frozen yet"));
  }
  // The roster first, in parts of at most 1 MiB (it grows with rotation history).
  constexpr size_t kPart = 1 << 20;
  const std::string& roster = record.frozen_roster_json();
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
