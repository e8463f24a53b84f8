#include "services/disclosure/objection_desk.h"

#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/quote.h"
#include "common/status_macros.h"
#include "common/text_policy.h"
#include "disclosure/public_leaf.h"
#include "disclosure/redaction.h"
#include "disclosure/working_days.h"
#include "services/common/idempotent_write.h"
#include "services/common/proto_time.h"
#include "services/common/scan_page.h"
#include "services/inspection/public_entries.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

constexpr absl::string_view kFileRpc = "DisclosureService.FileObjection";
constexpr absl::string_view kAnswerRpc = "DisclosureService.AnswerObjection";
constexpr int kMaxEvidenceRefs = 10;

bool SeesEverything(const access::Caller& caller) {
  return caller.roles.Contains(access::Role::kAdmin) ||
         caller.roles.Contains(access::Role::kAuditor);
}

// Admitted as an enterprise and as nothing that reads more: sees only its own code.
bool OnlyEnterprise(const access::Caller& caller) {
  return caller.roles.Contains(access::Role::kEnterprise) && !SeesEverything(caller) &&
         !caller.roles.Contains(access::Role::kAgency);
}

std::string OutcomeRecordKey(absl::string_view objection_id) {
  return absl::StrCat("objection/", objection_id);
}

std::string DayText(const v1::Date& date) {
  absl::StatusOr<absl::CivilDay> day = FromProtoDate(date);
  return day.ok() ? absl::FormatCivilTime(*day) : "";
}

absl::Status NoSuchObjection(absl::string_view objection_id) {
  return absl::NotFoundError(absl::StrCat("objection_id: no objection ", Quote(objection_id)));
}

}  // namespace

absl::StatusOr<v1::Objection> ObjectionDesk::Load(absl::string_view objection_id) {
  if (objection_id.empty()) return InvalidField("objection_id", "is required");
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kObjections, objection_id);
  if (absl::IsNotFound(bytes.status())) return NoSuchObjection(objection_id);
  if (!bytes.ok()) return bytes.status();
  v1::Objection objection;
  if (!objection.ParseFromString(*bytes)) return absl::DataLossError("a stored objection is corrupt");
  if (!objection.outcome_key().empty() && !objection.outcome_logged()) {
    absl::StatusOr<uint64_t> index = publications_->IndexOf(objection.outcome_key());
    if (index.ok()) {
      objection.set_outcome_logged(true);
      objection.set_outcome_index(static_cast<int64_t>(*index));
    }
  }
  if (!objection.correction_key().empty() && !objection.correction_logged()) {
    absl::StatusOr<uint64_t> index = publications_->IndexOf(objection.correction_key());
    if (index.ok()) {
      objection.set_correction_logged(true);
      objection.set_correction_index(static_cast<int64_t>(*index));
    }
  }
  if (objection.state() == v1::OBJECTION_STATE_OPEN) {
    REG_ASSIGN_OR_RETURN(absl::CivilDay deadline, FromProtoDate(objection.answer_deadline()));
    const absl::CivilDay today = disclosure::ChinaCivilDay(clock_->Now());
    // Late by a weekend is late: at least one day.
    const int left = deadline < today ? -disclosure::WorkingDaysLate(*calendar_, deadline, today)
                                      : calendar_->WorkingDaysBetween(today, deadline);
    objection.set_working_days_left(left);
    objection.set_overdue(deadline < today);
  }
  return objection;
}

bool ObjectionDesk::MaySee(const access::Caller& caller, const v1::Objection& objection) {
  if (SeesEverything(caller)) return true;
  if (caller.roles.Contains(access::Role::kAgency) &&
      plans_->LoadPlan(caller, objection.plan_id()).ok()) {
    return true;
  }
  return caller.roles.Contains(access::Role::kEnterprise) && !caller.credit_code.empty() &&
         caller.credit_code == objection.credit_code();
}

absl::Status ObjectionDesk::ScanResult(absl::string_view result_id, std::string* open_id,
                                       int* filed) {
  *filed = 0;
  open_id->clear();
  std::unique_ptr<storage::Iterator> it = store_->NewIterator(
      ColumnFamily::kObjections, storage::PrefixBounds(absl::StrCat(result_id, "/")));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::Objection objection;
    if (!objection.ParseFromString(std::string(it->value()))) {
      return absl::DataLossError("a stored objection is corrupt");
    }
    ++*filed;
    if (objection.state() == v1::OBJECTION_STATE_OPEN) *open_id = objection.objection_id();
  }
  return it->status();
}

absl::StatusOr<v1::Objection> ObjectionDesk::File(const access::Caller& caller,
                                                  const v1::FileObjectionRequest& request) {
  if (request.credit_code().empty()) return InvalidField("credit_code", "is required");
  if (absl::Status code = ValidateCreditCode(request.credit_code()); !code.ok()) {
    return ForField("credit_code", code);
  }
  if (!caller.roles.Contains(access::Role::kEnterprise) || caller.credit_code != request.credit_code()) {
    return absl::PermissionDeniedError(
        "credit_code: only the enterprise a result is about may object to it");
  }
  if (request.result_id().empty()) return InvalidField("result_id", "is required");
  REG_RETURN_IF_ERROR(
      ValidateText("grounds", request.grounds(), TextRule::RequiredBytes(2000).Multiline()));
  if (request.evidence_refs_size() > kMaxEvidenceRefs) {
    return InvalidField("evidence_refs", absl::StrCat("at most ", kMaxEvidenceRefs, " references"));
  }
  for (int i = 0; i < request.evidence_refs_size(); ++i) {
    REG_RETURN_IF_ERROR(ValidateText(absl::StrCat("evidence_refs[", i, "]"),
                                     request.evidence_refs(i), TextRule::RequiredBytes(200)));
  }
  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kFileRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay, write.Replay(store_));
  if (replay.has_value()) return Load(*replay);

  // Results not yet published, and other enterprises' results, are refused alike.
  const absl::Status not_yours = absl::NotFoundError(
      absl::StrCat("result_id: no published result ", Quote(request.result_id()),
                   " about enterprise ", request.credit_code()));
  absl::StatusOr<v1::InspectionResult> result = results_->LoadUnchecked(request.result_id());
  if (absl::IsNotFound(result.status())) return not_yours;
  if (!result.ok()) return result.status();
  if (result->credit_code() != request.credit_code() ||
      result->state() != v1::RESULT_STATE_PUBLISHED) {
    return not_yours;
  }
  std::string open_id;
  int filed = 0;
  REG_RETURN_IF_ERROR(ScanResult(result->result_id(), &open_id, &filed));
  if (!open_id.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "result_id: objection ", open_id, " to this result is still open; one at a time"));
  }

  const absl::Time now = clock_->Now();
  const absl::CivilDay today = disclosure::ChinaCivilDay(now);
  v1::Objection objection;
  objection.set_objection_id(absl::StrCat(result->result_id(), "/", filed + 1));
  objection.set_result_id(result->result_id());
  objection.set_credit_code(result->credit_code());
  objection.set_plan_id(result->plan_id());
  objection.set_objected_index(result->log_index());
  objection.set_grounds(request.grounds());
  *objection.mutable_evidence_refs() = request.evidence_refs();
  objection.set_state(v1::OBJECTION_STATE_OPEN);
  objection.set_filed_by(caller.subject);
  *objection.mutable_file_time() = ToProtoTimestamp(now);
  *objection.mutable_answer_deadline() =
      ToProtoDate(calendar_->AddWorkingDays(today, options_.answer_working_days));
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kObjections, objection.objection_id(), objection.SerializeAsString());
  REG_RETURN_IF_ERROR(write.Commit(store_, &batch, objection.objection_id()));
  return Load(objection.objection_id());
}

absl::StatusOr<v1::Objection> ObjectionDesk::Answer(const access::Caller& caller,
                                                    const v1::AnswerObjectionRequest& request) {
  if (request.objection_id().empty()) return InvalidField("objection_id", "is required");
  const bool upheld = request.decision() == v1::OBJECTION_STATE_UPHELD;
  if (!upheld && request.decision() != v1::OBJECTION_STATE_REJECTED) {
    return InvalidField("decision", "must be OBJECTION_STATE_UPHELD or OBJECTION_STATE_REJECTED");
  }
  REG_RETURN_IF_ERROR(ValidateText("reason", request.reason(), TextRule::RequiredBytes(600)));
  if (upheld && !request.has_corrected()) {
    return InvalidField("corrected",
                        "is required when upheld: the corrected content of the result");
  }
  if (!upheld && request.has_corrected()) {
    return InvalidField("corrected", "must be empty when rejected: the result stands");
  }
  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kAnswerRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay, write.Replay(store_));
  if (replay.has_value()) return Load(*replay);
  REG_ASSIGN_OR_RETURN(v1::Objection objection, Load(request.objection_id()));
  // The department: the agency that may manage the result's plan.
  if (!SeesEverything(caller) && !plans_->LoadPlan(caller, objection.plan_id()).ok()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "objection_id: objection ", objection.objection_id(),
        " is about a result of another agency's plan"));
  }
  if (objection.state() != v1::OBJECTION_STATE_OPEN) {
    return absl::FailedPreconditionError(absl::StrCat(
        "objection_id: objection ", objection.objection_id(), " was answered already (",
        v1::ObjectionState_Name(objection.state()), ")"));
  }

  const absl::Time now = clock_->Now();
  const bool late = objection.overdue();
  objection.set_state(request.decision());
  objection.set_answered_by(caller.subject);
  *objection.mutable_answer_time() = ToProtoTimestamp(now);
  objection.set_answer_reason(request.reason());
  objection.set_outcome_key(OutcomeRecordKey(objection.objection_id()));
  objection.clear_working_days_left();
  objection.clear_overdue();

  v1::PublicEntry entry;
  entry.set_kind("OBJECTION_OUTCOME");
  entry.set_key(objection.outcome_key());
  entry.set_subject(objection.credit_code());
  entry.set_publish_time(PublicTime(now));
  v1::PublicObjectionOutcome* out = entry.mutable_objection_outcome();
  out->set_objection_id(objection.objection_id());
  out->set_result_id(objection.result_id());
  out->set_plan_id(objection.plan_id());
  out->set_credit_code(objection.credit_code());
  out->set_objected_index(objection.objected_index());
  absl::StatusOr<absl::Time> filed = FromProtoTimestamp(objection.file_time());
  if (filed.ok()) out->set_filed_date(absl::FormatCivilTime(disclosure::ChinaCivilDay(*filed)));
  out->set_answer_deadline(DayText(objection.answer_deadline()));
  out->set_decided_date(absl::FormatCivilTime(disclosure::ChinaCivilDay(now)));
  out->set_outcome(upheld ? "UPHELD" : "REJECTED");
  out->set_grounds(disclosure::RedactPersonalData(objection.grounds()));
  out->set_reason(disclosure::RedactPersonalData(request.reason()));
  out->set_late(late);

  // Everything the objection itself writes, given the correction's key (when upheld).
  auto stage = [&](const std::string& correction_key, storage::WriteBatch* batch) -> absl::Status {
    if (!correction_key.empty()) {
      objection.set_correction_key(correction_key);
      out->set_correction_key(correction_key);
    }
    REG_RETURN_IF_ERROR(publications_->Stage(entry.key(), entry.subject(),
                                             disclosure::PublicEntryJson(entry), batch));
    batch->Put(ColumnFamily::kObjections, objection.objection_id(), objection.SerializeAsString());
    write.Record(batch, objection.objection_id());
    return absl::OkStatus();
  };
  if (upheld) {
    const std::string why =
        absl::StrCat("异议成立 Objection upheld (", objection.objection_id(), "): ", request.reason());
    v1::InspectionResult content = request.corrected();
    REG_RETURN_IF_ERROR(results_
                            ->CorrectForObjection(caller, objection.result_id(), content, why,
                                                  objection.objection_id(), stage)
                            .status());
  } else {
    storage::WriteBatch batch;
    REG_RETURN_IF_ERROR(stage("", &batch));
    storage::WriteOptions durable;
    durable.sync = true;
    REG_RETURN_IF_ERROR(store_->Write(batch, durable));
    (void)publications_->Flush();  // queued if the log is down; published by the next flush
  }
  return Load(objection.objection_id());
}

absl::StatusOr<v1::Objection> ObjectionDesk::Get(const access::Caller& caller,
                                                 const v1::GetObjectionRequest& request) {
  absl::StatusOr<v1::Objection> objection = Load(request.objection_id());
  if (!objection.ok()) return objection.status();
  // One refusal for "not yours" and "not there", so ids cannot be probed.
  if (!MaySee(caller, *objection) ||
      (!request.credit_code().empty() && request.credit_code() != objection->credit_code())) {
    return NoSuchObjection(request.objection_id());
  }
  return objection;
}

absl::StatusOr<v1::ListObjectionsResponse> ObjectionDesk::List(
    const access::Caller& caller, const v1::ListObjectionsRequest& request) {
  if (!v1::ObjectionState_IsValid(request.state())) {
    return InvalidField("state", "is not an objection state");
  }
  std::string credit_code = request.credit_code();
  if (OnlyEnterprise(caller)) {
    if (!credit_code.empty() && credit_code != caller.credit_code) {
      return absl::PermissionDeniedError(
          "credit_code: an enterprise's certificate reaches only its own enterprise's records");
    }
    credit_code = caller.credit_code;
  }
  v1::ListObjectionsResponse response;
  PageRequest page{request.page_size(), request.page_token(),
                   absl::StrCat("objections|", credit_code, "|", request.state(), "|",
                                request.overdue_only())};
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage(store_, ColumnFamily::kObjections, {}, page,
               [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
                 REG_ASSIGN_OR_RETURN(v1::Objection o, Load(key));
                 if (!credit_code.empty() && o.credit_code() != credit_code) return false;
                 if (request.state() != v1::OBJECTION_STATE_UNSPECIFIED && o.state() != request.state()) {
                   return false;
                 }
                 if (request.overdue_only() && !o.overdue()) return false;
                 if (!MaySee(caller, o)) return false;
                 *response.add_objections() = std::move(o);
                 return true;
               }));
  return response;
}

}  // namespace regulation::services
