// What a reader of the published pages relies on, beyond the records themselves: every
// link leads to a page that exists (drawn enterprises get a page before their result);
// the home page marks a superseded result and a withdrawn one, linking the current
// record; times are shown in Beijing time with the UTC instant kept machine-readable;
// departments are shown by name, their codes kept in data attributes.

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "disclosure/public_leaf.h"
#include "disclosure/site/publisher.h"
#include "disclosure/site/site_paths.h"
#include "disclosure/site/testing/log_site_source.h"
#include "disclosure/site/testing/sample_entries.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/temp_dir.h"

namespace regulation::disclosure::site {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::SampleLog;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Publish(SampleLog& sample, const std::string& name) {
  static const ::regulation::testing::TempDir base("site_pages_test");  // for the whole binary
  const std::string dir = base.Path(name);
  fs::remove_all(dir);
  PublishOptions options;
  options.sync = false;
  absl::StatusOr<PublishReport> report = site::Publish(sample.source(), dir, options);
  EXPECT_TRUE(report.ok()) << report.status();
  return dir;
}

// Every href of every page under `dir` that names a file of the site, resolved from the
// page's folder, which does not exist: "page -> target".
std::set<std::string> BrokenLinks(const std::string& dir) {
  static const std::regex kHref("href=\"([^\"#?]*)[^\"]*\"");
  std::set<std::string> broken;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".html") continue;
    const std::string html = ReadFile(e.path());
    for (std::sregex_iterator m(html.begin(), html.end(), kHref), end; m != end; ++m) {
      const std::string target = (*m)[1];
      if (target.empty() || target.find("://") != std::string::npos) continue;
      const fs::path resolved = (e.path().parent_path() / target).lexically_normal();
      if (!fs::exists(resolved)) {
        broken.insert(absl::StrCat(fs::relative(e.path(), dir).string(), " -> ", target));
      }
    }
  }
  return broken;
}

TEST(SitePages, EveryLinkLeadsToAPageIncludingDrawnEnterprisesWithoutAResult) {
  std::unique_ptr<SampleLog> sample = *SampleLog::Create();
  ASSERT_TRUE(testing::PopulateSampleLog(sample.get(), 2).ok());
  // PLAN-C draws an enterprise with no result yet, and one later replaced.
  const std::string pending = testing::SampleCreditCode(901);
  const std::string replaced = testing::SampleCreditCode(902);
  ASSERT_TRUE(sample->Append(testing::CommitmentBody("PLAN-C", "PLAN-C 抽查")).ok());
  const testing::DrawBody round0 = testing::MakeDrawBody("PLAN-C", 0, {pending, replaced});
  const int64_t draw0 = *sample->Append(round0.body, round0.bundle);
  ASSERT_TRUE(sample->Append(testing::AnnouncementBody("PLAN-C", 1, {replaced})).ok());
  const testing::DrawBody round1 =
      testing::MakeDrawBody("PLAN-C", 1, {testing::SampleCreditCode(903)}, false, {replaced});
  ASSERT_TRUE(sample->Append(round1.body, round1.bundle).ok());
  const std::string dir = Publish(*sample, "links");

  EXPECT_EQ(BrokenLinks(dir), std::set<std::string>());
  const std::string page = ReadFile(absl::StrCat(dir, "/", EnterprisePagePath(pending)));
  EXPECT_THAT(page, HasSubstr("已抽中，检查结果待公示 Drawn; result pending"));
  EXPECT_THAT(page, HasSubstr(absl::StrCat("../", RecordPagePath(draw0))));
  EXPECT_THAT(page, HasSubstr("../plan/PLAN-C.html"));
  EXPECT_THAT(ReadFile(absl::StrCat(dir, "/", EnterprisePagePath(replaced))),
              HasSubstr("已在第 1 轮被替换 Replaced in round 1"));
  // A drawn enterprise whose result is out says so.
  EXPECT_THAT(ReadFile(absl::StrCat(dir, "/", EnterprisePagePath(testing::SampleCreditCode(1)))),
              HasSubstr("检查结果已公示（见本页） Result published (on this page)"));
}

// A targeted plan's pages say it is targeted, in both languages: the plan page lists the
// targets with their reason categories, the draw shows as a targeted inspection on the
// enterprise page, and the result's record and enterprise pages carry the category. The
// case reference never reaches the log, so it cannot reach a page.
TEST(SitePages, ATargetedInspectionIsMarkedWithItsReasonCategory) {
  std::unique_ptr<SampleLog> sample = *SampleLog::Create();
  ASSERT_TRUE(testing::PopulateSampleLog(sample.get(), 1).ok());
  const std::string code = testing::SampleCreditCode(701);
  absl::StatusOr<v1::PublicEntry> commitment =
      ParsePublicEntryJson(testing::CommitmentBody("PLAN-T", "投诉举报定向检查"));
  ASSERT_TRUE(commitment.ok());
  v1::PublicPlan* plan = commitment->mutable_commitment()->mutable_plan();
  plan->set_kind("TARGETED");
  v1::PublicTargetedEnterprise* listed = plan->add_targets();
  listed->set_credit_code(code);
  listed->set_reason("COMPLAINT");
  ASSERT_TRUE(sample->Append(PublicEntryJson(*commitment)).ok());
  testing::DrawBody round0 = testing::MakeDrawBody("PLAN-T", 0, {code});
  absl::StatusOr<v1::PublicEntry> draw = ParsePublicEntryJson(round0.body);
  ASSERT_TRUE(draw.ok());
  draw->mutable_draw()->set_plan_kind("TARGETED");
  ASSERT_TRUE(sample->Append(PublicEntryJson(*draw), round0.bundle).ok());
  v1::PublicResult result = testing::SampleResult("RT", "PLAN-T", code, "杭州定向检查有限公司");
  result.set_target_reason("COMPLAINT");
  const int64_t result_index = *sample->Append(testing::ResultBody(result));
  const std::string dir = Publish(*sample, "targeted");

  EXPECT_EQ(BrokenLinks(dir), std::set<std::string>());
  const std::string plan_page = ReadFile(absl::StrCat(dir, "/", PlanPagePath("PLAN-T")));
  EXPECT_THAT(plan_page, HasSubstr("定向检查 Targeted inspection"));
  EXPECT_THAT(plan_page, HasSubstr("定向检查对象 Listed targets"));
  EXPECT_THAT(plan_page, HasSubstr("投诉举报 Complaint"));
  EXPECT_THAT(plan_page, HasSubstr(code));
  const std::string record_page = ReadFile(absl::StrCat(dir, "/", RecordPagePath(result_index)));
  EXPECT_THAT(record_page, HasSubstr("检查方式 Inspection type"));
  EXPECT_THAT(record_page, HasSubstr("投诉举报 Complaint"));
  const std::string enterprise_page = ReadFile(absl::StrCat(dir, "/", EnterprisePagePath(code)));
  EXPECT_THAT(enterprise_page, HasSubstr("定向检查 Targeted inspection"));
  EXPECT_THAT(enterprise_page, HasSubstr("投诉举报 Complaint"));
  // A random plan's pages are as they were.
  const std::string random_page = ReadFile(absl::StrCat(dir, "/", PlanPagePath("PLAN-A")));
  EXPECT_THAT(random_page, Not(HasSubstr("Targeted inspection")));
  EXPECT_THAT(ReadFile(absl::StrCat(dir, "/", EnterprisePagePath(testing::SampleCreditCode(1)))),
              Not(HasSubstr("Targeted inspection")));
}

TEST(SitePages, APlansCreditPolicyIsShownOnItsPage) {
  std::unique_ptr<SampleLog> sample = *SampleLog::Create();
  ASSERT_TRUE(testing::PopulateSampleLog(sample.get(), 1).ok());
  const std::string listed = testing::SampleCreditCode(702);
  absl::StatusOr<v1::PublicEntry> commitment =
      ParsePublicEntryJson(testing::CommitmentBody("PLAN-C", "信用分级分类抽查"));
  ASSERT_TRUE(commitment.ok());
  v1::PublicPlan* plan = commitment->mutable_commitment()->mutable_plan();
  plan->set_credit_class_source("STRICTER");
  plan->set_dishonest_list_policy("ALWAYS");
  plan->add_dishonest(listed);
  ASSERT_TRUE(sample->Append(PublicEntryJson(*commitment)).ok());
  const std::string dir = Publish(*sample, "credit");

  EXPECT_EQ(BrokenLinks(dir), std::set<std::string>());
  const std::string page = ReadFile(absl::StrCat(dir, "/", PlanPagePath("PLAN-C")));
  EXPECT_THAT(page, HasSubstr("信用分级分类"));
  EXPECT_THAT(page, HasSubstr("the riskier of the official and the model&#39;s class"));
  EXPECT_THAT(page, HasSubstr("一律检查 always inspected"));
  EXPECT_THAT(page, HasSubstr(listed));
  // A plan without a policy shows none.
  EXPECT_THAT(ReadFile(absl::StrCat(dir, "/", PlanPagePath("PLAN-A"))),
              Not(HasSubstr("信用分级分类")));
}

TEST(SitePages, TheHomePageMarksSupersededAndWithdrawnResults) {
  std::unique_ptr<SampleLog> sample = *SampleLog::Create();
  ASSERT_TRUE(testing::PopulateSampleLog(sample.get(), 3).ok());  // results are records 5-7
  v1::PublicResult fixed = testing::SampleResult("R1", "PLAN-A", testing::SampleCreditCode(1), "更正后的名称有限公司");
  const int64_t correction = *sample->Append(testing::CorrectionBody(5, "录入错误", fixed));
  const int64_t withdrawal = *sample->Withdraw(6, "《中华人民共和国个人信息保护法》第四十七条", "2026-05-02");
  const std::string dir = Publish(*sample, "home");
  const std::string home = ReadFile(dir + "/index.html");

  // Result 1 (record 5): marked, linking the correction as the current record.
  const std::regex superseded(absl::StrCat(
      "<tr class=\"superseded\">.*?", "已被更正 Superseded.*?", "record/0/5\\.html.*?",
      "现行记录 Current record: <a href=\"record/0/", correction, "\\.html\">"));
  EXPECT_TRUE(std::regex_search(home, superseded)) << home;
  // Result 2 (record 6): withdrawn; its name is gone, the withdrawal linked.
  EXPECT_THAT(home, HasSubstr("已撤回 Withdrawn"));
  EXPECT_THAT(home, HasSubstr(absl::StrCat("record/0/", withdrawal, ".html")));
  EXPECT_THAT(home, Not(HasSubstr(testing::SampleName(2))));
  EXPECT_THAT(ReadFile(dir + "/feed.xml"), Not(HasSubstr(testing::SampleCreditCode(2))));
  // Result 3 (record 7): current, unmarked.
  EXPECT_THAT(home, HasSubstr(testing::SampleName(3)));

  // Published again from scratch (the state lost), the marks are the same.
  fs::remove(dir + "/site-state.json");
  absl::StatusOr<PublishReport> again = site::Publish(sample->source(), dir, PublishOptions{});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(ReadFile(dir + "/index.html"), home);
}

TEST(SitePages, TimesAreBeijingTimeAndDepartmentsAreNamed) {
  std::unique_ptr<SampleLog> sample = *SampleLog::Create();
  ASSERT_TRUE(testing::PopulateSampleLog(sample.get(), 1).ok());
  const std::string dir = Publish(*sample, "times");
  const std::string record = ReadFile(absl::StrCat(dir, "/", RecordPagePath(5)));
  // approve_time 2026-04-12T02:00:00.000000Z
  EXPECT_THAT(record, HasSubstr("<time datetime=\"2026-04-12T02:00:00Z\">2026-04-12 10:00:00 CST (UTC+8)</time>"));
  const std::string plan = ReadFile(dir + "/plan/PLAN-A.html");
  EXPECT_THAT(plan, HasSubstr("<time datetime=\"2026-03-01T08:00:00Z\">2026-03-01 16:00:00 CST (UTC+8)</time>"));
  EXPECT_THAT(plan, HasSubstr("<span class=\"department\" data-department=\"samr\">市场监管局 Market regulation</span>、"
                              "<span class=\"department\" data-department=\"消防救援\">消防救援</span>"));
  EXPECT_THAT(plan, Not(HasSubstr(">samr<")));
  // The home page's plan list too.
  EXPECT_THAT(ReadFile(dir + "/index.html"), HasSubstr("2026-03-01 16:00:00 CST (UTC+8)"));
}

// Objections: the enterprise's page shows, under its result, the objection, its outcome
// and the correction in that order; the objected record's page links the outcome; an
// outcome's page shows its fields, the enterprise's grounds escaped.
TEST(SitePages, AnObjectionsCourseIsShownInOrderWithItsResult) {
  std::unique_ptr<SampleLog> sample = *SampleLog::Create();
  ASSERT_TRUE(testing::PopulateSampleLog(sample.get(), 2).ok());  // results are records 5-6
  v1::PublicResult fixed = testing::SampleResult("R1", "PLAN-A", testing::SampleCreditCode(1), testing::SampleName(1));
  fixed.set_category("NO_PROBLEM_FOUND");
  fixed.set_category_label("未发现问题");
  fixed.set_findings("经复核未发现问题。");
  const int64_t correction = *sample->Append(testing::CorrectionBody(5, "异议成立", fixed));
  const int64_t upheld = *sample->Append(testing::ObjectionOutcomeBody(5, fixed, "UPHELD", "correction/R1/1"));
  v1::PublicResult second = testing::SampleResult("R2", "PLAN-B", testing::SampleCreditCode(2), testing::SampleName(2));
  const int64_t rejected = *sample->Append(testing::ObjectionOutcomeBody(6, second, "REJECTED", ""));
  const std::string dir = Publish(*sample, "objections");

  const std::string page = ReadFile(absl::StrCat(dir, "/", EnterprisePagePath(testing::SampleCreditCode(1))));
  const std::regex course(absl::StrCat(
      "id=\"record-5\"[\\s\\S]*?经复核未发现问题。[\\s\\S]*?异议及处理 Objections and their outcomes[\\s\\S]*?",
      "提出 Filed 2026-04-14[\\s\\S]*?异议成立，已更正[\\s\\S]*?record/0/", upheld, "\\.html[\\s\\S]*?",
      "更正 Correction[\\s\\S]*?record/0/", correction, "\\.html"));
  EXPECT_TRUE(std::regex_search(page, course)) << page;
  // Shown with the result, not as an article of its own.
  EXPECT_THAT(page, Not(HasSubstr(absl::StrCat("id=\"record-", upheld, "\""))));
  const std::string other = ReadFile(absl::StrCat(dir, "/", EnterprisePagePath(testing::SampleCreditCode(2))));
  EXPECT_THAT(other, HasSubstr("异议不成立，维持原结果"));
  EXPECT_THAT(other, Not(HasSubstr("更正 Correction: ")));

  // The objected records' pages link their outcomes.
  const std::string objected = ReadFile(absl::StrCat(dir, "/", RecordPagePath(5)));
  EXPECT_THAT(objected, HasSubstr("notice objection"));
  EXPECT_THAT(objected, HasSubstr(absl::StrCat("record/0/", upheld, ".html")));
  EXPECT_THAT(objected, HasSubstr(absl::StrCat("record/0/", correction, ".html")));
  EXPECT_THAT(ReadFile(absl::StrCat(dir, "/", RecordPagePath(6))),
              HasSubstr(absl::StrCat("record/0/", rejected, ".html")));
  // The outcome's own page: its fields, the grounds escaped.
  const std::string outcome = ReadFile(absl::StrCat(dir, "/", RecordPagePath(upheld)));
  EXPECT_THAT(outcome, HasSubstr("异议处理结果 Objection outcome"));
  EXPECT_THAT(outcome, HasSubstr("异议成立，已更正 Upheld; the result was corrected"));
  EXPECT_THAT(outcome, HasSubstr("&lt;b&gt;请复核&lt;/b&gt;"));
  EXPECT_THAT(outcome, Not(HasSubstr("<b>请复核")));
  EXPECT_TRUE(BrokenLinks(dir).empty());
}

}  // namespace
}  // namespace regulation::disclosure::site
