#include "services/seams/portrait_feed_client.h"

#include <grpcpp/client_context.h>

#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "scoring/feature_catalogue.h"
#include "services/common/grpc_status.h"
#include "services/seams/peer_channel.h"
#include "services/seams/local_portrait_feed.h"
#include "services/seams/on_behalf_of.h"
#include "services/seams/training_rows_wire.h"

namespace regulation::services {
namespace {

void SetDeadline(grpc::ClientContext* context, absl::Duration timeout) {
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

absl::Status WithPeer(absl::Status status) {
  return NamingPeer("portrait service", std::move(status));
}

// Reads a feature stream into chunks; reopens a broken stream after the last code it
// delivered.
class StreamChunkSource : public FeatureChunkSource {
 public:
  StreamChunkSource(internal::v1::PortraitFeedService::Stub* stub, internal::v1::StreamFeaturesRequest request,
                    absl::Duration deadline)
      : stub_(stub), request_(std::move(request)), deadline_(deadline) {
    Open();
  }

  ~StreamChunkSource() override {
    if (reader_ != nullptr) {
      context_->TryCancel();
      reader_->Finish().ok();
    }
  }

  absl::Status Next(FeatureChunk* chunk) override {
    chunk->code_bytes.clear();
    chunk->code_ends.clear();
    while (true) {
      if (reader_ == nullptr) return absl::OkStatus();  // ended
      if (reader_->Read(&batch_)) {
        if (!batch_.schema_digest().empty() &&
            batch_.schema_digest() != scoring::FeatureSchemaDigest()) {
          return absl::FailedPreconditionError(
              "the portrait service computes another feature schema than this scoring "
              "service: deploy the two from the same build");
        }
        if (batch_.code_ends_size() == 0) continue;  // the schema-only batch
        REG_RETURN_IF_ERROR(Fill(chunk));
        last_code_ = std::string(chunk->code(chunk->size() - 1));
        return absl::OkStatus();
      }
      absl::Status status = FromGrpcStatus(reader_->Finish());
      reader_.reset();
      if (status.ok()) return absl::OkStatus();
      if (!absl::IsUnavailable(status) || reopens_ >= GrpcPortraitFeed::kStreamReopens) {
        return WithPeer(status);
      }
      // Broken mid-stream: the peer restarted or the connection dropped. Go on from the
      // last chunk delivered, after a backoff.
      absl::SleepFor(absl::Milliseconds(200) * (1 << reopens_));
      ++reopens_;
      if (!last_code_.empty()) request_.set_resume_after(last_code_);
      Open();
    }
  }

 private:
  void Open() {
    context_ = std::make_unique<grpc::ClientContext>();
    SetDeadline(context_.get(), deadline_);
    reader_ = stub_->StreamFeatures(context_.get(), request_);
  }

  absl::Status Fill(FeatureChunk* chunk) {
    const size_t columns = scoring::FeatureCatalogue().size();
    const size_t n = static_cast<size_t>(batch_.code_ends_size());
    if (static_cast<size_t>(batch_.columns()) != columns ||
        static_cast<size_t>(batch_.rows_size()) != n * columns ||
        batch_.code_ends(batch_.code_ends_size() - 1) != batch_.code_bytes().size()) {
      return absl::FailedPreconditionError(
          "the portrait service sent a malformed feature batch (row or code counts disagree)");
    }
    chunk->code_bytes.swap(*batch_.mutable_code_bytes());
    size_t previous = 0;
    for (uint32_t end : batch_.code_ends()) {
      if (end <= previous) {
        return absl::FailedPreconditionError(
            "the portrait service sent a malformed feature batch (empty code)");
      }
      previous = end;
      chunk->code_ends.push_back(end);
    }
    if (chunk->rows.size() < n * columns) chunk->rows.resize(n * columns);
    std::copy(batch_.rows().begin(), batch_.rows().end(), chunk->rows.begin());
    return absl::OkStatus();
  }

  internal::v1::PortraitFeedService::Stub* const stub_;
  internal::v1::StreamFeaturesRequest request_;
  const absl::Duration deadline_;
  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientReader<internal::v1::FeatureBatch>> reader_;
  internal::v1::FeatureBatch batch_;
  std::string last_code_;
  int reopens_ = 0;
};

}  // namespace

const std::string& PortraitFeedServiceConfig() {
  static const auto* const kConfig = new std::string(RetriedServiceConfig({"regulation.internal.v1.PortraitFeedService"}));
  return *kConfig;
}

GrpcPortraitFeed::GrpcPortraitFeed(std::shared_ptr<grpc::Channel> channel,
                                   PortraitFeedClientOptions options)
    : stub_(internal::v1::PortraitFeedService::NewStub(std::move(channel))),
      options_(options) {}

absl::Status GrpcPortraitFeed::ForEachFeatureChunk(
    const std::string& resume_after, int64_t as_of_micros, int chunk_size,
    const std::function<absl::Status(const FeatureChunk&)>& use) {
  REG_RETURN_IF_ERROR(ValidateBatchSize("chunk_size", chunk_size));
  internal::v1::StreamFeaturesRequest request;
  request.set_resume_after(resume_after);
  request.set_as_of_micros(as_of_micros);
  request.set_batch_size(chunk_size);
  return PipelineFeatureChunks(
      [&]() -> absl::StatusOr<std::unique_ptr<FeatureChunkSource>> {
        return std::make_unique<StreamChunkSource>(stub_.get(), request,
                                                   options_.stream_deadline);
      },
      use);
}

absl::Status GrpcPortraitFeed::ForEachEnterpriseKeys(
    int batch_size, const std::function<absl::Status(absl::Span<const EnterpriseKey>)>& use) {
  REG_RETURN_IF_ERROR(ValidateBatchSize("batch_size", batch_size));
  grpc::ClientContext context;
  SetDeadline(&context, options_.stream_deadline);
  internal::v1::StreamEnterpriseKeysRequest request;
  request.set_batch_size(batch_size);
  std::unique_ptr<grpc::ClientReader<internal::v1::EnterpriseKeyBatch>> reader =
      stub_->StreamEnterpriseKeys(&context, request);
  internal::v1::EnterpriseKeyBatch batch;
  std::vector<EnterpriseKey> keys;
  absl::Status status;
  while (status.ok() && reader->Read(&batch)) {
    const int n = batch.credit_codes_size();
    if (batch.region_codes_size() != n || batch.industry_codes_size() != n) {
      status = absl::FailedPreconditionError(
          "the portrait service sent a malformed key batch (column lengths differ)");
      break;
    }
    keys.resize(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      keys[i].credit_code.swap(*batch.mutable_credit_codes(i));
      keys[i].region_code.swap(*batch.mutable_region_codes(i));
      keys[i].industry_code.swap(*batch.mutable_industry_codes(i));
    }
    status = use(keys);
  }
  if (!status.ok()) {
    context.TryCancel();
    reader->Finish().ok();
    return status;
  }
  return WithPeer(FromGrpcStatus(reader->Finish()));
}

absl::StatusOr<int64_t> GrpcPortraitFeed::EstimateEnterpriseCount() {
  grpc::ClientContext context;
  SetDeadline(&context, options_.call_deadline);
  internal::v1::EstimateEnterpriseCountResponse response;
  REG_RETURN_IF_ERROR(WithPeer(FromGrpcStatus(stub_->EstimateEnterpriseCount(
      &context, internal::v1::EstimateEnterpriseCountRequest(), &response))));
  return response.estimate();
}

absl::StatusOr<v1::Enterprise> GrpcPortraitFeed::LookupEnterprise(const access::Caller& caller,
                                                                 absl::string_view credit_code) {
  grpc::ClientContext context;
  SetDeadline(&context, options_.call_deadline);
  internal::v1::LookupEnterpriseRequest request;
  request.set_credit_code(std::string(credit_code));
  *request.mutable_on_behalf_of() = ToOnBehalfOf(caller);
  v1::Enterprise response;
  REG_RETURN_IF_ERROR(
      WithPeer(FromGrpcStatus(stub_->LookupEnterprise(&context, request, &response))));
  return response;
}

absl::StatusOr<v1::Portrait> GrpcPortraitFeed::CurrentPortrait(const access::Caller& caller,
                                                              absl::string_view credit_code) {
  grpc::ClientContext context;
  SetDeadline(&context, options_.call_deadline);
  internal::v1::LookupEnterpriseRequest request;
  request.set_credit_code(std::string(credit_code));
  *request.mutable_on_behalf_of() = ToOnBehalfOf(caller);
  v1::Portrait response;
  REG_RETURN_IF_ERROR(
      WithPeer(FromGrpcStatus(stub_->GetPortraitFor(&context, request, &response))));
  return response;
}

absl::StatusOr<v1::Portrait> GrpcPortraitFeed::PortraitAsOf(
    const access::Caller& caller, absl::string_view credit_code,
    const google::protobuf::Timestamp& as_of) {
  grpc::ClientContext context;
  SetDeadline(&context, options_.call_deadline);
  internal::v1::PortraitAsOfRequest request;
  request.set_credit_code(std::string(credit_code));
  *request.mutable_as_of() = as_of;
  *request.mutable_on_behalf_of() = ToOnBehalfOf(caller);
  v1::Portrait response;
  REG_RETURN_IF_ERROR(
      WithPeer(FromGrpcStatus(stub_->GetPortraitAsOfFor(&context, request, &response))));
  return response;
}

absl::StatusOr<LabelledRows> GrpcPortraitFeed::TrainingRows(
    absl::Span<const int64_t> window_starts, int64_t label_window_micros,
    const std::function<void(int64_t, int64_t)>& progress, const KeepGoing& keep_going) {
  grpc::ClientContext context;
  SetDeadline(&context, options_.stream_deadline);
  internal::v1::StreamTrainingRowsRequest request;
  request.mutable_window_starts_micros()->Add(window_starts.begin(), window_starts.end());
  request.set_label_window_micros(label_window_micros);
  request.set_batch_size(kTrainingRowBatch);
  std::unique_ptr<grpc::ClientReader<internal::v1::TrainingRowBatch>> reader =
      stub_->StreamTrainingRows(&context, request);
  LabelledRows rows;
  rows.data.cols = scoring::FeatureCatalogue().size();
  internal::v1::TrainingRowBatch batch;
  absl::Status status;
  while (status.ok() && reader->Read(&batch)) {
    if (batch.enterprises_total() > 0 && progress) {
      progress(batch.enterprises_done(), batch.enterprises_total());
    }
    status = AppendTrainingRowBatch(batch, &rows);
    if (status.ok()) status = StillWanted(keep_going);
  }
  if (!status.ok()) {
    context.TryCancel();
    reader->Finish().ok();
    return status;
  }
  REG_RETURN_IF_ERROR(WithPeer(FromGrpcStatus(reader->Finish())));
  return rows;
}

}  // namespace regulation::services
