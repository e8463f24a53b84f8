#include "disclosure/site/public_entry.h"

#include "absl/strings/str_cat.h"
#include "disclosure/public_leaf.h"
#include "google/protobuf/util/json_util.h"

namespace regulation::disclosure::site {
namespace {

struct CategoryLabel {
  const char* category;
  const char* zh;
  const char* en;
};

// proto/regulation/v1/disclosure.proto, InspectionResultCategory.
constexpr CategoryLabel kCategories[] = {
    {"NO_PROBLEM_FOUND", "未发现问题", "No problem found"},
    {"PROBLEM_FOUND_FOLLOW_UP_PENDING", "发现问题待后续处理", "Problem found, follow-up pending"},
    {"REQUIRED_INFORMATION_NOT_PUBLISHED", "未按规定公示应当公示的信息",
     "Required information not published"},
    {"PUBLISHED_INFORMATION_FALSE", "公示信息隐瞒真实情况弄虚作假",
     "Published information concealed facts or was false"},
    {"UNREACHABLE_AT_REGISTERED_ADDRESS", "通过登记的住所（经营场所）无法联系",
     "Unreachable at the registered address"},
    {"PROBLEM_CORRECTED_ON_ORDER", "发现问题经责令已改正", "Problem found and corrected on order"},
    {"NO_RELEVANT_BUSINESS_ACTIVITY", "未发现开展本次抽查涉及的经营活动",
     "No business activity covered by this inspection"},
    {"CLOSED_OR_LIQUIDATING", "已关闭停业或正在组织清算", "Closed or liquidating"},
    {"SERIOUS_REFUSAL_TO_COOPERATE", "不配合检查情节严重", "Serious refusal to cooperate"},
    {"OTHER_DEPARTMENT_VIOLATION", "违反其他部门规定", "Violation of other departments' rules"},
    {"DEREGISTERED_OR_REVOKED", "已注销、被吊销、撤销登记或已迁出",
     "Deregistered, revoked or moved out"},
};

}  // namespace

absl::StatusOr<v1::PublicEntry> ParsePublicEntry(absl::string_view body) {
  return ParsePublicEntryJson(body);
}

std::string PrettyJson(const v1::PublicEntry& entry) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(entry, &json, options);
  return json;
}

BilingualName KindName(absl::string_view kind) {
  if (kind == "COMMITMENT") return {"抽查承诺", "Commitment"};
  if (kind == "DRAW") return {"随机抽取", "Draw"};
  if (kind == "ANNOUNCEMENT") return {"补抽公告", "Replacement announcement"};
  if (kind == "RESULT") return {"检查结果", "Result"};
  if (kind == "CORRECTION") return {"更正", "Correction"};
  if (kind == "WITHDRAWAL") return {"撤回", "Withdrawal"};
  if (kind == "OBJECTION_OUTCOME") return {"异议处理结果", "Objection outcome"};
  return {std::string(kind), std::string(kind)};
}

BilingualName TargetReasonName(absl::string_view reason) {
  if (reason == "COMPLAINT") return {"投诉举报", "Complaint"};
  if (reason == "ALERT") return {"风险预警", "Early-warning alert"};
  if (reason == "REFERRAL") return {"转办交办", "Referral"};
  if (reason == "MONITORING") return {"监测发现", "Monitoring"};
  return {std::string(reason), std::string(reason)};
}

BilingualName CategoryName(const v1::PublicResult& result) {
  for (const CategoryLabel& c : kCategories) {
    if (result.category() == c.category) {
      return {result.category_label().empty() ? c.zh : result.category_label(), c.en};
    }
  }
  return {result.category_label(), result.category()};
}

std::string EnterpriseCodeOf(const v1::PublicEntry& entry) {
  const v1::PublicResult* result = ResultOf(entry);
  if (result != nullptr) return result->credit_code().empty() ? entry.subject() : result->credit_code();
  if (entry.has_objection_outcome() || entry.kind() == "OBJECTION_OUTCOME") return entry.subject();
  // A withdrawn result (only its leaf's fields are known), or the withdrawal of one.
  if (entry.kind() == "RESULT" || entry.kind() == "CORRECTION" || entry.kind() == "WITHDRAWAL") {
    return entry.subject();
  }
  return "";
}

const v1::PublicResult* ResultOf(const v1::PublicEntry& entry) {
  if (entry.has_result()) return &entry.result();
  if (entry.has_correction()) return &entry.correction().corrected();
  return nullptr;
}

BilingualName ObjectionOutcomeName(absl::string_view outcome) {
  if (outcome == "UPHELD") return {"异议成立，已更正", "Upheld; the result was corrected"};
  if (outcome == "REJECTED") return {"异议不成立，维持原结果", "Rejected; the result stands"};
  return {std::string(outcome), std::string(outcome)};
}

std::string PlanIdOf(const v1::PublicEntry& entry) {
  if (entry.has_commitment()) {
    return entry.commitment().plan().plan_id().empty() ? entry.subject()
                                                       : entry.commitment().plan().plan_id();
  }
  if (entry.has_draw()) return entry.draw().plan_id().empty() ? entry.subject() : entry.draw().plan_id();
  if (entry.has_announcement()) {
    return entry.announcement().plan_id().empty() ? entry.subject() : entry.announcement().plan_id();
  }
  return "";
}

}  // namespace regulation::disclosure::site
