#include "disclosure/site/html.h"

#include "gtest/gtest.h"

namespace regulation::disclosure::site {
namespace {

TEST(HtmlEscapeTest, EscapesMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
}

TEST(HtmlEscapeTest, KeepsUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(HtmlEscape("杭州明辉"), "杭州明辉");
  EXPECT_EQ(HtmlEscape(std::string("a\xFF" "b\xE6\x9D", 5)), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(HtmlEscape("a\r\nb"), "a&#13;\nb");
}

TEST(RenderPageTest, LinksAssetsRelativeToThePageAndEscapesTheTitle) {
  Page page;
  page.path = "enterprise/x.html";
  page.title_zh = "<b>名称</b>";
  page.title_en = "Enterprise";
  page.scripts = {"assets/verify.js"};
  page.body = "<p>body</p>";
  const std::string html = RenderPage(page);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("href=\"../assets/site.css\""), std::string::npos);
  EXPECT_NE(html.find("src=\"../assets/verify.js\""), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;名称&lt;/b&gt; Enterprise"), std::string::npos);
  EXPECT_EQ(html.find("<b>名称"), std::string::npos);
  EXPECT_NE(html.find("首页 Home"), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
}

}  // namespace
}  // namespace regulation::disclosure::site
