#include "tools/regctl/import/enterprise_csv.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::regctl {
namespace {

const std::vector<std::string> kHeader = {
    "credit_code",        "name",   "region_code", "industry_code", "registered_capital_yuan",
    "establishment_date", "status", "address"};

std::vector<std::string> Row(absl::string_view csv) { return absl::StrSplit(csv, ','); }

TEST(EnterpriseCsvSchema, ParsesARow) {
  const EnterpriseCsvSchema schema = *EnterpriseCsvSchema::FromHeader(kHeader);
  const absl::StatusOr<v1::Enterprise> e = schema.ParseRow(
      Row(" 91350100M000100Y43 ,杭州示例科技有限公司,330106,I6510,5000000,2015-03-09,operating,"
          "杭州市西湖区文三路 1 号"));
  ASSERT_OK(e);
  EXPECT_EQ(e->credit_code(), "91350100M000100Y43");
  EXPECT_EQ(e->name(), "杭州示例科技有限公司");
  EXPECT_EQ(e->region_code(), "330106");
  EXPECT_EQ(e->industry_code(), "I6510");
  EXPECT_EQ(e->registered_capital_yuan(), 5000000);
  EXPECT_EQ(e->establishment_date().year(), 2015);
  EXPECT_EQ(e->establishment_date().month(), 3);
  EXPECT_EQ(e->establishment_date().day(), 9);
  EXPECT_EQ(e->status(), v1::ENTERPRISE_STATUS_OPERATING);
  EXPECT_EQ(e->address(), "杭州市西湖区文三路 1 号");
}

TEST(EnterpriseCsvSchema, TakesColumnsInHeaderOrderAndAddressIsOptional) {
  const absl::StatusOr<EnterpriseCsvSchema> schema = EnterpriseCsvSchema::FromHeader(
      Row("status,establishment_date,registered_capital_yuan,industry_code,region_code,name,"
          "credit_code"));
  ASSERT_OK(schema);
  const absl::StatusOr<v1::Enterprise> e =
      schema->ParseRow(Row("ENTERPRISE_STATUS_REVOKED,2001-01-31,,C13,110101,Name,CODE"));
  ASSERT_OK(e);
  EXPECT_EQ(e->status(), v1::ENTERPRISE_STATUS_REVOKED);
  EXPECT_EQ(e->credit_code(), "CODE");
  EXPECT_EQ(e->registered_capital_yuan(), 0);
  EXPECT_EQ(schema->ColumnName(0), "status");
  EXPECT_EQ(schema->ColumnName(9), "field 10");
}

TEST(EnterpriseCsvSchema, RejectsBadHeaders) {
  EXPECT_EQ(EnterpriseCsvSchema::FromHeader(Row("credit_code,name,region_code,industry_code,"
                                                "registered_capital_yuan,establishment_date"))
                .status()
                .message(),
            "missing column \"status\" (columns: credit_code,name,region_code,industry_code,"
            "registered_capital_yuan,establishment_date,status,address)");
  std::vector<std::string> unknown = kHeader;
  unknown.push_back("phone");
  EXPECT_TRUE(absl::StartsWith(EnterpriseCsvSchema::FromHeader(unknown).status().message(),
                               "unknown column \"phone\""));
  std::vector<std::string> twice = kHeader;
  twice.push_back("name");
  EXPECT_EQ(EnterpriseCsvSchema::FromHeader(twice).status().message(),
            "column \"name\" appears twice");
}

TEST(EnterpriseCsvSchema, NamesTheColumnOfABadValue) {
  const EnterpriseCsvSchema schema = *EnterpriseCsvSchema::FromHeader(kHeader);
  const auto error = [&](absl::string_view row) {
    return std::string(schema.ParseRow(Row(row)).status().message());
  };
  EXPECT_EQ(error("C,N,330106,C13,12.5,2015-03-09,OPERATING,"),
            "registered_capital_yuan: \"12.5\" is not a whole number of yuan (digits only, at "
            "most 9223372036854775807)");
  EXPECT_TRUE(absl::StartsWith(error("C,N,330106,C13,-1,2015-03-09,OPERATING,"),
                               "registered_capital_yuan: \"-1\""));
  EXPECT_TRUE(absl::StartsWith(error("C,N,330106,C13,99999999999999999999,2015-03-09,OPERATING,"),
                               "registered_capital_yuan:"));
  EXPECT_EQ(error("C,N,330106,C13,1,2015-02-29,OPERATING,"),
            "establishment_date: \"2015-02-29\" is not a date (YYYY-MM-DD)");
  EXPECT_EQ(error("C,N,330106,C13,1,2015/03/09,OPERATING,"),
            "establishment_date: \"2015/03/09\" is not a date (YYYY-MM-DD)");
  EXPECT_EQ(error("C,N,330106,C13,1,2015-3-9,OPERATING,"),
            "establishment_date: \"2015-3-9\" is not a date (YYYY-MM-DD)");
  EXPECT_EQ(error("C,N,330106,C13,1,,OPERATING,"), "establishment_date: required (YYYY-MM-DD)");
  EXPECT_EQ(error("C,N,330106,C13,1,2015-03-09,OPEN,"),
            "status: unknown status \"OPEN\" (OPERATING, SUSPENDED, LIQUIDATING, REVOKED, "
            "DEREGISTERED or MOVED_OUT)");
  EXPECT_TRUE(absl::StartsWith(error("C,N,330106,C13,1,2015-03-09,UNSPECIFIED,"),
                               "status: unknown status"));
  EXPECT_EQ(error("C,N,330106,C13,1,2015-03-09,,"), "status: required (e.g. OPERATING)");
  EXPECT_EQ(error("C,N\xFF,330106,C13,1,2015-03-09,OPERATING,"), "name: not valid UTF-8 (byte 2)");
  EXPECT_EQ(error("C,N,330106,C13,1,2015-03-09,OPERATING"),
            "8 columns in the header, 7 in this row");
}

TEST(EnterpriseCsvSchema, LeavesTheServerToJudgeCodesAndNames) {
  const EnterpriseCsvSchema schema = *EnterpriseCsvSchema::FromHeader(kHeader);
  EXPECT_OK(schema.ParseRow(Row(",,,,0,2015-03-09,SUSPENDED,")));
}

}  // namespace
}  // namespace regulation::regctl
