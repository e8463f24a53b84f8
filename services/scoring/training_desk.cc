#include "services/scoring/training_desk.h"

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/common/idempotency.h"
#include "services/scoring/model_trainer.h"

namespace regulation::services {
namespace {

constexpr absl::string_view kRpc = "ScoringService.TrainModel";

}  // namespace

absl::StatusOr<v1::TrainModelProgress> TrainingDesk::Replay(const std::string& stored) {
  v1::TrainModelProgress done;
  if (!absl::StartsWith(stored, "m-")) {
    // Recorded before the record named only the version: the whole last message.
    if (!done.ParseFromString(stored)) return absl::DataLossError("stored training result");
    return done;
  }
  REG_ASSIGN_OR_RETURN(internal::ModelRecord record, registry_->GetRecord(stored));
  done.set_stage("done");
  done.set_done(1);
  done.set_total(1);
  *done.mutable_model() = record.model();
  done.set_report_html(record.report_html());
  done.set_report_json(record.report_json());
  return done;
}

absl::StatusOr<v1::TrainModelProgress> TrainingDesk::Train(
    const access::Caller& caller, const v1::TrainModelRequest& request,
    const std::function<void(const v1::TrainModelProgress&)>& progress,
    const KeepGoing& keep_going) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  const std::string digest = RequestDigest(request);
  const std::string& request_id = request.request_id();
  const std::string running_key = absl::StrCat(caller.subject, "\n", request_id);
  if (!request_id.empty()) {
    absl::MutexLock lock(&mu_);
    // Looked up under the lock that guards running_: a run that finishes in between has
    // either recorded its model or is still listed.
    IdempotencyLedger ledger(store_);
    REG_ASSIGN_OR_RETURN(std::optional<std::string> replay,
                         ledger.Lookup(kRpc, caller.subject, request_id, digest));
    if (replay.has_value()) return Replay(*replay);
    if (!running_.insert(running_key).second) {
      return absl::AbortedError(absl::StrCat(
          "request_id: a TrainModel with request_id ", request_id,
          " is still running; retry once it has finished to get its model"));
    }
  }
  const std::function<void(const v1::TrainModelProgress&)> report =
      progress ? progress : [](const v1::TrainModelProgress&) {};
  absl::StatusOr<v1::TrainModelProgress> done = TrainAndRegister(
      rows_, registry_, clock_, request, report,
      request_id.empty() ? ModelRegistry::StageWith()
                         : [&](const v1::Model& model, storage::WriteBatch* batch) {
                             IdempotencyLedger::Record(batch, kRpc, caller.subject, request_id,
                                                       digest, model.version());
                           },
      keep_going);
  if (!request_id.empty()) {
    absl::MutexLock lock(&mu_);
    running_.erase(running_key);
  }
  return done;
}

}  // namespace regulation::services
