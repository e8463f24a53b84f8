#include "disclosure/site/departments.h"

#include "gtest/gtest.h"

namespace regulation::disclosure::site {
namespace {

TEST(Departments, KnownCodeShowsItsNamesAndKeepsTheCode) {
  const BilingualName samr = DepartmentName("samr");
  EXPECT_EQ(samr.zh, "市场监管局");
  EXPECT_EQ(samr.en, "Market regulation");
  EXPECT_EQ(DepartmentHtml("samr"),
            "<span class=\"department\" data-department=\"samr\">市场监管局 Market regulation</span>");
}

TEST(Departments, UnknownCodeIsShownAsItIsEscaped) {
  EXPECT_EQ(DepartmentName("市场监管局").zh, "市场监管局");
  EXPECT_EQ(DepartmentName("市场监管局").en, "");
  EXPECT_EQ(DepartmentHtml("<x>"), "<span class=\"department\" data-department=\"&lt;x&gt;\">&lt;x&gt;</span>");
}

TEST(Departments, ListIsJoinedWithTheChineseComma) {
  EXPECT_EQ(DepartmentsHtml({"samr", "消防救援"}),
            "<span class=\"department\" data-department=\"samr\">市场监管局 Market regulation</span>、"
            "<span class=\"department\" data-department=\"消防救援\">消防救援</span>");
  EXPECT_EQ(DepartmentsHtml({}), "");
}

}  // namespace
}  // namespace regulation::disclosure::site
