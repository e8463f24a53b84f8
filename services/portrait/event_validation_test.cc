#include "services/portrait/event_validation.h"

#include <functional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/disclosure.pb.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

v1::Event Valid() {
  v1::Event e;
  e.set_event_id("samr:2026:0001");
  e.set_source_department("samr");
  e.set_credit_code("91350100M000100Y43");
  e.mutable_occur_time()->set_seconds(1790000000);
  e.mutable_administrative_penalty()->set_amount_yuan(5000);
  e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_GENERAL);
  e.mutable_administrative_penalty()->set_legal_basis("《食品安全法》第一百二十四条");
  return e;
}

TEST(EventValidation, ValidEventGivesItsTime) {
  absl::StatusOr<int64_t> micros = ValidateEvent(Valid(), "event", kNow);
  ASSERT_OK(micros);
  EXPECT_EQ(*micros, int64_t{1790000000} * 1000000);
}

TEST(EventValidation, EachBadFieldIsNamed) {
  struct Case {
    const char* field;
    std::function<void(v1::Event&)> mutate;
  };
  const Case cases[] = {
      {"event.event_id", [](auto& e) { e.clear_event_id(); }},
      {"event.event_id", [](auto& e) { e.set_event_id("has space"); }},
      {"event.event_id", [](auto& e) { e.set_event_id(std::string(129, 'x')); }},
      // The server's own: approved results (a caller could otherwise forge or erase one).
      {"event.event_id", [](auto& e) { e.set_event_id("result:P20261127-0001.x"); }},
      {"event.source_department", [](auto& e) { e.clear_source_department(); }},
      {"event.credit_code", [](auto& e) { e.set_credit_code("91350100M000100Y44"); }},
      {"event.occur_time", [](auto& e) { e.clear_occur_time(); }},
      {"event.occur_time", [](auto& e) { e.mutable_occur_time()->set_seconds(1795000001); }},
      {"event.occur_time", [](auto& e) { e.mutable_occur_time()->set_nanos(-1); }},
      {"event.payload", [](auto& e) { e.clear_administrative_penalty(); }},
      {"event.administrative_penalty.amount_yuan",
       [](auto& e) { e.mutable_administrative_penalty()->set_amount_yuan(-1); }},
      {"event.administrative_penalty.severity",
       [](auto& e) { e.mutable_administrative_penalty()->clear_severity(); }},
      {"event.administrative_penalty.legal_basis",
       [](auto& e) { e.mutable_administrative_penalty()->clear_legal_basis(); }},
      {"event.annual_report.report_year",
       [](auto& e) {
         e.mutable_annual_report()->set_report_year(2099);
         e.mutable_annual_report()->set_filing(v1::ANNUAL_REPORT_FILING_LATE);
       }},
      {"event.annual_report.filing",
       [](auto& e) { e.mutable_annual_report()->set_report_year(2024); }},
      {"event.annual_report.revenue_yuan",
       [](auto& e) {
         e.mutable_annual_report()->set_report_year(2024);
         e.mutable_annual_report()->set_filing(v1::ANNUAL_REPORT_FILING_ON_TIME);
         e.mutable_annual_report()->set_revenue_yuan(-5);
       }},
      {"event.abnormal_operation.action", [](auto& e) { e.mutable_abnormal_operation(); }},
      {"event.inspection_outcome.result_category",
       [](auto& e) { e.mutable_inspection_outcome()->set_result_category(99); }},
      {"event.inspection_outcome.problem_found",
       [](auto& e) {
         e.mutable_inspection_outcome()->set_result_category(v1::NO_PROBLEM_FOUND);
         e.mutable_inspection_outcome()->set_problem_found(true);
       }},
      {"event.licence_change.action", [](auto& e) { e.mutable_licence_change(); }},
      {"event.registration_change.item", [](auto& e) { e.mutable_registration_change(); }},
      {"event.official_credit_class.risk_class",
       [](auto& e) {
         e.mutable_official_credit_class()->set_risk_class(static_cast<v1::RiskClass>(5));
         e.mutable_official_credit_class()->set_authority("samr");
       }},
      {"event.official_credit_class.risk_class",
       [](auto& e) { e.mutable_official_credit_class()->set_authority("samr"); }},
      {"event.official_credit_class.authority",
       [](auto& e) { e.mutable_official_credit_class()->set_risk_class(v1::RISK_CLASS_C); }},
      {"event.serious_dishonesty.action", [](auto& e) { e.mutable_serious_dishonesty(); }},
      {"event.serious_dishonesty.authority",
       [](auto& e) {
         e.mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_ADDED);
         e.mutable_serious_dishonesty()->set_reason("serious_violation");
       }},
      {"event.serious_dishonesty.reason",
       [](auto& e) {
         e.mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_ADDED);
         e.mutable_serious_dishonesty()->set_authority("samr");
       }},
      // A credit repair without its basis.
      {"event.serious_dishonesty.repair_basis",
       [](auto& e) { e.mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_REMOVED); }},
      {"event.serious_dishonesty.repair_basis",
       [](auto& e) {
         e.mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_ADDED);
         e.mutable_serious_dishonesty()->set_authority("samr");
         e.mutable_serious_dishonesty()->set_reason("serious_violation");
         e.mutable_serious_dishonesty()->set_repair_basis("a listing has no basis");
       }},
  };
  for (const Case& c : cases) {
    v1::Event e = Valid();
    c.mutate(e);
    const absl::Status status = ValidateEvent(e, "event", kNow).status();
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << c.field;
    EXPECT_THAT(status.message(), HasSubstr(std::string(c.field) + ":")) << status;
  }
}

TEST(EventValidation, CreditEventsPass) {
  v1::Event official = Valid();
  official.mutable_official_credit_class()->set_risk_class(v1::RISK_CLASS_D);
  official.mutable_official_credit_class()->set_authority("福州市市场监督管理局");
  EXPECT_OK(ValidateEvent(official, "event", kNow));
  v1::Event listing = Valid();
  listing.mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_ADDED);
  listing.mutable_serious_dishonesty()->set_authority("福州市市场监督管理局");
  listing.mutable_serious_dishonesty()->set_reason("serious_violation");
  EXPECT_OK(ValidateEvent(listing, "event", kNow));
  v1::Event repair = Valid();
  repair.mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_REMOVED);
  repair.mutable_serious_dishonesty()->set_repair_basis("榕市监信修〔2026〕12号");
  EXPECT_OK(ValidateEvent(repair, "event", kNow));
}

TEST(EventValidation, BatchPrefixNamesTheItem) {
  v1::Event e = Valid();
  e.mutable_administrative_penalty()->set_amount_yuan(-1);
  EXPECT_THAT(ValidateEvent(e, "events[7]", kNow).status().message(),
              HasSubstr("events[7].administrative_penalty.amount_yuan"));
}

}  // namespace
}  // namespace regulation::services
