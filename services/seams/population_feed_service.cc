#include "services/seams/population_feed_service.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/access/serve.h"
#include "services/common/call_liveness.h"

namespace regulation::services {
namespace {

using access::Caller;
using access::Serve;

absl::Status ClientGone() {
  return absl::CancelledError("the calling service went away mid-stream");
}

}  // namespace

grpc::Status PortraitPopulationServiceImpl::StreamPopulation(
    grpc::ServerContext* context, const internal::v1::StreamPopulationRequest* request,
    grpc::ServerWriter<internal::v1::PopulationBatch>* writer) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    PopulationQuery query;
    query.region_prefix = request->region_prefix();
    query.as_of_micros = request->as_of_micros();
    query.with_credit = request->with_credit();
    query.batch_size = request->batch_size();
    KeepGoing keep_going = WhileCallIsWanted(context);
    internal::v1::PopulationBatch batch;
    return portrait_->ForEachBatch(
        query, [&](absl::Span<const PopulationRow> rows) -> absl::Status {
          REG_RETURN_IF_ERROR(StillWanted(keep_going));
          batch.Clear();
          for (const PopulationRow& row : rows) {
            batch.add_credit_codes(row.credit_code);
            batch.add_region_codes(row.region_code);
            batch.add_industry_codes(row.industry_code);
            batch.add_statuses(row.status);
            if (query.with_credit) {
              batch.add_official_classes(row.official_class);
              batch.add_dishonest_listed(row.dishonest_listed);
            }
          }
          return writer->Write(batch) ? absl::OkStatus() : ClientGone();
        });
  });
}

grpc::Status PortraitPopulationServiceImpl::GetEnterprises(
    grpc::ServerContext* context, const internal::v1::GetEnterprisesRequest* request,
    internal::v1::GetEnterprisesResponse* response) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    if (request->credit_codes_size() > kMaxEnterprisesPerCall) {
      return absl::InvalidArgumentError(absl::StrCat("credit_codes: at most ",
                                                     kMaxEnterprisesPerCall, " per call, not ",
                                                     request->credit_codes_size()));
    }
    const std::vector<std::string> codes(request->credit_codes().begin(),
                                         request->credit_codes().end());
    REG_ASSIGN_OR_RETURN(std::vector<absl::StatusOr<v1::Enterprise>> found,
                         portrait_->GetEnterprises(codes));
    for (absl::StatusOr<v1::Enterprise>& enterprise : found) {
      if (absl::IsNotFound(enterprise.status())) {
        response->add_enterprises();  // absent: no credit code
        continue;
      }
      if (!enterprise.ok()) return enterprise.status();
      *response->add_enterprises() = *std::move(enterprise);
    }
    return absl::OkStatus();
  });
}

grpc::Status StoredClassServiceImpl::StreamClasses(
    grpc::ServerContext* context, const internal::v1::StreamClassesRequest* request,
    grpc::ServerWriter<internal::v1::ClassBatch>* writer) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    REG_ASSIGN_OR_RETURN(std::unique_ptr<ClassReader> reader,
                         classes_->Read(request->batch_size()));
    KeepGoing keep_going = WhileCallIsWanted(context);
    std::vector<CodeClass> rows;
    internal::v1::ClassBatch batch;
    while (true) {
      REG_RETURN_IF_ERROR(StillWanted(keep_going));
      REG_RETURN_IF_ERROR(reader->Next(&rows));
      if (rows.empty()) return absl::OkStatus();
      batch.Clear();
      for (const CodeClass& row : rows) {
        batch.add_credit_codes(row.credit_code);
        batch.add_risk_classes(row.risk_class);
      }
      if (!writer->Write(batch)) return ClientGone();
    }
  });
}

}  // namespace regulation::services
