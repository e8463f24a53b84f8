#include "services/portrait/enterprise_directory.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/industry_code.h"
#include "common/region_code.h"
#include "common/status_macros.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/access/jurisdiction.h"
#include "services/common/idempotency.h"
#include "services/common/idempotent_write.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"
#include "services/portrait/directory_generation.h"
#include "services/portrait/enterprise_table.h"
#include "services/portrait/enterprise_validation.h"
#include "services/portrait/feature_rows.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

constexpr size_t kRegionCodeLength = 6;
constexpr absl::string_view kUpsertRpc = "PortraitService.UpsertEnterprise";
constexpr absl::string_view kBatchUpsertRpc = "PortraitService.BatchUpsertEnterprises";

// Both key kinds are fixed-width ASCII, so concatenation keeps their order.
std::string RegionIndexKey(absl::string_view region_code, absl::string_view credit_code) {
  return absl::StrCat(region_code, credit_code);
}

absl::CivilDay TodayInChina(Clock* clock) {
  return absl::ToCivilDay(clock->Now(), ChinaTimeZone());
}

std::string ListFilters(absl::string_view region_prefix,
                        const v1::ListEnterprisesRequest& request) {
  return absl::StrCat("enterprises|region=", region_prefix, "|industry=", request.industry_code(),
                      "|status=", request.status());
}

bool MatchesFilters(const v1::Enterprise& e, absl::string_view region_prefix,
                    const v1::ListEnterprisesRequest& request) {
  if (!absl::StartsWith(e.region_code(), region_prefix)) return false;
  if (!absl::StartsWith(e.industry_code(), request.industry_code())) return false;
  return request.status() == v1::ENTERPRISE_STATUS_UNSPECIFIED || e.status() == request.status();
}

}  // namespace

EnterpriseDirectory::EnterpriseDirectory(storage::KvStore* store, Clock* clock)
    : store_(store), clock_(clock), enterprises_(EnterpriseTable(store)) {}

absl::StatusOr<int> EnterpriseDirectory::StageUpserts(
    const access::Caller& caller, const std::vector<const v1::Enterprise*>& inputs,
    storage::WriteBatch* batch, std::vector<v1::Enterprise>* stored,
    std::vector<absl::Status>* rejected) {
  std::vector<std::string> keys;
  keys.reserve(inputs.size());
  for (const v1::Enterprise* input : inputs) keys.push_back(input->credit_code());
  std::vector<absl::StatusOr<v1::Enterprise>> current = enterprises_.MultiGet(keys);

  const google::protobuf::Timestamp now = ToProtoTimestamp(clock_->Now());
  int changed = 0;
  stored->assign(inputs.size(), v1::Enterprise());
  std::vector<const v1::Enterprise*> changed_records;
  rejected->assign(inputs.size(), absl::OkStatus());
  for (size_t i = 0; i < inputs.size(); ++i) {
    v1::Enterprise record = InputFieldsOf(*inputs[i]);
    if (current[i].ok()) {
      v1::Enterprise& existing = *current[i];
      // Moving an enterprise in from another jurisdiction is a change to that one too.
      if (!access::InJurisdiction(caller, existing.region_code())) {
        (*rejected)[i] = access::OutsideJurisdiction("credit_code");
        continue;
      }
      if (google::protobuf::util::MessageDifferencer::Equals(InputFieldsOf(existing), record)) {
        (*stored)[i] = std::move(existing);
        continue;
      }
      record.set_version(existing.version() + 1);
      *record.mutable_create_time() = existing.create_time();
      if (existing.region_code() != record.region_code()) {
        batch->Delete(ColumnFamily::kEnterprisesByRegion,
                      RegionIndexKey(existing.region_code(), keys[i]));
      }
    } else if (absl::IsNotFound(current[i].status())) {
      record.set_version(1);
      *record.mutable_create_time() = now;
    } else {
      return current[i].status();
    }
    *record.mutable_update_time() = now;
    enterprises_.Stage(batch, keys[i], record);
    batch->Put(ColumnFamily::kEnterprisesByRegion, RegionIndexKey(record.region_code(), keys[i]),
               "");
    (*stored)[i] = std::move(record);
    changed_records.push_back(&(*stored)[i]);
    ++changed;
  }
  REG_RETURN_IF_ERROR(StageFeatureRowsForEnterprises(store_, changed_records, batch));
  return changed;
}

absl::StatusOr<v1::UpsertEnterpriseResponse> EnterpriseDirectory::Upsert(
    const access::Caller& caller, const v1::UpsertEnterpriseRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  if (!request.has_enterprise()) return InvalidField("enterprise", "is required");
  REG_RETURN_IF_ERROR(ValidateEnterprise(request.enterprise(), "enterprise", TodayInChina(clock_)));
  if (!access::InJurisdiction(caller, request.enterprise().region_code())) {
    return access::OutsideJurisdiction("enterprise.region_code");
  }

  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kUpsertRpc, caller.subject, request));
  absl::MutexLock lock(&write_mu_);
  FeatureRowLock rows(store_);  // the feature rows staged below are written in the same batch
  REG_ASSIGN_OR_RETURN(std::optional<v1::UpsertEnterpriseResponse> replay,
                       write.ReplayAs<v1::UpsertEnterpriseResponse>(store_));
  if (replay.has_value()) return *std::move(replay);

  v1::UpsertEnterpriseResponse response;
  storage::WriteBatch batch;
  std::vector<v1::Enterprise> stored;
  std::vector<absl::Status> rejected;
  REG_ASSIGN_OR_RETURN(int changed,
                       StageUpserts(caller, {&request.enterprise()}, &batch, &stored, &rejected));
  REG_RETURN_IF_ERROR(rejected.front());
  *response.mutable_enterprise() = std::move(stored.front());
  response.set_changed(changed > 0);
  const absl::Status committed = write.Commit(store_, &batch, response.SerializeAsString());
  DirectoryChanged(store_);  // caches of the records drop what they hold
  REG_RETURN_IF_ERROR(committed);
  return response;
}

absl::StatusOr<v1::BatchUpsertEnterprisesResponse> EnterpriseDirectory::BatchUpsert(
    const access::Caller& caller, const v1::BatchUpsertEnterprisesRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  if (request.enterprises().empty()) {
    return InvalidField("enterprises", "must hold at least one enterprise");
  }
  if (request.enterprises_size() > kMaxBatchSize) {
    return InvalidField("enterprises", absl::StrFormat("at most %d per call, got %d", kMaxBatchSize,
                                                       request.enterprises_size()));
  }

  v1::BatchUpsertEnterprisesResponse response;
  std::vector<absl::Status> item_status(request.enterprises_size());
  std::vector<const v1::Enterprise*> valid;
  std::vector<int> valid_index;
  absl::flat_hash_set<absl::string_view> seen;
  const absl::CivilDay today = TodayInChina(clock_);
  for (int i = 0; i < request.enterprises_size(); ++i) {
    const v1::Enterprise& e = request.enterprises(i);
    const std::string prefix = absl::StrCat("enterprises[", i, "]");
    absl::Status status = ValidateEnterprise(e, prefix, today);
    if (status.ok() && !seen.insert(e.credit_code()).second) {
      status =
          InvalidField(absl::StrCat(prefix, ".credit_code"), "appears earlier in the same batch");
    }
    if (status.ok() && !access::InJurisdiction(caller, e.region_code())) {
      status = access::OutsideJurisdiction(absl::StrCat(prefix, ".region_code"));
    }
    item_status[i] = status;
    if (status.ok()) {
      valid.push_back(&e);
      valid_index.push_back(i);
    }
  }

  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kBatchUpsertRpc, caller.subject, request));
  absl::MutexLock lock(&write_mu_);
  FeatureRowLock rows(store_);  // the feature rows staged below are written in the same batch
  REG_ASSIGN_OR_RETURN(std::optional<v1::BatchUpsertEnterprisesResponse> replay,
                       write.ReplayAs<v1::BatchUpsertEnterprisesResponse>(store_));
  if (replay.has_value()) return *std::move(replay);
  storage::WriteBatch batch;
  std::vector<v1::Enterprise> stored;
  std::vector<absl::Status> rejected;
  REG_ASSIGN_OR_RETURN(int changed, StageUpserts(caller, valid, &batch, &stored, &rejected));
  int upserted = 0;
  for (size_t v = 0; v < valid.size(); ++v) {
    if (rejected[v].ok()) {
      ++upserted;
    } else {
      item_status[valid_index[v]] =
          absl::Status(rejected[v].code(),
                       absl::StrCat("enterprises[", valid_index[v], "].", rejected[v].message()));
    }
  }
  for (int i = 0; i < request.enterprises_size(); ++i) {
    if (item_status[i].ok()) continue;
    v1::ItemError* error = response.add_errors();
    error->set_index(i);
    error->set_code(static_cast<int>(item_status[i].code()));
    error->set_message(std::string(item_status[i].message()));
  }
  response.set_upserted_count(upserted);
  response.set_changed_count(changed);
  const absl::Status committed = write.Commit(store_, &batch, response.SerializeAsString());
  DirectoryChanged(store_);  // caches of the records drop what they hold
  REG_RETURN_IF_ERROR(committed);
  return response;
}

absl::StatusOr<v1::Enterprise> EnterpriseDirectory::Get(const access::Caller& caller,
                                                        absl::string_view credit_code) {
  REG_RETURN_IF_ERROR(ForField("credit_code", ValidateCreditCode(credit_code)));
  absl::StatusOr<v1::Enterprise> enterprise = enterprises_.Get(credit_code);
  if (absl::IsNotFound(enterprise.status())) {
    if (!access::InJurisdiction(caller, credit_code.substr(2, kRegionCodeLength))) {
      return access::OutsideJurisdiction("credit_code");
    }
    return absl::NotFoundError(
        absl::StrCat("credit_code: no enterprise ", credit_code, " in the directory"));
  }
  if (!enterprise.ok()) return enterprise.status();
  if (!access::InJurisdiction(caller, enterprise->region_code())) {
    return access::OutsideJurisdiction("credit_code");
  }
  return enterprise;
}

absl::StatusOr<v1::ListEnterprisesResponse> EnterpriseDirectory::List(
    const access::Caller& caller, const v1::ListEnterprisesRequest& request) {
  REG_RETURN_IF_ERROR(ForField("region_prefix", ValidateRegionPrefix(request.region_prefix())));
  REG_RETURN_IF_ERROR(ForField("industry_code", ValidateIndustryPrefix(request.industry_code())));
  if (!v1::EnterpriseStatus_IsValid(request.status())) {
    return InvalidField("status", absl::StrFormat("%d is not a known status", request.status()));
  }
  REG_ASSIGN_OR_RETURN(const int page_size, ResolvePageSize(request.page_size()));
  REG_ASSIGN_OR_RETURN(
      const std::string region_prefix,
      access::ScopedRegionPrefix(caller, request.region_prefix(), "region_prefix"));
  const std::string filters = ListFilters(region_prefix, request);
  std::string resume_after;
  if (!request.page_token().empty()) {
    REG_ASSIGN_OR_RETURN(resume_after, DecodePageToken(request.page_token(), filters));
  }

  // With a region filter, walk the region index; otherwise the records themselves.
  // Either way the scan is clamped to the filter's key range, so a hand-made token
  // cannot reach outside it.
  const bool by_region = !region_prefix.empty();
  const ColumnFamily cf =
      by_region ? ColumnFamily::kEnterprisesByRegion : ColumnFamily::kEnterprises;
  std::unique_ptr<storage::Snapshot> snapshot = store_->GetSnapshot();
  std::unique_ptr<storage::Iterator> it =
      store_->NewIterator(cf, storage::PrefixBounds(region_prefix, snapshot.get()));
  if (resume_after.empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(resume_after);
    if (it->Valid() && it->key() == resume_after) it->Next();
  }

  storage::ReadOptions read_at_snapshot;
  read_at_snapshot.snapshot = snapshot.get();
  v1::ListEnterprisesResponse response;
  std::string last_key;
  int scanned = 0;
  size_t bytes = 0;
  for (; it->Valid(); it->Next()) {
    if (response.enterprises_size() == page_size || scanned == kMaxScannedPerPage) break;
    // Under gRPC's default 4 MiB (docs/api.md §1.1): the next page starts here.
    if (bytes > kMaxPageBytes) break;
    ++scanned;
    last_key = std::string(it->key());
    v1::Enterprise enterprise;
    if (by_region) {
      const std::string code = last_key.substr(kRegionCodeLength);
      absl::StatusOr<v1::Enterprise> record = enterprises_.Get(code, read_at_snapshot);
      if (absl::IsDataLoss(record.status())) return record.status();
      if (!record.ok()) {
        return absl::DataLossError(
            absl::StrCat("region index names ", code,
                         " but its record cannot be read: ", record.status().message()));
      }
      enterprise = *std::move(record);
    } else {
      REG_RETURN_IF_ERROR(enterprises_.Parse(last_key, it->value(), &enterprise));
    }
    if (MatchesFilters(enterprise, region_prefix, request)) {
      bytes += enterprise.ByteSizeLong();
      *response.add_enterprises() = std::move(enterprise);
    }
  }
  REG_RETURN_IF_ERROR(it->status());
  if (it->Valid()) response.set_next_page_token(EncodePageToken(filters, last_key));
  return response;
}

}  // namespace regulation::services
