#include "services/seams/enterprise_history_service.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "services/access/serve.h"
#include "services/portrait/event_validation.h"
#include "services/seams/enterprise_history_client.h"

namespace regulation::services {
namespace {

using access::Caller;
using access::Serve;

// A derived result event: the id "result:<result id>", and otherwise valid as an event
// of the API (whose ids may not carry that prefix, so it is checked without it).
absl::Status ValidateResultEvent(const v1::Event& event, int index, absl::Time now) {
  const std::string field = absl::StrCat("events[", index, "]");
  const absl::string_view id = event.event_id();
  if (!absl::StartsWith(id, kResultEventIdPrefix) || id.size() == kResultEventIdPrefix.size()) {
    return InvalidField(absl::StrCat(field, ".event_id"),
                        absl::StrCat("must be \"", kResultEventIdPrefix, "<result id>\""));
  }
  v1::Event unprefixed = event;
  unprefixed.set_event_id(std::string(id.substr(kResultEventIdPrefix.size())));
  return ValidateEvent(unprefixed, field, now).status();
}

}  // namespace

grpc::Status EnterpriseHistoryServiceImpl::GetEnterpriseName(
    grpc::ServerContext* context, const internal::v1::GetEnterpriseNameRequest* request,
    internal::v1::EnterpriseName* response) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    REG_RETURN_IF_ERROR(ForField("credit_code", ValidateCreditCode(request->credit_code())));
    REG_ASSIGN_OR_RETURN(std::optional<std::string> name,
                         history_->EnterpriseName(request->credit_code()));
    response->set_found(name.has_value());
    if (name.has_value()) response->set_name(*std::move(name));
    return absl::OkStatus();
  });
}

grpc::Status EnterpriseHistoryServiceImpl::RecordResultEvents(
    grpc::ServerContext* context, const internal::v1::RecordResultEventsRequest* request,
    internal::v1::RecordResultEventsResponse* response) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    if (request->events_size() > kMaxResultEventsPerCall) {
      return InvalidField("events", absl::StrCat("at most ", kMaxResultEventsPerCall,
                                                 " per call, got ", request->events_size()));
    }
    const absl::Time now = clock_->Now();
    for (int i = 0; i < request->events_size(); ++i) {
      REG_RETURN_IF_ERROR(ValidateResultEvent(request->events(i), i, now));
    }
    const std::vector<v1::Event> events(request->events().begin(), request->events().end());
    REG_ASSIGN_OR_RETURN(int64_t applied, history_->Record(events));
    response->set_applied(applied);
    return absl::OkStatus();
  });
}

}  // namespace regulation::services
