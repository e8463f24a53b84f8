// Fuzz target: ValidateEnterprise (services/portrait/enterprise_validation.h), the check
// every enterprise record passes on the way in. The input is a regulation.v1.Enterprise
// (proto_input.h). Checks: the answer is OK or INVALID_ARGUMENT naming an
// "enterprise." field; an accepted record has a valid credit code and region code and an
// establishment date not after today; InputFieldsOf keeps an accepted record accepted.

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "common/credit_code.h"
#include "common/region_code.h"
#include "regulation/v1/enterprise.pb.h"
#include "services/common/proto_time.h"
#include "services/portrait/enterprise_validation.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/proto_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regulation;
  v1::Enterprise enterprise;
  if (!fuzz::ParseFuzzInput(data, size, &enterprise)) return 0;
  const absl::CivilDay today(2026, 5, 28);
  const absl::Status status = services::ValidateEnterprise(enterprise, "enterprise", today);
  if (!status.ok()) {
    FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument) << status;
    FUZZ_CHECK(absl::StartsWith(status.message(), "enterprise.")) << status;
    return 0;
  }
  FUZZ_CHECK(IsValidCreditCode(enterprise.credit_code()));
  FUZZ_CHECK(ValidateRegionCode(enterprise.region_code()).ok());
  const absl::StatusOr<absl::CivilDay> established =
      services::FromProtoDate(enterprise.establishment_date());
  FUZZ_CHECK(established.ok()) << established.status();
  FUZZ_CHECK(*established <= today);
  const absl::Status again =
      services::ValidateEnterprise(services::InputFieldsOf(enterprise), "enterprise", today);
  FUZZ_CHECK(again.ok()) << again;
  return 0;
}
