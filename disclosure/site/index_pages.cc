#include "disclosure/site/index_pages.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "disclosure/site/html.h"
#include "disclosure/site/local_time.h"
#include "disclosure/site/public_entry.h"
#include "disclosure/site/result_view.h"
#include "disclosure/site/site_paths.h"

namespace regulation::disclosure::site {
namespace {

int64_t Count(const SiteState& state, const std::string& key) {
  auto it = state.counts.find(key);
  return it == state.counts.end() ? 0 : it->second;
}

std::string SearchForm() {
  return absl::StrCat(
      "<form class=\"search\" action=\"", kSearchPage, "\" method=\"get\" role=\"search\">",
      "<label for=\"q\">", Label("按企业名称或统一社会信用代码搜索", "Search by name or credit code"),
      "</label> <input id=\"q\" name=\"q\" type=\"search\" autocomplete=\"off\"> <button type=\"submit\">",
      Label("搜索", "Search"), "</button></form>\n");
}

// The record that now stands for `r`: the last correction in the chain of corrections
// the latest results hold, or r itself.
const LatestResult& Current(const SiteState& state, const LatestResult& r) {
  const LatestResult* at = &r;
  for (size_t steps = 0; at->superseded_by >= 0 && steps < state.latest.size(); ++steps) {
    auto next = std::find_if(state.latest.begin(), state.latest.end(),
                             [&](const LatestResult& x) { return x.index == at->superseded_by; });
    if (next == state.latest.end()) break;
    at = &*next;
  }
  return *at;
}

std::string LatestRow(const SiteState& state, const LatestResult& r) {
  const std::string enterprise = absl::StrCat(
      Link(EnterprisePagePath(r.credit_code),
           r.enterprise_name.empty() ? r.credit_code : r.enterprise_name),
      r.enterprise_name.empty() ? "" : absl::StrCat("<br><code>", HtmlEscape(r.credit_code), "</code>"));
  if (r.withdrawn_by >= 0) {
    return absl::StrCat("<tr class=\"withdrawn\"><td data-label=\"", Label("企业", "Enterprise"), "\">",
                        enterprise, "</td><td data-label=\"", Label("检查结果", "Result"),
                        "\"><span class=\"status withdrawn\">", Label("已撤回", "Withdrawn"),
                        "</span></td><td data-label=\"", Label("检查结束", "Inspection ended"),
                        "\"></td><td data-label=\"", Label("记录", "Record"), "\">",
                        RecordLink(r.index, ""), "<br>", Label("撤回记录", "Withdrawal"), ": ",
                        RecordLink(r.withdrawn_by, ""), "</td></tr>\n");
  }
  v1::PublicResult result;
  result.set_category(r.category);
  result.set_category_label(r.category_label);
  const BilingualName category = CategoryName(result);
  std::string record = RecordLink(r.index, "");
  std::string status;
  if (r.superseded_by >= 0) {
    const LatestResult& current = Current(state, r);
    status = absl::StrCat("<span class=\"status superseded\">", Label("已被更正", "Superseded"), "</span> ");
    absl::StrAppend(&record, "<br>", Label("现行记录", "Current record"), ": ",
                    RecordLink(current.index, ""));
  }
  return absl::StrCat(
      "<tr", r.superseded_by >= 0 ? " class=\"superseded\"" : "", "><td data-label=\"",
      Label("企业", "Enterprise"), "\">", enterprise, "</td><td data-label=\"", Label("检查结果", "Result"),
      "\">", status, r.kind == "CORRECTION" ? Label("（更正）", "(correction)") + " " : "",
      HtmlEscape(category.zh), " <span class=\"category-en\">", HtmlEscape(category.en),
      "</span></td><td data-label=\"", Label("检查结束", "Inspection ended"), "\">",
      HtmlEscape(r.inspection_end_date), "</td><td data-label=\"", Label("记录", "Record"), "\">", record,
      "</td></tr>\n");
}

std::string LatestTable(const SiteState& state) {
  std::string out = absl::StrCat(TableStart("latest stack", Label("最新检查结果", "Latest results")),
                                 "<thead><tr><th>", Label("企业", "Enterprise"), "</th><th>", Label("检查结果", "Result"),
                                 "</th><th>", Label("检查结束", "Inspection ended"), "</th><th>",
                                 Label("记录", "Record"), "</th></tr></thead>\n<tbody>\n");
  for (const LatestResult& r : state.latest) absl::StrAppend(&out, LatestRow(state, r));
  return out + "</tbody>" + TableEnd();
}

std::string PlansTable(const SiteState& state) {
  std::string out = absl::StrCat(TableStart("plans", Label("抽查计划", "Plans")), "<thead><tr><th>",
                                 Label("计划", "Plan"), "</th><th>", Label("承诺时间", "Committed"),
                                 "</th><th>", Label("抽取轮次", "Draw rounds"), "</th></tr></thead>\n<tbody>\n");
  for (const auto& [id, p] : state.plans) {
    absl::StrAppend(&out, "<tr><td>", Link(PlanPagePath(id), absl::StrCat(id, " ", p.title)),
                    "</td><td>", TimeHtml(p.commit_time), "</td><td class=\"num\">", p.rounds,
                    "</td></tr>\n");
  }
  return out + "</tbody>" + TableEnd();
}

std::string XmlEscape(absl::string_view text) {
  std::string clean;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n') continue;  // not allowed in XML 1.0
    clean.push_back(c);
  }
  return HtmlEscape(clean);
}

}  // namespace

std::string RenderHomePage(const SiteState& state, const SignedCheckpoint& checkpoint) {
  Page page;
  page.path = kHomePage;
  page.title_zh = "抽查结果公示";
  page.title_en = "Inspection results";
  page.body = absl::StrCat(
      SearchForm(), "<p class=\"stats\">", Label("日志记录", "Log records"), ": ", checkpoint.size,
      " · ", Label("检查结果", "Results"), ": ", Count(state, "RESULT"), " · ",
      Label("更正", "Corrections"), ": ", Count(state, "CORRECTION"), " · ",
      Label("异议处理结果", "Objection outcomes"), ": ", Count(state, "OBJECTION_OUTCOME"), " · ",
      Label("企业", "Enterprises"), ": ", Count(state, "enterprises"), " · ",
      Label("抽查计划", "Plans"), ": ", state.plans.size(), "</p>\n<h2>",
      Label("最新检查结果", "Latest results"), "</h2>\n", LatestTable(state), "<h2>",
      Label("抽查计划", "Plans"), "</h2>\n", PlansTable(state));
  return RenderPage(page);
}

std::string RenderSearchPage() {
  Page page;
  page.path = kSearchPage;
  page.title_zh = "搜索";
  page.title_en = "Search";
  page.scripts = {"assets/search.js"};
  page.body = absl::StrCat(
      SearchForm(), "<p id=\"search-status\" class=\"search-idle\">",
      Label("输入企业名称（至少两个字）或 18 位统一社会信用代码。",
            "Enter a name (at least two characters) or an 18-character credit code."),
      "</p>\n<ul id=\"search-results\"></ul>\n");
  return RenderPage(page);
}

std::string RenderPlansPage(const SiteState& state) {
  Page page;
  page.path = kPlansPage;
  page.title_zh = "抽查计划";
  page.title_en = "Inspection plans";
  page.body = PlansTable(state);
  return RenderPage(page);
}

std::string RenderDownloadsPage(const SiteState& state) {
  std::string rows;
  for (int64_t chunk : state.download_chunks) {
    absl::StrAppend(&rows, "<tr><td>", chunk * kDownloadChunkSize, "–",
                    (chunk + 1) * kDownloadChunkSize - 1, "</td><td>",
                    Link(DownloadJsonPath(chunk), "JSON"), "</td><td>",
                    Link(DownloadCsvPath(chunk), "CSV"), "</td></tr>\n");
  }
  Page page;
  page.path = kDownloadsPage;
  page.title_zh = "数据下载";
  page.title_en = "Downloads";
  page.body = absl::StrCat(
      "<p>", Label("检查结果与更正，按日志序号分块；旧的分块不再变化。",
                   "Results and corrections, in chunks by log index; earlier chunks never change."),
      "</p>\n", TableStart("downloads", Label("数据下载", "Downloads")), "<tr><th>",
      Label("日志序号", "Log indices"), "</th><th>JSON</th><th>CSV</th></tr>\n", rows, TableEnd(), "<h2>", Label("透明日志文件", "Transparency log files"), "</h2>\n<p>",
      Link(kCheckpointPath, "checkpoint"), " · ", Link(kVerifierKeyPath, "verifier.key"), " · ",
      Link("tile/", "tile/"), " (C2SP tlog-tiles) · ", Link(kFeedPath, "feed.xml"), "</p>\n");
  return RenderPage(page);
}

std::string RenderVerifyPage(const SignedCheckpoint& checkpoint, const std::string& verifier_key) {
  Page page;
  page.path = kVerifyPage;
  page.title_zh = "如何验证";
  page.title_en = "How to verify";
  page.body = absl::StrCat(
      "<p>", Label("本站每条记录都是一个透明日志（RFC 6962 默克尔树）的叶子。日志的状态由带 Ed25519 签名的检查点公布。",
                   "Every record on this site is a leaf of a transparency log (an RFC 6962 Merkle "
                   "tree) whose state is published as a checkpoint signed with Ed25519."),
      "</p>\n<h2>", Label("日志验证密钥", "The log's verifier key"), "</h2>\n<pre id=\"verifier-key\">",
      HtmlEscape(verifier_key), "</pre>\n<p>",
      Label("请通过其他渠道（如主管部门公告）核对此密钥，并在验证时固定使用它。",
            "Check this key against one obtained independently (e.g. the authority's notice) and "
            "pin it when you verify."),
      "</p>\n<h2>", Label("当前检查点", "The current checkpoint"), "</h2>\n<pre>",
      HtmlEscape(checkpoint.note), "</pre>\n<h2>", Label("浏览器内验证", "In the browser"), "</h2>\n<p>",
      Label("每个记录页面会下载检查点并验证签名，计算该记录的叶子哈希，从日志瓦片计算包含证明并与检查点的根哈希比对。",
            "Each record page fetches the checkpoint and checks its signature, hashes the record, "
            "builds its inclusion proof from the log's tiles and compares the root with the "
            "checkpoint's."),
      "</p>\n<h2>", Label("离线验证", "Offline"), "</h2>\n<p>",
      Label("复制本站的 checkpoint、verifier.key 和 tile/ 目录（C2SP tlog-tiles 格式）到 DIR，然后运行：",
            "Copy this site's checkpoint, verifier.key and tile/ (C2SP tlog-tiles) to DIR, then run:"),
      "</p>\n<pre>regctl verify-log DIR --verifier_key='", HtmlEscape(verifier_key), "'</pre>\n");
  return RenderPage(page);
}

std::string RenderAtomFeed(const SiteState& state, const std::string& site_url) {
  const std::string updated =
      state.latest.empty() ? "1970-01-01T00:00:00Z" : state.latest.front().publish_time;
  std::string out = absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
      "<title>", XmlEscape("最新检查结果 Latest inspection results"), "</title>\n",
      "<id>", XmlEscape(site_url.empty() ? absl::StrCat("urn:x-regulation-log:", state.origin)
                                         : site_url + kFeedPath),
      "</id>\n<updated>", XmlEscape(updated), "</updated>\n<link rel=\"self\" href=\"",
      XmlEscape(site_url + kFeedPath), "\"/>\n<link href=\"", XmlEscape(site_url + kHomePage), "\"/>\n",
      "<author><name>", XmlEscape(state.origin.empty() ? "regulation" : state.origin), "</name></author>\n");
  for (const LatestResult& r : state.latest) {
    if (r.withdrawn_by >= 0) continue;  // nothing of its body may be published
    v1::PublicResult result;
    result.set_category(r.category);
    result.set_category_label(r.category_label);
    const BilingualName category = CategoryName(result);
    const std::string link = site_url + RecordPagePath(r.index);
    absl::StrAppend(
        &out, "<entry>\n<title>",
        XmlEscape(absl::StrCat(r.enterprise_name, " — ", r.kind == "CORRECTION" ? "更正 Correction: " : "",
                               category.zh, " ", category.en)),
        "</title>\n<id>",
        XmlEscape(site_url.empty() ? absl::StrCat("urn:x-regulation-log:", state.origin, ":", r.index)
                                   : link),
        "</id>\n<updated>", XmlEscape(r.publish_time), "</updated>\n<link href=\"", XmlEscape(link),
        "\"/>\n<summary>", XmlEscape(absl::StrCat(r.credit_code, " · ", r.inspection_end_date, " · ", r.findings)),
        "</summary>\n</entry>\n");
  }
  return out + "</feed>\n";
}

}  // namespace regulation::disclosure::site
