#include "tools/regctl/enum_flag.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "regulation/v1/objection.pb.h"
#include "regulation/v1/enterprise.pb.h"

namespace regulation::regctl {
namespace {

using ::testing::HasSubstr;

TEST(EnumFlag, TakesTheShortNameInAnyCaseOrTheFullName) {
  EXPECT_EQ(ParseEnumFlag<v1::ObjectionState>("OBJECTION_STATE_", "--state", "upheld").value(),
            v1::OBJECTION_STATE_UPHELD);
  EXPECT_EQ(ParseEnumFlag<v1::ObjectionState>("OBJECTION_STATE_", "--state", "Open").value(),
            v1::OBJECTION_STATE_OPEN);
  EXPECT_EQ(ParseEnumFlag<v1::EnterpriseStatus>("ENTERPRISE_STATUS_", "--status",
                                                "ENTERPRISE_STATUS_REVOKED")
                .value(),
            v1::ENTERPRISE_STATUS_REVOKED);
}

TEST(EnumFlag, RefusesThePlaceholderAndUnknownNamesListingTheChoices) {
  for (const char* text : {"unspecified", "closed", ""}) {
    absl::StatusOr<v1::ObjectionState> state =
        ParseEnumFlag<v1::ObjectionState>("OBJECTION_STATE_", "--state", text);
    ASSERT_EQ(state.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(state.status().message()),
                HasSubstr("--state: one of open, upheld or rejected, got \""));
  }
}

}  // namespace
}  // namespace regulation::regctl
