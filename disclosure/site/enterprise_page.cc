#include "disclosure/site/enterprise_page.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "disclosure/site/html.h"
#include "disclosure/site/public_entry.h"
#include "disclosure/site/result_view.h"
#include "disclosure/site/site_paths.h"

namespace regulation::disclosure::site {
namespace {

const SiteRecord* Find(const std::vector<SiteRecord>& records, int64_t index) {
  for (const SiteRecord& r : records) {
    if (r.index == index) return &r;
  }
  return nullptr;
}

// A draw that named `credit_code`: drawn as a target in its round (the result pending
// until a result of the plan is published), or replaced in it. `records` are the
// enterprise's, in log order.
std::string DrawnView(const std::string& credit_code, const SiteRecord& draw,
                      const std::vector<SiteRecord>& records, const std::string& root) {
  const v1::PublicDraw& d = draw.entry.draw();
  const auto& replaced = d.replaced_codes();
  const bool was_replaced = std::find(replaced.begin(), replaced.end(), credit_code) != replaced.end();
  bool result_published = false;
  int64_t replaced_in_round = -1;
  for (const SiteRecord& r : records) {
    const v1::PublicResult* result = ResultOf(r.entry);
    if (result != nullptr && result->plan_id() == d.plan_id()) result_published = true;
    if (r.entry.has_draw() && r.index > draw.index && r.entry.draw().plan_id() == d.plan_id()) {
      const auto& later = r.entry.draw().replaced_codes();
      if (std::find(later.begin(), later.end(), credit_code) != later.end()) replaced_in_round = r.entry.draw().round();
    }
  }
  std::string status;
  if (was_replaced) {
    status = Label(absl::StrCat("本轮被替换（原抽中企业）"), "Replaced in this round (was drawn earlier)");
  } else if (replaced_in_round >= 0) {
    status = Label(absl::StrCat("已在第 ", replaced_in_round, " 轮被替换"),
                   absl::StrCat("Replaced in round ", replaced_in_round));
  } else if (result_published) {
    status = Label("检查结果已公示（见本页）", "Result published (on this page)");
  } else {
    status = Label("已抽中，检查结果待公示", "Drawn; result pending");
  }
  FieldList fields;
  fields.Html("抽查计划", "Plan", Link(absl::StrCat(root, PlanPagePath(d.plan_id())), d.plan_id()));
  if (d.plan_kind() == "TARGETED") {
    fields.Html("检查方式", "Inspection type",
                absl::StrCat("<span class=\"targeted\">", Label("定向检查", "Targeted inspection"),
                             "</span> · ", Label("原因类别见计划页", "reason on the plan page")));
  }
  fields.Text("轮次", "Round", absl::StrCat(d.round()))
      .Time("抽取时间", "Drawn", d.draw_time())
      .Html("状态", "Status", status);
  return absl::StrCat("<article class=\"result drawn\" id=\"record-", draw.index, "\">\n<h2>",
                      Label(was_replaced ? "替换" : d.plan_kind() == "TARGETED" ? "定向检查" : "抽中",
                            was_replaced                       ? "Replaced"
                            : d.plan_kind() == "TARGETED" ? "Targeted inspection"
                                                               : "Drawn"),
                      " · ",
                      RecordLink(draw.index, root), "</h2>\n", fields.Render(), "</article>\n");
}

// The result record a record belongs to: a correction's original, or the record itself.
int64_t RootOf(int64_t index, const std::vector<SiteRecord>& records) {
  const SiteRecord* r = Find(records, index);
  return r != nullptr && r->entry.has_correction() ? CorrectedRoot(*r, records) : index;
}

// The objection's course, in order: filed, answered (the OBJECTION_OUTCOME record) and,
// when upheld, the correction published with the answer.
std::string ObjectionCourse(const SiteRecord& outcome, const std::vector<SiteRecord>& records,
                            const std::string& root) {
  const v1::PublicObjectionOutcome& o = outcome.entry.objection_outcome();
  const BilingualName name = ObjectionOutcomeName(o.outcome());
  std::string html = absl::StrCat(
      "<li class=\"objection ", o.outcome() == "UPHELD" ? "upheld" : "rejected", "\">",
      Label("异议", "Objection"), " <code>", HtmlEscape(o.objection_id()), "</code><ol>\n<li>",
      Label("提出", "Filed"), " ", HtmlEscape(o.filed_date()), " · ", Label("答复期限", "answer due"),
      " ", HtmlEscape(o.answer_deadline()), "</li>\n<li>", Label("处理结果", "Outcome"), ": ",
      Label(name.zh, name.en), o.late() ? absl::StrCat(" (", Label("逾期答复", "answered late"), ")") : "",
      " · ", HtmlEscape(o.decided_date()), " · ", RecordLink(outcome.index, root), "</li>\n");
  if (!o.correction_key().empty()) {
    absl::StrAppend(&html, "<li>", Label("更正", "Correction"), ": ");
    const SiteRecord* correction = nullptr;
    for (const SiteRecord& r : records) {
      if (r.entry.key() == o.correction_key()) correction = &r;
    }
    absl::StrAppend(&html, correction != nullptr ? RecordLink(correction->index, root)
                                                 : absl::StrCat("<code>", HtmlEscape(o.correction_key()), "</code>"),
                    "</li>\n");
  }
  absl::StrAppend(&html, "</ol></li>\n");
  return html;
}

}  // namespace

int64_t CorrectedRoot(const SiteRecord& correction, const std::vector<SiteRecord>& records) {
  int64_t target = correction.entry.correction().corrects_index();
  int64_t last = correction.index;
  // Each step goes to a smaller index, so this ends.
  while (true) {
    const SiteRecord* r = Find(records, target);
    if (r == nullptr || !r->entry.has_correction() || r->index >= last) return target;
    last = r->index;
    target = r->entry.correction().corrects_index();
  }
}

std::string RenderEnterprisePage(const std::string& credit_code,
                                 const std::vector<SiteRecord>& records) {
  const std::string path = EnterprisePagePath(credit_code);
  const std::string root = RootPrefix(path);

  // The latest correction of each result, by the result's index; each withdrawal, by the
  // index of the record it withdrew.
  std::map<int64_t, const SiteRecord*> latest_correction;
  std::map<int64_t, const SiteRecord*> withdrawals;
  // The answers to objections, by the index of the result they concern, in log order.
  std::map<int64_t, std::vector<const SiteRecord*>> objections;
  std::string name;
  for (const SiteRecord& r : records) {
    if (r.entry.has_objection_outcome()) {
      objections[RootOf(r.entry.objection_outcome().objected_index(), records)].push_back(&r);
    }
    if (r.entry.has_correction()) latest_correction[CorrectedRoot(r, records)] = &r;
    if (r.entry.has_withdrawal()) withdrawals[r.entry.withdrawal().withdrawn_index()] = &r;
    const v1::PublicResult* result = ResultOf(r.entry);
    if (result != nullptr && result->credit_code() == credit_code && !result->enterprise_name().empty()) {
      name = result->enterprise_name();
    }
  }

  std::string items;
  int shown = 0;
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    const SiteRecord& r = *it;
    if (r.withdrawn) {
      // Its body is gone: what is left is that it was withdrawn, when, and why.
      const BilingualName kind = KindName(r.entry.kind());
      auto w = withdrawals.find(r.index);
      absl::StrAppend(&items, "<article class=\"result withdrawn\" id=\"record-", r.index, "\">\n<h2>",
                      Label(kind.zh, kind.en), " · ", RecordLink(r.index, root), "</h2>\n",
                      "<p class=\"notice withdrawn\">", Label("已撤回", "Withdrawn"));
      if (w != withdrawals.end()) {
        const v1::PublicWithdrawal& about = w->second->entry.withdrawal();
        absl::StrAppend(&items, " · ", HtmlEscape(about.withdrawn_date()), " · ",
                        Label("法律依据", "Legal basis"), ": ", HtmlEscape(about.legal_basis()));
      }
      absl::StrAppend(&items, " · ", Label("撤回记录", "Withdrawal record"), ": ",
                      RecordLink(r.withdrawal_index, root), "</p>\n</article>\n");
      ++shown;
    } else if (r.entry.has_result()) {
      auto corrected = latest_correction.find(r.index);
      const bool is_corrected = corrected != latest_correction.end();
      const v1::PublicResult& shown_result =
          is_corrected ? corrected->second->entry.correction().corrected() : r.entry.result();
      absl::StrAppend(&items, "<article class=\"result", is_corrected ? " corrected" : "",
                      "\" id=\"record-", r.index, "\">\n<h2>", Label("检查结果", "Result"), " · ",
                      RecordLink(r.index, root), "</h2>\n");
      if (is_corrected) {
        absl::StrAppend(&items, "<p class=\"notice corrected\">",
                        Label("已更正，以下为更正后的内容：", "Corrected; the corrected content:"), " ",
                        RecordLink(corrected->second->index, root), " · ",
                        Label("更正原因", "Reason"), ": ",
                        HtmlEscape(corrected->second->entry.correction().reason()), " · ",
                        Label("原记录", "Original record"), ": ", RecordLink(r.index, root), "</p>\n");
      }
      absl::StrAppend(&items, ResultFields(shown_result, root));
      if (auto o = objections.find(r.index); o != objections.end()) {
        absl::StrAppend(&items, "<h3>", Label("异议及处理", "Objections and their outcomes"),
                        "</h3>\n<ol class=\"objections\">\n");
        for (const SiteRecord* outcome : o->second) {
          absl::StrAppend(&items, ObjectionCourse(*outcome, records, root));
        }
        absl::StrAppend(&items, "</ol>\n");
      }
      absl::StrAppend(&items, "</article>\n");
      ++shown;
    } else if (r.entry.has_draw()) {
      absl::StrAppend(&items, DrawnView(credit_code, r, records, root));
    } else if (r.entry.has_objection_outcome()) {
      const SiteRecord* result = Find(records, RootOf(r.entry.objection_outcome().objected_index(), records));
      if (result != nullptr && result->entry.has_result()) continue;  // shown with it
      absl::StrAppend(&items, "<article class=\"result objection\" id=\"record-", r.index, "\">\n<h2>",
                      Label("异议处理结果", "Objection outcome"), " · ", RecordLink(r.index, root),
                      "</h2>\n<ol class=\"objections\">\n", ObjectionCourse(r, records, root),
                      "</ol>\n</article>\n");
    } else if (r.entry.has_correction()) {
      const int64_t target = CorrectedRoot(r, records);
      const SiteRecord* original = Find(records, target);
      if (original != nullptr && original->entry.has_result()) continue;  // shown with it
      absl::StrAppend(&items, "<article class=\"result correction\" id=\"record-", r.index, "\">\n<h2>",
                      Label("更正", "Correction"), " · ", RecordLink(r.index, root), "</h2>\n<p>",
                      Label("更正记录", "Corrects"), " ", RecordLink(r.entry.correction().corrects_index(), root),
                      " · ", Label("更正原因", "Reason"), ": ", HtmlEscape(r.entry.correction().reason()),
                      "</p>\n", ResultFields(r.entry.correction().corrected(), root), "</article>\n");
      ++shown;
    }
  }
  std::string body = absl::StrCat("<p class=\"enterprise-id\">", Label("统一社会信用代码", "Credit code"),
                                  ": <code>", HtmlEscape(credit_code), "</code> · ",
                                  Label("公示结果", "Results disclosed"), ": ", shown, "</p>\n", items);
  Page page;
  page.path = path;
  page.title_zh = name.empty() ? credit_code : name;
  page.title_en = "· 企业公示 Enterprise";
  page.body = std::move(body);
  return RenderPage(page);
}

}  // namespace regulation::disclosure::site
