#include "services/seams/alert_feed_service.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "services/access/serve.h"
#include "services/seams/alert_feed.h"
#include "services/seams/alert_feed_client.h"

namespace regulation::services {
namespace {

absl::Status ValidateScore(const v1::RiskScore& score, const std::string& field) {
  if (!(score.probability() >= 0 && score.probability() <= 1)) {
    return InvalidField(absl::StrCat(field, ".probability"), "must be in [0, 1]");
  }
  if (score.risk_class() < v1::RISK_CLASS_A || score.risk_class() > v1::RISK_CLASS_D) {
    return InvalidField(absl::StrCat(field, ".risk_class"), "must be RISK_CLASS_A, B, C or D");
  }
  if (!score.has_score_time()) {
    return InvalidField(absl::StrCat(field, ".score_time"), "is required");
  }
  return absl::OkStatus();
}

absl::Status ValidateChange(const internal::v1::ScoreChange& change, int index) {
  const std::string field = absl::StrCat("changes[", index, "]");
  if (!change.has_previous() || !change.has_current()) {
    return InvalidField(field, "needs both previous and current");
  }
  REG_RETURN_IF_ERROR(ForField(absl::StrCat(field, ".current.credit_code"),
                               ValidateCreditCode(change.current().credit_code())));
  if (change.previous().credit_code() != change.current().credit_code()) {
    return InvalidField(absl::StrCat(field, ".previous.credit_code"),
                        "must be current.credit_code (one enterprise's two scores)");
  }
  REG_RETURN_IF_ERROR(ValidateScore(change.previous(), absl::StrCat(field, ".previous")));
  return ValidateScore(change.current(), absl::StrCat(field, ".current"));
}

}  // namespace

grpc::Status AlertFeedServiceImpl::ReportScoreChanges(
    grpc::ServerContext* context, const internal::v1::ReportScoreChangesRequest* request,
    internal::v1::ReportScoreChangesResponse* response) {
  return access::Serve(context, [&](const access::Caller&) -> absl::Status {
    if (request->changes_size() > kMaxScoreChangesPerCall) {
      return InvalidField("changes", absl::StrCat("at most ", kMaxScoreChangesPerCall,
                                                  " per call, got ", request->changes_size()));
    }
    std::vector<ScoreChange> changes;
    changes.reserve(request->changes_size());
    for (int i = 0; i < request->changes_size(); ++i) {
      REG_RETURN_IF_ERROR(ValidateChange(request->changes(i), i));
      changes.push_back(FromWire(request->changes(i)));
    }
    REG_ASSIGN_OR_RETURN(int raised, monitor_->RaiseForScoreChanges(changes));
    response->set_raised(raised);
    return absl::OkStatus();
  });
}

}  // namespace regulation::services
