#include "tools/crash_harness/workload.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "regulation/v1/disclosure_service.grpc.pb.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "tools/crash_harness/subprocess.h"

namespace regulation::crash {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kEventsPerBatch = 100;
constexpr int kMaxBatchesPerStep = 5;

std::string Describe(const grpc::Status& status) {
  return absl::StrCat("status ", status.error_code(), ": ", status.error_message());
}

// A day in China Standard Time, `offset_days` from today.
v1::Date ChinaDay(int offset_days) {
  const absl::CivilDay day =
      absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 3600)) + offset_days;
  v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

// Sends `request` with `send(channel, context, request, response)` until answered, as
// `identity`; on success records in `ledger` the answer, how to ask again, and which of
// its fields a replay may show advanced.
template <typename Request, typename Response, typename Send>
grpc::Status WriteUntilAnswered(Endpoint* endpoint, Ledger* ledger, const std::string& what,
                                const std::string& identity, const Request& request, Send send,
                                Response* response, std::vector<std::string> may_advance = {}) {
  grpc::Status status = CallUntilAnswered(
      *endpoint, identity, [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
        return send(channel, c, request, response);
      });
  if (!status.ok()) return status;
  AnsweredWrite write;
  write.what = what;
  write.may_advance = std::move(may_advance);
  write.answer = std::make_shared<Response>(*response);
  write.resend = [endpoint, identity, request,
                  send](std::unique_ptr<google::protobuf::Message>* answer) {
    auto again = std::make_unique<Response>();
    grpc::Status s = CallUntilAnswered(
        *endpoint, identity, [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
          return send(channel, c, request, again.get());
        });
    *answer = std::move(again);
    return s;
  };
  ledger->answered_writes.push_back(std::move(write));
  return status;
}

// A replayed SubmitResult or ApproveResult shows the result as it stands now.
std::vector<std::string> ResultFieldsThatAdvance() {
  return {"state",          "version",          "reviewed_by",  "review_comment",
          "approve_time",   "publish_deadline", "publish_time", "log_index"};
}

}  // namespace

Workload::Workload(WorkloadOptions options, Endpoint* endpoint)
    : options_(std::move(options)), endpoint_(endpoint), random_(options_.seed) {
  ledger_.event_subjects = options_.enterprises;
}

Workload::~Workload() { Stop(); }

void Workload::Start() { thread_ = std::thread([this] { Run(); }); }

void Workload::Pause() {
  absl::MutexLock lock(&mutex_);
  pause_requested_ = true;
  mutex_.Await(absl::Condition(&paused_));
}

void Workload::Resume() {
  absl::MutexLock lock(&mutex_);
  pause_requested_ = false;
}

void Workload::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

std::string Workload::Activity() const {
  absl::MutexLock lock(&mutex_);
  return activity_;
}

int Workload::steps() const {
  absl::MutexLock lock(&mutex_);
  return steps_;
}

std::vector<std::string> Workload::TakeFailures() {
  absl::MutexLock lock(&mutex_);
  return std::exchange(failures_, {});
}

void Workload::SetActivity(std::string activity) {
  absl::MutexLock lock(&mutex_);
  activity_ = std::move(activity);
}

void Workload::Fail(std::string what) {
  absl::MutexLock lock(&mutex_);
  failures_.push_back(std::move(what));
}

void Workload::Run() {
  for (;;) {
    {
      absl::MutexLock lock(&mutex_);
      paused_ = true;
      activity_ = "idle (paused)";
      auto may_run = [](Workload* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mutex_) {
        return w->stop_ || !w->pause_requested_;
      };
      mutex_.Await(absl::Condition(+may_run, this));
      if (stop_) return;
      paused_ = false;
    }
    Step();
    absl::MutexLock lock(&mutex_);
    ++steps_;
  }
}

std::string Workload::NextRequestId(const std::string& what) {
  return absl::StrCat("crash-", options_.seed, "-", what, "-", next_request_++);
}

void Workload::Step() {
  const uint64_t choice = random_() % 10;
  if (choice < 4) {
    IngestStep();
  } else if (choice < 8) {
    PlanStep();
  } else if (choice < 9) {
    FetchCheckpoint();
  } else {
    PublishSite();
  }
}

void Workload::IngestStep() {
  const int batches = 1 + static_cast<int>(random_() % kMaxBatchesPerStep);
  SetActivity(absl::StrCat("IngestEvents: ", batches, " batches, ", batches * kEventsPerBatch,
                           " events"));
  std::map<int64_t, v1::IngestEventsRequest> unacknowledged;
  const absl::Time now = absl::Now();
  for (int b = 1; b <= batches; ++b) {
    v1::IngestEventsRequest& request = unacknowledged[b];
    request.set_batch_number(b);
    for (int i = 0; i < kEventsPerBatch; ++i) {
      v1::Event& event = *request.add_events();
      event.set_event_id(absl::StrCat("crash-", options_.seed, "-", next_event_++));
      event.set_source_department("samr");
      event.set_credit_code(options_.enterprises[random_() % options_.enterprises.size()]);
      const absl::Duration age =
          absl::Hours(24 * static_cast<int64_t>(1 + random_() % 300)) +
          absl::Seconds(static_cast<int64_t>(random_() % 86400));
      *event.mutable_occur_time() = TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(now - age));
      if (random_() % 2 == 0) {
        event.mutable_complaint()->set_channel("12315");
        event.mutable_complaint()->set_substantiated(random_() % 3 == 0);
      } else {
        event.mutable_quality_sampling()->set_passed(random_() % 4 != 0);
        event.mutable_quality_sampling()->set_product("预包装食品");
      }
      ledger_.events_sent.insert(event.event_id());
    }
  }
  // One stream after another until every batch is acknowledged: a kill ends a stream,
  // and the batches it did not acknowledge go again, with the same events.
  const absl::Time give_up = absl::Now() + absl::Minutes(3);
  while (!unacknowledged.empty()) {
    if (absl::Now() > give_up) {
      Fail(absl::StrCat("IngestEvents: ", unacknowledged.size(),
                        " batches still unacknowledged after 3 minutes"));
      return;
    }
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    auto stub = v1::PortraitService::NewStub(endpoint_->Channel("admin"));
    auto stream = stub->IngestEvents(&context);
    for (const auto& [number, request] : unacknowledged) {
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
    v1::IngestEventsResponse response;
    while (stream->Read(&response)) {
      auto it = unacknowledged.find(response.batch_number());
      if (it == unacknowledged.end()) {
        Fail(absl::StrCat("IngestEvents: an acknowledgement of unknown batch ",
                          response.batch_number()));
        continue;
      }
      std::set<int> refused;
      for (const v1::ItemError& error : response.errors()) {
        refused.insert(error.index());
        Fail(absl::StrCat("IngestEvents refused event ",
                          it->second.events(error.index()).event_id(), ": ", error.message()));
      }
      for (int i = 0; i < it->second.events_size(); ++i) {
        if (refused.count(i) == 0) ledger_.events_acknowledged.insert(it->second.events(i).event_id());
      }
      unacknowledged.erase(it);
    }
    const grpc::Status status = stream->Finish();
    if (!status.ok() && !IsRetryable(status)) {
      Fail(absl::StrCat("IngestEvents: ", Describe(status)));
      return;
    }
    if (!unacknowledged.empty()) absl::SleepFor(absl::Milliseconds(100));
  }
}

void Workload::PlanStep() {
  switch (plan_state_) {
    case v1::PLAN_STATE_UNSPECIFIED:
      return CreatePlan();
    case v1::PLAN_STATE_DRAFT:
      return CommitPlan();
    case v1::PLAN_STATE_COMMITTED:
      // The witness signs only once the minimum delay has passed (its statement's time is
      // in whole seconds, rounded down, hence the second of margin); ingest meanwhile.
      if (absl::Now() < commit_time_ + options_.min_entropy_delay + absl::Seconds(1.2)) {
        return IngestStep();
      }
      return DrawPlan();
    default:
      if (!to_report_.empty()) return ReportResult();
      plan_state_ = v1::PLAN_STATE_UNSPECIFIED;  // the next plan
      return CreatePlan();
  }
}

void Workload::CreatePlan() {
  SetActivity("CreatePlan");
  v1::CreatePlanRequest request;
  request.set_request_id(NextRequestId("create"));
  v1::Plan& plan = *request.mutable_plan();
  plan.set_title(absl::StrCat("崩溃测试抽查计划 crash plan ", ledger_.plans.size() + 1));
  plan.add_departments("samr");
  for (const std::string& item : options_.item_ids) plan.add_item_ids(item);
  plan.mutable_population()->set_region_prefix(options_.plan_region);
  v1::ClassQuota& quota = *plan.add_quotas();
  quota.set_risk_class(v1::RISK_CLASS_B);  // never scored: every enterprise is class B
  quota.set_count(options_.results_per_plan);
  plan.set_team_size(2);
  plan.set_workload_cap(12);
  *plan.mutable_due_date() = ChinaDay(90);
  v1::Plan created;
  grpc::Status status = WriteUntilAnswered(
      endpoint_, &ledger_, "CreatePlan", "agency", request,
      [](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c,
         const v1::CreatePlanRequest& r, v1::Plan* out) {
        return v1::InspectionService::NewStub(channel)->CreatePlan(c, r, out);
      },
      &created, {"state", "version", "awaiting_entropy"});
  if (!status.ok()) return Fail("CreatePlan: " + Describe(status));
  ledger_.answered_writes.back().what = "CreatePlan " + created.plan_id();
  plan_id_ = created.plan_id();
  plan_state_ = v1::PLAN_STATE_DRAFT;
  ledger_.plans[plan_id_].acknowledged = plan_state_;
}

void Workload::CommitPlan() {
  SetActivity("CommitPlan " + plan_id_);
  v1::CommitPlanRequest request;
  request.set_plan_id(plan_id_);
  request.set_request_id(NextRequestId("commit"));
  request.add_entropy_sources()->set_source_id(options_.witness_id);
  request.set_allow_unstaffed(true);
  v1::Commitment commitment;
  grpc::Status status = WriteUntilAnswered(
      endpoint_, &ledger_, "CommitPlan " + plan_id_, "agency", request,
      [](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c,
         const v1::CommitPlanRequest& r, v1::Commitment* out) {
        return v1::InspectionService::NewStub(channel)->CommitPlan(c, r, out);
      },
      &commitment);
  if (!status.ok()) return Fail("CommitPlan " + plan_id_ + ": " + Describe(status));
  if (!commitment.logged()) ledger_.answered_writes.back().may_advance = {"logged", "log_index"};
  commitment_digest_ = commitment.commitment_digest();
  commit_time_ = absl::FromUnixSeconds(commitment.commit_time().seconds()) +
                 absl::Nanoseconds(commitment.commit_time().nanos());
  plan_state_ = v1::PLAN_STATE_COMMITTED;
  ledger_.plans[plan_id_].acknowledged = plan_state_;
}

void Workload::DrawPlan() {
  SetActivity("DrawPlan " + plan_id_);
  // The witness, on its own machine: signs round 0 of this plan's commitment.
  const std::string statement_file =
      absl::StrCat(options_.work_dir, "/statement-", plan_id_, "-0.json");
  std::remove(statement_file.c_str());  // from an attempt the server refused
  const ProgramRun sign = RunProgram(
      {options_.regctl, "witness", "sign", "--key=" + options_.witness_key,
       "--source_id=" + options_.witness_id, "--plan=" + plan_id_, "--round=0",
       "--commitment=" + commitment_digest_, "--out=" + statement_file});
  if (sign.exit_code != 0) return Fail("regctl witness sign: " + sign.output);
  std::ifstream in(statement_file);
  std::stringstream text;
  text << in.rdbuf();
  v1::DrawPlanRequest request;
  request.set_plan_id(plan_id_);
  request.set_request_id(NextRequestId("draw"));
  if (!google::protobuf::util::JsonStringToMessage(text.str(), request.add_statements()).ok()) {
    return Fail("the witness's statement does not parse: " + text.str());
  }
  v1::Draw draw;
  grpc::Status status = WriteUntilAnswered(
      endpoint_, &ledger_, "DrawPlan " + plan_id_, "agency", request,
      [](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c,
         const v1::DrawPlanRequest& r, v1::Draw* out) {
        return v1::InspectionService::NewStub(channel)->DrawPlan(c, r, out);
      },
      &draw);
  if (!status.ok()) return Fail("DrawPlan " + plan_id_ + ": " + Describe(status));
  plan_state_ = v1::PLAN_STATE_DRAWN;
  ledger_.plans[plan_id_].acknowledged = plan_state_;

  // One assigned inspector per drawn target reports on it.
  v1::ListPlanAssignmentsRequest list;
  list.set_plan_id(plan_id_);
  list.set_page_size(1000);
  v1::ListPlanAssignmentsResponse assignments;
  status = CallUntilAnswered(
      *endpoint_, "agency", [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
        return v1::InspectionService::NewStub(channel)->ListPlanAssignments(c, list, &assignments);
      });
  if (!status.ok()) return Fail("ListPlanAssignments " + plan_id_ + ": " + Describe(status));
  std::set<std::string> targets;
  to_report_.clear();
  for (const v1::Assignment& a : assignments.assignments()) {
    if (targets.insert(a.credit_code()).second) to_report_.push_back(a);
  }
}

void Workload::ReportResult() {
  const v1::Assignment assignment = to_report_.back();
  to_report_.pop_back();
  const std::string inspector = "inspector-" + assignment.inspector_id();
  SetActivity(absl::StrCat("SubmitResult+ApproveResult ", plan_id_, ".",
                           assignment.credit_code()));
  v1::SubmitResultRequest submit;
  submit.set_request_id(NextRequestId("submit"));
  v1::InspectionResult& r = *submit.mutable_result();
  r.set_plan_id(plan_id_);
  r.set_credit_code(assignment.credit_code());
  r.set_category(random_() % 2 == 0 ? v1::NO_PROBLEM_FOUND : v1::PROBLEM_FOUND_FOLLOW_UP_PENDING);
  r.set_findings("现场检查：部分食品未按规定标示保质期，负责人电话13812345678。");
  *r.mutable_inspection_end_date() = ChinaDay(-1);
  v1::InspectionResult submitted;
  grpc::Status status = WriteUntilAnswered(
      endpoint_, &ledger_, "SubmitResult " + plan_id_ + "." + assignment.credit_code(), inspector,
      submit,
      [](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c,
         const v1::SubmitResultRequest& q, v1::InspectionResult* out) {
        return v1::DisclosureService::NewStub(channel)->SubmitResult(c, q, out);
      },
      &submitted, ResultFieldsThatAdvance());
  if (!status.ok()) return Fail("SubmitResult: " + Describe(status));

  // The approver approves what the preview showed: its digest travels with the approval.
  v1::PreviewPublicationRequest preview_request;
  preview_request.set_result_id(submitted.result_id());
  v1::PublicationPreview preview;
  status = CallUntilAnswered(*endpoint_, "agency",
                             [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
                               return v1::DisclosureService::NewStub(channel)->PreviewPublication(
                                   c, preview_request, &preview);
                             });
  if (!status.ok()) return Fail("PreviewPublication " + submitted.result_id() + ": " + Describe(status));

  v1::ApproveResultRequest approve;
  approve.set_result_id(submitted.result_id());
  approve.set_preview_digest(preview.preview_digest());
  approve.set_comment("同意公示");
  approve.set_request_id(NextRequestId("approve"));
  v1::InspectionResult approved;
  status = WriteUntilAnswered(
      endpoint_, &ledger_, "ApproveResult " + submitted.result_id(), "agency", approve,
      [](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c,
         const v1::ApproveResultRequest& q, v1::InspectionResult* out) {
        return v1::DisclosureService::NewStub(channel)->ApproveResult(c, q, out);
      },
      &approved, ResultFieldsThatAdvance());
  if (!status.ok()) return Fail("ApproveResult " + submitted.result_id() + ": " + Describe(status));
  ledger_.approved.push_back({submitted.result_id(), plan_id_, assignment.credit_code()});
  FetchCheckpoint();
}

void Workload::FetchCheckpoint() {
  SetActivity("GetCheckpoint");
  v1::Checkpoint checkpoint;
  grpc::Status status = CallUntilAnswered(
      *endpoint_, "public", [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
        return v1::DisclosureService::NewStub(channel)->GetCheckpoint(
            c, v1::GetCheckpointRequest(), &checkpoint);
      });
  if (!status.ok()) return Fail("GetCheckpoint: " + Describe(status));
  ledger_.checkpoints.push_back(checkpoint);
}

void Workload::PublishSite() {
  SetActivity("Publish: regctl publish");
  // regctl publish gives up when the server goes away under it; run it again until it
  // completes, as an operator would.
  ProgramRun run;
  for (int attempt = 0; attempt < 20; ++attempt) {
    run = RunProgram({options_.regctl, "--server=" + endpoint_->address(),
                      "--tls_dir=" + options_.pki_dir + "/public", "publish",
                      "--out=" + options_.site_dir});
    if (run.exit_code == 0) return;
    absl::SleepFor(absl::Milliseconds(300));
  }
  Fail("regctl publish kept failing: " + run.output);
}

}  // namespace regulation::crash
