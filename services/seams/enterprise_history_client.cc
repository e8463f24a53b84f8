#include "services/seams/enterprise_history_client.h"

#include <grpcpp/client_context.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "services/common/grpc_status.h"
#include "services/seams/peer_channel.h"

namespace regulation::services {
namespace {

absl::Status WithPeer(const grpc::Status& got) {
  return NamingPeer("portrait service", FromGrpcStatus(got));
}

}  // namespace

const std::string& EnterpriseHistoryServiceConfig() {
  static const auto* const kConfig = new std::string(RetriedServiceConfig({"regulation.internal.v1.EnterpriseHistoryService"}));
  return *kConfig;
}

GrpcEnterpriseHistory::GrpcEnterpriseHistory(std::shared_ptr<grpc::Channel> channel,
                                             absl::Duration call_deadline)
    : stub_(internal::v1::EnterpriseHistoryService::NewStub(std::move(channel))),
      call_deadline_(call_deadline) {}

absl::StatusOr<std::optional<std::string>> GrpcEnterpriseHistory::EnterpriseName(
    absl::string_view credit_code) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + call_deadline_));
  internal::v1::GetEnterpriseNameRequest request;
  request.set_credit_code(std::string(credit_code));
  internal::v1::EnterpriseName response;
  absl::Status got = WithPeer(stub_->GetEnterpriseName(&context, request, &response));
  absl::MutexLock lock(&mu_);
  if (absl::IsUnavailable(got) || absl::IsDeadlineExceeded(got)) {
    auto known = names_.find(credit_code);
    if (known != names_.end()) return known->second;
  }
  REG_RETURN_IF_ERROR(got);
  std::optional<std::string> name;
  if (response.found()) name = std::move(*response.mutable_name());
  if (names_.size() >= kRememberedNames) names_.clear();
  names_[std::string(credit_code)] = name;
  return name;
}

absl::StatusOr<EnterpriseHistory::Delivery> GrpcEnterpriseHistory::CommitWith(
    storage::KvStore* store, const v1::Event& event, storage::WriteBatch* batch) {
  storage::WriteOptions durable;
  durable.sync = true;
  REG_RETURN_IF_ERROR(store->Write(*batch, durable));
  // The result is stored: its event can always be sent again from it.
  absl::StatusOr<int64_t> sent = Record(absl::MakeConstSpan(&event, 1));
  if (sent.ok()) return Delivery::kRecorded;
  LogError(absl::StrCat("the history event ", event.event_id(),
                        " waits for the portrait service: ", sent.status().ToString()));
  return Delivery::kDeferred;
}

absl::StatusOr<int64_t> GrpcEnterpriseHistory::Record(absl::Span<const v1::Event> events) {
  int64_t applied = 0;
  for (size_t start = 0; start < events.size(); start += kMaxResultEventsPerCall) {
    const size_t end = std::min(events.size(), start + kMaxResultEventsPerCall);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + call_deadline_));
    internal::v1::RecordResultEventsRequest request;
    for (size_t i = start; i < end; ++i) *request.add_events() = events[i];
    internal::v1::RecordResultEventsResponse response;
    REG_RETURN_IF_ERROR(WithPeer(stub_->RecordResultEvents(&context, request, &response)));
    applied += response.applied();
  }
  return applied;
}

}  // namespace regulation::services
