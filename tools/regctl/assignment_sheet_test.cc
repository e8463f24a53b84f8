#include "tools/regctl/assignment_sheet.h"

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace regulation::regctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::Assignment Sample(absl::string_view code, absl::string_view name) {
  v1::Assignment a;
  a.set_plan_id("P20260501-0001");
  a.set_inspector_id("HZ-M-01");
  a.set_credit_code(std::string(code));
  a.set_enterprise_name(std::string(name));
  a.set_address("杭州市西湖区文三路 1 号");
  v1::AssignmentItem* food = a.add_items();
  food->set_item_id("I-1");
  food->set_title("食品经营许可 Food licence");
  food->set_legal_basis("《食品安全法》第三十五条");
  v1::AssignmentItem* price = a.add_items();
  price->set_item_id("I-2");
  price->set_title("明码标价");
  price->set_legal_basis("《价格法》第十三条");
  a.add_teammate_ids("HZ-M-02");
  a.add_teammate_ids("HZ-F-07");
  a.mutable_due_date()->set_year(2026);
  a.mutable_due_date()->set_month(6);
  a.mutable_due_date()->set_day(30);
  return a;
}

int Count(absl::string_view text, absl::string_view needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != absl::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

absl::Time GeneratedAt() {
  return absl::FromCivil(absl::CivilSecond(2026, 5, 1, 4, 30, 0), absl::UTCTimeZone());
}

TEST(CsvField, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvField("plain 文本"), "plain 文本");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\rhere"), "\"cr\rhere\"");
}

TEST(CsvField, ACellASpreadsheetWouldRunAsAFormulaIsDefused) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("+86 571"), "'+86 571");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("-1"), "'-1");
}

constexpr char kBom[] = "\xEF\xBB\xBF";

TEST(AssignmentsCsv, ByteOrderMarkAndChineseHeadersByDefaultForExcel) {
  const std::string csv = AssignmentsCsv({Sample("91330106000654337W", "杭州示范食品有限公司")});
  EXPECT_EQ(csv,
            std::string(kBom) +
                "计划编号,检查人员编号,统一社会信用代码,企业名称,企业联系方式（注册地址）,检查事项,"
                "检查依据,同组检查人员,完成期限,结果状态\r\n"
                "P20260501-0001,HZ-M-01,91330106000654337W,杭州示范食品有限公司,"
                "杭州市西湖区文三路 1 号,食品经营许可 Food licence; 明码标价,"
                "《食品安全法》第三十五条; 《价格法》第十三条,HZ-M-02; HZ-F-07,2026-06-30,未提交\r\n");
}

TEST(AssignmentsCsv, EnglishHeadersOnRequestStillWithTheByteOrderMark) {
  SheetFacts facts;
  facts.result_states[ResultKey("P20260501-0001", "91330106000654337W")] =
      v1::RESULT_STATE_RETURNED;
  const std::string csv = AssignmentsCsv({Sample("91330106000654337W", "x")}, facts,
                                         CsvHeaders::kEnglish);
  EXPECT_TRUE(absl::StartsWith(
      csv, std::string(kBom) +
               "plan_id,inspector_id,credit_code,enterprise_name,contact_address,items,"
               "legal_basis,teammates,due_date,result_state\r\n"))
      << csv;
  EXPECT_TRUE(absl::EndsWith(csv, ",2026-06-30,returned\r\n")) << csv;
}

TEST(AssignmentsCsv, EachTargetsResultStateAndTeammatesNamesAndPhones) {
  v1::Assignment a = Sample("91330106000654337W", "x");
  v1::Teammate* mate = a.add_teammates();
  mate->set_inspector_id("HZ-M-02");
  mate->set_name("李明");
  mate->set_work_phone("0571-0000 0002");
  a.add_teammates()->set_inspector_id("HZ-F-07");  // left the roster: id only
  SheetFacts facts;
  facts.result_states[ResultKey("P20260501-0001", "91330106000654337W")] =
      v1::RESULT_STATE_PUBLISHED;
  const std::string csv = AssignmentsCsv({a}, facts);
  EXPECT_THAT(csv, HasSubstr(",李明 (HZ-M-02) 0571-0000 0002; HZ-F-07,2026-06-30,已公示\r\n"));
}

TEST(AssignmentsCsv, CommasQuotesAndNewlinesAreQuoted) {
  v1::Assignment a = Sample("91330106000654337W", "Acme, \"Best\" Foods");
  a.set_address("Line 1\nLine 2");
  a.clear_due_date();
  const std::string csv = AssignmentsCsv({a});
  EXPECT_THAT(csv,
              HasSubstr(",91330106000654337W,\"Acme, \"\"Best\"\" Foods\",\"Line 1\nLine 2\","));
  EXPECT_TRUE(absl::EndsWith(csv, ",HZ-M-02; HZ-F-07,,未提交\r\n")) << csv;
}

TEST(AssignmentsCsv, NoAssignmentsIsJustTheHeader) {
  EXPECT_EQ(AssignmentsCsv({}, {}, CsvHeaders::kEnglish),
            std::string(kBom) +
                "plan_id,inspector_id,credit_code,enterprise_name,contact_address,items,"
                "legal_basis,teammates,due_date,result_state\r\n");
}

TEST(AssignmentsHtml, StandalonePrintablePage) {
  const std::string html =
      AssignmentsHtml({Sample("91330106000654337W", "杭州示范食品有限公司")}, {"", GeneratedAt()});
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>\n")) << html;
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("@media print"));
  // The inspector and the generation time (China Standard Time) in the heading.
  EXPECT_THAT(html, HasSubstr("检查人员 Inspector: <strong>HZ-M-01</strong>"));
  EXPECT_THAT(html, HasSubstr("生成时间 Generated: 2026-05-01 12:30 +08:00"));
  EXPECT_THAT(html, Not(HasSubstr("计划 Plan:")));
}

TEST(AssignmentsHtml, BilingualColumnLabels) {
  const std::string html =
      AssignmentsHtml({Sample("91330106000654337W", "x")}, {"", GeneratedAt()});
  for (const char* label :
       {"序号<span>No.</span>", "检查对象<span>Target</span>",
        "企业联系方式（注册地址）<span>Contact (registered address)</span>",
        "检查事项及依据<span>Items and legal basis</span>", "同组检查人员<span>Team-mates</span>",
        "完成期限<span>Due date</span>", "结果状态<span>Result</span>"}) {
    EXPECT_THAT(html, HasSubstr(label));
  }
  // One inspector: no inspector column.
  EXPECT_THAT(html, Not(HasSubstr("检查人员<span>Inspector</span>")));
}

TEST(AssignmentsHtml, EveryTextIsEscaped) {
  v1::Assignment a = Sample("91330106000654337W", "<script>alert('x')</script> & Co");
  a.set_address("\"quoted\" <b>");
  a.mutable_items(0)->set_legal_basis("<i>law</i>");
  const std::string html = AssignmentsHtml({a}, {"<plan>", GeneratedAt()});
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"));
  EXPECT_THAT(html, HasSubstr("&quot;quoted&quot; &lt;b&gt;"));
  EXPECT_THAT(html, HasSubstr("&lt;i&gt;law&lt;/i&gt;"));
  EXPECT_THAT(html, HasSubstr("计划 Plan: <strong>&lt;plan&gt;</strong>"));
}

TEST(AssignmentsHtml, OneRowPerAssignment) {
  v1::Assignment other = Sample("91330100MA2H0000X1", "第二家");
  other.set_inspector_id("HZ-M-02");
  const std::string html = AssignmentsHtml(
      {Sample("91330106000654337W", "第一家"), other, Sample("91330100MA2H0001X2", "第三家")},
      {"P20260501-0001", GeneratedAt()});
  EXPECT_EQ(Count(html, "<tr><td data-label=\"序号 No.\">"), 3);
  EXPECT_THAT(html, HasSubstr("<tr><td data-label=\"序号 No.\">2</td>"
                              "<td data-label=\"检查人员 Inspector\">HZ-M-02</td>"
                              "<td data-label=\"检查对象 Target\">第二家"));
  // Several inspectors: a column names each row's, and the heading names none.
  EXPECT_THAT(html, HasSubstr("检查人员<span>Inspector</span>"));
  EXPECT_THAT(html, Not(HasSubstr("检查人员 Inspector:")));
  EXPECT_THAT(html, HasSubstr("计划 Plan: <strong>P20260501-0001</strong>"));
}

TEST(AssignmentsHtml, ItemsWithTheirLegalBasis) {
  const std::string html =
      AssignmentsHtml({Sample("91330106000654337W", "x")}, {"", GeneratedAt()});
  EXPECT_THAT(html, HasSubstr("<li>明码标价<br><span class=\"basis\">依据 Basis: 《价格法》第十三条"
                              "</span></li>"));
}

TEST(AssignmentsHtml, UsableOnAPhone) {
  v1::Assignment a = Sample("91330106000654337W", "x");
  v1::Teammate* mate = a.add_teammates();
  mate->set_inspector_id("HZ-M-02");
  mate->set_name("李明");
  mate->set_work_phone("+86 571-0000 0002");
  const std::string html = AssignmentsHtml({a}, {"", GeneratedAt()});
  EXPECT_THAT(html, HasSubstr("<meta name=\"viewport\" content=\"width=device-width, "
                              "initial-scale=1\">"));
  // Below 700 px rows become cards, each cell labelled, nothing wider than the screen.
  EXPECT_THAT(html, HasSubstr("@media screen and (max-width: 700px)"));
  EXPECT_THAT(html, HasSubstr("td::before { content: attr(data-label)"));
  EXPECT_THAT(html, HasSubstr("overflow-wrap: anywhere"));
  // A team-mate by name, with a call link at least 44 px high (a finger's tap target).
  EXPECT_THAT(html, HasSubstr("<li>李明 <span class=\"code\">HZ-M-02</span><br>"
                              "<a class=\"tel\" href=\"tel:+8657100000002\">+86 571-0000 0002</a>"));
  EXPECT_THAT(html, HasSubstr("min-height: 44px"));
}

TEST(AssignmentsHtml, EachTargetsResultState) {
  SheetFacts facts;
  facts.result_states[ResultKey("P20260501-0001", "91330100MA2H0000X1")] =
      v1::RESULT_STATE_SUBMITTED;
  const std::string html = AssignmentsHtml(
      {Sample("91330106000654337W", "第一家"), Sample("91330100MA2H0000X1", "第二家")},
      {"", GeneratedAt()}, facts);
  EXPECT_THAT(html, HasSubstr("<td class=\"state\" data-label=\"结果状态 Result\">"
                              "未提交 not submitted</td>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"state\" data-label=\"结果状态 Result\">"
                              "已提交 submitted</td>"));
}

TEST(TeammateNames, NamesInOrderAndIdsWhereNoNameIsKnown) {
  v1::Assignment a = Sample("91330106000654337W", "杭州示范食品");
  EXPECT_EQ(TeammateNames(a), "HZ-M-02, HZ-F-07") << "an assignment made before names were kept";
  v1::Teammate* wang = a.add_teammates();
  wang->set_inspector_id("HZ-M-02");
  wang->set_name("王建国");
  wang->set_work_phone("0571-0000 0002");
  a.add_teammates()->set_inspector_id("HZ-F-07");
  EXPECT_EQ(TeammateNames(a), "王建国, HZ-F-07");
  a.mutable_teammates(1)->set_name("李梅");
  EXPECT_EQ(TeammateNames(a), "王建国, 李梅");
  EXPECT_THAT(AssignmentLine(a), HasSubstr("  with: 王建国, 李梅 @ "));
  EXPECT_EQ(TeammateNames(v1::Assignment()), "");
}

TEST(AssignmentLine, OneLineSummary) {
  v1::Assignment a = Sample("91330106000654337W", "杭州示范\n食品");
  EXPECT_EQ(
      AssignmentLine(a),
      "P20260501-0001  91330106000654337W  杭州示范 食品  due 2026-06-30  items: "
      "食品经营许可 Food licence; 明码标价  with: HZ-M-02, HZ-F-07 @ 杭州市西湖区文三路 1 号");
}

TEST(JointVisitText, NamesTheOtherPlansTeamBothWays) {
  v1::Assignment alone = Sample("91330106000654337W", "杭州示范食品");
  EXPECT_EQ(JointVisitText(alone), "");
  EXPECT_EQ(AssignmentsHtml({alone}, {}, {}).find("联合检查"), std::string::npos);

  v1::Assignment later = alone;
  v1::JointPartner* earlier = later.mutable_joint_partner();
  earlier->mutable_visit()->set_plan_id("P20260401-0003");
  earlier->add_inspector_ids("HZ-Q-01");
  earlier->add_inspector_ids("HZ-Q-09");
  earlier->mutable_due_date()->set_year(2026);
  earlier->mutable_due_date()->set_month(6);
  earlier->mutable_due_date()->set_day(15);
  EXPECT_EQ(JointVisitText(later), "with plan P20260401-0003 (HZ-Q-01, HZ-Q-09), by 2026-06-15");
  EXPECT_NE(AssignmentLine(later).find("  joint visit: with plan P20260401-0003"),
            std::string::npos);
  EXPECT_NE(AssignmentsHtml({later}, {}, {})
                .find("联合检查 Joint visit: with plan P20260401-0003 (HZ-Q-01, HZ-Q-09)"),
            std::string::npos);

  v1::Assignment first = alone;
  v1::JointPartner* joiner = first.add_joined_by();
  joiner->mutable_visit()->set_plan_id("P20260501-0007");
  first.add_joined_by()->mutable_visit()->set_plan_id("P20260502-0001");
  joiner->add_inspector_ids("HZ-M-05");
  EXPECT_EQ(JointVisitText(first),
            "joined by plan P20260501-0007 (HZ-M-05); joined by plan P20260502-0001 (not staffed)");
}

}  // namespace
}  // namespace regulation::regctl
