#include "disclosure/site/plan_page.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "disclosure/site/departments.h"
#include "disclosure/site/draw_bundle_view.h"
#include "disclosure/site/entropy_view.h"
#include "disclosure/site/html.h"
#include "disclosure/site/public_entry.h"
#include "disclosure/site/result_view.h"
#include "disclosure/site/site_paths.h"

namespace regulation::disclosure::site {
namespace {

std::string QuotaText(const v1::PublicQuota& q) {
  if (q.is_count()) return absl::StrCat(q.risk_class(), ": ", q.count(), " 家 enterprises");
  return absl::StrFormat("%s: %.4g%%", q.risk_class(), static_cast<double>(q.ratio_ppm()) / 1e4);
}

// A targeted plan's listed enterprises with their reason categories (never the case
// references, which are not published).
std::string TargetsTable(const v1::PublicPlan& plan, const std::string& root) {
  std::string out = absl::StrCat(
      "<h3>", Label("定向检查对象", "Listed targets"), "</h3>\n<p>",
      Label("定向检查：检查对象按原因列明，不经抽取；检查人员仍随机抽取。",
            "Targeted inspection: the enterprises are listed with a reason, not drawn; the "
            "inspectors are still drawn at random."),
      "</p>\n", TableStart("targets stack", Label("定向检查对象", "Listed targets")), "<tr><th>",
      Label("统一社会信用代码", "Credit code"), "</th><th>", Label("原因类别", "Reason"),
      "</th></tr>\n");
  for (const v1::PublicTargetedEnterprise& t : plan.targets()) {
    const BilingualName reason = TargetReasonName(t.reason());
    absl::StrAppend(&out, "<tr><td>",
                    Link(absl::StrCat(root, EnterprisePagePath(t.credit_code())), t.credit_code()),
                    "</td><td>", Label(reason.zh, reason.en),
                    "</td></tr>\n");
  }
  return out + TableEnd();
}

// A random plan's credit policy (draw-spec §3.4): which class the draw froze, and the
// enterprises on the serious illegal and dishonest list it treated as listed (plain codes:
// a listed enterprise that was not drawn has no page). assets/views.js creditPolicyView
// renders the same.
std::string CreditPolicyView(const v1::PublicPlan& plan) {
  if (plan.credit_class_source().empty()) return "";
  const std::string& source = plan.credit_class_source();
  const std::string& policy = plan.dishonest_list_policy();
  const char* source_text =
      source == "OFFICIAL"   ? "官方信用风险分类（无则用模型分类） the official credit class "
                               "(the model's where none)"
      : source == "STRICTER" ? "官方分类与模型分类中较高者 the riskier of the official and the "
                               "model's class"
                             : "模型分类 the model's class";
  const char* policy_text =
      policy == "HIGHEST_RATIO" ? "按本计划最高抽查比例抽取 drawn at the plan's highest ratio"
      : policy == "ALWAYS"      ? "一律检查 always inspected"
                                : "不单独处理 no special treatment";
  FieldList fields;
  fields.Text("分类依据", "Class used", source_text)
      .Text("严重违法失信名单企业", "Dishonest-listed enterprises", policy_text);
  if (plan.dishonest_size() > 0) {
    fields.Text("承诺时在名单上的企业", "Listed at commit", absl::StrJoin(plan.dishonest(), ", "));
  }
  return absl::StrCat("<h3>", Label("信用分级分类", "Credit policy"), "</h3>\n", fields.Render());
}

std::string PlanView(const v1::PublicPlan& plan, const std::string& root) {
  const bool targeted = plan.kind() == "TARGETED";
  std::vector<std::string> quotas;
  if (!targeted) {
    for (const v1::PublicQuota& q : plan.quotas()) quotas.push_back(QuotaText(q));
  }
  FieldList fields;
  fields.Text("计划名称", "Title", plan.title())
      .Code("计划编号", "Plan id", plan.plan_id());
  if (targeted) {
    fields.Html("检查方式", "Inspection type",
                absl::StrCat("<span class=\"targeted\">", Label("定向检查", "Targeted inspection"),
                             "</span>"));
  }
  fields
      .Html("检查部门", "Departments",
            DepartmentsHtml({plan.departments().begin(), plan.departments().end()}))
      .Text("地区范围", "Region prefix", plan.region_prefix())
      .Text("行业", "Industries", absl::StrJoin(plan.industry_codes(), ", "))
      .Text("经营状态", "Statuses", absl::StrJoin(plan.statuses(), ", "))
      .Text("抽取比例", "Quotas by risk class", absl::StrJoin(quotas, "; "))
      .Text("检查组人数", "Team size", absl::StrCat(plan.team_size()))
      .Text("人员工作量上限", "Workload cap", absl::StrCat(plan.workload_cap()))
      .Text("完成期限", "Due", plan.due_date());
  std::string out = fields.Render();
  if (targeted) out += TargetsTable(plan, root);
  out += CreditPolicyView(plan);
  absl::StrAppend(&out, "<h3>", Label("检查事项", "Inspection items"), "</h3>\n",
                  TableStart("items", Label("检查事项", "Inspection items")), "<tr><th>",
                  Label("编号", "Id"), "</th><th>", Label("部门", "Department"), "</th><th>",
                  Label("事项", "Item"), "</th><th>", Label("法律依据", "Legal basis"), "</th><th>",
                  Label("类别", "Kind"), "</th><th>", Label("资格要求", "Qualification"),
                  "</th></tr>\n");
  for (const v1::PublicPlanItem& item : plan.items()) {
    absl::StrAppend(&out, "<tr><td><code>", HtmlEscape(item.item_id()), "</code></td><td>",
                    DepartmentHtml(item.department()), "</td><td>", HtmlEscape(item.title()), "</td><td>",
                    HtmlEscape(item.legal_basis()), "</td><td>", HtmlEscape(item.kind()), "</td><td>",
                    HtmlEscape(item.required_qualification()), "</td></tr>\n");
  }
  return out + TableEnd();
}

std::string CommitmentView(const SiteRecord& record, const std::string& root) {
  const v1::PublicCommitment& c = record.entry.commitment();
  std::string out = absl::StrCat("<section class=\"commitment\">\n<h2>", Label("抽查计划", "The plan"),
                                 "</h2>\n", PlanView(c.plan(), root), "<h2>",
                                 Label("抽取前的承诺", "Commitment before the draw"), "</h2>\n");
  FieldList fields;
  fields.Code("计划摘要", "Plan digest", c.plan_digest())
      .Code("企业名录摘要", "Population digest", c.population_digest())
      .Code("执法人员名录摘要", "Roster digest", c.roster_digest())
      .Code("随机数承诺", "Nonce commitment", c.nonce_commitment())
      .Code("承诺摘要", "Commitment digest", c.commitment_digest())
      .Text("外部随机源", "Entropy sources", NamedSourcesText(c.entropy_sources()))
      .Text("最短等待", "Minimum entropy delay", absl::StrCat(c.min_entropy_delay_seconds(), " s"))
      .Time("承诺时间", "Committed", c.commit_time())
      .Html("日志记录", "Log record", RecordLink(record.index, root));
  absl::StrAppend(&out, fields.Render(), TableStart("classes", Label("风险类别", "Risk classes")),
                  "<tr><th>", Label("风险类别", "Risk class"),
                  "</th><th>", Label("企业数", "Enterprises"), "</th><th>",
                  Label("类别名录摘要", "Class population digest"), "</th></tr>\n");
  for (const v1::PublicClassPopulation& p : c.classes()) {
    absl::StrAppend(&out, "<tr><td>", HtmlEscape(p.risk_class()), "</td><td class=\"num\">", p.size(),
                    "</td><td><code>", HtmlEscape(p.digest()), "</code></td></tr>\n");
  }
  return out + TableEnd() + "</section>\n";
}

std::string DrawView(const PlanRecord& draw, const SourceRegistry& sources, const std::string& root) {
  const v1::PublicDraw& d = draw.record.entry.draw();
  const std::string bundle_path = BundlePath(d.plan_id(), d.round());
  std::string out = absl::StrCat(
      "<section class=\"draw\" id=\"round-", d.round(), "\">\n<h2>",
      d.round() == 0 ? Label("随机抽取（第 0 轮）", "Draw (round 0)")
                     : Label(absl::StrCat("替补抽取（第 ", d.round(), " 轮）"),
                             absl::StrCat("Replacement draw (round ", d.round(), ")")),
      "</h2>\n");
  FieldList fields;
  fields.Code("种子", "Seed", d.seed())
      .Code("随机数（揭示）", "Nonce (revealed)", d.nonce())
      .Code("承诺摘要", "Commitment digest", d.commitment_digest())
      .Text("抽中企业数", "Targets", absl::StrCat(d.targets()))
      .Text("未配齐检查组", "Unstaffed", absl::StrCat(d.unstaffed()))
      .Html("抽取结果文件", "Draw bundle",
            absl::StrCat(Link(root + bundle_path, bundle_path), " <code>SHA-256 ",
                         HtmlEscape(d.bundle_digest()), "</code>"))
      .Text("被替补企业", "Replaced targets", absl::StrJoin(d.replaced_codes(), ", "))
      .Text("替补原因", "Replacement reason", d.replacement_reason())
      .Time("抽取时间", "Drawn", d.draw_time())
      .Html("日志记录", "Log record", RecordLink(draw.record.index, root));
  absl::StrAppend(&out, fields.Render());
  if (!draw.bundle.empty()) absl::StrAppend(&out, RenderDrawBundle(draw.bundle, root));
  absl::StrAppend(&out, RenderStatements(d.round(), d.statements(), sources));
  return out + "</section>\n";
}

// A replacement round announced before its entropy exists: what will be replaced, the
// source whose future value will seed it, and the commitment to its nonce.
std::string AnnouncementView(const SiteRecord& record, const std::string& root) {
  const v1::PublicAnnouncement& a = record.entry.announcement();
  std::string out = absl::StrCat(
      "<section class=\"announcement\" id=\"announced-", a.round(), "\">\n<h2>",
      Label(absl::StrCat("替补抽取公告（第 ", a.round(), " 轮）"),
            absl::StrCat("Replacement round ", a.round(), " announced")),
      "</h2>\n");
  FieldList fields;
  fields.Text("被替补企业", "Targets to replace", absl::StrJoin(a.replaced_codes(), ", "))
      .Text("替补原因", "Reason", a.reason())
      .Code("随机数承诺", "Nonce commitment", a.nonce_commitment())
      .Code("承诺摘要", "Commitment digest", a.commitment_digest())
      .Text("外部随机源", "Entropy sources", NamedSourcesText(a.entropy_sources()))
      .Text("最短等待", "Minimum entropy delay", absl::StrCat(a.min_entropy_delay_seconds(), " s"))
      .Time("公告时间", "Announced", a.announce_time())
      .Html("日志记录", "Log record", RecordLink(record.index, root));
  return absl::StrCat(out, fields.Render(), "</section>\n");
}

}  // namespace

std::string RenderPlanPage(const std::string& plan_id, const std::vector<PlanRecord>& records,
                           const SourceRegistry& sources) {
  const std::string path = PlanPagePath(plan_id);
  const std::string root = RootPrefix(path);
  std::string title;
  std::string body;
  for (const PlanRecord& r : records) {
    if (r.record.entry.has_commitment()) {
      title = r.record.entry.commitment().plan().title();
      absl::StrAppend(&body, CommitmentView(r.record, root));
    }
  }
  if (body.empty()) {
    absl::StrAppend(&body, "<p class=\"notice\">",
                    Label("本计划的承诺记录尚未公示。", "The plan's commitment is not published yet."),
                    "</p>\n");
  }
  // In log order: each replacement round's announcement precedes its draw.
  for (const PlanRecord& r : records) {
    if (r.record.entry.has_announcement()) absl::StrAppend(&body, AnnouncementView(r.record, root));
    if (r.record.entry.has_draw()) absl::StrAppend(&body, DrawView(r, sources, root));
  }
  // Everything in #plan-content is checked line by line against the verified records and
  // bundles (assets/plan.js), which the panel names.
  std::vector<std::string> indices;
  for (const PlanRecord& r : records) indices.push_back(absl::StrCat(r.record.index));
  body = absl::StrCat(
      "<div id=\"plan-content\">\n", body, "</div>\n",
      "<section id=\"verification\" class=\"verification\" data-plan=\"", HtmlEscape(plan_id),
      "\" data-records=\"", absl::StrJoin(indices, ","), "\">\n<h2>", Label("验证", "Verification"),
      "</h2>\n<p id=\"verify-status\" class=\"verify-pending\">",
      Label("正在验证…（需要启用 JavaScript）", "Verifying… (requires JavaScript)"), "</p>\n",
      "<ol id=\"verify-steps\"></ol>\n</section>\n");
  Page page;
  page.path = path;
  page.title_zh = absl::StrCat("抽查计划 ", plan_id, title.empty() ? "" : " ", title);
  page.title_en = "Inspection plan";
  page.scripts = {"assets/plan.js"};
  page.body = std::move(body);
  return RenderPage(page);
}

}  // namespace regulation::disclosure::site
