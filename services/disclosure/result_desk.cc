#include "services/disclosure/result_desk.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/quote.h"
#include "common/status_macros.h"
#include "common/text_policy.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "disclosure/public_record_reader.h"
#include "disclosure/working_days.h"
#include "regulation/v1/enterprise.pb.h"
#include "regulation/v1/public_record.pb.h"
#include "services/common/idempotency.h"
#include "services/common/idempotent_write.h"
#include "services/common/proto_time.h"
#include "services/common/scan_page.h"
#include "services/disclosure/public_result.h"
#include "services/disclosure/result_event.h"
#include "services/inspection/targeted_plan.h"
#include "services/seams/local_enterprise_history.h"
#include "services/seams/local_inspection_feed.h"

namespace regulation::services {
namespace {

// The department an approved result's inspection event is recorded for.
std::string FirstDepartment(const PublicationInputs& inputs) {
  return inputs.departments.empty() ? "" : inputs.departments.front();
}

// Who RecordHistory reads plans as at start-up: an auditor sees every plan and can
// change nothing.
const access::Caller& HistoryReader() {
  static const access::Caller* const reader = [] {
    auto* caller = new access::Caller;
    caller->roles = {access::Role::kAuditor};
    caller->subject = "result-history";
    return caller;
  }();
  return *reader;
}

using storage::ColumnFamily;

constexpr absl::string_view kSubmitRpc = "DisclosureService.SubmitResult";
constexpr absl::string_view kApproveRpc = "DisclosureService.ApproveResult";
constexpr absl::string_view kReturnRpc = "DisclosureService.ReturnResult";
constexpr absl::string_view kCorrectionRpc = "DisclosureService.PublishCorrection";

std::string StateName(v1::ResultState state) {
  std::string name = v1::ResultState_Name(state);
  return name.substr(std::string("RESULT_STATE_").size());
}

// What a result says about the inspection (shared by submissions and corrections).
absl::Status ValidateContent(const v1::InspectionResult& r, absl::CivilDay today) {
  if (!v1::InspectionResultCategory_IsValid(r.category()) ||
      r.category() == v1::INSPECTION_RESULT_CATEGORY_UNSPECIFIED) {
    return InvalidField("result.category", "one of the official result categories is required");
  }
  REG_RETURN_IF_ERROR(
      ValidateText("result.findings", r.findings(), TextRule::OptionalBytes(4000).Multiline()));
  REG_RETURN_IF_ERROR(ValidateText("result.follow_up_measures", r.follow_up_measures(),
                                   TextRule::OptionalBytes(2000).Multiline()));
  if (!r.has_inspection_end_date()) {
    return InvalidField("result.inspection_end_date", "is required (the deadline counts from it)");
  }
  absl::StatusOr<absl::CivilDay> end = FromProtoDate(r.inspection_end_date());
  if (!end.ok()) return ForField("result.inspection_end_date", end.status());
  if (*end > today) return InvalidField("result.inspection_end_date", "is in the future");
  return absl::OkStatus();
}

absl::Status ValidatePreviewDigest(absl::string_view digest) {
  if (digest.empty()) {
    return InvalidField("preview_digest",
                        "is required: preview the publication (PreviewPublication) and pass "
                        "the digest of what you have checked");
  }
  const bool hex = digest.size() == 64 && std::all_of(digest.begin(), digest.end(), [](char c) {
                     return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                   });
  if (!hex) return InvalidField("preview_digest", "must be 64 lower-case hex characters");
  return absl::OkStatus();
}

bool SeesEverything(const access::Caller& caller) {
  return caller.roles.Contains(access::Role::kAdmin) ||
         caller.roles.Contains(access::Role::kAuditor);
}

absl::Status WrongState(const v1::InspectionResult& r, absl::string_view wanted,
                        absl::string_view action) {
  return absl::FailedPreconditionError(absl::StrCat("result_id: result ", r.result_id(), " is ",
                                                    StateName(r.state()), "; only a ", wanted,
                                                    " result can be ", action));
}

}  // namespace

ResultDesk::ResultDesk(storage::KvStore* store, PlanBook* plans, AssignmentBoard* board,
                       EventIngestor* history, disclosure::PublicationQueue* publications,
                       const disclosure::HolidayCalendar* calendar, Clock* clock, Options options)
    : store_(store),
      own_inspection_(std::make_unique<LocalInspectionFeed>(plans, board)),
      own_history_(std::make_unique<LocalEnterpriseHistory>(store, history)),
      inspection_(own_inspection_.get()),
      history_(own_history_.get()),
      publications_(publications),
      calendar_(calendar),
      clock_(clock),
      options_(options) {}

absl::StatusOr<v1::InspectionResult> ResultDesk::Load(absl::string_view result_id) {
  if (result_id.empty()) return InvalidField("result_id", "is required");
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kResults, result_id);
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(absl::StrCat("result_id: no result ", Quote(result_id)));
  }
  if (!bytes.ok()) return bytes.status();
  v1::InspectionResult result;
  if (!result.ParseFromString(*bytes)) return absl::DataLossError("a stored result is corrupt");
  if (result.state() == v1::RESULT_STATE_PUBLISHED) {
    // A correction staged at this version and logged after the request returned.
    absl::StatusOr<uint64_t> index =
        publications_->IndexOf(CorrectionRecordKey(result_id, result.version()));
    if (index.ok() && static_cast<int64_t>(*index) > result.log_index()) {
      result.set_log_index(static_cast<int64_t>(*index));
    }
  }
  if (result.state() == v1::RESULT_STATE_APPROVED) {
    // Approved and then logged, but the process stopped before it could say so.
    absl::StatusOr<uint64_t> index = publications_->IndexOf(ResultRecordKey(result_id));
    if (index.ok()) {
      result.set_state(v1::RESULT_STATE_PUBLISHED);
      result.set_log_index(static_cast<int64_t>(*index));
      *result.mutable_publish_time() = result.approve_time();
    }
  }
  return result;
}

absl::Status ResultDesk::CheckAccess(const access::Caller& caller,
                                     const v1::InspectionResult& result) {
  if (SeesEverything(caller)) return absl::OkStatus();
  if (!caller.inspector_id.empty()) {
    if (result.submitted_by() == caller.inspector_id) return absl::OkStatus();
    const absl::Status assigned =
        inspection_->FindAssignment(caller.inspector_id, result.plan_id(), result.credit_code())
            .status();
    // A board that cannot be read (an inspection peer that is down) is not a refusal.
    if (!assigned.ok() && !absl::IsNotFound(assigned)) return assigned;
    if (assigned.ok()) return absl::OkStatus();
    return absl::PermissionDeniedError("result_id: not a result of your assignments");
  }
  return inspection_->LoadPlan(caller, result.plan_id()).status();
}

absl::StatusOr<v1::InspectionResult> ResultDesk::LoadFor(const access::Caller& caller,
                                                         absl::string_view result_id) {
  absl::StatusOr<v1::InspectionResult> result = Load(result_id);
  if (result.ok()) {
    REG_RETURN_IF_ERROR(CheckAccess(caller, *result));
    return result;
  }
  if (!absl::IsNotFound(result.status()) || SeesEverything(caller)) return result.status();
  // The id names its plan and enterprise ("<plan_id>.<credit_code>"): check access to the
  // result that id would be before saying it does not exist.
  v1::InspectionResult would_be;
  const size_t dot = result_id.rfind('.');
  if (dot != absl::string_view::npos) {
    would_be.set_plan_id(std::string(result_id.substr(0, dot)));
    would_be.set_credit_code(std::string(result_id.substr(dot + 1)));
  }
  REG_RETURN_IF_ERROR(CheckAccess(caller, would_be));
  return result.status();
}

absl::StatusOr<PublicationInputs> ResultDesk::InputsFor(const access::Caller& caller,
                                                        const v1::InspectionResult& result) {
  REG_ASSIGN_OR_RETURN(v1::Plan plan, inspection_->LoadPlan(caller, result.plan_id()));
  PublicationInputs inputs;
  inputs.departments.assign(plan.departments().begin(), plan.departments().end());
  for (const v1::TargetedEnterprise& target : plan.targets()) {
    if (target.credit_code() == result.credit_code()) {
      inputs.target_reason = PublicTargetReason(target.reason());
    }
  }
  REG_ASSIGN_OR_RETURN(inputs.joint_visit_with,
                       inspection_->JointPlansOf(result.plan_id(), result.credit_code()));
  REG_ASSIGN_OR_RETURN(std::optional<std::string> name,
                       history_->EnterpriseName(result.credit_code()));
  if (name.has_value()) inputs.enterprise_name = *std::move(name);
  return inputs;
}

absl::Status ResultDesk::Save(v1::InspectionResult* result, storage::WriteBatch* batch) {
  result->set_version(result->version() + 1);
  batch->Put(ColumnFamily::kResults, result->result_id(), result->SerializeAsString());
  storage::WriteOptions durable;
  durable.sync = true;
  return store_->Write(*batch, durable);
}

absl::Status ResultDesk::SaveWithHistory(v1::InspectionResult* result,
                                         const std::string& department,
                                         storage::WriteBatch* batch) {
  result->set_version(result->version() + 1);
  batch->Put(ColumnFamily::kResults, result->result_id(), result->SerializeAsString());
  REG_ASSIGN_OR_RETURN(EnterpriseHistory::Delivery delivery,
                       history_->CommitWith(store_, ResultEvent(*result, department), batch));
  if (delivery == EnterpriseHistory::Delivery::kDeferred) history_behind_.store(true);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ResultDesk::RecordHistory() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<int64_t> recorded = SendHistory();
  // Some events may not have been sent: the next attempt sends them.
  history_behind_.store(!recorded.ok());
  return recorded;
}

absl::StatusOr<int64_t> ResultDesk::SendHistory() {
  // Events go to the history in batches (one call each when portrait is apart).
  constexpr size_t kHistoryBatch = 256;
  std::vector<v1::Event> events;
  int64_t recorded = 0;
  std::unique_ptr<storage::Iterator> it = store_->NewIterator(ColumnFamily::kResults, {});
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::InspectionResult result;
    if (!result.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("a stored result is corrupt");
    }
    if (result.state() != v1::RESULT_STATE_APPROVED &&
        result.state() != v1::RESULT_STATE_PUBLISHED) {
      continue;
    }
    // The same inputs an approval reads, so the event names the same department.
    // (Plans are never deleted; were one missing, the event would name no department.)
    absl::StatusOr<PublicationInputs> inputs = InputsFor(HistoryReader(), result);
    if (absl::IsNotFound(inputs.status())) inputs = PublicationInputs();
    REG_RETURN_IF_ERROR(inputs.status());
    events.push_back(ResultEvent(result, FirstDepartment(*inputs)));
    if (events.size() == kHistoryBatch) {
      REG_ASSIGN_OR_RETURN(int64_t applied, history_->Record(events));
      recorded += applied;
      events.clear();
    }
  }
  REG_RETURN_IF_ERROR(it->status());
  if (!events.empty()) {
    REG_ASSIGN_OR_RETURN(int64_t applied, history_->Record(events));
    recorded += applied;
  }
  return recorded;
}

void ResultDesk::PublishAndSettle(v1::InspectionResult* result) {
  // A log that is down leaves the record queued (APPROVED); the next flush publishes it.
  if (!publications_->Flush().ok()) return;
  absl::StatusOr<uint64_t> index = publications_->IndexOf(ResultRecordKey(result->result_id()));
  if (!index.ok()) return;
  result->set_state(v1::RESULT_STATE_PUBLISHED);
  result->set_log_index(static_cast<int64_t>(*index));
  *result->mutable_publish_time() = ToProtoTimestamp(clock_->Now());
  storage::WriteBatch batch;
  (void)Save(result, &batch);  // Load settles it the same way if this write is lost
}

absl::StatusOr<v1::InspectionResult> ResultDesk::Submit(const access::Caller& caller,
                                                        const v1::SubmitResultRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  const v1::InspectionResult& in = request.result();
  if (in.plan_id().empty()) return InvalidField("result.plan_id", "is required");
  REG_RETURN_IF_ERROR(ForField("result.credit_code", ValidateCreditCode(in.credit_code())));
  const absl::Time now = clock_->Now();
  REG_RETURN_IF_ERROR(ValidateContent(in, disclosure::ChinaCivilDay(now)));
  if (caller.inspector_id.empty()) {
    return absl::PermissionDeniedError("only an assigned inspector submits a result");
  }
  absl::Status assigned =
      inspection_->FindAssignment(caller.inspector_id, in.plan_id(), in.credit_code()).status();
  if (absl::IsNotFound(assigned)) {
    return absl::PermissionDeniedError(absl::StrCat("result.credit_code: you are not assigned to ",
                                                    in.credit_code(), " in plan ", Quote(in.plan_id())));
  }
  REG_RETURN_IF_ERROR(assigned);

  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kSubmitRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay, write.Replay(store_));
  const std::string id = absl::StrCat(in.plan_id(), ".", in.credit_code());
  if (replay.has_value()) return Load(id);

  v1::InspectionResult result;
  absl::StatusOr<v1::InspectionResult> stored = Load(id);
  if (stored.ok()) {
    if (stored->state() != v1::RESULT_STATE_SUBMITTED &&
        stored->state() != v1::RESULT_STATE_RETURNED) {
      return absl::FailedPreconditionError(
          absl::StrCat("result.credit_code: the result ", id, " is ", StateName(stored->state()),
                       "; publish a correction instead"));
    }
    result = *stored;
  } else if (!absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  result.set_result_id(id);
  result.set_plan_id(in.plan_id());
  result.set_credit_code(in.credit_code());
  result.set_category(in.category());
  result.set_findings(in.findings());
  result.set_follow_up_measures(in.follow_up_measures());
  *result.mutable_inspection_end_date() = in.inspection_end_date();
  result.set_state(v1::RESULT_STATE_SUBMITTED);
  result.set_submitted_by(caller.inspector_id);
  const absl::CivilDay end = *FromProtoDate(in.inspection_end_date());
  *result.mutable_publish_deadline() =
      ToProtoDate(calendar_->AddWorkingDays(end, options_.publish_working_days));
  *result.mutable_submit_time() = ToProtoTimestamp(now);

  storage::WriteBatch batch;
  write.Record(&batch, id);
  REG_RETURN_IF_ERROR(Save(&result, &batch));
  return result;
}

absl::StatusOr<v1::InspectionResult> ResultDesk::Return(const access::Caller& caller,
                                                        const v1::ReturnResultRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  REG_RETURN_IF_ERROR(ValidateText("comment", request.comment(), TextRule::RequiredBytes(600)));
  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kReturnRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay, write.Replay(store_));
  REG_ASSIGN_OR_RETURN(v1::InspectionResult result, LoadFor(caller, request.result_id()));
  if (replay.has_value()) return result;
  if (result.state() != v1::RESULT_STATE_SUBMITTED) return WrongState(result, "SUBMITTED", "returned");
  result.set_state(v1::RESULT_STATE_RETURNED);
  result.set_reviewed_by(caller.subject);
  result.set_review_comment(request.comment());
  storage::WriteBatch batch;
  write.Record(&batch, result.result_id());
  REG_RETURN_IF_ERROR(Save(&result, &batch));
  return result;
}

absl::StatusOr<v1::PublicationPreview> ResultDesk::Preview(
    const access::Caller& caller, const v1::PreviewPublicationRequest& request) {
  REG_ASSIGN_OR_RETURN(v1::InspectionResult result, LoadFor(caller, request.result_id()));
  if (result.state() != v1::RESULT_STATE_SUBMITTED) {
    return WrongState(result, "SUBMITTED", "previewed for approval");
  }
  REG_ASSIGN_OR_RETURN(PublicationInputs inputs, InputsFor(caller, result));
  // Approval would be refused for a record the log cannot take: say so now. The times
  // have a fixed width, so the size at approval is the size now.
  const size_t size = ApprovedResultEntry(result, inputs, clock_->Now()).size();
  if (size > disclosure::kMaxBodySize) {
    return absl::ResourceExhaustedError(
        absl::StrCat("result_id: the public record of result ", result.result_id(), " would be ",
                     size, " bytes; a published body is at most ", disclosure::kMaxBodySize,
                     " (shorten the findings or follow-up measures)"));
  }
  return PreviewPublicationOf(result, inputs);
}

absl::StatusOr<v1::InspectionResult> ResultDesk::Approve(const access::Caller& caller,
                                                         const v1::ApproveResultRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  REG_RETURN_IF_ERROR(ValidateText("comment", request.comment(), TextRule::OptionalBytes(600)));
  REG_RETURN_IF_ERROR(ValidatePreviewDigest(request.preview_digest()));
  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kApproveRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay, write.Replay(store_));
  REG_ASSIGN_OR_RETURN(v1::InspectionResult result, LoadFor(caller, request.result_id()));
  if (replay.has_value()) return result;
  if (result.state() != v1::RESULT_STATE_SUBMITTED) return WrongState(result, "SUBMITTED", "approved");
  REG_ASSIGN_OR_RETURN(PublicationInputs inputs, InputsFor(caller, result));
  // The approver must have seen exactly what is published: recompute the preview from the
  // result as stored now and compare.
  const v1::PublicationPreview now_published = PreviewPublicationOf(result, inputs);
  if (now_published.preview_digest() != request.preview_digest()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "preview_digest: what result ", result.result_id(),
        " would publish has changed since that preview (the result is at version ",
        result.version(), "); preview it again and check what will be published"));
  }

  const absl::Time now = clock_->Now();
  result.set_state(v1::RESULT_STATE_APPROVED);
  result.set_reviewed_by(caller.subject);
  result.set_review_comment(request.comment());
  *result.mutable_approve_time() = ToProtoTimestamp(now);
  storage::WriteBatch batch;
  REG_RETURN_IF_ERROR(publications_->Stage(ResultRecordKey(result.result_id()),
                                           result.credit_code(),
                                           ApprovedResultEntry(result, inputs, now), &batch));
  write.Record(&batch, result.result_id());
  REG_RETURN_IF_ERROR(SaveWithHistory(&result, FirstDepartment(inputs), &batch));
  PublishAndSettle(&result);
  return result;
}

absl::StatusOr<v1::InspectionResult> ResultDesk::Get(const access::Caller& caller,
                                                     absl::string_view result_id) {
  return LoadFor(caller, result_id);
}

absl::StatusOr<v1::ListResultsResponse> ResultDesk::List(const access::Caller& caller,
                                                         const v1::ListResultsRequest& request) {
  if (!request.credit_code().empty()) {
    REG_RETURN_IF_ERROR(ForField("credit_code", ValidateCreditCode(request.credit_code())));
  }
  const std::string prefix = request.plan_id().empty() ? "" : absl::StrCat(request.plan_id(), ".");
  v1::ListResultsResponse response;
  PageRequest page{request.page_size(), request.page_token(),
                   absl::StrCat("results|", request.plan_id(), "|", request.credit_code(), "|",
                                request.state())};
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage(store_, ColumnFamily::kResults, storage::PrefixBounds(prefix), page,
               [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
                 REG_ASSIGN_OR_RETURN(v1::InspectionResult r, Load(key));
                 if (!request.credit_code().empty() && r.credit_code() != request.credit_code()) {
                   return false;
                 }
                 if (request.state() != v1::RESULT_STATE_UNSPECIFIED && r.state() != request.state()) {
                   return false;
                 }
                 if (!CheckAccess(caller, r).ok()) return false;
                 *response.add_results() = std::move(r);
                 return true;
               }));
  return response;
}

absl::StatusOr<v1::ListOverdueResponse> ResultDesk::ListOverdue(
    const access::Caller& caller, const v1::ListOverdueRequest& request) {
  if (request.within_working_days() < 0 || request.within_working_days() > 250) {
    return InvalidField("within_working_days", "must be 0-250");
  }
  absl::CivilDay as_of = disclosure::ChinaCivilDay(clock_->Now());
  if (request.has_as_of()) {
    absl::StatusOr<absl::CivilDay> day = FromProtoDate(request.as_of());
    if (!day.ok()) return ForField("as_of", day.status());
    as_of = *day;
  }
  v1::ListOverdueResponse response;
  PageRequest page{request.page_size(), request.page_token(),
                   absl::StrCat("overdue|", request.within_working_days(), "|",
                                absl::FormatCivilTime(as_of))};
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage(store_, ColumnFamily::kResults, {}, page,
               [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
                 REG_ASSIGN_OR_RETURN(v1::InspectionResult r, Load(key));
                 if (r.state() == v1::RESULT_STATE_PUBLISHED) return false;
                 if (!CheckAccess(caller, r).ok()) return false;
                 REG_ASSIGN_OR_RETURN(absl::CivilDay deadline, FromProtoDate(r.publish_deadline()));
                 // Late by a weekend is late: at least one day.
                 const int left = deadline < as_of
                                      ? -disclosure::WorkingDaysLate(*calendar_, deadline, as_of)
                                      : calendar_->WorkingDaysBetween(as_of, deadline);
                 if (left > request.within_working_days()) return false;
                 v1::OverdueResult* o = response.add_results();
                 *o->mutable_result() = std::move(r);
                 o->set_working_days_left(left);
                 return true;
               }));
  return response;
}

absl::StatusOr<v1::PublicRecord> ResultDesk::PublishCorrection(
    const access::Caller& caller, const v1::PublishCorrectionRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  REG_RETURN_IF_ERROR(ValidateText("reason", request.reason(), TextRule::RequiredBytes(600)));
  const absl::Time now = clock_->Now();
  REG_RETURN_IF_ERROR(ValidateContent(request.result(), disclosure::ChinaCivilDay(now)));
  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kCorrectionRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay, write.Replay(store_));
  if (request.result().result_id().empty()) return InvalidField("result.result_id", "is required");
  REG_ASSIGN_OR_RETURN(v1::InspectionResult result,
                       LoadFor(caller, request.result().result_id()));
  REG_ASSIGN_OR_RETURN(PublicationInputs inputs, InputsFor(caller, result));

  // The ledger remembers the correction's record key, never its body: a body that is
  // withdrawn later must not live on in an idempotency record.
  std::string key;
  if (replay.has_value()) {
    key = *replay;
  } else {
    if (result.state() != v1::RESULT_STATE_PUBLISHED) {
      return WrongState(result, "PUBLISHED", "corrected");
    }
    if (request.corrects_index() != result.log_index()) {
      return InvalidField("corrects_index",
                          absl::StrCat("the latest public record of result ", result.result_id(),
                                       " is ", result.log_index()));
    }
    result.set_category(request.result().category());
    result.set_findings(request.result().findings());
    result.set_follow_up_measures(request.result().follow_up_measures());
    *result.mutable_inspection_end_date() = request.result().inspection_end_date();
    key = CorrectionRecordKey(result.result_id(), result.version() + 1);
    storage::WriteBatch batch;
    REG_RETURN_IF_ERROR(publications_->Stage(
        key, result.credit_code(),
        CorrectionEntry(key, PublishedResult(result, inputs, now),
                        request.corrects_index(), request.reason(), now),
        &batch));
    write.Record(&batch, key);
    REG_RETURN_IF_ERROR(SaveWithHistory(&result, FirstDepartment(inputs), &batch));
    (void)publications_->Flush();  // queued if the log is down; published by the next flush
  }
  REG_ASSIGN_OR_RETURN(v1::PublicRecord record, CorrectionRecord(key));
  absl::StatusOr<uint64_t> index = publications_->IndexOf(key);
  if (index.ok()) {
    record.set_log_index(static_cast<int64_t>(*index));
    record.set_logged(true);
    if (result.log_index() != record.log_index() && !replay.has_value()) {
      result.set_log_index(record.log_index());
      storage::WriteBatch batch;
      REG_RETURN_IF_ERROR(Save(&result, &batch));
    }
  }
  return record;
}

absl::StatusOr<v1::InspectionResult> ResultDesk::LoadUnchecked(absl::string_view result_id) {
  absl::MutexLock lock(&mu_);
  return Load(result_id);
}

absl::StatusOr<std::string> ResultDesk::CorrectForObjection(
    const access::Caller& caller, absl::string_view result_id,
    const v1::InspectionResult& content, absl::string_view reason,
    absl::string_view objection_id,
    const std::function<absl::Status(const std::string& correction_key,
                                     storage::WriteBatch* batch)>& also) {
  const absl::Time now = clock_->Now();
  if (absl::Status valid = ValidateContent(content, disclosure::ChinaCivilDay(now)); !valid.ok()) {
    // The objection's request names the content "corrected".
    return absl::Status(valid.code(), absl::StrCat("corrected.", absl::StripPrefix(valid.message(),
                                                                                    "result.")));
  }
  absl::MutexLock lock(&mu_);
  REG_ASSIGN_OR_RETURN(v1::InspectionResult result, LoadFor(caller, result_id));
  REG_ASSIGN_OR_RETURN(PublicationInputs inputs, InputsFor(caller, result));
  if (result.state() != v1::RESULT_STATE_PUBLISHED) return WrongState(result, "PUBLISHED", "corrected");
  const int64_t corrects_index = result.log_index();
  result.set_category(content.category());
  result.set_findings(content.findings());
  result.set_follow_up_measures(content.follow_up_measures());
  *result.mutable_inspection_end_date() = content.inspection_end_date();
  const std::string key = CorrectionRecordKey(result.result_id(), result.version() + 1);
  storage::WriteBatch batch;
  REG_RETURN_IF_ERROR(publications_->Stage(
      key, result.credit_code(),
      CorrectionEntry(key, PublishedResult(result, inputs, now), corrects_index, reason, now,
                      objection_id),
      &batch));
  REG_RETURN_IF_ERROR(also(key, &batch));
  REG_RETURN_IF_ERROR(SaveWithHistory(&result, FirstDepartment(inputs), &batch));
  (void)publications_->Flush();  // queued if the log is down; published by the next flush
  // Load settles the result's latest record from the queue (correction keys by version).
  return key;
}

absl::StatusOr<v1::PublicRecord> ResultDesk::CorrectionRecord(absl::string_view key) {
  const disclosure::PublicRecordReader reader(/*log=*/nullptr, store_, publications_);
  return reader.ReadStaged(key, v1::PUBLIC_RECORD_KIND_CORRECTION);
}

}  // namespace regulation::services
