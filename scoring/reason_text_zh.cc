#include "scoring/reason_text_zh.h"

#include <cmath>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "scoring/feature_catalogue.h"

namespace regulation::scoring {
namespace {

int64_t Whole(double v) { return std::llround(v); }

constexpr absl::string_view k1y = "近12个月";
constexpr absl::string_view k3y = "近3年";

// "近3年受到行政处罚2次": period, what happened, the count and its measure word.
std::string Counted(absl::string_view period, absl::string_view what, double value,
                    absl::string_view measure) {
  return absl::StrCat(period, what, Whole(value), measure);
}

// 10^log10_value - 1 (the inverse of the catalogue's log10(1 + yuan)), in Chinese units:
// 亿 (10^8) and 万 (10^4).
std::string Yuan(double log10_value) {
  const double yuan = std::pow(10.0, log10_value) - 1;
  // Thresholds a little below the units, so that 99,999,999 reads "1.0亿元".
  if (yuan >= 0.99995e8) return absl::StrFormat("%.1f亿元", yuan / 1e8);
  if (yuan >= 1e4) return absl::StrFormat("%d万元", Whole(yuan / 1e4));
  return absl::StrFormat("%d元", Whole(yuan));
}

// GB/T 4754-2017 门类, A = 1 ... T = 20.
constexpr absl::string_view kSections[] = {
    "农、林、牧、渔业",
    "采矿业",
    "制造业",
    "电力、热力、燃气及水生产和供应业",
    "建筑业",
    "批发和零售业",
    "交通运输、仓储和邮政业",
    "住宿和餐饮业",
    "信息传输、软件和信息技术服务业",
    "金融业",
    "房地产业",
    "租赁和商务服务业",
    "科学研究和技术服务业",
    "水利、环境和公共设施管理业",
    "居民服务、修理和其他服务业",
    "教育",
    "卫生和社会工作",
    "文化、体育和娱乐业",
    "公共管理、社会保障和社会组织",
    "国际组织",
};

std::string Section(double value) {
  const int64_t n = Whole(value);
  if (n < 1 || n > 20) return "行业门类未知";
  return absl::StrFormat("行业门类%c（%s）", static_cast<char>('A' + n - 1), kSections[n - 1]);
}

std::string Listed(double value, absl::string_view list) {
  return Whole(value) >= 1 ? absl::StrCat("目前列入", list) : absl::StrCat("未列入", list);
}

std::string DaysSince(double value, absl::string_view thing, absl::string_view never) {
  if (value >= kDaysSinceNever) return std::string(never);
  return absl::StrCat("距", thing, Whole(value), "天");
}

struct ReasonTemplate {
  absl::string_view feature;
  std::string (*text)(double value);
};

// One sentence per catalogue feature (feature_catalogue.cc), in catalogue order, saying
// what the English template of explanations.cc says.
const ReasonTemplate kTemplates[] = {
    {"age_years", [](double v) { return absl::StrFormat("成立%.1f年", v); }},
    {"capital_log10", [](double v) { return absl::StrCat("注册资本", Yuan(v)); }},
    {"industry_section", [](double v) { return Section(v); }},
    {"province", [](double v) { return absl::StrFormat("注册地省级行政区划代码%d", Whole(v)); }},
    {"penalties_1y", [](double v) { return Counted(k1y, "受到行政处罚", v, "次"); }},
    {"penalties_3y", [](double v) { return Counted(k3y, "受到行政处罚", v, "次"); }},
    {"penalty_amount_log10_3y", [](double v) { return absl::StrCat(k3y, "罚款合计", Yuan(v)); }},
    {"serious_penalties_3y", [](double v) { return Counted(k3y, "受到严重行政处罚", v, "次"); }},
    {"days_since_penalty", [](double v) { return DaysSince(v, "上次行政处罚", "无行政处罚记录"); }},
    {"reports_late_3y", [](double v) { return Counted(k3y, "逾期报送年报", v, "次"); }},
    {"reports_missing_3y", [](double v) { return Counted(k3y, "未报送年报", v, "次"); }},
    {"reports_zero_financials_3y",
     [](double v) { return Counted(k3y, "报送财务数据全为零的年报", v, "份"); }},
    {"reports_on_time_3y", [](double v) { return Counted(k3y, "按时报送年报", v, "次"); }},
    {"abnormal_listed", [](double v) { return Listed(v, "经营异常名录"); }},
    {"abnormal_listings_3y", [](double v) { return Counted(k3y, "被列入经营异常名录", v, "次"); }},
    {"dishonest_listed", [](double v) { return Listed(v, "严重违法失信名单"); }},
    {"court_debtor_listed", [](double v) { return Listed(v, "法院失信被执行人名单"); }},
    {"complaints_1y", [](double v) { return Counted(k1y, "收到投诉举报", v, "件"); }},
    {"complaints_3y", [](double v) { return Counted(k3y, "收到投诉举报", v, "件"); }},
    {"complaints_substantiated_3y",
     [](double v) { return Counted(k3y, "投诉举报经查属实", v, "件"); }},
    {"quality_samples_3y", [](double v) { return Counted(k3y, "接受产品质量抽检", v, "次"); }},
    {"quality_failures_3y", [](double v) { return Counted(k3y, "产品质量抽检不合格", v, "次"); }},
    {"inspections_3y", [](double v) { return Counted(k3y, "接受检查", v, "次"); }},
    {"inspection_problems_3y", [](double v) { return Counted(k3y, "检查发现问题", v, "次"); }},
    {"inspections_total", [](double v) { return Counted("累计", "接受检查", v, "次"); }},
    {"inspection_problems_total",
     [](double v) { return Counted("累计", "检查发现问题", v, "次"); }},
    {"days_since_inspection", [](double v) { return DaysSince(v, "上次检查", "从未接受检查"); }},
    {"licences_revoked_3y", [](double v) { return Counted(k3y, "被吊销许可", v, "项"); }},
    {"licences_granted_3y", [](double v) { return Counted(k3y, "获得许可", v, "项"); }},
    {"registration_changes_1y", [](double v) { return Counted(k1y, "变更登记事项", v, "次"); }},
    {"registration_changes_3y", [](double v) { return Counted(k3y, "变更登记事项", v, "次"); }},
    {"events_3y", [](double v) { return Counted(k3y, "记录在案的事件", v, "件"); }},
};

const ReasonTemplate* FindTemplate(absl::string_view feature) {
  for (const ReasonTemplate& t : kTemplates) {
    if (t.feature == feature) return &t;
  }
  return nullptr;
}

}  // namespace

bool HasReasonTemplateZh(absl::string_view feature) { return FindTemplate(feature) != nullptr; }

absl::StatusOr<std::string> DescribeFeatureZh(absl::string_view feature, double value) {
  const ReasonTemplate* t = FindTemplate(feature);
  if (t == nullptr) {
    return absl::NotFoundError(absl::StrCat("no Chinese reason template for ", feature));
  }
  return t->text(value);
}

}  // namespace regulation::scoring
