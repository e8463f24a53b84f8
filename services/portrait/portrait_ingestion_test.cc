// Event ingestion and portraits over the in-memory store: idempotency, each kind of
// refusal, atomicity, and the central property that the incrementally kept portrait
// equals the one recomputed from history, whatever order the events arrived in.

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring/feature_catalogue.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/event_ingestor.h"
#include "services/portrait/portrait_reader.h"
#include "storage/memory_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"
#include "tests/testing/enterprises.h"

namespace regulation::services {
namespace {

using ::regulation::testing::MakeEnterprise;
using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int64_t kDay = int64_t{86400} * 1000000;

access::Caller Operator() {
  access::Caller caller;
  caller.roles = access::RoleSet::All();
  caller.subject = "operator";
  return caller;
}

// An agency whose jurisdiction is Hangzhou (region codes 3301xx).
access::Caller HangzhouAgency() {
  access::Caller caller;
  caller.roles = {access::Role::kAgency};
  caller.subject = "hz";
  caller.region_prefix = "3301";
  return caller;
}

class PortraitIngestionTest : public ::testing::Test {
 protected:
  PortraitIngestionTest()
      : store_(storage::NewMemoryStore()),
        clock_(absl::FromUnixSeconds(1790000000)),
        directory_(store_.get(), &clock_),
        ingestor_(store_.get(), &clock_),
        reader_(store_.get(), &directory_, &clock_, ingestor_.portraits()) {}

  void AddEnterprises(int n, absl::string_view region = "330106") {
    v1::BatchUpsertEnterprisesRequest batch;
    for (int i = 0; i < n; ++i) *batch.add_enterprises() = MakeEnterprise(region, i);
    ASSERT_OK(directory_.BatchUpsert(Operator(), batch));
  }

  v1::Event Penalty(std::string id, int serial, int64_t micros, int64_t amount = 1000) {
    v1::Event e;
    e.set_event_id(std::move(id));
    e.set_source_department("samr");
    e.set_credit_code(testing::MakeCreditCode("330106", serial));
    *e.mutable_occur_time() = ToTimestamp(micros);
    e.mutable_administrative_penalty()->set_amount_yuan(amount);
    e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_GENERAL);
    e.mutable_administrative_penalty()->set_legal_basis("《广告法》第五十五条");
    return e;
  }

  static google::protobuf::Timestamp ToTimestamp(int64_t micros) {
    google::protobuf::Timestamp ts;
    ts.set_seconds(micros / 1000000);
    ts.set_nanos(static_cast<int>(micros % 1000000) * 1000);
    return ts;
  }

  int64_t Now() { return absl::ToUnixMicros(clock_.Now()); }

  IngestOutcome IngestOne(const v1::Event& event, access::Caller caller = Operator()) {
    const v1::Event* ptr = &event;
    absl::StatusOr<IngestOutcome> outcome =
        ingestor_.Ingest(caller, absl::MakeConstSpan(&ptr, 1), true);
    EXPECT_OK(outcome);
    return outcome.value_or(IngestOutcome());
  }

  std::unique_ptr<storage::KvStore> store_;
  FakeClock clock_;
  EnterpriseDirectory directory_;
  EventIngestor ingestor_;
  PortraitReader reader_;
};

// Fields the server does not know are not stored (they would pass every size limit), and
// a replay carrying them is the same event.
TEST_F(PortraitIngestionTest, UnknownFieldsAreNotStored) {
  AddEnterprises(1);
  v1::Event padded = Penalty("p-pad", 0, Now() - 10 * kDay);
  padded.GetReflection()->MutableUnknownFields(&padded)->AddLengthDelimited(
      9999, std::string(100000, 'x'));
  EXPECT_EQ(IngestOne(padded).applied, 1);
  v1::ListEventsRequest list;
  list.set_credit_code(padded.credit_code());
  absl::StatusOr<v1::ListEventsResponse> events = reader_.ListEvents(Operator(), list);
  ASSERT_OK(events);
  ASSERT_EQ(events->events_size(), 1);
  EXPECT_LT(events->events(0).ByteSizeLong(), 1000u);
  v1::Event plain = Penalty("p-pad", 0, Now() - 10 * kDay);
  EXPECT_EQ(IngestOne(plain).duplicates, 1);
}

TEST_F(PortraitIngestionTest, AmountsAreBounded) {
  AddEnterprises(1);
  const absl::Status refused =
      IngestOne(Penalty("huge", 0, Now() - kDay, int64_t{1} << 62)).items[0].status;
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("administrative_penalty.amount_yuan: must be at most")));
  EXPECT_EQ(IngestOne(Penalty("large", 0, Now() - kDay, 1000000000000000)).applied, 1);
}

TEST_F(PortraitIngestionTest, ReplayIsADuplicateAndReuseWithOtherContentIsRefused) {
  AddEnterprises(1);
  const v1::Event event = Penalty("p-1", 0, Now() - 10 * kDay);
  IngestOutcome first = IngestOne(event);
  EXPECT_EQ(first.applied, 1);
  EXPECT_EQ(first.items[0].portrait_version, 1);

  IngestOutcome replay = IngestOne(event);
  EXPECT_EQ(replay.applied, 0);
  EXPECT_EQ(replay.duplicates, 1);
  EXPECT_EQ(replay.items[0].portrait_version, 1);

  v1::Event changed = event;
  changed.mutable_administrative_penalty()->set_amount_yuan(2);
  IngestOutcome reused = IngestOne(changed);
  EXPECT_THAT(reused.items[0].status,
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("event.event_id")));
  EXPECT_EQ(reader_.StoredState(event.credit_code())->event_count(), 1);
}

TEST_F(PortraitIngestionTest, EachRefusalNamesItsField) {
  AddEnterprises(1);
  v1::Event unknown = Penalty("u", 0, Now() - kDay);
  unknown.set_credit_code(testing::MakeCreditCode("330106", 99));
  EXPECT_THAT(IngestOne(unknown).items[0].status, StatusIs(absl::StatusCode::kNotFound));

  v1::Event removal = Penalty("r", 0, Now() - kDay);
  removal.mutable_abnormal_operation()->set_action(v1::LIST_ACTION_REMOVED);
  const absl::Status refused = IngestOne(removal).items[0].status;
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("event.abnormal_operation.action")));

  v1::Event early = Penalty("e", 0, absl::ToUnixMicros(absl::FromUnixSeconds(1400000000)));
  EXPECT_THAT(IngestOne(early).items[0].status.message(),
              HasSubstr("event.occur_time: is before the enterprise's establishment"));

  access::Caller ningbo;
  ningbo.roles = {access::Role::kAgency};
  ningbo.subject = "nb";
  ningbo.region_prefix = "3302";
  const absl::Status outside = IngestOne(Penalty("j", 0, Now() - kDay), ningbo).items[0].status;
  EXPECT_THAT(outside, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(outside.message(), "event.credit_code: outside your jurisdiction");
  EXPECT_EQ(reader_.StoredState(unknown.credit_code())->event_count(), 0);
  EXPECT_EQ(reader_.StoredState(testing::MakeCreditCode("330106", 0))->event_count(), 0);
}

TEST_F(PortraitIngestionTest, UnknownCodesOutsideTheJurisdictionAreRefusedLikeKnownOnes) {
  AddEnterprises(1);
  const access::Caller hangzhou = HangzhouAgency();
  v1::Event elsewhere = Penalty("x", 0, Now() - kDay);
  elsewhere.set_credit_code(testing::MakeCreditCode("440305", 5));  // not in the directory
  EXPECT_THAT(IngestOne(elsewhere, hangzhou).items[0].status,
              StatusIs(absl::StatusCode::kPermissionDenied));
  v1::Event own = Penalty("y", 0, Now() - kDay);
  own.set_credit_code(testing::MakeCreditCode("330106", 5));  // not in the directory either
  EXPECT_THAT(IngestOne(own, hangzhou).items[0].status, StatusIs(absl::StatusCode::kNotFound));
}

// Commits keep what they need of each enterprise between commits; a directory write in
// between is seen by the next event: an enterprise moved to another region is out of the
// old region's reach at once, and one registered after a refusal is then found.
TEST_F(PortraitIngestionTest, DirectoryWritesAreSeenByTheNextEvent) {
  AddEnterprises(1);
  const access::Caller hangzhou = HangzhouAgency();
  EXPECT_EQ(IngestOne(Penalty("a", 0, Now() - kDay), hangzhou).applied, 1);
  v1::UpsertEnterpriseRequest move;
  move.set_request_id("move-1");
  *move.mutable_enterprise() = MakeEnterprise("330106", 0);
  move.mutable_enterprise()->set_region_code("330205");  // Ningbo
  ASSERT_OK(directory_.Upsert(Operator(), move));
  EXPECT_THAT(IngestOne(Penalty("b", 0, Now() - kDay), hangzhou).items[0].status,
              StatusIs(absl::StatusCode::kPermissionDenied));

  const v1::Event early = Penalty("c", 1, Now() - kDay);
  EXPECT_THAT(IngestOne(early, hangzhou).items[0].status, StatusIs(absl::StatusCode::kNotFound));
  v1::UpsertEnterpriseRequest registration;
  registration.set_request_id("register-1");
  *registration.mutable_enterprise() = MakeEnterprise("330106", 1);
  ASSERT_OK(directory_.Upsert(Operator(), registration));
  EXPECT_EQ(IngestOne(early, hangzhou).applied, 1);
}

TEST_F(PortraitIngestionTest, RepeatOfARejectedEventIsNotADuplicate) {
  AddEnterprises(1);
  // The first copy is refused (a removal with nothing to remove); its repeat in the same
  // batch must not be reported as stored.
  v1::Event removal = Penalty("r", 0, Now() - kDay);
  removal.mutable_abnormal_operation()->set_action(v1::LIST_ACTION_REMOVED);
  const v1::Event* ptrs[] = {&removal, &removal};
  absl::StatusOr<IngestOutcome> outcome = ingestor_.Ingest(Operator(), ptrs, false);
  ASSERT_OK(outcome);
  EXPECT_EQ(outcome->duplicates, 0);
  EXPECT_EQ(outcome->items[1].kind, IngestOutcome::Kind::kRejected);
  // An applied first copy does make the repeat a duplicate.
  const v1::Event penalty = Penalty("p", 0, Now() - kDay);
  const v1::Event* twice[] = {&penalty, &penalty};
  outcome = ingestor_.Ingest(Operator(), twice, false);
  ASSERT_OK(outcome);
  EXPECT_EQ(outcome->applied, 1);
  EXPECT_EQ(outcome->duplicates, 1);
}

TEST_F(PortraitIngestionTest, BatchAppliesGoodEventsAndReportsBadOnesInOrder) {
  AddEnterprises(2);
  std::vector<v1::Event> events = {Penalty("a", 0, Now() - 3 * kDay),
                                   Penalty("b", 1, Now() - 2 * kDay, -5),
                                   Penalty("a", 0, Now() - 3 * kDay),  // same batch replay
                                   Penalty("c", 0, Now() - kDay)};
  events[3].mutable_abnormal_operation()->set_action(v1::LIST_ACTION_ADDED);
  std::vector<const v1::Event*> ptrs;
  for (const auto& e : events) ptrs.push_back(&e);
  absl::StatusOr<IngestOutcome> outcome = ingestor_.Ingest(Operator(), ptrs, false);
  ASSERT_OK(outcome);
  EXPECT_EQ(outcome->applied, 2);
  EXPECT_EQ(outcome->duplicates, 1);
  EXPECT_THAT(outcome->items[1].status.message(),
              HasSubstr("events[1].administrative_penalty.amount_yuan"));
  EXPECT_EQ(outcome->items[3].portrait_version, 2);

  v1::ListEventsRequest list;
  list.set_credit_code(events[0].credit_code());
  absl::StatusOr<v1::ListEventsResponse> listed = reader_.ListEvents(Operator(), list);
  ASSERT_OK(listed);
  ASSERT_EQ(listed->events_size(), 2);
  EXPECT_EQ(listed->events(0).event_id(), "a");
  EXPECT_TRUE(listed->events(0).has_ingest_time());
  EXPECT_EQ(listed->events(1).event_id(), "c");
}

// A random but valid history: list removals only after additions.
std::vector<v1::Event> RandomHistory(std::mt19937_64& rng, const std::string& code, int serial,
                                     int64_t now) {
  std::vector<v1::Event> events;
  const int n = static_cast<int>(rng() % 25);
  bool listed = false;
  int64_t t = now - 1500 * kDay;
  for (int k = 0; k < n; ++k) {
    t += static_cast<int64_t>(rng() % (120 * kDay));
    if (t > now) break;
    v1::Event e;
    e.set_event_id(absl::StrCat("ev-", serial, "-", k));
    e.set_source_department("samr");
    e.set_credit_code(code);
    e.mutable_occur_time()->set_seconds(t / 1000000);
    switch (rng() % 8) {
      case 0:
        e.mutable_administrative_penalty()->set_amount_yuan(static_cast<int64_t>(rng() % 50000));
        e.mutable_administrative_penalty()->set_severity(
            rng() % 5 == 0 ? v1::PENALTY_SEVERITY_SERIOUS : v1::PENALTY_SEVERITY_MINOR);
        e.mutable_administrative_penalty()->set_legal_basis("law");
        break;
      case 1:
        e.mutable_annual_report()->set_report_year(2022);
        e.mutable_annual_report()->set_filing(static_cast<v1::AnnualReportFiling>(1 + rng() % 3));
        break;
      case 2:
        e.mutable_abnormal_operation()->set_action(listed ? v1::LIST_ACTION_REMOVED
                                                          : v1::LIST_ACTION_ADDED);
        listed = !listed;
        break;
      case 3:
        e.mutable_complaint()->set_substantiated(rng() % 2);
        break;
      case 4:
        e.mutable_quality_sampling()->set_passed(rng() % 3 != 0);
        break;
      case 5: {
        const bool problem = rng() % 4 == 0;
        e.mutable_inspection_outcome()->set_problem_found(problem);
        e.mutable_inspection_outcome()->set_result_category(problem ? 2 : 1);
        break;
      }
      case 6:
        e.mutable_licence_change()->set_action(rng() % 3 ? v1::LICENCE_ACTION_GRANTED
                                                         : v1::LICENCE_ACTION_REVOKED);
        e.mutable_licence_change()->set_licence_kind("food");
        break;
      default:
        e.mutable_registration_change()->set_item("capital");
        e.mutable_registration_change()->set_new_capital_yuan(
            static_cast<int64_t>(rng() % 9999999));
    }
    events.push_back(std::move(e));
  }
  return events;
}

TEST_F(PortraitIngestionTest, IncrementalEqualsRecomputedForEveryEnterprise) {
  constexpr int kEnterprises = 300;
  AddEnterprises(kEnterprises);
  std::mt19937_64 rng(20261127);  // test-only: a fixed seed
  std::vector<v1::Event> all;
  for (int i = 0; i < kEnterprises; ++i) {
    std::vector<v1::Event> history =
        RandomHistory(rng, testing::MakeCreditCode("330106", i), i, Now());
    all.insert(all.end(), history.begin(), history.end());
  }
  // Arrival order is not time order: shuffle, then put the list changes (whose validity
  // depends on what came before) back in time order among their own positions.
  std::vector<const v1::Event*> order;
  for (const auto& e : all) order.push_back(&e);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<size_t> list_positions;
  std::vector<const v1::Event*> list_changes;
  for (size_t i = 0; i < order.size(); ++i) {
    if (order[i]->has_abnormal_operation()) {
      list_positions.push_back(i);
      list_changes.push_back(order[i]);
    }
  }
  std::stable_sort(list_changes.begin(), list_changes.end(),
                   [](const v1::Event* a, const v1::Event* b) {
                     return a->occur_time().seconds() < b->occur_time().seconds();
                   });
  for (size_t k = 0; k < list_positions.size(); ++k) order[list_positions[k]] = list_changes[k];
  for (size_t i = 0; i < order.size(); i += 97) {
    const size_t end = std::min(order.size(), i + 97);
    absl::StatusOr<IngestOutcome> outcome =
        ingestor_.Ingest(Operator(), absl::MakeConstSpan(order.data() + i, end - i), false);
    ASSERT_OK(outcome);
    for (const auto& item : outcome->items) ASSERT_OK(item.status);
  }

  int with_events = 0;
  for (int i = 0; i < kEnterprises; ++i) {
    const std::string code = testing::MakeCreditCode("330106", i);
    absl::StatusOr<internal::PortraitState> stored = reader_.StoredState(code);
    absl::StatusOr<internal::PortraitState> rebuilt = reader_.StateFromHistory(code, Now());
    ASSERT_OK(stored);
    ASSERT_OK(rebuilt);
    ASSERT_EQ(stored->SerializeAsString(), rebuilt->SerializeAsString()) << code;
    absl::StatusOr<v1::Portrait> current = reader_.Current(Operator(), code);
    absl::StatusOr<v1::Portrait> as_of = reader_.AsOf(Operator(), code, current.value().as_of());
    ASSERT_OK(as_of);
    ASSERT_EQ(current->SerializeAsString(), as_of->SerializeAsString()) << code;
    with_events += stored->event_count() > 0;
  }
  EXPECT_GT(with_events, kEnterprises * 9 / 10);
}

TEST_F(PortraitIngestionTest, PastPortraitNeverSeesLaterEvents) {
  AddEnterprises(1);
  const std::string code = testing::MakeCreditCode("330106", 0);
  IngestOne(Penalty("early", 0, Now() - 400 * kDay));
  IngestOne(Penalty("late", 0, Now() - 10 * kDay));
  google::protobuf::Timestamp between = ToTimestamp(Now() - 200 * kDay);
  absl::StatusOr<v1::Portrait> past = reader_.AsOf(Operator(), code, between);
  ASSERT_OK(past);
  EXPECT_EQ(past->event_count(), 1);
  for (const auto& f : past->features()) {
    if (f.name() == "penalties_3y") {
      EXPECT_EQ(f.value(), 1);
    }
  }
  EXPECT_EQ(reader_.Current(Operator(), code)->event_count(), 2);
  google::protobuf::Timestamp future = ToTimestamp(Now() + kDay);
  EXPECT_THAT(reader_.AsOf(Operator(), code, future), StatusIs(absl::StatusCode::kInvalidArgument));
}

// An event a fraction of a microsecond after a moment is after it: the portrait as of that
// moment does not count it (times are kept in microseconds, rounded up).
TEST_F(PortraitIngestionTest, AnEventNanosecondsAfterTheMomentIsNotInItsPortrait) {
  AddEnterprises(1);
  const std::string code = testing::MakeCreditCode("330106", 0);
  const int64_t moment = Now() - 10 * kDay;
  v1::Event event = Penalty("sub-micro", 0, moment);
  event.mutable_occur_time()->set_nanos(event.occur_time().nanos() + 600);
  ASSERT_EQ(IngestOne(event).applied, 1);
  EXPECT_EQ(reader_.AsOf(Operator(), code, ToTimestamp(moment))->event_count(), 0);
  EXPECT_EQ(reader_.AsOf(Operator(), code, ToTimestamp(moment + 1))->event_count(), 1);
  // The kept portrait agrees with the one rebuilt from history.
  EXPECT_EQ(reader_.StoredState(code)->event_count(), 1);
}

TEST_F(PortraitIngestionTest, AnEmptyIntervalListsNoEvents) {
  AddEnterprises(1);
  IngestOne(Penalty("one", 0, Now() - 10 * kDay));
  v1::ListEventsRequest list;
  list.set_credit_code(testing::MakeCreditCode("330106", 0));
  *list.mutable_start_time() = ToTimestamp(Now() - 5 * kDay);
  *list.mutable_end_time() = ToTimestamp(Now() - 20 * kDay);
  absl::StatusOr<v1::ListEventsResponse> events = reader_.ListEvents(Operator(), list);
  ASSERT_OK(events);
  EXPECT_EQ(events->events_size(), 0);
  EXPECT_TRUE(events->next_page_token().empty());
}

// Issue 16 item 3: a dishonest-list entry, its credit repair and an official class change
// the portrait from their dates on, and only from them; a repair of an enterprise that is
// not listed is refused naming its field.
TEST_F(PortraitIngestionTest, DishonestListingRepairAndOfficialClassCountFromTheirDates) {
  AddEnterprises(1);
  const std::string code = testing::MakeCreditCode("330106", 0);
  const int64_t listed_at = Now() - 30 * kDay;
  const int64_t repaired_at = Now() - 10 * kDay;
  const int64_t classed_at = Now() - 20 * kDay;

  v1::Event early_repair = Penalty("repair-0", 0, listed_at - kDay);
  early_repair.mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_REMOVED);
  early_repair.mutable_serious_dishonesty()->set_repair_basis("榕市监信修〔2026〕1号");
  EXPECT_THAT(IngestOne(early_repair).items[0].status,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event.serious_dishonesty.action: REMOVED, but the enterprise "
                                 "is not on the list")));

  v1::Event listing = Penalty("list-1", 0, listed_at);
  listing.mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_ADDED);
  listing.mutable_serious_dishonesty()->set_authority("杭州市市场监督管理局");
  listing.mutable_serious_dishonesty()->set_reason("serious_violation");
  v1::Event official = Penalty("class-1", 0, classed_at);
  official.mutable_official_credit_class()->set_risk_class(v1::RISK_CLASS_D);
  official.mutable_official_credit_class()->set_authority("杭州市市场监督管理局");
  v1::Event repair = Penalty("repair-1", 0, repaired_at);
  repair.mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_REMOVED);
  repair.mutable_serious_dishonesty()->set_repair_basis("杭市监信修〔2026〕7号");
  // The class arrives before the older listing: the portrait depends on the dates. (A
  // repair must arrive after its listing, as above.)
  for (const v1::Event* e : {&official, &listing, &repair}) {
    EXPECT_THAT(IngestOne(*e).items[0].status, StatusIs(absl::StatusCode::kOk)) << e->event_id();
  }
  auto at = [&](int64_t micros) {
    absl::StatusOr<v1::Portrait> p = reader_.AsOf(Operator(), code, ToTimestamp(micros));
    EXPECT_OK(p);
    return p.value_or(v1::Portrait());
  };
  auto feature = [](const v1::Portrait& p, absl::string_view name) {
    for (const v1::FeatureValue& f : p.features()) {
      if (f.name() == name) return f.value();
    }
    ADD_FAILURE() << "no feature " << name;
    return -1.0;
  };
  const v1::Portrait before = at(listed_at - 1);
  const v1::Portrait listed = at(listed_at);
  const v1::Portrait classed = at(classed_at);
  const v1::Portrait repaired = at(repaired_at);
  const v1::Portrait now = *reader_.Current(Operator(), code);

  EXPECT_FALSE(before.dishonest_listed());
  EXPECT_EQ(before.official_class(), v1::RISK_CLASS_UNSPECIFIED);
  EXPECT_TRUE(listed.dishonest_listed());
  EXPECT_EQ(feature(listed, "dishonest_listed"), 1);
  EXPECT_EQ(listed.official_class(), v1::RISK_CLASS_UNSPECIFIED);
  EXPECT_TRUE(classed.dishonest_listed());
  EXPECT_EQ(classed.official_class(), v1::RISK_CLASS_D);
  EXPECT_EQ(classed.official_class_since().seconds(), classed_at / 1000000);
  EXPECT_FALSE(repaired.dishonest_listed());
  EXPECT_EQ(feature(repaired, "dishonest_listed"), 0);
  EXPECT_EQ(repaired.official_class(), v1::RISK_CLASS_D);
  EXPECT_FALSE(now.dishonest_listed());
  EXPECT_EQ(now.official_class(), v1::RISK_CLASS_D);
}

}  // namespace
}  // namespace regulation::services
