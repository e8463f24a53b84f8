#include "services/seams/population_feed_client.h"

#include <grpcpp/client_context.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "services/common/grpc_status.h"
#include "services/seams/peer_channel.h"
#include "services/seams/local_portrait_feed.h"

namespace regulation::services {
namespace {

void SetDeadline(grpc::ClientContext* context, absl::Duration timeout) {
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

// Names the peer in the errors of reaching it.
absl::Status WithPeer(absl::string_view peer, absl::Status status) {
  return NamingPeer(peer, std::move(status));
}

constexpr absl::string_view kPortrait = "portrait service";
constexpr absl::string_view kScoring = "scoring service";

absl::Status Malformed(absl::string_view peer, absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("the ", peer, " sent a malformed ", what, " (column lengths differ)"));
}

class StreamClassReader : public ClassReader {
 public:
  StreamClassReader(internal::v1::StoredClassService::Stub* stub, int batch_size,
                    absl::Duration deadline) {
    SetDeadline(&context_, deadline);
    internal::v1::StreamClassesRequest request;
    request.set_batch_size(batch_size);
    reader_ = stub->StreamClasses(&context_, request);
  }

  ~StreamClassReader() override {
    if (reader_ != nullptr) {
      context_.TryCancel();
      reader_->Finish().ok();
    }
  }

  absl::Status Next(std::vector<CodeClass>* rows) override {
    rows->clear();
    if (reader_ == nullptr) return absl::OkStatus();  // ended
    if (!reader_->Read(&batch_)) {
      absl::Status status = FromGrpcStatus(reader_->Finish());
      reader_.reset();
      return WithPeer(kScoring, status);
    }
    const int n = batch_.credit_codes_size();
    if (batch_.risk_classes_size() != n) return Malformed(kScoring, "class batch");
    rows->resize(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      (*rows)[i].credit_code.swap(*batch_.mutable_credit_codes(i));
      (*rows)[i].risk_class = batch_.risk_classes(i);
    }
    // An empty batch would read as the end: the service never sends one.
    if (rows->empty()) return Malformed(kScoring, "class batch");
    return absl::OkStatus();
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<internal::v1::ClassBatch>> reader_;
  internal::v1::ClassBatch batch_;
};

}  // namespace

const std::string& PopulationFeedServiceConfig() {
  static const auto* const kConfig = new std::string(RetriedServiceConfig({"regulation.internal.v1.PortraitPopulationService", "regulation.internal.v1.StoredClassService"}));
  return *kConfig;
}

GrpcPortraitPopulation::GrpcPortraitPopulation(std::shared_ptr<grpc::Channel> channel,
                                               PopulationFeedClientOptions options)
    : stub_(internal::v1::PortraitPopulationService::NewStub(std::move(channel))),
      options_(options) {}

absl::Status GrpcPortraitPopulation::ForEachBatch(const PopulationQuery& query,
                                                  const PopulationBatchUse& use) {
  REG_RETURN_IF_ERROR(ValidateBatchSize("batch_size", query.batch_size));
  grpc::ClientContext context;
  SetDeadline(&context, options_.stream_deadline);
  internal::v1::StreamPopulationRequest request;
  request.set_region_prefix(query.region_prefix);
  request.set_as_of_micros(query.as_of_micros);
  request.set_with_credit(query.with_credit);
  request.set_batch_size(query.batch_size);
  std::unique_ptr<grpc::ClientReader<internal::v1::PopulationBatch>> reader =
      stub_->StreamPopulation(&context, request);
  internal::v1::PopulationBatch batch;
  std::vector<PopulationRow> rows;
  absl::Status status;
  while (status.ok() && reader->Read(&batch)) {
    const int n = batch.credit_codes_size();
    const int credit_columns = query.with_credit ? n : 0;
    if (batch.region_codes_size() != n || batch.industry_codes_size() != n ||
        batch.statuses_size() != n || batch.official_classes_size() != credit_columns ||
        batch.dishonest_listed_size() != credit_columns) {
      status = Malformed(kPortrait, "population batch");
      break;
    }
    rows.assign(static_cast<size_t>(n), PopulationRow());
    for (int i = 0; i < n; ++i) {
      PopulationRow& row = rows[i];
      row.credit_code.swap(*batch.mutable_credit_codes(i));
      row.region_code.swap(*batch.mutable_region_codes(i));
      row.industry_code.swap(*batch.mutable_industry_codes(i));
      row.status = batch.statuses(i);
      if (query.with_credit) {
        row.official_class = batch.official_classes(i);
        row.dishonest_listed = batch.dishonest_listed(i);
      }
    }
    status = use(rows);
  }
  if (!status.ok()) {
    context.TryCancel();
    reader->Finish().ok();
    return status;
  }
  return WithPeer(kPortrait, FromGrpcStatus(reader->Finish()));
}

absl::StatusOr<std::vector<absl::StatusOr<v1::Enterprise>>> GrpcPortraitPopulation::GetEnterprises(
    absl::Span<const std::string> credit_codes) {
  std::vector<absl::StatusOr<v1::Enterprise>> out;
  out.reserve(credit_codes.size());
  for (size_t start = 0; start < credit_codes.size(); start += kCodesPerCall) {
    const absl::Span<const std::string> part = credit_codes.subspan(start, kCodesPerCall);
    grpc::ClientContext context;
    SetDeadline(&context, options_.call_deadline);
    internal::v1::GetEnterprisesRequest request;
    for (const std::string& code : part) request.add_credit_codes(code);
    internal::v1::GetEnterprisesResponse response;
    REG_RETURN_IF_ERROR(
        WithPeer(kPortrait, FromGrpcStatus(stub_->GetEnterprises(&context, request, &response))));
    if (response.enterprises_size() != static_cast<int>(part.size())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the portrait service answered ", response.enterprises_size(), " of ", part.size(),
          " enterprises"));
    }
    for (size_t i = 0; i < part.size(); ++i) {
      v1::Enterprise* enterprise = response.mutable_enterprises(static_cast<int>(i));
      if (enterprise->credit_code().empty()) {
        out.push_back(absl::NotFoundError(absl::StrCat("no enterprises record \"", part[i], "\"")));
      } else {
        out.push_back(std::move(*enterprise));
      }
    }
  }
  return out;
}

GrpcStoredClasses::GrpcStoredClasses(std::shared_ptr<grpc::Channel> channel,
                                     PopulationFeedClientOptions options)
    : stub_(internal::v1::StoredClassService::NewStub(std::move(channel))), options_(options) {}

absl::StatusOr<std::unique_ptr<ClassReader>> GrpcStoredClasses::Read(int batch_size) {
  REG_RETURN_IF_ERROR(ValidateBatchSize("batch_size", batch_size));
  return std::unique_ptr<ClassReader>(
      new StreamClassReader(stub_.get(), batch_size, options_.stream_deadline));
}

}  // namespace regulation::services
