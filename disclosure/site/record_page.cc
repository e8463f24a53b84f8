#include "disclosure/site/record_page.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "disclosure/site/departments.h"
#include "disclosure/site/entropy_view.h"
#include "disclosure/site/html.h"
#include "disclosure/site/public_entry.h"
#include "disclosure/site/result_view.h"
#include "disclosure/site/site_paths.h"

namespace regulation::disclosure::site {
namespace {

// The sources whose statements a draw carries, in order.
std::string StatementSources(const google::protobuf::RepeatedPtrField<v1::EntropyStatement>& statements) {
  std::vector<std::string> ids;
  for (const v1::EntropyStatement& s : statements) ids.push_back(s.source_id());
  return absl::StrJoin(ids, ", ");
}

std::string CommitmentView(const v1::PublicCommitment& c, const std::string& root) {
  FieldList fields;
  fields
      .Html("抽查计划", "Plan",
            Link(absl::StrCat(root, PlanPagePath(c.plan().plan_id())),
                 absl::StrCat(c.plan().plan_id(), " ", c.plan().title())))
      .Code("计划摘要", "Plan digest", c.plan_digest())
      .Code("名录摘要", "Population digest", c.population_digest())
      .Code("执法人员名录摘要", "Roster digest", c.roster_digest())
      .Code("随机数承诺", "Nonce commitment", c.nonce_commitment())
      .Code("承诺摘要", "Commitment digest", c.commitment_digest())
      .Text("外部随机源", "Entropy sources", NamedSourcesText(c.entropy_sources()))
      .Time("承诺时间", "Committed", c.commit_time());
  return fields.Render();
}

std::string DrawView(const v1::PublicDraw& d, const std::string& root) {
  FieldList fields;
  fields.Html("抽查计划", "Plan", Link(absl::StrCat(root, PlanPagePath(d.plan_id())), d.plan_id()))
      .Text("轮次", "Round", absl::StrCat(d.round()))
      .Code("种子", "Seed", d.seed())
      .Code("随机数", "Nonce", d.nonce())
      .Code("承诺摘要", "Commitment digest", d.commitment_digest())
      .Text("随机源声明", "Statements by", StatementSources(d.statements()))
      .Text("抽中企业数", "Targets", absl::StrCat(d.targets()))
      .Text("未配齐检查组", "Unstaffed", absl::StrCat(d.unstaffed()))
      .Html("抽取结果文件", "Draw bundle",
            absl::StrCat(Link(absl::StrCat(root, BundlePath(d.plan_id(), d.round())),
                              BundlePath(d.plan_id(), d.round())),
                         " <code>SHA-256 ", HtmlEscape(d.bundle_digest()), "</code>"))
      .Text("替补企业", "Replaced targets", absl::StrJoin(d.replaced_codes(), ", "))
      .Text("替补原因", "Replacement reason", d.replacement_reason())
      .Time("抽取时间", "Drawn", d.draw_time());
  return fields.Render();
}

std::string AnnouncementView(const v1::PublicAnnouncement& a, const std::string& root) {
  FieldList fields;
  fields.Html("抽查计划", "Plan", Link(absl::StrCat(root, PlanPagePath(a.plan_id())), a.plan_id()))
      .Text("轮次", "Round", absl::StrCat(a.round()))
      .Text("被替补企业", "Targets to replace", absl::StrJoin(a.replaced_codes(), ", "))
      .Text("替补原因", "Reason", a.reason())
      .Code("随机数承诺", "Nonce commitment", a.nonce_commitment())
      .Code("承诺摘要", "Commitment digest", a.commitment_digest())
      .Text("外部随机源", "Entropy sources", NamedSourcesText(a.entropy_sources()))
      .Time("公告时间", "Announced", a.announce_time());
  return fields.Render();
}

std::string EntropySourceView(const v1::PublicEntropySource& e) {
  const v1::RegisteredEntropySource& s = e.source();
  FieldList fields;
  fields.Text("事件", "Event", e.event())
      .Code("随机源", "Source id", s.source_id())
      .Text("名称", "Name", s.display_name())
      .Text("类别", "Kind", v1::EntropySourceKind_Name(s.kind()))
      .Html("所属部门", "Department", s.department().empty() ? "" : DepartmentHtml(s.department()))
      .Text("算法", "Algorithm", s.algorithm())
      .Code("公钥", "Public key", s.public_key_hex())
      .Text("说明", "Description", s.description())
      .Text("原因", "Reason", e.reason())
      .Time("时间", "Time", e.event_time());
  return fields.Render();
}

std::string CorrectionView(const v1::PublicCorrection& c, const std::string& root) {
  FieldList fields;
  fields.Html("更正记录", "Corrects", RecordLink(c.corrects_index(), root))
      .Text("更正原因", "Reason", c.reason())
      .Text("依据异议", "On objection", c.objection_id());
  return absl::StrCat(fields.Render(), "<h2>", Label("更正后的内容", "Corrected content"),
                      "</h2>\n", ResultFields(c.corrected(), root));
}

std::string ObjectionOutcomeView(const v1::PublicObjectionOutcome& o, const std::string& root) {
  const BilingualName outcome = ObjectionOutcomeName(o.outcome());
  FieldList fields;
  fields.Text("异议编号", "Objection", o.objection_id())
      .Html("异议的记录", "Objected record", RecordLink(o.objected_index(), root))
      .Text("统一社会信用代码", "Credit code", o.credit_code())
      .Text("结果编号", "Result id", o.result_id())
      .Text("处理结果", "Outcome", absl::StrCat(outcome.zh, " ", outcome.en))
      .Text("异议理由", "Grounds", o.grounds())
      .Text("处理理由", "Reason", o.reason())
      .Text("提出日期", "Filed on", o.filed_date())
      .Text("答复期限", "Answer due", o.answer_deadline())
      .Text("处理日期", "Decided on", o.decided_date())
      .Text("逾期答复", "Answered late", o.late() ? "是 Yes" : "")
      .Code("更正记录键", "Correction key", o.correction_key());
  return fields.Render();
}

std::string WithdrawalView(const v1::PublicWithdrawal& w, const std::string& root) {
  FieldList fields;
  fields.Html("撤回的记录", "Withdrawn record", RecordLink(w.withdrawn_index(), root))
      .Code("被撤回记录的键", "Key of the withdrawn record", w.withdrawn_key())
      .Text("法律依据", "Legal basis", w.legal_basis())
      .Text("撤回日期", "Withdrawn on", w.withdrawn_date());
  return fields.Render();
}

// A withdrawn record: what its WITHDRAWAL record says about it (when the site has it).
std::string WithdrawnView(const SiteRecord& record, const SiteRecord* withdrawal,
                          const std::string& root) {
  FieldList fields;
  fields.Text("状态", "Status", "已撤回 Withdrawn");
  if (withdrawal != nullptr && withdrawal->entry.has_withdrawal()) {
    fields.Text("撤回日期", "Withdrawn on", withdrawal->entry.withdrawal().withdrawn_date())
        .Text("法律依据", "Legal basis", withdrawal->entry.withdrawal().legal_basis());
  }
  fields.Html("撤回记录", "Withdrawal record", RecordLink(record.withdrawal_index, root));
  return fields.Render();
}

std::string VerificationPanel(const SiteRecord& record) {
  return absl::StrCat(
      "<section id=\"verification\" class=\"verification\" data-index=\"", record.index,
      "\"",
      record.withdrawn ? absl::StrCat(" data-withdrawn-by=\"", record.withdrawal_index, "\"") : "",
      ">\n<h2>", Label("验证", "Verification"), "</h2>\n",
      "<p id=\"verify-status\" class=\"verify-pending\">",
      Label("正在验证…（需要启用 JavaScript）", "Verifying… (requires JavaScript)"), "</p>\n",
      "<ol id=\"verify-steps\"></ol>\n<p class=\"hint\">",
      Label("离线验证整个日志：", "Verify the whole log offline:"),
      " <code>regctl verify-log DIR --verifier_key=KEY</code></p>\n</section>\n");
}

}  // namespace

std::string RenderRecordPage(const SiteRecord& record, const RecordPageLinks& links) {
  const std::string path = RecordPagePath(record.index);
  const std::string root = RootPrefix(path);
  const v1::PublicEntry& entry = record.entry;
  const BilingualName kind = KindName(entry.kind());

  std::string body;
  for (const SiteRecord& c : links.corrections) {
    absl::StrAppend(&body, "<p class=\"notice corrected\">",
                    Label("本记录已被更正，以更正记录为准：", "This record was corrected; see "),
                    RecordLink(c.index, root), "</p>\n");
  }
  for (const SiteRecord& o : links.objection_outcomes) {
    const BilingualName outcome = ObjectionOutcomeName(o.entry.objection_outcome().outcome());
    absl::StrAppend(&body, "<p class=\"notice objection\">",
                    Label("企业对本记录提出异议，处理结果：", "The enterprise objected to this record; outcome: "),
                    Label(outcome.zh, outcome.en), " · ", RecordLink(o.index, root), "</p>\n");
  }
  FieldList head;
  head.Text("类型", "Kind", absl::StrCat(kind.zh, " ", kind.en))
      .Code("记录键", "Key", entry.key())
      .Time("公示时间", "Published", entry.publish_time())
      .Code("日志序号", "Log index", absl::StrCat(record.index));
  // Everything in #record-content is checked line by line against the verified body.
  absl::StrAppend(&body, "<div id=\"record-content\">\n", head.Render());
  if (record.withdrawn) absl::StrAppend(&body, WithdrawnView(record, links.withdrawal, root));
  if (entry.has_commitment()) absl::StrAppend(&body, CommitmentView(entry.commitment(), root));
  if (entry.has_draw()) absl::StrAppend(&body, DrawView(entry.draw(), root));
  if (entry.has_announcement()) absl::StrAppend(&body, AnnouncementView(entry.announcement(), root));
  if (entry.has_result()) absl::StrAppend(&body, ResultFields(entry.result(), root));
  if (entry.has_entropy_source()) absl::StrAppend(&body, EntropySourceView(entry.entropy_source()));
  if (entry.has_correction()) absl::StrAppend(&body, CorrectionView(entry.correction(), root));
  if (entry.has_withdrawal()) absl::StrAppend(&body, WithdrawalView(entry.withdrawal(), root));
  if (entry.has_objection_outcome()) {
    absl::StrAppend(&body, ObjectionOutcomeView(entry.objection_outcome(), root));
  }
  absl::StrAppend(&body, "</div>\n", VerificationPanel(record));

  // The leading newline of a <pre> is dropped by HTML parsing: the element's text is
  // exactly the leaf, or the body.
  absl::StrAppend(&body, "<h2>", Label("日志叶子", "Leaf, exactly as logged"), "</h2>\n",
                  "<pre id=\"leaf-bytes\" class=\"leaf\">\n", HtmlEscape(record.leaf), "</pre>\n");
  if (!record.withdrawn) {
    const std::string name = absl::StrCat(record.index);
    absl::StrAppend(&body, "<h2>", Label("记录正文", "Body, exactly as published"), "</h2>\n<p>",
                    Link(name + ".json", name + ".json"), " · ",
                    Label("盐值", "salt"), " ", Link(name + ".salt", name + ".salt"),
                    "</p>\n<pre id=\"body-bytes\" class=\"leaf\">\n", HtmlEscape(record.body),
                    "</pre>\n<h2>", Label("格式化视图（验证后显示）", "Pretty-printed (once verified)"),
                    "</h2>\n<pre id=\"pretty\" class=\"pretty\"></pre>\n");
  }

  Page page;
  page.path = path;
  page.title_zh = absl::StrCat(kind.zh, " · 记录 #", record.index);
  page.title_en = absl::StrCat(kind.en, " · record #", record.index);
  page.scripts = {"assets/verify.js"};
  page.body = std::move(body);
  return RenderPage(page);
}

}  // namespace regulation::disclosure::site
