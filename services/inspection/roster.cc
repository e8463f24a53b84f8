#include "services/inspection/roster.h"

#include <cctype>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/quote.h"
#include "common/region_code.h"
#include "common/status_macros.h"
#include "common/text_policy.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/common/idempotency.h"
#include "services/common/proto_time.h"
#include "services/common/scan_page.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

storage::WriteOptions Durable() {
  storage::WriteOptions options;
  options.sync = true;
  return options;
}

template <typename T>
absl::StatusOr<T> Parse(absl::string_view bytes, absl::string_view what) {
  T message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("stored ", what, " is corrupt"));
  }
  return message;
}

std::string ConflictByInspector(absl::string_view inspector, absl::string_view code) {
  return absl::StrCat("i/", inspector, "/", code);
}
std::string ConflictByEnterprise(absl::string_view code, absl::string_view inspector) {
  return absl::StrCat("c/", code, "/", inspector);
}

absl::Status ValidateInspector(const v1::Inspector& i) {
  REG_RETURN_IF_ERROR(ValidateId("inspector.inspector_id", i.inspector_id()));
  REG_RETURN_IF_ERROR(ValidateText("inspector.name", i.name(), TextRule::RequiredBytes(100)));
  REG_RETURN_IF_ERROR(ValidateId("inspector.department", i.department()));
  REG_RETURN_IF_ERROR(ForField("inspector.region_code", ValidateRegionCode(i.region_code())));
  REG_RETURN_IF_ERROR(ValidateText("inspector.certificate_number", i.certificate_number(),
                                   TextRule::RequiredBytes(64)));
  if (!i.has_certificate_valid_until()) {
    return InvalidField("inspector.certificate_valid_until", "is required");
  }
  REG_RETURN_IF_ERROR(ForField("inspector.certificate_valid_until",
                               FromProtoDate(i.certificate_valid_until()).status()));
  if (i.qualifications_size() > 50) {
    return InvalidField("inspector.qualifications", "at most 50");
  }
  for (int q = 0; q < i.qualifications_size(); ++q) {
    REG_RETURN_IF_ERROR(
        ValidateId(absl::StrCat("inspector.qualifications[", q, "]"), i.qualifications(q)));
  }
  if (!v1::InspectorStatus_IsValid(i.status()) || i.status() == v1::INSPECTOR_STATUS_UNSPECIFIED) {
    return InvalidField("inspector.status", "must be ACTIVE, UNAVAILABLE or RETIRED");
  }
  REG_RETURN_IF_ERROR(
      ValidateText("inspector.badge_number", i.badge_number(), TextRule::OptionalBytes(32)));
  // Digits with the separators phone numbers are written with, e.g. "+86 571-8765 4321".
  if (i.work_phone().size() > 32 ||
      i.work_phone().find_first_not_of("0123456789 +-()") != std::string::npos) {
    return InvalidField("inspector.work_phone",
                        "at most 32 characters: digits, spaces and + - ( )");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return InvalidField(field, "is required");
  if (id.size() > 64) return InvalidField(field, "must be at most 64 characters");
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return InvalidField(field, "may only contain A-Z a-z 0-9 . _ -");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Inspector> Roster::UpsertInspector(const access::Caller& caller,
                                                      const v1::UpsertInspectorRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  absl::MutexLock lock(&write_mu_);
  REG_RETURN_IF_ERROR(ValidateInspector(request.inspector()));
  v1::Inspector record = request.inspector();
  record.DiscardUnknownFields();  // not stored: they would pass every size limit
  record.clear_version();
  absl::StatusOr<std::string> existing =
      store_->Get(ColumnFamily::kInspectors, record.inspector_id());
  if (existing.ok()) {
    REG_ASSIGN_OR_RETURN(v1::Inspector stored, Parse<v1::Inspector>(*existing, "inspector"));
    const int64_t version = stored.version();
    stored.clear_version();
    if (google::protobuf::util::MessageDifferencer::Equals(stored, record)) {
      stored.set_version(version);
      return stored;
    }
    record.set_version(version + 1);
  } else if (absl::IsNotFound(existing.status())) {
    record.set_version(1);
  } else {
    return existing.status();
  }
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kInspectors, record.inspector_id(), record.SerializeAsString());
  REG_RETURN_IF_ERROR(store_->Write(batch, Durable()));
  return record;
}

absl::StatusOr<v1::Inspector> Roster::GetInspector(absl::string_view inspector_id) {
  REG_RETURN_IF_ERROR(ValidateId("inspector_id", inspector_id));
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kInspectors, inspector_id);
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(absl::StrCat("inspector_id: no inspector ", inspector_id));
  }
  if (!bytes.ok()) return bytes.status();
  return Parse<v1::Inspector>(*bytes, "inspector");
}

absl::StatusOr<v1::ListInspectorsResponse> Roster::ListInspectors(
    const v1::ListInspectorsRequest& request) {
  if (!request.department().empty()) {
    REG_RETURN_IF_ERROR(ValidateId("department", request.department()));
  }
  REG_RETURN_IF_ERROR(ForField("region_prefix", ValidateRegionPrefix(request.region_prefix())));
  v1::ListInspectorsResponse response;
  PageRequest page{request.page_size(), request.page_token(),
                   absl::StrCat("inspectors|", request.department(), "|", request.region_prefix())};
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage(store_, ColumnFamily::kInspectors, {}, page,
               [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
                 REG_ASSIGN_OR_RETURN(v1::Inspector i, Parse<v1::Inspector>(value, "inspector"));
                 if (!request.department().empty() && i.department() != request.department()) {
                   return false;
                 }
                 if (!absl::StartsWith(i.region_code(), request.region_prefix())) return false;
                 *response.add_inspectors() = std::move(i);
                 return true;
               }));
  return response;
}

absl::StatusOr<v1::Conflict> Roster::DeclareConflict(const access::Caller& caller,
                                                     const v1::DeclareConflictRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  absl::MutexLock lock(&write_mu_);
  v1::Conflict conflict = request.conflict();
  conflict.DiscardUnknownFields();  // not stored: they would pass every size limit
  REG_RETURN_IF_ERROR(ValidateId("conflict.inspector_id", conflict.inspector_id()));
  REG_RETURN_IF_ERROR(ForField("conflict.credit_code", ValidateCreditCode(conflict.credit_code())));
  REG_RETURN_IF_ERROR(
      ValidateText("conflict.reason", conflict.reason(), TextRule::RequiredBytes(500)));
  if (!caller.roles.Contains(access::Role::kAdmin) &&
      conflict.inspector_id() != caller.inspector_id) {
    return absl::PermissionDeniedError(
        "conflict.inspector_id: an inspector declares its own conflicts only");
  }
  REG_RETURN_IF_ERROR(GetInspector(conflict.inspector_id()).status());
  // Declared once: a repeat (a retry, or a new reason) keeps the first declaration's time.
  absl::StatusOr<std::string> earlier = store_->Get(
      ColumnFamily::kConflicts, ConflictByInspector(conflict.inspector_id(), conflict.credit_code()));
  v1::Conflict stored;
  if (earlier.ok() && stored.ParseFromString(*earlier) && stored.has_declare_time()) {
    *conflict.mutable_declare_time() = stored.declare_time();
  } else if (!earlier.ok() && !absl::IsNotFound(earlier.status())) {
    return earlier.status();
  } else {
    *conflict.mutable_declare_time() = ToProtoTimestamp(clock_->Now());
  }
  storage::WriteBatch batch;
  const std::string value = conflict.SerializeAsString();
  batch.Put(ColumnFamily::kConflicts,
            ConflictByInspector(conflict.inspector_id(), conflict.credit_code()), value);
  batch.Put(ColumnFamily::kConflicts,
            ConflictByEnterprise(conflict.credit_code(), conflict.inspector_id()), value);
  REG_RETURN_IF_ERROR(store_->Write(batch, Durable()));
  return conflict;
}

absl::StatusOr<v1::ListConflictsResponse> Roster::ListConflicts(
    const access::Caller& caller, const v1::ListConflictsRequest& request) {
  const bool is_inspector_only = caller.roles.Contains(access::Role::kInspector) &&
                                 !caller.roles.Contains(access::Role::kAdmin) &&
                                 !caller.roles.Contains(access::Role::kAuditor) &&
                                 !caller.roles.Contains(access::Role::kAgency);
  std::string prefix;
  if (!request.credit_code().empty()) {
    REG_RETURN_IF_ERROR(ForField("credit_code", ValidateCreditCode(request.credit_code())));
  }
  if (!request.inspector_id().empty()) {
    REG_RETURN_IF_ERROR(ValidateId("inspector_id", request.inspector_id()));
    if (is_inspector_only && request.inspector_id() != caller.inspector_id) {
      return absl::PermissionDeniedError("inspector_id: an inspector sees its own conflicts only");
    }
    prefix = absl::StrCat("i/", request.inspector_id(), "/");
  } else if (!request.credit_code().empty()) {
    REG_RETURN_IF_ERROR(ForField("credit_code", ValidateCreditCode(request.credit_code())));
    if (is_inspector_only) {
      return absl::PermissionDeniedError("credit_code: an inspector lists its own conflicts only");
    }
    prefix = absl::StrCat("c/", request.credit_code(), "/");
  } else {
    return InvalidField("inspector_id", "inspector_id or credit_code is required");
  }
  v1::ListConflictsResponse response;
  PageRequest page{request.page_size(), request.page_token(), absl::StrCat("conflicts|", prefix)};
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage(store_, ColumnFamily::kConflicts, storage::PrefixBounds(prefix), page,
               [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
                 REG_ASSIGN_OR_RETURN(*response.add_conflicts(),
                                      Parse<v1::Conflict>(value, "conflict"));
                 return true;
               }));
  return response;
}

absl::StatusOr<v1::InspectionItem> Roster::UpsertItem(
    const access::Caller& caller, const v1::UpsertInspectionItemRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  absl::MutexLock lock(&write_mu_);
  v1::InspectionItem item = request.item();
  item.DiscardUnknownFields();  // not stored: they would pass every size limit
  REG_RETURN_IF_ERROR(ValidateId("item.item_id", item.item_id()));
  REG_RETURN_IF_ERROR(ValidateId("item.department", item.department()));
  REG_RETURN_IF_ERROR(ValidateText("item.title", item.title(), TextRule::RequiredBytes(300)));
  REG_RETURN_IF_ERROR(
      ValidateText("item.legal_basis", item.legal_basis(), TextRule::RequiredBytes(500)));
  if (item.kind() != v1::ITEM_KIND_KEY && item.kind() != v1::ITEM_KIND_GENERAL) {
    return InvalidField("item.kind", "must be KEY or GENERAL");
  }
  if (!item.required_qualification().empty()) {
    REG_RETURN_IF_ERROR(ValidateId("item.required_qualification", item.required_qualification()));
  }
  if (!caller.roles.Contains(access::Role::kAdmin)) {
    if (item.department() != caller.department) {
      return absl::PermissionDeniedError(
          "item.department: an agency keeps its own department's items only");
    }
    // Nor may it take over another department's item by reusing its id.
    absl::StatusOr<v1::InspectionItem> stored = GetItem(item.item_id());
    if (stored.ok() && stored->department() != caller.department) {
      return absl::PermissionDeniedError(absl::StrCat(
          "item.item_id: ", item.item_id(), " is an item of department ", stored->department()));
    }
    if (!stored.ok() && !absl::IsNotFound(stored.status())) return stored.status();
  }
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kItems, item.item_id(), item.SerializeAsString());
  REG_RETURN_IF_ERROR(store_->Write(batch, Durable()));
  return item;
}

absl::StatusOr<v1::InspectionItem> Roster::GetItem(absl::string_view item_id) {
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kItems, item_id);
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(absl::StrCat("item_id: no inspection item ", Quote(item_id)));
  }
  if (!bytes.ok()) return bytes.status();
  return Parse<v1::InspectionItem>(*bytes, "inspection item");
}

absl::StatusOr<v1::ListInspectionItemsResponse> Roster::ListItems(
    const v1::ListInspectionItemsRequest& request) {
  if (!request.department().empty()) {
    REG_RETURN_IF_ERROR(ValidateId("department", request.department()));
  }
  v1::ListInspectionItemsResponse response;
  PageRequest page{request.page_size(), request.page_token(),
                   absl::StrCat("items|", request.department())};
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage(store_, ColumnFamily::kItems, {}, page,
               [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
                 REG_ASSIGN_OR_RETURN(v1::InspectionItem item,
                                      Parse<v1::InspectionItem>(value, "inspection item"));
                 if (!request.department().empty() && item.department() != request.department()) {
                   return false;
                 }
                 *response.add_items() = std::move(item);
                 return true;
               }));
  return response;
}

}  // namespace regulation::services
