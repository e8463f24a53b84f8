#include "services/alerts/alert_book.h"

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/alerts/alert_rules.h"
#include "storage/memory_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

access::Caller Agency(const std::string& region, const std::string& department) {
  access::Caller caller;
  caller.roles = access::RoleSet{access::Role::kAgency};
  caller.subject = "agency-" + region + "-" + department;
  caller.department = department;
  caller.region_prefix = region;
  return caller;
}

access::Caller Admin() {
  access::Caller caller;
  caller.roles = access::RoleSet{access::Role::kAdmin};
  caller.subject = "admin";
  return caller;
}

v1::Alert MakeAlert(const std::string& cause, const std::string& region,
                    const std::string& department) {
  v1::Alert alert;
  alert.set_rule(v1::ALERT_RULE_PENALTY);
  alert.set_credit_code("91330106MA2B000011");
  alert.set_cause(cause);
  alert.set_alert_id(AlertId(alert.rule(), alert.credit_code(), cause));
  alert.set_region_code(region);
  alert.set_department(department);
  return alert;
}

std::vector<std::string> Causes(const v1::ListAlertsResponse& response) {
  std::vector<std::string> out;
  for (const v1::Alert& a : response.alerts()) out.push_back(a.cause());
  std::sort(out.begin(), out.end());
  return out;
}

class AlertBookTest : public ::testing::Test {
 protected:
  std::unique_ptr<storage::KvStore> store_ = storage::NewMemoryStore();
  FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  AlertBook book_{store_.get(), &clock_};
};

TEST_F(AlertBookTest, TheSameCauseRaisedAgainIsStoredOnce) {
  ASSERT_OK_AND_ASSIGN(int first, book_.Raise({MakeAlert("event:E1", "330106", "samr")}));
  EXPECT_EQ(first, 1);
  clock_.Advance(absl::Hours(1));
  ASSERT_OK_AND_ASSIGN(int again, book_.Raise({MakeAlert("event:E1", "330106", "samr"),
                                               MakeAlert("event:E1", "330106", "samr")}));
  EXPECT_EQ(again, 0);
  ASSERT_OK_AND_ASSIGN(v1::ListAlertsResponse all, book_.List(Admin(), {}));
  ASSERT_EQ(all.alerts_size(), 1);
  // The first raise stands.
  EXPECT_EQ(all.alerts(0).raise_time().seconds(), 1790000000);
}

TEST_F(AlertBookTest, ListShowsOnlyTheJurisdictionAndTheDepartment) {
  ASSERT_OK(book_.Raise({MakeAlert("hz-samr", "330106", "samr"),
                         MakeAlert("hz-tax", "330106", "tax"),
                         MakeAlert("hz-score", "330106", ""),
                         MakeAlert("nb-samr", "330203", "samr")})
                .status());
  ASSERT_OK_AND_ASSIGN(v1::ListAlertsResponse hz, book_.List(Agency("3301", "samr"), {}));
  EXPECT_THAT(Causes(hz), ElementsAre("hz-samr", "hz-score"));
  ASSERT_OK_AND_ASSIGN(v1::ListAlertsResponse zj, book_.List(Agency("33", "samr"), {}));
  EXPECT_THAT(Causes(zj), ElementsAre("hz-samr", "hz-score", "nb-samr"));
  ASSERT_OK_AND_ASSIGN(v1::ListAlertsResponse nb, book_.List(Agency("3302", "tax"), {}));
  EXPECT_THAT(Causes(nb), IsEmpty());
  ASSERT_OK_AND_ASSIGN(v1::ListAlertsResponse admin, book_.List(Admin(), {}));
  EXPECT_EQ(admin.alerts_size(), 4);
  // Asking for another region is refused, not answered empty.
  v1::ListAlertsRequest elsewhere;
  elsewhere.set_region_prefix("3302");
  EXPECT_THAT(book_.List(Agency("3301", "samr"), elsewhere),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("region_prefix")));
}

TEST_F(AlertBookTest, ListFiltersAndPages) {
  std::vector<v1::Alert> alerts;
  for (int i = 0; i < 5; ++i) alerts.push_back(MakeAlert(absl::StrCat("c", i), "330106", "samr"));
  v1::Alert other = MakeAlert("other-rule", "330106", "samr");
  other.set_rule(v1::ALERT_RULE_LIST_ENTRY);
  other.set_alert_id(AlertId(other.rule(), other.credit_code(), other.cause()));
  alerts.push_back(other);
  ASSERT_OK(book_.Raise(alerts).status());

  v1::ListAlertsRequest request;
  request.set_rule(v1::ALERT_RULE_PENALTY);
  request.set_page_size(2);
  std::vector<std::string> seen;
  for (int pages = 0; pages < 10; ++pages) {
    ASSERT_OK_AND_ASSIGN(v1::ListAlertsResponse page, book_.List(Agency("3301", "samr"), request));
    EXPECT_LE(page.alerts_size(), 2);
    for (const v1::Alert& a : page.alerts()) seen.push_back(a.cause());
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_THAT(seen, ElementsAre("c0", "c1", "c2", "c3", "c4"));
  // A token is bound to its filters.
  v1::ListAlertsRequest first;
  first.set_page_size(1);
  ASSERT_OK_AND_ASSIGN(v1::ListAlertsResponse page, book_.List(Agency("3301", "samr"), first));
  v1::ListAlertsRequest changed;
  changed.set_page_token(page.next_page_token());
  changed.set_rule(v1::ALERT_RULE_LIST_ENTRY);
  EXPECT_THAT(book_.List(Agency("3301", "samr"), changed),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  v1::ListAlertsRequest bad_code;
  bad_code.set_credit_code("nope");
  EXPECT_THAT(book_.List(Admin(), bad_code),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("credit_code")));
}

TEST_F(AlertBookTest, AcknowledgeRecordsOnceAndRefusesADifferentSecond) {
  const v1::Alert alert = MakeAlert("event:E1", "330106", "samr");
  ASSERT_OK(book_.Raise({alert}).status());
  const access::Caller hz = Agency("3301", "samr");
  v1::AcknowledgeAlertRequest ack;
  ack.set_alert_id(alert.alert_id());
  ack.set_disposition(v1::ALERT_DISPOSITION_ACTION_TAKEN);
  ack.set_note("targeted inspection scheduled");
  ack.set_request_id("ack-1");
  ASSERT_OK_AND_ASSIGN(v1::Alert done, book_.Acknowledge(hz, ack));
  EXPECT_EQ(done.acknowledgement().disposition(), v1::ALERT_DISPOSITION_ACTION_TAKEN);
  EXPECT_EQ(done.acknowledgement().subject(), hz.subject);
  EXPECT_EQ(done.acknowledgement().department(), "samr");

  // A retry (same request_id) and the same acknowledgement without one: the stored alert.
  clock_.Advance(absl::Minutes(5));
  ASSERT_OK_AND_ASSIGN(v1::Alert retried, book_.Acknowledge(hz, ack));
  EXPECT_EQ(retried.acknowledgement().time().seconds(), done.acknowledgement().time().seconds());
  ack.clear_request_id();
  ASSERT_OK_AND_ASSIGN(v1::Alert same, book_.Acknowledge(hz, ack));
  EXPECT_EQ(same.acknowledgement().time().seconds(), done.acknowledgement().time().seconds());

  // A different second acknowledgement.
  ack.set_disposition(v1::ALERT_DISPOSITION_DISMISSED);
  EXPECT_THAT(book_.Acknowledge(hz, ack),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("ACTION_TAKEN")));
  // The request_id reused for another request.
  ack.set_request_id("ack-1");
  EXPECT_THAT(book_.Acknowledge(hz, ack), StatusIs(absl::StatusCode::kAlreadyExists));

  // Listed as acknowledged, no longer as unacknowledged.
  v1::ListAlertsRequest open;
  open.set_state(v1::ListAlertsRequest::STATE_UNACKNOWLEDGED);
  ASSERT_OK_AND_ASSIGN(v1::ListAlertsResponse none, book_.List(hz, open));
  EXPECT_THAT(none.alerts(), IsEmpty());
  open.set_state(v1::ListAlertsRequest::STATE_ACKNOWLEDGED);
  ASSERT_OK_AND_ASSIGN(v1::ListAlertsResponse one, book_.List(hz, open));
  EXPECT_EQ(one.alerts_size(), 1);
}

TEST_F(AlertBookTest, AcknowledgeOutsideTheScopeLooksLikeAnUnknownAlert) {
  const v1::Alert alert = MakeAlert("event:E1", "330106", "samr");
  ASSERT_OK(book_.Raise({alert}).status());
  v1::AcknowledgeAlertRequest ack;
  ack.set_alert_id(alert.alert_id());
  ack.set_disposition(v1::ALERT_DISPOSITION_DISMISSED);
  const absl::Status other_region = book_.Acknowledge(Agency("3302", "samr"), ack).status();
  const absl::Status other_department = book_.Acknowledge(Agency("3301", "tax"), ack).status();
  ack.set_alert_id("AL-00000000000000000000");
  const absl::Status unknown = book_.Acknowledge(Agency("3301", "samr"), ack).status();
  EXPECT_THAT(other_region, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(other_department, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(unknown, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(other_region.message(),
            absl::StrCat("alert_id: no alert ", alert.alert_id(),
                         " of your department within your jurisdiction"));
}

TEST_F(AlertBookTest, AcknowledgeNeedsADispositionAndAValidNote) {
  v1::AcknowledgeAlertRequest ack;
  ack.set_alert_id("AL-00000000000000000000");
  EXPECT_THAT(book_.Acknowledge(Admin(), ack),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("disposition")));
  ack.set_disposition(v1::ALERT_DISPOSITION_MONITORING);
  ack.set_note(std::string(2001, 'x'));
  EXPECT_THAT(book_.Acknowledge(Admin(), ack),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("note")));
  ack.clear_alert_id();
  EXPECT_THAT(book_.Acknowledge(Admin(), ack),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("alert_id")));
}

TEST_F(AlertBookTest, RulesDefaultUntilAnAdminStoresValidOnes) {
  ASSERT_OK_AND_ASSIGN(v1::AlertRules rules, book_.Rules());
  EXPECT_EQ(rules.complaints().count(), 3);
  EXPECT_FALSE(rules.has_update_time());
  v1::UpdateAlertRulesRequest update;
  *update.mutable_rules() = rules;
  update.mutable_rules()->mutable_complaints()->set_count(5);
  update.set_request_id("rules-1");
  ASSERT_OK_AND_ASSIGN(v1::AlertRules stored, book_.UpdateRules(Admin(), update));
  EXPECT_TRUE(stored.has_update_time());
  ASSERT_OK_AND_ASSIGN(rules, book_.Rules());
  EXPECT_EQ(rules.complaints().count(), 5);
  update.mutable_rules()->mutable_complaints()->set_window_days(0);
  EXPECT_THAT(book_.UpdateRules(Admin(), update),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rules.complaints.window_days")));
  ASSERT_OK_AND_ASSIGN(rules, book_.Rules());
  EXPECT_EQ(rules.complaints().window_days(), 90);
}

// Runs Watch on a thread, collecting what it sends, until stopped.
class WatchRun {
 public:
  WatchRun(AlertBook* book, access::Caller caller) {
    thread_ = std::thread([this, book, caller] {
      status_ = book->Watch(
          caller, {},
          [this](const v1::Alert& a) {
            absl::MutexLock lock(&mu_);
            causes_.push_back(a.cause());
            return true;
          },
          [this]() -> absl::Status {
            return stop_.load() ? absl::CancelledError("stopped") : absl::OkStatus();
          });
    });
  }
  // Waits (up to 10 s) until `n` alerts were sent, then stops; the causes, sorted.
  std::vector<std::string> StopAfter(size_t n) {
    for (int i = 0; i < 1000; ++i) {
      {
        absl::MutexLock lock(&mu_);
        if (causes_.size() >= n) break;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    absl::SleepFor(absl::Milliseconds(50));  // anything extra would show up
    stop_ = true;
    thread_.join();
    absl::MutexLock lock(&mu_);
    std::vector<std::string> out = causes_;
    std::sort(out.begin(), out.end());
    return out;
  }
  absl::Status status() const { return status_; }

 private:
  std::thread thread_;
  std::atomic<bool> stop_{false};
  absl::Mutex mu_;
  std::vector<std::string> causes_;
  absl::Status status_;
};

TEST_F(AlertBookTest, WatchSendsTheOpenBacklogThenNewAlertsInScopeOnly) {
  const v1::Alert acknowledged = MakeAlert("old-acknowledged", "330106", "samr");
  ASSERT_OK(book_.Raise({MakeAlert("old-open", "330106", "samr"), acknowledged,
                         MakeAlert("old-elsewhere", "330203", "samr")})
                .status());
  v1::AcknowledgeAlertRequest ack;
  ack.set_alert_id(acknowledged.alert_id());
  ack.set_disposition(v1::ALERT_DISPOSITION_DISMISSED);
  ASSERT_OK(book_.Acknowledge(Admin(), ack).status());

  WatchRun hz(&book_, Agency("3301", "samr"));
  WatchRun nb(&book_, Agency("3302", "samr"));
  absl::SleepFor(absl::Milliseconds(100));
  ASSERT_OK(book_.Raise({MakeAlert("new-hz", "330106", "samr"),
                         MakeAlert("new-hz-tax", "330106", "tax"),
                         MakeAlert("new-nb", "330203", "")})
                .status());
  // Raised again: not sent again.
  ASSERT_OK(book_.Raise({MakeAlert("new-hz", "330106", "samr")}).status());
  EXPECT_THAT(hz.StopAfter(2), ElementsAre("new-hz", "old-open"));
  EXPECT_THAT(nb.StopAfter(2), ElementsAre("new-nb", "old-elsewhere"));
  EXPECT_THAT(hz.status(), StatusIs(absl::StatusCode::kCancelled));
}

TEST_F(AlertBookTest, WatchEndsCleanlyWhenTheClientGoes) {
  ASSERT_OK(book_.Raise({MakeAlert("a", "330106", "samr"), MakeAlert("b", "330106", "samr")})
                .status());
  int sent = 0;
  EXPECT_OK(book_.Watch(
      Agency("3301", "samr"), {}, [&](const v1::Alert&) { return ++sent < 1; },
      []() { return absl::OkStatus(); }));
  EXPECT_EQ(sent, 1);
}

}  // namespace
}  // namespace regulation::services
