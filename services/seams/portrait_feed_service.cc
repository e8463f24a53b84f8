#include "services/seams/portrait_feed_service.h"

#include "common/status_macros.h"
#include "scoring/feature_catalogue.h"
#include "services/access/serve.h"
#include "services/common/call_liveness.h"
#include "services/seams/on_behalf_of.h"
#include "services/seams/local_portrait_feed.h"
#include "services/seams/training_rows_wire.h"

namespace regulation::services {
namespace {

using access::Caller;
using access::Into;
using access::Serve;

absl::Status ClientGone() {
  return absl::CancelledError("the calling service went away mid-stream");
}

}  // namespace

grpc::Status PortraitFeedServiceImpl::StreamFeatures(
    grpc::ServerContext* context, const internal::v1::StreamFeaturesRequest* request,
    grpc::ServerWriter<internal::v1::FeatureBatch>* writer) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    const int columns = static_cast<int>(scoring::FeatureCatalogue().size());
    internal::v1::FeatureBatch batch;
    bool first = true;
    KeepGoing keep_going = WhileCallIsWanted(context);
    REG_RETURN_IF_ERROR(feed_->ForEachFeatureChunk(
        request->resume_after(), request->as_of_micros(), request->batch_size(),
        [&](const FeatureChunk& chunk) -> absl::Status {
          REG_RETURN_IF_ERROR(StillWanted(keep_going));
          batch.Clear();
          if (first) batch.set_schema_digest(scoring::FeatureSchemaDigest());
          first = false;
          batch.set_columns(columns);
          batch.set_code_bytes(chunk.code_bytes);
          batch.mutable_code_ends()->Reserve(static_cast<int>(chunk.size()));
          for (size_t end : chunk.code_ends) batch.add_code_ends(static_cast<uint32_t>(end));
          const size_t values = chunk.size() * static_cast<size_t>(columns);
          batch.mutable_rows()->Add(chunk.rows.begin(), chunk.rows.begin() + values);
          return writer->Write(batch) ? absl::OkStatus() : ClientGone();
        }));
    if (first) {
      // An empty directory (or nothing after resume_after): one empty batch, so that
      // the client still learns the schema.
      batch.set_schema_digest(scoring::FeatureSchemaDigest());
      batch.set_columns(columns);
      if (!writer->Write(batch)) return ClientGone();
    }
    return absl::OkStatus();
  });
}

grpc::Status PortraitFeedServiceImpl::StreamEnterpriseKeys(
    grpc::ServerContext* context, const internal::v1::StreamEnterpriseKeysRequest* request,
    grpc::ServerWriter<internal::v1::EnterpriseKeyBatch>* writer) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    KeepGoing keep_going = WhileCallIsWanted(context);
    internal::v1::EnterpriseKeyBatch batch;
    return feed_->ForEachEnterpriseKeys(
        request->batch_size(), [&](absl::Span<const EnterpriseKey> keys) -> absl::Status {
          REG_RETURN_IF_ERROR(StillWanted(keep_going));
          batch.Clear();
          for (const EnterpriseKey& key : keys) {
            batch.add_credit_codes(key.credit_code);
            batch.add_region_codes(key.region_code);
            batch.add_industry_codes(key.industry_code);
          }
          return writer->Write(batch) ? absl::OkStatus() : ClientGone();
        });
  });
}

grpc::Status PortraitFeedServiceImpl::EstimateEnterpriseCount(
    grpc::ServerContext* context, const internal::v1::EstimateEnterpriseCountRequest*,
    internal::v1::EstimateEnterpriseCountResponse* response) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    REG_ASSIGN_OR_RETURN(int64_t estimate, feed_->EstimateEnterpriseCount());
    response->set_estimate(estimate);
    return absl::OkStatus();
  });
}

grpc::Status PortraitFeedServiceImpl::LookupEnterprise(
    grpc::ServerContext* context, const internal::v1::LookupEnterpriseRequest* request,
    v1::Enterprise* response) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    REG_ASSIGN_OR_RETURN(Caller on_behalf_of, FromOnBehalfOf(request->on_behalf_of()));
    return Into(response,
                [&] { return feed_->LookupEnterprise(on_behalf_of, request->credit_code()); });
  });
}

grpc::Status PortraitFeedServiceImpl::GetPortraitFor(
    grpc::ServerContext* context, const internal::v1::LookupEnterpriseRequest* request,
    v1::Portrait* response) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    REG_ASSIGN_OR_RETURN(Caller on_behalf_of, FromOnBehalfOf(request->on_behalf_of()));
    return Into(response,
                [&] { return feed_->CurrentPortrait(on_behalf_of, request->credit_code()); });
  });
}

grpc::Status PortraitFeedServiceImpl::StreamTrainingRows(
    grpc::ServerContext* context, const internal::v1::StreamTrainingRowsRequest* request,
    grpc::ServerWriter<internal::v1::TrainingRowBatch>* writer) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    REG_RETURN_IF_ERROR(ValidateBatchSize("batch_size", request->batch_size()));
    KeepGoing keep_going = WhileCallIsWanted(context);
    internal::v1::TrainingRowBatch progress;
    bool gone = false;
    std::vector<int64_t> starts(request->window_starts_micros().begin(),
                                request->window_starts_micros().end());
    REG_ASSIGN_OR_RETURN(
        LabelledRows rows,
        feed_->TrainingRows(
            starts, request->label_window_micros(),
            [&](int64_t done, int64_t total) {
              progress.set_enterprises_done(done);
              progress.set_enterprises_total(total);
              gone = gone || !writer->Write(progress);
            },
            keep_going));
    if (gone) return ClientGone();
    return ForEachTrainingRowBatch(
        rows, request->batch_size(), [&](const internal::v1::TrainingRowBatch& batch) {
          return writer->Write(batch) ? absl::OkStatus() : ClientGone();
        });
  });
}

grpc::Status PortraitFeedServiceImpl::GetPortraitAsOfFor(
    grpc::ServerContext* context, const internal::v1::PortraitAsOfRequest* request,
    v1::Portrait* response) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    REG_ASSIGN_OR_RETURN(Caller on_behalf_of, FromOnBehalfOf(request->on_behalf_of()));
    return Into(response, [&] {
      return feed_->PortraitAsOf(on_behalf_of, request->credit_code(), request->as_of());
    });
  });
}

}  // namespace regulation::services
