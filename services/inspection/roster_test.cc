#include "services/inspection/roster.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "storage/memory_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;

access::Caller Admin() {
  access::Caller c;
  c.roles = access::RoleSet::All();
  c.subject = "admin";
  return c;
}

v1::UpsertInspectorRequest Inspector(const std::string& name) {
  v1::UpsertInspectorRequest request;
  v1::Inspector* i = request.mutable_inspector();
  i->set_inspector_id("ZJ-0001");
  i->set_name(name);
  i->set_department("samr");
  i->set_region_code("330106");
  i->set_certificate_number("ZJ330106-0001");
  i->mutable_certificate_valid_until()->set_year(2028);
  i->mutable_certificate_valid_until()->set_month(6);
  i->mutable_certificate_valid_until()->set_day(30);
  i->set_status(v1::INSPECTOR_STATUS_ACTIVE);
  return request;
}

class RosterTest : public ::testing::Test {
 protected:
  RosterTest()
      : store_(storage::NewMemoryStore()),
        clock_(absl::FromCivil(absl::CivilDay(2026, 11, 28), ChinaTimeZone())),
        roster_(store_.get(), &clock_) {}

  std::unique_ptr<storage::KvStore> store_;
  FakeClock clock_;
  Roster roster_;
};

TEST_F(RosterTest, VersionGrowsOnlyWhenTheRecordChanges) {
  EXPECT_EQ(roster_.UpsertInspector(Admin(), Inspector("王明"))->version(), 1);
  EXPECT_EQ(roster_.UpsertInspector(Admin(), Inspector("王明"))->version(), 1);
  EXPECT_EQ(roster_.UpsertInspector(Admin(), Inspector("王明华"))->version(), 2);
  EXPECT_EQ(roster_.GetInspector("ZJ-0001")->name(), "王明华");
}

// Every change to one entry counts once, however many callers write it at the same time:
// a lost update would leave the version below the number of changes made.
TEST_F(RosterTest, ConcurrentChangesToOneInspectorEachGetTheirOwnVersion) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int w = 0; w < kWritesPerThread; ++w) {
        absl::StatusOr<v1::Inspector> written =
            roster_.UpsertInspector(Admin(), Inspector(absl::StrCat("检查员", t, "-", w)));
        ASSERT_OK(written);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(roster_.GetInspector("ZJ-0001")->version(), kThreads * kWritesPerThread);
}

TEST_F(RosterTest, AnInvalidInspectorIsRefusedNamingTheField) {
  v1::UpsertInspectorRequest request = Inspector("王明");
  request.mutable_inspector()->set_region_code("33010");
  const absl::Status status = roster_.UpsertInspector(Admin(), request).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(status.message().find("inspector.region_code"), absl::string_view::npos) << status;
  EXPECT_THAT(roster_.GetInspector("ZJ-0001"), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace regulation::services
