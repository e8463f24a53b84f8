#include "disclosure/site/result_view.h"

#include "absl/strings/str_cat.h"
#include "disclosure/site/departments.h"
#include "disclosure/site/html.h"
#include "disclosure/site/local_time.h"
#include "disclosure/site/public_entry.h"
#include "disclosure/site/site_paths.h"

namespace regulation::disclosure::site {

FieldList& FieldList::Text(absl::string_view zh, absl::string_view en, absl::string_view text) {
  if (text.empty()) return *this;
  return Html(zh, en, HtmlEscape(text));
}

FieldList& FieldList::Html(absl::string_view zh, absl::string_view en, absl::string_view html) {
  if (html.empty()) return *this;
  absl::StrAppend(&rows_, "<dt>", Label(zh, en), "</dt><dd>", html, "</dd>\n");
  return *this;
}

FieldList& FieldList::Code(absl::string_view zh, absl::string_view en, absl::string_view text) {
  if (text.empty()) return *this;
  return Html(zh, en, absl::StrCat("<code>", HtmlEscape(text), "</code>"));
}

FieldList& FieldList::Time(absl::string_view zh, absl::string_view en, absl::string_view utc) {
  return Html(zh, en, TimeHtml(utc));
}

std::string FieldList::Render() const {
  return absl::StrCat("<dl class=\"fields\">\n", rows_, "</dl>\n");
}

std::string TargetedHtml(absl::string_view reason) {
  const BilingualName name = TargetReasonName(reason);
  return absl::StrCat("<span class=\"targeted\">", Label("定向检查", "Targeted inspection"),
                      "</span> · ", Label(name.zh, name.en));
}

std::string ResultFields(const v1::PublicResult& result, absl::string_view root) {
  const BilingualName category = CategoryName(result);
  FieldList fields;
  fields
      .Html("企业名称", "Enterprise",
            Link(absl::StrCat(root, EnterprisePagePath(result.credit_code())),
                 result.enterprise_name().empty() ? result.credit_code()
                                                  : result.enterprise_name()))
      .Code("统一社会信用代码", "Credit code", result.credit_code())
      .Html("检查结果", "Result",
            absl::StrCat("<span class=\"category\">", HtmlEscape(category.zh),
                         "</span> <span class=\"category-en\">", HtmlEscape(category.en),
                         "</span>"));
  // A targeted inspection says so, with its reason category; a random one shows as before.
  if (!result.target_reason().empty()) {
    fields.Html("检查方式", "Inspection type", TargetedHtml(result.target_reason()));
  }
  fields.Text("检查发现", "Findings", result.findings())
      .Text("后续处理", "Follow-up measures", result.follow_up_measures())
      .Text("检查结束日期", "Inspection ended", result.inspection_end_date())
      .Html("检查部门", "Departments",
            DepartmentsHtml({result.departments().begin(), result.departments().end()}));
  if (!result.plan_id().empty()) {
    fields.Html("抽查计划", "Plan",
                Link(absl::StrCat(root, PlanPagePath(result.plan_id())), result.plan_id()));
  }
  fields.Code("结果编号", "Result id", result.result_id())
      .Time("审核时间", "Approved", result.approve_time())
      .Text("公示期限", "Publication deadline", result.publish_deadline());
  return fields.Render();
}

std::string TableStart(absl::string_view css_class, absl::string_view label_html) {
  return absl::StrCat("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"",
                      label_html, "\">\n<table class=\"", css_class, "\">");
}

std::string TableEnd() { return "</table>\n</div>\n"; }

std::string RoundLabel(absl::string_view zh, absl::string_view en, int64_t round) {
  return absl::StrCat(Label(zh, en), " · ", Label(absl::StrCat("第 ", round, " 轮"), absl::StrCat("round ", round)));
}

std::string RecordLink(int64_t index, absl::string_view root) {
  return Link(absl::StrCat(root, RecordPagePath(index)),
              absl::StrCat("记录 Record #", index));
}

}  // namespace regulation::disclosure::site
