#include "services/disclosure/withdrawal_desk.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/field_error.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "common/text_policy.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "disclosure/redaction.h"
#include "disclosure/withdrawal.h"
#include "disclosure/working_days.h"
#include "services/common/idempotency.h"
#include "services/common/proto_time.h"
#include "services/common/scan_page.h"
#include "services/inspection/public_entries.h"
#include "storage/key_encoding.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

constexpr absl::string_view kRequestRpc = "DisclosureService.RequestWithdrawal";
constexpr absl::string_view kApproveRpc = "DisclosureService.ApproveWithdrawal";

std::string IndexKey(int64_t log_index) {
  return storage::KeyBuilder().AppendUint64(static_cast<uint64_t>(log_index)).Release();
}

// The plan a result or correction body belongs to.
std::string PlanOf(const v1::PublicEntry& entry) {
  if (entry.has_result()) return entry.result().plan_id();
  if (entry.has_correction()) return entry.correction().corrected().plan_id();
  if (entry.has_objection_outcome()) return entry.objection_outcome().plan_id();
  return "";
}

bool SeesEverything(const access::Caller& caller) {
  return caller.roles.Contains(access::Role::kAdmin) ||
         caller.roles.Contains(access::Role::kAuditor);
}

}  // namespace

absl::StatusOr<v1::Withdrawal> WithdrawalDesk::Load(int64_t log_index) {
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kWithdrawals, IndexKey(log_index));
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(
        absl::StrCat("log_index: no withdrawal was requested for record ", log_index));
  }
  if (!bytes.ok()) return bytes.status();
  v1::Withdrawal withdrawal;
  if (!withdrawal.ParseFromString(*bytes)) return absl::DataLossError("a stored withdrawal is corrupt");
  if (withdrawal.state() == v1::WITHDRAWAL_STATE_WITHDRAWN && !withdrawal.withdrawal_logged()) {
    absl::StatusOr<uint64_t> index = publications_->IndexOf(
        disclosure::WithdrawalRecordKey(static_cast<uint64_t>(log_index)));
    if (index.ok()) {
      withdrawal.set_withdrawal_logged(true);
      withdrawal.set_withdrawal_index(static_cast<int64_t>(*index));
    }
  }
  return withdrawal;
}

absl::Status WithdrawalDesk::Save(const v1::Withdrawal& withdrawal, storage::WriteBatch* batch) {
  batch->Put(ColumnFamily::kWithdrawals, IndexKey(withdrawal.log_index()),
             withdrawal.SerializeAsString());
  storage::WriteOptions durable;
  durable.sync = true;
  return store_->Write(*batch, durable);
}

absl::StatusOr<v1::Withdrawal> WithdrawalDesk::Request(const access::Caller& caller,
                                                       const v1::RequestWithdrawalRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  if (request.log_index() < 0) return InvalidField("log_index", "must not be negative");
  REG_RETURN_IF_ERROR(ValidateText("reason", request.reason(), TextRule::RequiredBytes(600)));
  REG_RETURN_IF_ERROR(ValidateText("legal_basis", request.legal_basis(), TextRule::RequiredBytes(300)));
  const std::string digest = RequestDigest(request);
  absl::MutexLock lock(&mu_);
  IdempotencyLedger ledger(store_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay,
                       ledger.Lookup(kRequestRpc, caller.subject, request.request_id(), digest));
  if (replay.has_value()) return Load(request.log_index());

  const uint64_t index = static_cast<uint64_t>(request.log_index());
  const disclosure::SignedCheckpoint checkpoint = log_->Checkpoint();
  if (index >= checkpoint.size) {
    return absl::NotFoundError(absl::StrCat("log_index: the log has ", checkpoint.size, " records"));
  }
  REG_ASSIGN_OR_RETURN(std::string leaf_bytes, log_->Entry(index));
  absl::StatusOr<disclosure::PublicLeaf> parsed = disclosure::ParsePublicLeaf(leaf_bytes);
  if (!parsed.ok()) {
    return absl::DataLossError(absl::StrCat("record ", index, ": ", parsed.status().message()));
  }
  const disclosure::PublicLeaf& leaf = *parsed;
  if (!disclosure::IsWithdrawable(leaf.kind)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "log_index: record ", index, " is a ", leaf.kind,
        "; only the body of a RESULT, CORRECTION or OBJECTION_OUTCOME can be withdrawn"));
  }
  REG_ASSIGN_OR_RETURN(disclosure::StoredBody body, disclosure::ReadPublicBody(store_, leaf.key));
  if (body.withdrawn()) {
    return absl::FailedPreconditionError(
        absl::StrCat("log_index: the body of record ", index, " was withdrawn already"));
  }
  REG_ASSIGN_OR_RETURN(v1::PublicEntry entry, disclosure::ParsePublicEntryJson(body.body));
  const std::string plan_id = PlanOf(entry);
  // The record's department: the agency that may manage its plan.
  absl::Status department = plans_->LoadPlan(caller, plan_id).status();
  if (absl::IsNotFound(department)) {
    return absl::PermissionDeniedError(
        absl::StrCat("log_index: record ", index, " is not a result of your agency's plans"));
  }
  REG_RETURN_IF_ERROR(department);

  v1::Withdrawal withdrawal;
  absl::StatusOr<v1::Withdrawal> stored = Load(request.log_index());
  if (stored.ok()) {
    if (stored->state() == v1::WITHDRAWAL_STATE_WITHDRAWN) {
      return absl::FailedPreconditionError(
          absl::StrCat("log_index: the body of record ", index, " was withdrawn already"));
    }
    withdrawal = *std::move(stored);
  } else if (!absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  withdrawal.set_log_index(request.log_index());
  withdrawal.set_record_key(leaf.key);
  withdrawal.set_subject(leaf.subject);
  withdrawal.set_plan_id(plan_id);
  withdrawal.set_reason(request.reason());
  // Published in the WITHDRAWAL record, so it goes through the redaction rules too.
  withdrawal.set_legal_basis(disclosure::RedactPersonalData(request.legal_basis()));
  withdrawal.set_state(v1::WITHDRAWAL_STATE_REQUESTED);
  withdrawal.set_requested_by(caller.subject);
  *withdrawal.mutable_request_time() = ToProtoTimestamp(clock_->Now());
  storage::WriteBatch batch;
  IdempotencyLedger::Record(&batch, kRequestRpc, caller.subject, request.request_id(), digest,
                            absl::StrCat(request.log_index()));
  REG_RETURN_IF_ERROR(Save(withdrawal, &batch));
  return withdrawal;
}

absl::StatusOr<v1::Withdrawal> WithdrawalDesk::Approve(const access::Caller& caller,
                                                       const v1::ApproveWithdrawalRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  if (request.log_index() < 0) return InvalidField("log_index", "must not be negative");
  REG_RETURN_IF_ERROR(ValidateText("comment", request.comment(), TextRule::OptionalBytes(600)));
  const std::string digest = RequestDigest(request);
  absl::MutexLock lock(&mu_);
  IdempotencyLedger ledger(store_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay,
                       ledger.Lookup(kApproveRpc, caller.subject, request.request_id(), digest));
  REG_ASSIGN_OR_RETURN(v1::Withdrawal withdrawal, Load(request.log_index()));
  if (replay.has_value()) return withdrawal;
  if (withdrawal.state() == v1::WITHDRAWAL_STATE_WITHDRAWN) {
    return absl::FailedPreconditionError(absl::StrCat(
        "log_index: the body of record ", request.log_index(), " was withdrawn already"));
  }
  if (withdrawal.requested_by() == caller.subject) {
    return absl::PermissionDeniedError(
        "a withdrawal is approved by someone other than who asked for it");
  }

  const absl::Time now = clock_->Now();
  disclosure::WithdrawalNotice notice;
  notice.withdrawn_index = static_cast<uint64_t>(withdrawal.log_index());
  REG_ASSIGN_OR_RETURN(notice.withdrawn_leaf, log_->Entry(notice.withdrawn_index));
  notice.legal_basis = withdrawal.legal_basis();
  notice.withdrawn_date = absl::FormatCivilTime(disclosure::ChinaCivilDay(now));
  notice.publish_time = PublicTime(now);
  storage::WriteBatch batch;
  REG_ASSIGN_OR_RETURN(std::string withdrawn_key,
                       disclosure::StageWithdrawal(publications_, store_, notice, &batch));
  withdrawal.set_state(v1::WITHDRAWAL_STATE_WITHDRAWN);
  withdrawal.set_approved_by(caller.subject);
  withdrawal.set_approve_comment(request.comment());
  *withdrawal.mutable_approve_time() = ToProtoTimestamp(now);
  IdempotencyLedger::Record(&batch, kApproveRpc, caller.subject, request.request_id(), digest,
                            absl::StrCat(withdrawal.log_index()));
  REG_RETURN_IF_ERROR(Save(withdrawal, &batch));

  // Committed. The old body is still in the store's files until they are compacted.
  if (absl::Status erased = disclosure::EraseOldBodies(store_, withdrawn_key); !erased.ok()) {
    LogError(absl::StrCat("the withdrawn body of record ", withdrawal.log_index(),
                          " may stay on disk until the next compaction: ", erased.ToString()));
  }
  (void)publications_->Flush();  // queued if the log is down; logged by the next flush
  return Load(withdrawal.log_index());
}

absl::StatusOr<v1::ListWithdrawalsResponse> WithdrawalDesk::List(
    const access::Caller& caller, const v1::ListWithdrawalsRequest& request) {
  v1::ListWithdrawalsResponse response;
  PageRequest page{request.page_size(), request.page_token(),
                   absl::StrCat("withdrawals|", request.state())};
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage(store_, ColumnFamily::kWithdrawals, {}, page,
               [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
                 storage::KeyReader reader(key);
                 uint64_t index = 0;
                 if (!reader.ReadUint64(&index) || !reader.done()) {
                   return absl::DataLossError("a withdrawal key is corrupt");
                 }
                 REG_ASSIGN_OR_RETURN(v1::Withdrawal w, Load(static_cast<int64_t>(index)));
                 if (request.state() != v1::WITHDRAWAL_STATE_UNSPECIFIED && w.state() != request.state()) {
                   return false;
                 }
                 if (!SeesEverything(caller) && !plans_->LoadPlan(caller, w.plan_id()).ok()) return false;
                 *response.add_withdrawals() = std::move(w);
                 return true;
               }));
  return response;
}

}  // namespace regulation::services
