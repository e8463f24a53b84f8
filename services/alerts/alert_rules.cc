#include "services/alerts/alert_rules.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/field_error.h"
#include "common/sha256.h"
#include "regulation/v1/disclosure.pb.h"

namespace regulation::services {
namespace {

constexpr int kMaxComplaintCount = 1000;
constexpr int kMaxWindowDays = 3650;

char ClassLetter(v1::RiskClass c) {
  switch (c) {
    case v1::RISK_CLASS_A:
      return 'A';
    case v1::RISK_CLASS_B:
      return 'B';
    case v1::RISK_CLASS_C:
      return 'C';
    case v1::RISK_CLASS_D:
      return 'D';
    default:
      return '?';
  }
}

std::string TimeText(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ",
                          absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos()),
                          absl::UTCTimeZone());
}

v1::Alert NewAlert(v1::AlertRule rule, absl::string_view code, std::string cause) {
  v1::Alert alert;
  alert.set_alert_id(AlertId(rule, code, cause));
  alert.set_rule(rule);
  alert.set_credit_code(std::string(code));
  alert.set_cause(std::move(cause));
  return alert;
}

v1::Alert EventCaused(v1::AlertRule rule, const v1::Event& event) {
  v1::Alert alert = NewAlert(rule, event.credit_code(), absl::StrCat("event:", event.event_id()));
  alert.set_department(event.source_department());
  *alert.mutable_cause_time() = event.occur_time();
  return alert;
}

const char* ListName(const v1::Event& event) {
  switch (event.payload_case()) {
    case v1::Event::kAbnormalOperation:
      return "abnormal-operation list";
    case v1::Event::kSeriousDishonesty:
      return "serious illegal and dishonest list";
    case v1::Event::kCourtDishonestDebtor:
      return "court dishonest-debtor list";
    default:
      return nullptr;
  }
}

v1::ListAction ListActionOf(const v1::Event& event) {
  switch (event.payload_case()) {
    case v1::Event::kAbnormalOperation:
      return event.abnormal_operation().action();
    case v1::Event::kSeriousDishonesty:
      return event.serious_dishonesty().action();
    case v1::Event::kCourtDishonestDebtor:
      return event.court_dishonest_debtor().action();
    default:
      return v1::LIST_ACTION_UNSPECIFIED;
  }
}

}  // namespace

v1::AlertRules DefaultAlertRules() {
  v1::AlertRules rules;
  rules.mutable_class_raised()->set_min_class(v1::RISK_CLASS_C);
  rules.mutable_score_jump()->set_min_rise(0.2);
  rules.mutable_complaints()->set_count(3);
  rules.mutable_complaints()->set_window_days(90);
  rules.mutable_penalty()->set_min_severity(v1::PENALTY_SEVERITY_GENERAL);
  rules.mutable_list_entry();
  for (int category : {v1::PUBLISHED_INFORMATION_FALSE, v1::UNREACHABLE_AT_REGISTERED_ADDRESS,
                       v1::SERIOUS_REFUSAL_TO_COOPERATE}) {
    rules.mutable_serious_inspection()->add_categories(category);
  }
  return rules;
}

absl::Status ValidateAlertRules(const v1::AlertRules& rules) {
  const v1::RiskClass min_class = rules.class_raised().min_class();
  if (min_class < v1::RISK_CLASS_B || min_class > v1::RISK_CLASS_D) {
    return InvalidField("rules.class_raised.min_class", "must be RISK_CLASS_B, C or D");
  }
  const double rise = rules.score_jump().min_rise();
  if (!(rise > 0 && rise < 1)) {
    return InvalidField("rules.score_jump.min_rise", "must be greater than 0 and less than 1");
  }
  if (rules.complaints().count() < 1 || rules.complaints().count() > kMaxComplaintCount) {
    return InvalidField("rules.complaints.count",
                        absl::StrCat("must be 1 to ", kMaxComplaintCount));
  }
  if (rules.complaints().window_days() < 1 || rules.complaints().window_days() > kMaxWindowDays) {
    return InvalidField("rules.complaints.window_days",
                        absl::StrCat("must be 1 to ", kMaxWindowDays));
  }
  const v1::PenaltySeverity severity = rules.penalty().min_severity();
  if (severity < v1::PENALTY_SEVERITY_MINOR || severity > v1::PENALTY_SEVERITY_SERIOUS) {
    return InvalidField("rules.penalty.min_severity",
                        "must be PENALTY_SEVERITY_MINOR, GENERAL or SERIOUS");
  }
  const auto& categories = rules.serious_inspection().categories();
  if (categories.empty()) {
    return InvalidField("rules.serious_inspection.categories", "needs at least one category");
  }
  for (int i = 0; i < categories.size(); ++i) {
    if (!v1::InspectionResultCategory_IsValid(categories[i]) ||
        categories[i] == v1::INSPECTION_RESULT_CATEGORY_UNSPECIFIED) {
      return InvalidField(absl::StrCat("rules.serious_inspection.categories[", i, "]"),
                          "is not an InspectionResultCategory (1-11)");
    }
  }
  return absl::OkStatus();
}

std::string AlertId(v1::AlertRule rule, absl::string_view credit_code, absl::string_view cause) {
  std::string material = absl::StrCat(static_cast<int>(rule));
  material.push_back('\0');
  absl::StrAppend(&material, credit_code);
  material.push_back('\0');
  absl::StrAppend(&material, cause);
  return absl::StrCat("AL-", Sha256Hex(material).substr(0, 20));
}

std::string AlertRuleName(v1::AlertRule rule) {
  const std::string& full = v1::AlertRule_Name(rule);
  constexpr absl::string_view kPrefix = "ALERT_RULE_";
  return absl::StartsWith(full, kPrefix) ? full.substr(kPrefix.size()) : full;
}

std::vector<v1::Alert> ScoreAlerts(const v1::AlertRules& rules, const v1::RiskScore& previous,
                                   const v1::RiskScore& current) {
  std::vector<v1::Alert> out;
  const bool class_raised = !rules.class_raised().disabled() &&
                            current.risk_class() > previous.risk_class() &&
                            current.risk_class() >= rules.class_raised().min_class();
  const double rise = current.probability() - previous.probability();
  const bool score_jump = !rules.score_jump().disabled() && rise > rules.score_jump().min_rise();
  // Most changes raise nothing: a batch run compares every enterprise, so the texts are
  // built only for an alert.
  if (!class_raised && !score_jump) return out;
  const std::string cause = absl::StrCat("score:", TimeText(previous.score_time()), "->",
                                         std::string(1, ClassLetter(current.risk_class())));
  const std::string change =
      absl::StrFormat("class %c -> %c (probability %.3f -> %.3f, model %s)",
                      ClassLetter(previous.risk_class()), ClassLetter(current.risk_class()),
                      previous.probability(), current.probability(), current.model_version());
  if (class_raised) {
    v1::Alert alert = NewAlert(v1::ALERT_RULE_CLASS_RAISED, current.credit_code(), cause);
    alert.set_summary(absl::StrCat("risk ", change));
    *alert.mutable_cause_time() = current.score_time();
    out.push_back(std::move(alert));
  }
  if (score_jump) {
    v1::Alert alert = NewAlert(v1::ALERT_RULE_SCORE_JUMP, current.credit_code(), cause);
    alert.set_summary(absl::StrFormat("probability rose by %.3f (more than %.3f): %s", rise,
                                      rules.score_jump().min_rise(), change));
    *alert.mutable_cause_time() = current.score_time();
    out.push_back(std::move(alert));
  }
  return out;
}

bool AnyRuleLooksAt(const v1::Event& event) {
  switch (event.payload_case()) {
    case v1::Event::kAdministrativePenalty:
    case v1::Event::kAbnormalOperation:
    case v1::Event::kSeriousDishonesty:
    case v1::Event::kCourtDishonestDebtor:
    case v1::Event::kInspectionOutcome:
    case v1::Event::kComplaint:
      return true;
    default:
      return false;
  }
}

std::optional<v1::Alert> EventAlert(const v1::AlertRules& rules, const v1::Event& event) {
  switch (event.payload_case()) {
    case v1::Event::kAdministrativePenalty: {
      const v1::AdministrativePenalty& p = event.administrative_penalty();
      if (rules.penalty().disabled() || p.severity() < rules.penalty().min_severity()) {
        return std::nullopt;
      }
      v1::Alert alert = EventCaused(v1::ALERT_RULE_PENALTY, event);
      alert.set_summary(absl::StrCat(
          "administrative penalty (", v1::PenaltySeverity_Name(p.severity()),
          p.amount_yuan() > 0 ? absl::StrCat(", ", p.amount_yuan(), " yuan") : "",
          p.decision_number().empty() ? "" : ", decision ", p.decision_number(), ")"));
      return alert;
    }
    case v1::Event::kAbnormalOperation:
    case v1::Event::kSeriousDishonesty:
    case v1::Event::kCourtDishonestDebtor: {
      if (rules.list_entry().disabled() || ListActionOf(event) != v1::LIST_ACTION_ADDED) {
        return std::nullopt;
      }
      v1::Alert alert = EventCaused(v1::ALERT_RULE_LIST_ENTRY, event);
      alert.set_summary(absl::StrCat("entered on the ", ListName(event)));
      return alert;
    }
    case v1::Event::kInspectionOutcome: {
      const v1::InspectionOutcome& o = event.inspection_outcome();
      const auto& serious = rules.serious_inspection().categories();
      if (rules.serious_inspection().disabled() ||
          std::find(serious.begin(), serious.end(), o.result_category()) == serious.end()) {
        return std::nullopt;
      }
      v1::Alert alert = EventCaused(v1::ALERT_RULE_SERIOUS_INSPECTION, event);
      const std::string category =
          v1::InspectionResultCategory_IsValid(o.result_category())
              ? v1::InspectionResultCategory_Name(
                    static_cast<v1::InspectionResultCategory>(o.result_category()))
              : absl::StrCat(o.result_category());
      alert.set_summary(absl::StrCat("inspection result ", category,
                                     o.plan_id().empty() ? "" : " in plan ", o.plan_id()));
      return alert;
    }
    default:
      return std::nullopt;
  }
}

bool CountsAsComplaint(const v1::AlertRules::Complaints& rule, const v1::Event& event) {
  return event.has_complaint() && (!rule.substantiated_only() || event.complaint().substantiated());
}

int ComplaintsInWindow(const v1::AlertRules::Complaints& rule, absl::Span<const int64_t> times,
                       size_t index) {
  const int64_t window = absl::ToInt64Microseconds(absl::Hours(24) * rule.window_days());
  const int64_t end = times[index];
  int counted = 0;
  for (size_t j = index + 1; j-- > 0;) {
    if (times[j] <= end - window) break;
    ++counted;
  }
  return counted;
}

bool ComplaintsCrossThreshold(const v1::AlertRules::Complaints& rule,
                              absl::Span<const int64_t> times, size_t index) {
  if (rule.disabled() || index >= times.size()) return false;
  if (ComplaintsInWindow(rule, times, index) < rule.count()) return false;
  return index == 0 || ComplaintsInWindow(rule, times, index - 1) < rule.count();
}

v1::Alert ComplaintsAlert(const v1::AlertRules::Complaints& rule, const v1::Event& event,
                          int counted) {
  v1::Alert alert = EventCaused(v1::ALERT_RULE_COMPLAINTS, event);
  // Complaints come in through several channels (12315, departments' own hotlines): their
  // accumulation concerns every department, not the one whose channel took the last.
  alert.clear_department();
  alert.set_summary(absl::StrCat(counted, rule.substantiated_only() ? " substantiated" : "",
                                 " complaints within ", rule.window_days(), " days (threshold ",
                                 rule.count(), ")"));
  return alert;
}

}  // namespace regulation::services
