#include "tools/crash_harness/checks.h"

#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "disclosure/checkpoint.h"
#include "disclosure/merkle.h"
#include "disclosure/signing_key.h"
#include "google/protobuf/util/message_differencer.h"
#include "regulation/v1/audit_service.grpc.pb.h"
#include "regulation/v1/disclosure_service.grpc.pb.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "tools/crash_harness/subprocess.h"

namespace regulation::crash {
namespace {

std::string Describe(const grpc::Status& status) {
  return absl::StrCat("status ", status.error_code(), ": ", status.error_message());
}

CheckResult Failed(std::string name, std::string detail) {
  return CheckResult{std::move(name), false, std::move(detail)};
}

// The first line of a program's output, for a short report.
std::string FirstLine(const std::string& output) {
  return output.substr(0, output.find('\n'));
}

}  // namespace

Checks::Checks(CheckOptions options, Endpoint* endpoint, uint64_t seed)
    : options_(std::move(options)), endpoint_(endpoint), random_state_(seed) {}

std::vector<std::string> Checks::RegctlAs(const std::string& identity,
                                          std::vector<std::string> args) const {
  std::vector<std::string> argv = {options_.regctl, "--server=" + endpoint_->address(),
                                   "--tls_dir=" + options_.pki_dir + "/" + identity};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::vector<CheckResult> Checks::Run(Ledger& ledger, bool final_check) {
  std::vector<CheckResult> results;
  results.push_back(Events(ledger));
  results.push_back(Portraits());
  results.push_back(Plans(ledger));
  results.push_back(Results(ledger, final_check));
  results.push_back(Checkpoints(ledger));
  results.push_back(Site());
  results.push_back(Audit());
  results.push_back(Retries(ledger));
  return results;
}

CheckResult Checks::Events(Ledger& ledger) {
  std::map<std::string, int> stored;  // event id -> times listed
  for (const std::string& code : ledger.event_subjects) {
    v1::ListEventsRequest request;
    request.set_credit_code(code);
    request.set_page_size(1000);
    do {
      v1::ListEventsResponse page;
      grpc::Status status = CallUntilAnswered(
          *endpoint_, "admin", [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
            return v1::PortraitService::NewStub(channel)->ListEvents(c, request, &page);
          });
      if (!status.ok()) return Failed("events", "ListEvents " + code + ": " + Describe(status));
      for (const v1::Event& e : page.events()) ++stored[e.event_id()];
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
  }
  // An approved result is recorded as its enterprise's inspection event
  // "result:<result id>" (docs/features.md): expected once per approved result, and not
  // part of what the ingest calls' audit records count.
  std::set<std::string> approved_ids;
  for (const ApprovedResult& a : ledger.approved) approved_ids.insert("result:" + a.result_id);
  int64_t listed = 0, doubled = 0, unknown = 0, missing = 0, derived = 0;
  std::string example;
  for (const auto& [id, times] : stored) {
    if (times > 1) {
      ++doubled;
      example = absl::StrCat(id, " listed ", times, " times");
    }
    if (absl::StartsWith(id, "result:")) {
      derived += times;
      if (approved_ids.count(id) == 0) {
        ++unknown;
        example = id + " is the event of no approved result";
      }
      continue;
    }
    listed += times;
    if (ledger.events_sent.count(id) == 0) {
      ++unknown;
      example = id + " was never sent";
    }
  }
  for (const std::string& id : ledger.events_acknowledged) {
    if (stored.count(id) == 0) {
      ++missing;
      example = "acknowledged " + id + " is missing";
    }
  }
  events_stored_ = listed;
  const int64_t ingested = static_cast<int64_t>(stored.size()) - derived;
  const std::string detail = absl::StrCat(
      ledger.events_acknowledged.size(), " acknowledged, ", ingested, " stored (",
      ingested - static_cast<int64_t>(ledger.events_acknowledged.size() - missing),
      " of them sent but never acknowledged), ", missing, " missing, ", doubled, " doubled, ",
      unknown, " never sent; ", derived, " from approved results",
      example.empty() ? "" : "; e.g. " + example);
  return CheckResult{"events", missing == 0 && doubled == 0 && unknown == 0, detail};
}

CheckResult Checks::Portraits() {
  const ProgramRun run = RunProgram(RegctlAs("auditor", {"portrait", "verify"}));
  const std::string verdict = LineStartingWith(run.output, "CONSISTENT:");
  if (run.exit_code != 0 || verdict.empty()) {
    return Failed("portraits", absl::StrCat("regctl portrait verify exited ", run.exit_code, ": ",
                                            FirstLine(run.output)));
  }
  return CheckResult{"portraits", true, verdict};
}

CheckResult Checks::Plans(Ledger& ledger) {
  std::map<v1::PlanState, int> by_state;
  for (auto& [plan_id, promise] : ledger.plans) {
    v1::GetPlanRequest request;
    request.set_plan_id(plan_id);
    v1::Plan plan;
    grpc::Status status = CallUntilAnswered(
        *endpoint_, "agency", [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
          return v1::InspectionService::NewStub(channel)->GetPlan(c, request, &plan);
        });
    if (!status.ok()) return Failed("plans", "GetPlan " + plan_id + ": " + Describe(status));
    const v1::PlanState state = plan.state();
    if (state < promise.acknowledged || state < promise.last_seen ||
        state == v1::PLAN_STATE_CLOSED || state == v1::PLAN_STATE_UNSPECIFIED) {
      return Failed("plans", absl::StrCat(plan_id, " is ", v1::PlanState_Name(state),
                                          "; acknowledged ", v1::PlanState_Name(promise.acknowledged),
                                          ", last seen ", v1::PlanState_Name(promise.last_seen)));
    }
    if (state == v1::PLAN_STATE_COMMITTED && !plan.has_awaiting_entropy()) {
      return Failed("plans", plan_id + " is COMMITTED but awaits no entropy");
    }
    if (state == v1::PLAN_STATE_DRAWN) {
      v1::GetDrawRequest get_draw;
      get_draw.set_plan_id(plan_id);
      v1::Draw draw;
      status = CallUntilAnswered(
          *endpoint_, "agency", [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
            return v1::InspectionService::NewStub(channel)->GetDraw(c, get_draw, &draw);
          });
      if (!status.ok() || draw.bundle_digest().empty()) {
        return Failed("plans", plan_id + " is DRAWN but its draw: " + Describe(status));
      }
    }
    promise.last_seen = state;
    ++by_state[state];
  }
  // No plan the harness did not create: a retried CreatePlan makes no second plan.
  v1::ListPlansRequest list;
  list.set_department("samr");
  list.set_page_size(1000);
  int listed = 0;
  do {
    v1::ListPlansResponse page;
    grpc::Status status = CallUntilAnswered(
        *endpoint_, "agency", [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
          return v1::InspectionService::NewStub(channel)->ListPlans(c, list, &page);
        });
    if (!status.ok()) return Failed("plans", "ListPlans: " + Describe(status));
    for (const v1::Plan& p : page.plans()) {
      ++listed;
      if (ledger.plans.count(p.plan_id()) == 0) {
        return Failed("plans", p.plan_id() + " exists but was never acknowledged to the harness");
      }
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  return CheckResult{
      "plans", true,
      absl::StrCat(ledger.plans.size(), " plans (", listed, " listed): ",
                   by_state[v1::PLAN_STATE_DRAFT], " draft, ", by_state[v1::PLAN_STATE_COMMITTED],
                   " committed, ", by_state[v1::PLAN_STATE_DRAWN], " drawn")};
}

CheckResult Checks::Results(Ledger& ledger, bool all_published) {
  const absl::Time give_up = absl::Now() + absl::Minutes(1);
  for (;;) {
    int published = 0, queued = 0;
    for (const ApprovedResult& approved : ledger.approved) {
      v1::GetResultRequest request;
      request.set_result_id(approved.result_id);
      v1::InspectionResult result;
      grpc::Status status = CallUntilAnswered(
          *endpoint_, "agency", [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
            return v1::DisclosureService::NewStub(channel)->GetResult(c, request, &result);
          });
      if (!status.ok()) {
        return Failed("results", "GetResult " + approved.result_id + ": " + Describe(status));
      }
      // Its public records: RESULT records of this enterprise naming this plan.
      v1::ListPublicRecordsRequest list;
      list.set_subject(approved.credit_code);
      list.set_page_size(1000);
      int records = 0;
      do {
        v1::ListPublicRecordsResponse page;
        status = CallUntilAnswered(
            *endpoint_, "public", [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
              return v1::DisclosureService::NewStub(channel)->ListPublicRecords(c, list, &page);
            });
        if (!status.ok()) return Failed("results", "ListPublicRecords: " + Describe(status));
        for (const v1::PublicRecord& record : page.records()) {
          if (record.logged() && record.kind() == v1::PUBLIC_RECORD_KIND_RESULT &&
              absl::StrContains(record.body_json(), approved.plan_id)) {
            ++records;
          }
        }
        list.set_page_token(page.next_page_token());
      } while (!list.page_token().empty());
      if (result.state() == v1::RESULT_STATE_PUBLISHED) {
        ++published;
        if (records != 1) {
          return Failed("results", absl::StrCat(approved.result_id, " is PUBLISHED with ", records,
                                                " RESULT records in the log"));
        }
        v1::GetPublicRecordRequest get;
        get.set_log_index(result.log_index());
        v1::PublicRecord record;
        status = CallUntilAnswered(
            *endpoint_, "public", [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
              return v1::DisclosureService::NewStub(channel)->GetPublicRecord(c, get, &record);
            });
        if (!status.ok() || record.kind() != v1::PUBLIC_RECORD_KIND_RESULT ||
            record.subject() != approved.credit_code) {
          return Failed("results", absl::StrCat(approved.result_id, " names log record ",
                                                result.log_index(), ", which is not its record: ",
                                                Describe(status)));
        }
      } else if (result.state() == v1::RESULT_STATE_APPROVED) {
        ++queued;
        if (records > 1) {
          return Failed("results", absl::StrCat(approved.result_id, " is queued with ", records,
                                                " RESULT records in the log"));
        }
      } else {
        return Failed("results", absl::StrCat(approved.result_id, " was approved but is now ",
                                              v1::ResultState_Name(result.state())));
      }
    }
    results_published_ = published;
    if (!all_published || queued == 0 || absl::Now() > give_up) {
      return CheckResult{
          "results", !all_published || queued == 0,
          absl::StrCat(ledger.approved.size(), " approved: ", published, " published once, ",
                       queued, " still queued", all_published && queued > 0 ? " after a minute" : "",
                       ", none lost or doubled")};
    }
    absl::SleepFor(absl::Seconds(1));
  }
}

CheckResult Checks::Checkpoints(Ledger& ledger) {
  v1::Checkpoint latest;
  grpc::Status status = CallUntilAnswered(
      *endpoint_, "public", [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
        return v1::DisclosureService::NewStub(channel)->GetCheckpoint(c, v1::GetCheckpointRequest(),
                                                                      &latest);
      });
  if (!status.ok()) return Failed("checkpoints", "GetCheckpoint: " + Describe(status));
  if (verifier_key_.empty()) verifier_key_ = latest.verifier_key();
  absl::StatusOr<disclosure::NoteVerifier> verifier = disclosure::NoteVerifier::Parse(verifier_key_);
  if (!verifier.ok()) return Failed("checkpoints", "pinned key: " + verifier.status().ToString());
  // The distinct trees handed out before, each must be a prefix of the latest.
  std::map<int64_t, std::string> roots;
  for (const v1::Checkpoint& earlier : ledger.checkpoints) {
    auto [it, inserted] = roots.emplace(earlier.tree_size(), earlier.root_hash());
    if (!inserted && it->second != earlier.root_hash()) {
      return Failed("checkpoints", absl::StrCat("two checkpoints of size ", earlier.tree_size(),
                                                " with different roots: the log forked"));
    }
  }
  for (const auto& [size, root] : roots) {
    v1::GetConsistencyProofRequest request;
    request.set_first_size(size);
    v1::GetConsistencyProofResponse response;
    status = CallUntilAnswered(
        *endpoint_, "public", [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
          return v1::DisclosureService::NewStub(channel)->GetConsistencyProof(c, request, &response);
        });
    if (!status.ok()) {
      return Failed("checkpoints", absl::StrCat("GetConsistencyProof from ", size, ": ",
                                                Describe(status)));
    }
    const v1::Checkpoint& now = response.checkpoint();
    absl::StatusOr<disclosure::SignedCheckpoint> signed_now =
        disclosure::VerifyCheckpoint(now.signed_note(), *verifier);
    if (!signed_now.ok() || static_cast<int64_t>(signed_now->size) != now.tree_size() ||
        signed_now->root_hash != now.root_hash()) {
      return Failed("checkpoints", "a checkpoint not signed by the pinned key or not its note");
    }
    const std::vector<std::string> proof(response.proof().hashes().begin(),
                                         response.proof().hashes().end());
    absl::Status consistent = disclosure::VerifyConsistency(
        static_cast<uint64_t>(size), static_cast<uint64_t>(now.tree_size()), proof, root,
        now.root_hash());
    if (!consistent.ok()) {
      return Failed("checkpoints", absl::StrCat("the tree of ", size, " is not a prefix of the tree of ",
                                                now.tree_size(), ": ", consistent.ToString()));
    }
    ++checkpoints_checked_;
    latest = now;
  }
  ledger.checkpoints.push_back(latest);
  return CheckResult{"checkpoints", true,
                     absl::StrCat("tree ", latest.tree_size(), " consistent with ", roots.size(),
                                  " earlier trees handed out")};
}

CheckResult Checks::Site() {
  ProgramRun run = RunProgram(RegctlAs("public", {"publish", "--out=" + options_.site_dir}));
  if (run.exit_code != 0) {
    return Failed("site", absl::StrCat("regctl publish exited ", run.exit_code, ": ", run.output));
  }
  run = RunProgram({options_.regctl, "verify-log", options_.site_dir,
                    "--state_file=" + options_.log_state_file, "--verifier_key=" + verifier_key_});
  const std::string verdict = LineStartingWith(run.output, "VALID:");
  if (run.exit_code != 0 || verdict.empty()) {
    return Failed("site", absl::StrCat("regctl verify-log exited ", run.exit_code, ": ", run.output));
  }
  return CheckResult{"site", true, verdict};
}

CheckResult Checks::Audit() {
  std::vector<std::string> args = {"audit", "verify"};
  if (!audit_head_.empty()) args.push_back("--expect_head=" + audit_head_);
  const ProgramRun run = RunProgram(RegctlAs("auditor", args));
  const std::string verdict = LineStartingWith(run.output, "VALID:");
  if (run.exit_code != 0 || verdict.empty()) {
    return Failed("audit", absl::StrCat("regctl audit verify exited ", run.exit_code, ": ",
                                        FirstLine(run.output)));
  }
  const size_t head = verdict.find("head ");
  if (head != std::string::npos) audit_head_ = verdict.substr(head + 5);
  // Every stored event accounted for by the trail, however its stream ended.
  v1::ListAuditRecordsRequest request;
  request.set_after_sequence(audit_sequence_);
  request.set_page_size(1000);
  do {
    v1::ListAuditRecordsResponse page;
    grpc::Status status = CallUntilAnswered(
        *endpoint_, "auditor", [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* c) {
          return v1::AuditService::NewStub(channel)->ListAuditRecords(c, request, &page);
        });
    if (!status.ok()) return Failed("audit", "ListAuditRecords: " + Describe(status));
    for (const v1::AuditRecord& record : page.records()) {
      audit_events_stored_ += record.events_stored();
      audit_sequence_ = record.sequence();
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (audit_events_stored_ != events_stored_) {
    return Failed("audit", absl::StrCat(verdict, "; but its events_stored sums to ",
                                        audit_events_stored_, ", and ", events_stored_,
                                        " events are stored"));
  }
  return CheckResult{"audit", true,
                     absl::StrCat(verdict.substr(0, verdict.find(';')), "; events_stored sums to ",
                                  audit_events_stored_, " = events stored")};
}

CheckResult Checks::Retries(Ledger& ledger) {
  std::vector<size_t> which;
  for (size_t i = retried_up_to_; i < ledger.answered_writes.size(); ++i) which.push_back(i);
  for (int k = 0; k < options_.old_retries_per_check && retried_up_to_ > 0; ++k) {
    random_state_ = random_state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    which.push_back((random_state_ >> 33) % retried_up_to_);
  }
  retried_up_to_ = ledger.answered_writes.size();
  for (size_t i : which) {
    const AnsweredWrite& write = ledger.answered_writes[i];
    std::unique_ptr<google::protobuf::Message> answer;
    grpc::Status status = write.resend(&answer);
    if (!status.ok()) {
      return Failed("retries", write.what + " sent again: " + Describe(status));
    }
    std::string differences;
    google::protobuf::util::MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&differences);
    for (const std::string& name : write.may_advance) {
      differencer.IgnoreField(write.answer->GetDescriptor()->FindFieldByName(name));
    }
    if (!differencer.Compare(*write.answer, *answer)) {
      if (differences.size() > 400) differences = differences.substr(0, 400) + "...";
      return Failed("retries", write.what + " sent again got a different answer: " + differences);
    }
    ++retries_compared_;
  }
  return CheckResult{"retries", true,
                     absl::StrCat(which.size(), " answered writes sent again (same request_id), same answers")};
}

}  // namespace regulation::crash
