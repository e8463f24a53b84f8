#include "services/portrait/enterprise_validation.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/industry_code.h"
#include "common/region_code.h"
#include "common/status_macros.h"
#include "common/text_policy.h"
#include "services/common/proto_time.h"

namespace regulation::services {

absl::Status ValidateEnterprise(const v1::Enterprise& e, absl::string_view prefix,
                                absl::CivilDay today) {
  auto field = [&](absl::string_view name) { return absl::StrCat(prefix, ".", name); };
  REG_RETURN_IF_ERROR(ForField(field("credit_code"), ValidateCreditCode(e.credit_code())));
  REG_RETURN_IF_ERROR(
      ValidateText(field("name"), e.name(), TextRule::RequiredChars(kMaxEnterpriseNameChars)));
  REG_RETURN_IF_ERROR(ForField(field("region_code"), ValidateRegionCode(e.region_code())));
  REG_RETURN_IF_ERROR(ForField(field("industry_code"), ValidateIndustryCode(e.industry_code())));
  if (e.registered_capital_yuan() < 0) {
    return InvalidField(field("registered_capital_yuan"), "must not be negative");
  }
  if (e.registered_capital_yuan() > 1000000000000000) {  // as event amounts: 10^15 yuan
    return InvalidField(field("registered_capital_yuan"), "must be at most 10^15 yuan");
  }
  if (!e.has_establishment_date()) {
    return InvalidField(field("establishment_date"), "is required");
  }
  absl::StatusOr<absl::CivilDay> established = FromProtoDate(e.establishment_date());
  if (!established.ok()) {
    return ForField(field("establishment_date"), established.status());
  }
  if (*established > today) {
    return InvalidField(
        field("establishment_date"),
        absl::StrCat("must not be in the future (today is ", absl::FormatCivilTime(today), ")"));
  }
  if (e.status() == v1::ENTERPRISE_STATUS_UNSPECIFIED) {
    return InvalidField(field("status"), "is required");
  }
  if (!v1::EnterpriseStatus_IsValid(e.status())) {
    return InvalidField(field("status"), absl::StrFormat("%d is not a known status", e.status()));
  }
  REG_RETURN_IF_ERROR(
      ValidateText(field("address"), e.address(), TextRule::OptionalChars(kMaxAddressChars)));
  return absl::OkStatus();
}

v1::Enterprise InputFieldsOf(const v1::Enterprise& enterprise) {
  v1::Enterprise input = enterprise;
  // Fields this server does not know are not stored: they would pass every size limit.
  input.DiscardUnknownFields();
  input.clear_version();
  input.clear_create_time();
  input.clear_update_time();
  return input;
}

}  // namespace regulation::services
