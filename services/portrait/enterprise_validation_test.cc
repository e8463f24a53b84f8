#include "services/portrait/enterprise_validation.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

const absl::CivilDay kToday(2026, 11, 27);

v1::Enterprise Valid() {
  v1::Enterprise e;
  e.set_credit_code("91350100M000100Y43");
  e.set_name("福州测试有限公司");
  e.set_region_code("350100");
  e.set_industry_code("F51");
  e.set_registered_capital_yuan(500000);
  e.mutable_establishment_date()->set_year(2010);
  e.mutable_establishment_date()->set_month(3);
  e.mutable_establishment_date()->set_day(15);
  e.set_status(v1::ENTERPRISE_STATUS_OPERATING);
  return e;
}

// The status of validating Valid() after `mutate`.
template <typename Mutate>
absl::Status After(Mutate mutate) {
  v1::Enterprise e = Valid();
  mutate(e);
  return ValidateEnterprise(e, "enterprise", kToday);
}

TEST(EnterpriseValidation, ValidRecordPasses) {
  EXPECT_OK(ValidateEnterprise(Valid(), "enterprise", kToday));
}

TEST(EnterpriseValidation, EachBadFieldIsNamed) {
  struct Case {
    const char* field;
    std::function<void(v1::Enterprise&)> mutate;
  };
  const Case cases[] = {
      {"enterprise.credit_code", [](auto& e) { e.set_credit_code("91350100M000100Y44"); }},
      {"enterprise.credit_code", [](auto& e) { e.clear_credit_code(); }},
      {"enterprise.name", [](auto& e) { e.clear_name(); }},
      {"enterprise.name", [](auto& e) { e.set_name(std::string(201, 'x')); }},
      {"enterprise.name", [](auto& e) { e.set_name("a\nb"); }},
      {"enterprise.region_code", [](auto& e) { e.set_region_code("3501"); }},
      {"enterprise.region_code", [](auto& e) { e.set_region_code("990100"); }},
      {"enterprise.industry_code", [](auto& e) { e.set_industry_code("F13"); }},
      {"enterprise.registered_capital_yuan", [](auto& e) { e.set_registered_capital_yuan(-1); }},
      {"enterprise.establishment_date", [](auto& e) { e.clear_establishment_date(); }},
      {"enterprise.establishment_date",
       [](auto& e) {
         e.mutable_establishment_date()->set_month(2), e.mutable_establishment_date()->set_day(30);
       }},
      {"enterprise.establishment_date",
       [](auto& e) {
         e.mutable_establishment_date()->set_year(2026),
             e.mutable_establishment_date()->set_month(11),
             e.mutable_establishment_date()->set_day(28);
       }},
      {"enterprise.status", [](auto& e) { e.clear_status(); }},
      {"enterprise.status", [](auto& e) { e.set_status(static_cast<v1::EnterpriseStatus>(42)); }},
      {"enterprise.address", [](auto& e) { e.set_address(std::string(501, 'x')); }},
  };
  for (const Case& c : cases) {
    const absl::Status status = After(c.mutate);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << c.field;
    EXPECT_THAT(status.message(), HasSubstr(std::string(c.field) + ":")) << status;
  }
}

TEST(EnterpriseValidation, NameLimitCountsCharactersNotBytes) {
  std::string name;
  for (int i = 0; i < 200; ++i) name += "企";  // 600 bytes, 200 characters
  EXPECT_OK(After([&](auto& e) { e.set_name(name); }));
}

TEST(EnterpriseValidation, TodayIsNotTheFuture) {
  EXPECT_OK(After([](auto& e) {
    e.mutable_establishment_date()->set_year(2026);
    e.mutable_establishment_date()->set_month(11);
    e.mutable_establishment_date()->set_day(27);
  }));
}

TEST(EnterpriseValidation, OutputFieldsAreIgnoredAndStripped) {
  v1::Enterprise e = Valid();
  e.set_version(-5);
  e.mutable_update_time()->set_seconds(1);
  EXPECT_OK(ValidateEnterprise(e, "enterprise", kToday));
  const v1::Enterprise input = InputFieldsOf(e);
  EXPECT_EQ(input.version(), 0);
  EXPECT_FALSE(input.has_update_time());
  EXPECT_EQ(input.credit_code(), e.credit_code());
}

}  // namespace
}  // namespace regulation::services
