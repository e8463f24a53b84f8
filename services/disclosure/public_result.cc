#include "services/disclosure/public_result.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/inspection/public_entries.h"

namespace regulation::services {
namespace {

std::string FormatDate(const v1::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

}  // namespace

std::string CategoryLabel(v1::InspectionResultCategory category) {
  switch (category) {
    case v1::NO_PROBLEM_FOUND:
      return "未发现问题";
    case v1::PROBLEM_FOUND_FOLLOW_UP_PENDING:
      return "发现问题待后续处理";
    case v1::REQUIRED_INFORMATION_NOT_PUBLISHED:
      return "未按规定公示应当公示的信息";
    case v1::PUBLISHED_INFORMATION_FALSE:
      return "公示信息隐瞒真实情况弄虚作假";
    case v1::UNREACHABLE_AT_REGISTERED_ADDRESS:
      return "通过登记的住所（经营场所）无法联系";
    case v1::PROBLEM_CORRECTED_ON_ORDER:
      return "发现问题经责令已改正";
    case v1::NO_RELEVANT_BUSINESS_ACTIVITY:
      return "未发现开展本次抽查涉及的经营活动";
    case v1::CLOSED_OR_LIQUIDATING:
      return "已关闭停业或正在组织清算";
    case v1::SERIOUS_REFUSAL_TO_COOPERATE:
      return "不配合检查情节严重";
    case v1::OTHER_DEPARTMENT_VIOLATION:
      return "违反其他部门规定";
    case v1::DEREGISTERED_OR_REVOKED:
      return "已注销、被吊销、撤销登记或已迁出";
    default:
      return "";
  }
}

v1::PublicResult PublicResultOf(const v1::InspectionResult& result,
                                absl::string_view enterprise_name,
                                const std::vector<std::string>& departments,
                                std::optional<absl::Time> approved,
                                disclosure::RedactionReport* report) {
  v1::PublicResult out;
  out.set_result_id(result.result_id());
  out.set_plan_id(result.plan_id());
  out.set_credit_code(result.credit_code());
  out.set_enterprise_name(std::string(enterprise_name));
  out.set_category(v1::InspectionResultCategory_Name(result.category()));
  out.set_category_label(CategoryLabel(result.category()));
  disclosure::RedactionReport findings, follow_up;
  out.set_findings(disclosure::RedactPersonalData(result.findings(), &findings));
  out.set_follow_up_measures(
      disclosure::RedactPersonalData(result.follow_up_measures(), &follow_up));
  if (report != nullptr) {
    *report = findings;
    for (size_t k = 0; k < report->counts.size(); ++k) report->counts[k] += follow_up.counts[k];
    report->id_card_numbers_failing_check += follow_up.id_card_numbers_failing_check;
  }
  out.set_inspection_end_date(FormatDate(result.inspection_end_date()));
  for (const std::string& d : departments) out.add_departments(d);
  if (approved.has_value()) out.set_approve_time(PublicTime(*approved));
  out.set_publish_deadline(FormatDate(result.publish_deadline()));
  return out;
}

std::string ResultRecordKey(absl::string_view result_id) {
  return absl::StrCat("result/", result_id);
}

std::string CorrectionRecordKey(absl::string_view result_id, int64_t version) {
  return absl::StrCat("correction/", result_id, "/", version);
}

v1::PublicEntry ResultEntryOf(const v1::PublicResult& result, std::optional<absl::Time> now) {
  v1::PublicEntry entry;
  entry.set_kind("RESULT");
  entry.set_key(ResultRecordKey(result.result_id()));
  entry.set_subject(result.credit_code());
  if (now.has_value()) entry.set_publish_time(PublicTime(*now));
  *entry.mutable_result() = result;
  return entry;
}

std::string ResultEntry(const v1::PublicResult& result, absl::Time now) {
  return PublicEntryJson(ResultEntryOf(result, now));
}

std::string CorrectionEntry(absl::string_view record_key, const v1::PublicResult& corrected,
                            int64_t corrects_index, absl::string_view reason, absl::Time now,
                            absl::string_view objection_id) {
  v1::PublicEntry entry;
  entry.set_kind("CORRECTION");
  entry.set_key(std::string(record_key));
  entry.set_subject(corrected.credit_code());
  entry.set_publish_time(PublicTime(now));
  v1::PublicCorrection* c = entry.mutable_correction();
  c->set_corrects_index(corrects_index);
  c->set_reason(disclosure::RedactPersonalData(reason));
  *c->mutable_corrected() = corrected;
  c->set_objection_id(std::string(objection_id));
  return PublicEntryJson(entry);
}

}  // namespace regulation::services
