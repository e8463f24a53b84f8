#include "tools/regctl/output.h"

#include "gtest/gtest.h"
#include "regulation/v1/enterprise.pb.h"
#include "testing/status_matchers.h"

namespace regulation::regctl {
namespace {

TEST(Output, JsonIsTheCanonicalMapping) {
  v1::Enterprise e;
  e.set_credit_code("91350100M000100Y43");
  e.set_status(v1::ENTERPRISE_STATUS_OPERATING);
  e.set_registered_capital_yuan(12);
  const std::string json = ToJson(e);
  EXPECT_NE(json.find("\"creditCode\": \"91350100M000100Y43\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"ENTERPRISE_STATUS_OPERATING\""), std::string::npos) << json;
  // int64 is a JSON string in the canonical mapping.
  EXPECT_NE(json.find("\"registeredCapitalYuan\": \"12\""), std::string::npos) << json;
}

TEST(Output, ChineseCharactersAreTwoColumnsWide) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("杭州"), 4);
  EXPECT_EQ(DisplayWidth("杭州ab"), 6);
}

TEST(Output, TableAlignsMixedWidthColumns) {
  Table table({"NAME", "CODE"});
  table.AddRow({"杭州公司", "1"});
  table.AddRow({"ab", "2"});
  EXPECT_EQ(table.Render(),
            "NAME      CODE\n"
            "杭州公司  1\n"
            "ab        2\n");
}

TEST(Output, UnknownFormatIsRejected) {
  EXPECT_OK(ParseOutputFormat("json"));
  EXPECT_FALSE(ParseOutputFormat("yaml").ok());
}

}  // namespace
}  // namespace regulation::regctl
