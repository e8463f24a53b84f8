#include "disclosure/site/html.h"

#include "absl/strings/str_cat.h"
#include "disclosure/site/site_paths.h"

namespace regulation::disclosure::site {

std::string Label(absl::string_view zh, absl::string_view en) {
  return absl::StrCat(HtmlEscape(zh), " ", HtmlEscape(en));
}

std::string Link(absl::string_view href, absl::string_view text) {
  return absl::StrCat("<a href=\"", HtmlEscape(href), "\">", HtmlEscape(text), "</a>");
}

std::string RenderPage(const Page& page) {
  const std::string root = RootPrefix(page.path);
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      // Scripts only from the site's own files; fetches only to the site itself.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; "
      "script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
      "base-uri 'none'; form-action 'self'\">\n",
      "<title>", Label(page.title_zh, page.title_en), " · ",
      Label("双随机一公开", "Random inspections"), "</title>\n",
      "<link rel=\"stylesheet\" href=\"", root, "assets/site.css\">\n",
      "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"", root, kFeedPath,
      "\" title=\"", Label("最新检查结果", "Latest results"), "\">\n");
  for (const std::string& script : page.scripts) {
    absl::StrAppend(&out, "<script type=\"module\" src=\"", root, HtmlEscape(script),
                    "\"></script>\n");
  }
  absl::StrAppend(
      &out, "</head>\n<body data-root=\"", root, "\">\n<header class=\"site-header\">\n",
      "<a class=\"site-name\" href=\"", root, kHomePage, "\">",
      Label("双随机一公开 · 抽查结果公示", "Random inspections · public results"), "</a>\n",
      "<nav>", Link(root + kHomePage, "首页 Home"), " ",
      Link(root + kSearchPage, "搜索 Search"), " ", Link(root + kPlansPage, "抽查计划 Plans"), " ",
      Link(root + kDownloadsPage, "下载 Downloads"), " ", Link(root + kFeedPath, "订阅 Feed"), " ",
      Link(root + kVerifyPage, "验证 Verify"), "</nav>\n</header>\n<main>\n<h1>",
      Label(page.title_zh, page.title_en), "</h1>\n", page.body, "\n</main>\n",
      "<footer class=\"site-footer\">",
      Label("本站为静态文件；每条记录均可对照签名的透明日志检查点验证。",
            "Static files; every record can be verified against the signed checkpoint of "
            "the transparency log."),
      " ", Link(root + kVerifyPage, "如何验证 How to verify"), "</footer>\n</body>\n</html>\n");
  return out;
}

}  // namespace regulation::disclosure::site
