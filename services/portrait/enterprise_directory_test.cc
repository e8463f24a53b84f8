#include "services/portrait/enterprise_directory.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/pagination.h"
#include "storage/memory_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"
#include "tests/testing/enterprises.h"

namespace regulation::services {
namespace {

using ::regulation::testing::MakeEnterprise;
using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

class EnterpriseDirectoryTest : public ::testing::Test {
 protected:
  EnterpriseDirectoryTest()
      : store_(storage::NewMemoryStore()),
        clock_(absl::FromCivil(absl::CivilSecond(2026, 11, 27, 12, 0, 0), ChinaTimeZone())),
        directory_(store_.get(), &clock_) {}

  v1::UpsertEnterpriseResponse Upsert(const v1::Enterprise& e, std::string request_id = "") {
    v1::UpsertEnterpriseRequest request;
    *request.mutable_enterprise() = e;
    request.set_request_id(request_id);
    absl::StatusOr<v1::UpsertEnterpriseResponse> response = directory_.Upsert(operator_, request);
    EXPECT_OK(response);
    return response.value_or(v1::UpsertEnterpriseResponse());
  }

  // Holds every role and every region, like the local operator.
  const access::Caller operator_ = [] {
    access::Caller caller;
    caller.roles = access::RoleSet::All();
    caller.subject = "operator";
    return caller;
  }();
  std::unique_ptr<storage::KvStore> store_;
  FakeClock clock_;
  EnterpriseDirectory directory_;
};

TEST_F(EnterpriseDirectoryTest, UpsertThenGetReturnsTheRecordWithVersionAndTimes) {
  const v1::Enterprise e = MakeEnterprise("330106", 1);
  const v1::UpsertEnterpriseResponse response = Upsert(e);
  EXPECT_TRUE(response.changed());
  EXPECT_EQ(response.enterprise().version(), 1);

  absl::StatusOr<v1::Enterprise> got = directory_.Get(operator_, e.credit_code());
  ASSERT_OK(got);
  EXPECT_EQ(got->name(), e.name());
  EXPECT_EQ(got->version(), 1);
  EXPECT_EQ(got->create_time().seconds(), absl::ToUnixSeconds(clock_.Now()));
}

TEST_F(EnterpriseDirectoryTest, UnchangedUpsertKeepsVersionAndChangeBumpsIt) {
  v1::Enterprise e = MakeEnterprise("330106", 1);
  Upsert(e);
  clock_.Advance(absl::Hours(1));
  EXPECT_FALSE(Upsert(e).changed());
  EXPECT_EQ(directory_.Get(operator_, e.credit_code())->version(), 1);

  e.set_name("改名后的公司");
  const v1::UpsertEnterpriseResponse changed = Upsert(e);
  EXPECT_TRUE(changed.changed());
  EXPECT_EQ(changed.enterprise().version(), 2);
  EXPECT_LT(changed.enterprise().create_time().seconds(),
            changed.enterprise().update_time().seconds());
}

TEST_F(EnterpriseDirectoryTest, RegionChangeMovesTheIndexEntry) {
  v1::Enterprise e = MakeEnterprise("330106", 1);
  Upsert(e);
  e.set_region_code("330206");
  Upsert(e);
  v1::ListEnterprisesRequest old_region;
  old_region.set_region_prefix("330106");
  EXPECT_EQ(directory_.List(operator_, old_region)->enterprises_size(), 0);
  v1::ListEnterprisesRequest new_region;
  new_region.set_region_prefix("3302");
  EXPECT_EQ(directory_.List(operator_, new_region)->enterprises_size(), 1);
}

TEST_F(EnterpriseDirectoryTest, RetriedRequestIdReturnsFirstResponse) {
  v1::Enterprise e = MakeEnterprise("330106", 1);
  const v1::UpsertEnterpriseResponse first = Upsert(e, "req-1");
  clock_.Advance(absl::Minutes(5));
  const v1::UpsertEnterpriseResponse again = Upsert(e, "req-1");
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());

  e.set_name("另一个名字");
  v1::UpsertEnterpriseRequest different;
  *different.mutable_enterprise() = e;
  different.set_request_id("req-1");
  EXPECT_THAT(directory_.Upsert(operator_, different), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_NE(directory_.Get(operator_, e.credit_code())->name(), "另一个名字");
}

TEST_F(EnterpriseDirectoryTest, BatchWritesValidItemsAndReportsBadOnes) {
  v1::BatchUpsertEnterprisesRequest request;
  *request.add_enterprises() = MakeEnterprise("330106", 1);
  v1::Enterprise bad = MakeEnterprise("330106", 2);
  bad.set_region_code("33");
  *request.add_enterprises() = bad;
  *request.add_enterprises() = MakeEnterprise("330106", 3);
  *request.add_enterprises() = MakeEnterprise("330106", 1);  // duplicate

  absl::StatusOr<v1::BatchUpsertEnterprisesResponse> response =
      directory_.BatchUpsert(operator_, request);
  ASSERT_OK(response);
  EXPECT_EQ(response->upserted_count(), 2);
  ASSERT_EQ(response->errors_size(), 2);
  EXPECT_EQ(response->errors(0).index(), 1);
  EXPECT_THAT(response->errors(0).message(), HasSubstr("enterprises[1].region_code"));
  EXPECT_EQ(response->errors(1).index(), 3);
  EXPECT_THAT(response->errors(1).message(), HasSubstr("earlier in the same batch"));
  EXPECT_OK(directory_.Get(operator_, MakeEnterprise("330106", 3).credit_code()));
  EXPECT_THAT(directory_.Get(operator_, bad.credit_code()), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(EnterpriseDirectoryTest, BatchSizeLimits) {
  v1::BatchUpsertEnterprisesRequest request;
  EXPECT_THAT(directory_.BatchUpsert(operator_, request),
              StatusIs(absl::StatusCode::kInvalidArgument));
  for (int i = 0; i <= EnterpriseDirectory::kMaxBatchSize; ++i) {
    *request.add_enterprises() = MakeEnterprise("330106", i);
  }
  EXPECT_THAT(directory_.BatchUpsert(operator_, request).status().message(),
              HasSubstr("at most 1000"));
}

TEST_F(EnterpriseDirectoryTest, GetUnknownIsNotFoundAndMalformedIsInvalid) {
  EXPECT_THAT(directory_.Get(operator_, "91350100M000100Y43"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(directory_.Get(operator_, "91350100M000100Y44"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(EnterpriseDirectoryTest, ListFiltersByRegionIndustryAndStatus) {
  v1::BatchUpsertEnterprisesRequest batch;
  for (int i = 0; i < 30; ++i) {
    v1::Enterprise e = MakeEnterprise(i % 2 ? "330106" : "320102", i);
    if (i % 3 == 0) e.set_industry_code("F51");
    if (i % 5 == 0) e.set_status(v1::ENTERPRISE_STATUS_DEREGISTERED);
    *batch.add_enterprises() = e;
  }
  ASSERT_OK(directory_.BatchUpsert(operator_, batch));

  v1::ListEnterprisesRequest request;
  request.set_region_prefix("33");
  request.set_industry_code("C");
  request.set_status(v1::ENTERPRISE_STATUS_OPERATING);
  absl::StatusOr<v1::ListEnterprisesResponse> response = directory_.List(operator_, request);
  ASSERT_OK(response);
  int expected = 0;
  for (int i = 0; i < 30; ++i) expected += (i % 2 == 1 && i % 3 != 0 && i % 5 != 0);
  EXPECT_EQ(response->enterprises_size(), expected);
  for (const v1::Enterprise& e : response->enterprises()) {
    EXPECT_EQ(e.region_code(), "330106");
    EXPECT_EQ(e.industry_code(), "C13");
    EXPECT_EQ(e.status(), v1::ENTERPRISE_STATUS_OPERATING);
  }
}

TEST_F(EnterpriseDirectoryTest, PaginationCoversEveryRowOnceWithAndWithoutRegion) {
  v1::BatchUpsertEnterprisesRequest batch;
  for (int i = 0; i < 257; ++i) *batch.add_enterprises() = MakeEnterprise("330106", i);
  for (int i = 0; i < 40; ++i) *batch.add_enterprises() = MakeEnterprise("110101", 1000 + i);
  ASSERT_OK(directory_.BatchUpsert(operator_, batch));

  for (const std::string region : {"", "3301"}) {
    std::multiset<std::string> seen;
    v1::ListEnterprisesRequest request;
    request.set_region_prefix(region);
    request.set_page_size(10);
    int pages = 0;
    do {
      absl::StatusOr<v1::ListEnterprisesResponse> page = directory_.List(operator_, request);
      ASSERT_OK(page);
      for (const auto& e : page->enterprises()) seen.insert(e.credit_code());
      request.set_page_token(page->next_page_token());
      ++pages;
    } while (!request.page_token().empty());
    const size_t expected = region.empty() ? 297 : 257;
    EXPECT_EQ(seen.size(), expected) << "region " << region;
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), expected);
    EXPECT_GE(pages, static_cast<int>(expected / 10));
  }
}

TEST_F(EnterpriseDirectoryTest, TokenCannotWidenTheRegion) {
  v1::BatchUpsertEnterprisesRequest batch;
  for (int i = 0; i < 5; ++i) *batch.add_enterprises() = MakeEnterprise("330106", i);
  for (int i = 0; i < 5; ++i) *batch.add_enterprises() = MakeEnterprise("330206", 100 + i);
  ASSERT_OK(directory_.BatchUpsert(operator_, batch));

  v1::ListEnterprisesRequest first;
  first.set_region_prefix("3302");
  first.set_page_size(2);
  const std::string token = directory_.List(operator_, first)->next_page_token();
  ASSERT_FALSE(token.empty());

  v1::ListEnterprisesRequest other = first;
  other.set_region_prefix("3301");
  other.set_page_token(token);
  EXPECT_THAT(directory_.List(operator_, other), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(EnterpriseDirectoryTest, BadListArgumentsAreNamed) {
  v1::ListEnterprisesRequest request;
  request.set_region_prefix("3x");
  EXPECT_THAT(directory_.List(operator_, request).status().message(), HasSubstr("region_prefix"));
  request.Clear();
  request.set_industry_code("Z");
  EXPECT_THAT(directory_.List(operator_, request).status().message(), HasSubstr("industry_code"));
  request.Clear();
  request.set_page_size(-3);
  EXPECT_THAT(directory_.List(operator_, request).status().message(), HasSubstr("page_size"));
  request.Clear();
  request.set_page_token("garbage");
  EXPECT_THAT(directory_.List(operator_, request).status().message(), HasSubstr("page_token"));
}

access::Caller AgencyFor(std::string region_prefix) {
  access::Caller caller;
  caller.roles = {access::Role::kAgency};
  caller.subject = "agency " + region_prefix;
  caller.department = "samr";
  caller.region_prefix = std::move(region_prefix);
  return caller;
}

class EnterpriseDirectoryJurisdictionTest : public EnterpriseDirectoryTest {
 protected:
  void SetUp() override {
    v1::BatchUpsertEnterprisesRequest batch;
    for (int i = 0; i < 20; ++i) *batch.add_enterprises() = MakeEnterprise("330106", i);
    for (int i = 0; i < 20; ++i) *batch.add_enterprises() = MakeEnterprise("330206", 100 + i);
    ASSERT_OK(directory_.BatchUpsert(operator_, batch));
  }
  const access::Caller hangzhou_ = AgencyFor("3301");
  const std::string ningbo_code_ = testing::MakeCreditCode("330206", 100);
};

TEST_F(EnterpriseDirectoryJurisdictionTest, AgencyCannotReadAnotherRegion) {
  EXPECT_OK(directory_.Get(hangzhou_, testing::MakeCreditCode("330106", 1)));
  const absl::Status denied = directory_.Get(hangzhou_, ningbo_code_).status();
  EXPECT_THAT(denied, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(denied.message(), "credit_code: outside your jurisdiction");
  // Unknown codes registered elsewhere are refused the same way: no existence oracle.
  EXPECT_THAT(directory_.Get(hangzhou_, testing::MakeCreditCode("330206", 999)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(directory_.Get(hangzhou_, testing::MakeCreditCode("330106", 999)),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(EnterpriseDirectoryJurisdictionTest, AgencyCannotChangeOrMoveAnotherRegionsEnterprise) {
  v1::UpsertEnterpriseRequest request;
  *request.mutable_enterprise() = MakeEnterprise("330206", 100);
  request.mutable_enterprise()->set_name("改到别处");
  EXPECT_THAT(directory_.Upsert(hangzhou_, request), StatusIs(absl::StatusCode::kPermissionDenied));
  // Claiming it by moving it into the agency's own region is refused too.
  request.mutable_enterprise()->set_region_code("330106");
  EXPECT_THAT(directory_.Upsert(hangzhou_, request), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(directory_.Get(operator_, ningbo_code_)->region_code(), "330206");

  v1::BatchUpsertEnterprisesRequest batch;
  *batch.add_enterprises() = MakeEnterprise("330106", 500);
  *batch.add_enterprises() = request.enterprise();
  absl::StatusOr<v1::BatchUpsertEnterprisesResponse> response =
      directory_.BatchUpsert(hangzhou_, batch);
  ASSERT_OK(response);
  EXPECT_EQ(response->upserted_count(), 1);
  ASSERT_EQ(response->errors_size(), 1);
  EXPECT_EQ(response->errors(0).code(), static_cast<int>(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(response->errors(0).message(), "enterprises[1].credit_code: outside your jurisdiction");
}

TEST_F(EnterpriseDirectoryJurisdictionTest, ListIsNarrowedToTheJurisdiction) {
  for (const std::string requested : {"", "33", "3301"}) {
    v1::ListEnterprisesRequest request;
    request.set_region_prefix(requested);
    request.set_page_size(7);
    int seen = 0;
    do {
      absl::StatusOr<v1::ListEnterprisesResponse> page = directory_.List(hangzhou_, request);
      ASSERT_OK(page);
      for (const auto& e : page->enterprises()) {
        EXPECT_EQ(e.region_code(), "330106");
        ++seen;
      }
      request.set_page_token(page->next_page_token());
    } while (!request.page_token().empty());
    EXPECT_EQ(seen, 20) << "requested " << requested;
  }
  v1::ListEnterprisesRequest other;
  other.set_region_prefix("3302");
  EXPECT_THAT(directory_.List(hangzhou_, other), StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(EnterpriseDirectoryJurisdictionTest, HandMadeTokensCannotLeaveTheJurisdiction) {
  // A token naming a key in another region, with the agency's own filters: the scan is
  // clamped to 3301, so nothing from 3302 comes back.
  v1::ListEnterprisesRequest request;
  request.set_page_token(
      EncodePageToken("enterprises|region=3301|industry=|status=0", "330206" + ningbo_code_));
  absl::StatusOr<v1::ListEnterprisesResponse> page = directory_.List(hangzhou_, request);
  ASSERT_OK(page);
  for (const auto& e : page->enterprises()) EXPECT_EQ(e.region_code(), "330106");
  // A token naming a key before the range starts at the range.
  request.set_page_token(EncodePageToken("enterprises|region=3301|industry=|status=0", "11"));
  page = directory_.List(hangzhou_, request);
  ASSERT_OK(page);
  EXPECT_EQ(page->enterprises_size(), 20);
  for (const auto& e : page->enterprises()) EXPECT_EQ(e.region_code(), "330106");
  // A token issued to the operator for all regions is refused.
  v1::ListEnterprisesRequest all;
  all.set_page_size(5);
  request.set_page_token(directory_.List(operator_, all)->next_page_token());
  EXPECT_THAT(directory_.List(hangzhou_, request), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::services
