#include "tests/testing/enterprises.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/credit_code.h"

namespace regulation::testing {

std::string MakeCreditCode(absl::string_view region_code, int serial) {
  const std::string first17 = absl::StrCat("91", region_code, absl::StrFormat("%09d", serial));
  return absl::StrCat(first17, std::string(1, CreditCodeCheckCharacter(first17)));
}

v1::Enterprise MakeEnterprise(absl::string_view region_code, int serial) {
  v1::Enterprise e;
  e.set_credit_code(MakeCreditCode(region_code, serial));
  e.set_name(absl::StrCat("测试企业", serial, "有限公司"));
  e.set_region_code(std::string(region_code));
  e.set_industry_code("C13");
  e.set_registered_capital_yuan(1000000 + serial);
  e.mutable_establishment_date()->set_year(2015);
  e.mutable_establishment_date()->set_month(6);
  e.mutable_establishment_date()->set_day(1);
  e.set_status(v1::ENTERPRISE_STATUS_OPERATING);
  e.set_address(absl::StrCat("浙江省杭州市测试路", serial, "号"));
  return e;
}

}  // namespace regulation::testing
