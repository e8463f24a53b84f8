#include "services/portrait/event_validation.h"

#include <cctype>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/clock.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "common/text_policy.h"
#include "regulation/v1/disclosure.pb.h"
#include "services/common/proto_time.h"

namespace regulation::services {
namespace {

// 1-`max` characters from [A-Za-z0-9._:-].
absl::Status ValidateToken(absl::string_view field, absl::string_view value, size_t max) {
  if (value.empty()) return InvalidField(field, "is required");
  if (value.size() > max) {
    return InvalidField(field, absl::StrFormat("must be at most %d characters", max));
  }
  for (char c : value) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != ':' &&
        c != '-') {
      return InvalidField(field, "may only contain A-Z a-z 0-9 . _ : -");
    }
  }
  return absl::OkStatus();
}

// Money in yuan: more than any enterprise's assets, and small enough that sums over any
// number of events a window can hold never overflow (portrait features add amounts up).
constexpr int64_t kMaxYuan = 1000000000000000;  // 10^15
constexpr int64_t kMaxEmployees = 100000000;    // 10^8

absl::Status InRange(absl::string_view field, int64_t value, int64_t max,
                     absl::string_view max_text) {
  if (value < 0) return InvalidField(field, "must not be negative");
  if (value > max) return InvalidField(field, absl::StrCat("must be at most ", max_text));
  return absl::OkStatus();
}

absl::Status Yuan(absl::string_view field, int64_t value) {
  return InRange(field, value, kMaxYuan, "10^15 yuan");
}

// A listing states its authority and reason; a removal is a credit repair and states
// its basis. `prefix` ends with "." ("event.serious_dishonesty.").
absl::Status ValidateDishonestyListing(const v1::SeriousDishonestyListing& p,
                                       absl::string_view prefix) {
  if (p.action() == v1::LIST_ACTION_ADDED) {
    REG_RETURN_IF_ERROR(ValidateText(absl::StrCat(prefix, "authority"), p.authority(),
                                     TextRule::RequiredBytes(200)));
    REG_RETURN_IF_ERROR(
        ValidateText(absl::StrCat(prefix, "reason"), p.reason(), TextRule::RequiredBytes(200)));
    if (!p.repair_basis().empty()) {
      return InvalidField(absl::StrCat(prefix, "repair_basis"),
                          "only a removal (credit repair) has a basis");
    }
    return absl::OkStatus();
  }
  if (p.action() == v1::LIST_ACTION_REMOVED) {
    REG_RETURN_IF_ERROR(ValidateText(absl::StrCat(prefix, "repair_basis"), p.repair_basis(),
                                     TextRule::RequiredBytes(500)));
    REG_RETURN_IF_ERROR(ValidateText(absl::StrCat(prefix, "authority"), p.authority(),
                                     TextRule::OptionalBytes(200)));
    return ValidateText(absl::StrCat(prefix, "reason"), p.reason(), TextRule::OptionalBytes(200));
  }
  return InvalidField(absl::StrCat(prefix, "action"), "must be ADDED or REMOVED");
}

absl::Status ValidatePayload(const v1::Event& e, absl::string_view prefix, absl::Time now) {
  auto field = [&](absl::string_view payload, absl::string_view name) {
    return absl::StrCat(prefix, ".", payload, ".", name);
  };
  switch (e.payload_case()) {
    case v1::Event::kRegistrationChange: {
      const auto& p = e.registration_change();
      REG_RETURN_IF_ERROR(ValidateText(field("registration_change", "item"), p.item(),
                                       TextRule::RequiredBytes(64)));
      return Yuan(field("registration_change", "new_capital_yuan"), p.new_capital_yuan());
    }
    case v1::Event::kAnnualReport: {
      const auto& p = e.annual_report();
      const int this_year = static_cast<int>(absl::ToCivilYear(now, ChinaTimeZone()).year());
      if (p.report_year() < 1980 || p.report_year() > this_year) {
        return InvalidField(field("annual_report", "report_year"),
                            absl::StrFormat("must be 1980-%d, got %d", this_year, p.report_year()));
      }
      if (!v1::AnnualReportFiling_IsValid(p.filing()) ||
          p.filing() == v1::ANNUAL_REPORT_FILING_UNSPECIFIED) {
        return InvalidField(field("annual_report", "filing"), "must be ON_TIME, LATE or MISSING");
      }
      REG_RETURN_IF_ERROR(Yuan(field("annual_report", "total_assets_yuan"), p.total_assets_yuan()));
      REG_RETURN_IF_ERROR(Yuan(field("annual_report", "revenue_yuan"), p.revenue_yuan()));
      REG_RETURN_IF_ERROR(Yuan(field("annual_report", "tax_paid_yuan"), p.tax_paid_yuan()));
      return InRange(field("annual_report", "employees"), p.employees(), kMaxEmployees, "10^8");
    }
    case v1::Event::kAdministrativePenalty: {
      const auto& p = e.administrative_penalty();
      REG_RETURN_IF_ERROR(Yuan(field("administrative_penalty", "amount_yuan"), p.amount_yuan()));
      if (!v1::PenaltySeverity_IsValid(p.severity()) ||
          p.severity() == v1::PENALTY_SEVERITY_UNSPECIFIED) {
        return InvalidField(field("administrative_penalty", "severity"),
                            "must be MINOR, GENERAL or SERIOUS");
      }
      REG_RETURN_IF_ERROR(ValidateText(field("administrative_penalty", "legal_basis"),
                                       p.legal_basis(), TextRule::RequiredBytes(500)));
      return ValidateText(field("administrative_penalty", "decision_number"), p.decision_number(),
                          TextRule::OptionalBytes(200));
    }
    case v1::Event::kSeriousDishonesty:
      return ValidateDishonestyListing(e.serious_dishonesty(), field("serious_dishonesty", ""));
    case v1::Event::kOfficialCreditClass: {
      const auto& p = e.official_credit_class();
      if (p.risk_class() < v1::RISK_CLASS_A || p.risk_class() > v1::RISK_CLASS_D) {
        return InvalidField(field("official_credit_class", "risk_class"),
                            absl::StrFormat("must be A, B, C or D, got %d", p.risk_class()));
      }
      return ValidateText(field("official_credit_class", "authority"), p.authority(),
                          TextRule::RequiredBytes(200));
    }
    case v1::Event::kAbnormalOperation:
    case v1::Event::kCourtDishonestDebtor: {
      const char* name =
          e.has_abnormal_operation() ? "abnormal_operation" : "court_dishonest_debtor";
      const v1::ListAction action = e.has_abnormal_operation()
                                        ? e.abnormal_operation().action()
                                        : e.court_dishonest_debtor().action();
      if (action != v1::LIST_ACTION_ADDED && action != v1::LIST_ACTION_REMOVED) {
        return InvalidField(field(name, "action"), "must be ADDED or REMOVED");
      }
      return ValidateText(field(name, e.has_court_dishonest_debtor() ? "case_number" : "reason"),
                          e.has_abnormal_operation() ? e.abnormal_operation().reason()
                                                     : e.court_dishonest_debtor().case_number(),
                          TextRule::OptionalBytes(200));
    }
    case v1::Event::kComplaint:
      return ValidateText(field("complaint", "channel"), e.complaint().channel(),
                          TextRule::OptionalBytes(64));
    case v1::Event::kQualitySampling:
      return ValidateText(field("quality_sampling", "product"), e.quality_sampling().product(),
                          TextRule::OptionalBytes(200));
    case v1::Event::kInspectionOutcome: {
      const auto& p = e.inspection_outcome();
      if (!v1::InspectionResultCategory_IsValid(p.result_category()) ||
          p.result_category() == v1::INSPECTION_RESULT_CATEGORY_UNSPECIFIED) {
        return InvalidField(field("inspection_outcome", "result_category"),
                            absl::StrFormat("%d is not a result category", p.result_category()));
      }
      if (p.result_category() == v1::NO_PROBLEM_FOUND && p.problem_found()) {
        return InvalidField(field("inspection_outcome", "problem_found"),
                            "is true but the result category is NO_PROBLEM_FOUND");
      }
      return ValidateText(field("inspection_outcome", "plan_id"), p.plan_id(),
                          TextRule::OptionalBytes(128));
    }
    case v1::Event::kLicenceChange: {
      const auto& p = e.licence_change();
      if (p.action() != v1::LICENCE_ACTION_GRANTED && p.action() != v1::LICENCE_ACTION_REVOKED) {
        return InvalidField(field("licence_change", "action"), "must be GRANTED or REVOKED");
      }
      return ValidateText(field("licence_change", "licence_kind"), p.licence_kind(),
                          TextRule::RequiredBytes(64));
    }
    case v1::Event::PAYLOAD_NOT_SET:
      break;
  }
  return InvalidField(absl::StrCat(prefix, ".payload"),
                      "one of the event kinds (annual_report, administrative_penalty, ...) is "
                      "required");
}

}  // namespace

absl::StatusOr<int64_t> ValidateEvent(const v1::Event& e, absl::string_view prefix,
                                      absl::Time now) {
  auto field = [&](absl::string_view name) { return absl::StrCat(prefix, ".", name); };
  REG_RETURN_IF_ERROR(ValidateToken(field("event_id"), e.event_id(), kMaxEventIdLength));
  if (absl::StartsWith(e.event_id(), kResultEventIdPrefix)) {
    return InvalidField(field("event_id"),
                        absl::StrCat("the prefix \"", kResultEventIdPrefix,
                                     "\" is reserved for the results this system approves"));
  }
  REG_RETURN_IF_ERROR(ValidateToken(field("source_department"), e.source_department(), 64));
  REG_RETURN_IF_ERROR(ForField(field("credit_code"), ValidateCreditCode(e.credit_code())));
  if (!e.has_occur_time()) return InvalidField(field("occur_time"), "is required");
  absl::StatusOr<absl::Time> when = FromProtoTimestamp(e.occur_time());
  if (!when.ok()) return ForField(field("occur_time"), when.status());
  if (*when > now) {
    return InvalidField(field("occur_time"),
                        absl::StrCat("is in the future (", absl::FormatTime(*when), ")"));
  }
  REG_RETURN_IF_ERROR(ValidatePayload(e, prefix, now));
  return EventTimeMicros(*when);
}

}  // namespace regulation::services
