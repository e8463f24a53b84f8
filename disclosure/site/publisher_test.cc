#include "disclosure/site/publisher.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "disclosure/log_verifier.h"
#include "disclosure/public_leaf.h"
#include "disclosure/signing_key.h"
#include "disclosure/site/html.h"
#include "disclosure/site/site_paths.h"
#include "disclosure/site/site_record.h"
#include "disclosure/site/testing/log_site_source.h"
#include "disclosure/site/testing/sample_entries.h"
#include "gmock/gmock.h"
#include "scheduler/bundle_parts.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::disclosure::site {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::SampleLog;

std::string NewDir(const std::string& name) {
  static const ::regulation::testing::TempDir base("publisher_test");  // for the whole binary
  const std::string dir = base.Path(name);
  std::filesystem::remove_all(dir);
  return dir;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool Exists(const std::string& path) { return std::filesystem::exists(path); }

ino_t Inode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

size_t CountFiles(const std::string& dir) {
  size_t n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

PublishOptions TestOptions() {
  PublishOptions options;
  options.sync = false;
  return options;
}

void ExpectValidLog(const std::string& dir, const SigningKey& key) {
  absl::StatusOr<VerifiedLog> verified = VerifyLogDirectory(dir, key.verifier(), nullptr);
  ASSERT_OK(verified);
}

// The record at `index` as the site publishes it: its body and salt files are what its
// leaf (entry `index` of the log) commits to.
void ExpectPublishedBody(const std::string& dir, SampleLog& sample, int64_t index) {
  absl::StatusOr<PublicLeaf> leaf = ParsePublicLeaf(*sample.log().Entry(index));
  ASSERT_OK(leaf);
  const std::string body = ReadFile(absl::StrCat(dir, "/", RecordBodyPath(index)));
  absl::StatusOr<std::string> salt = ParseSaltFile(ReadFile(absl::StrCat(dir, "/", RecordSaltPath(index))));
  ASSERT_OK(salt) << index << ": " << salt.status();
  EXPECT_OK(CheckBody(*leaf, body, *salt)) << index;
  EXPECT_THAT(ReadFile(absl::StrCat(dir, "/", RecordPagePath(index))),
              HasSubstr(HtmlEscape(*sample.log().Entry(index))));
}

// Every file under `dir` that contains `needle`.
std::vector<std::string> FilesContaining(const std::string& dir, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && ReadFile(e.path()).find(needle) != std::string::npos) {
      found.push_back(e.path().string().substr(dir.size() + 1));
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

class PublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sample_ = *SampleLog::Create();
    indices_ = *testing::PopulateSampleLog(sample_.get(), 3);
  }

  std::unique_ptr<SampleLog> sample_;
  std::vector<int64_t> indices_;
};

TEST_F(PublisherTest, WritesEveryKindOfPageWithUntrustedTextEscaped) {
  const std::string dir = NewDir("full");
  absl::StatusOr<PublishReport> report = Publish(sample_->source(), dir, TestOptions());
  ASSERT_OK(report);
  EXPECT_EQ(report->previous_size, 0);
  EXPECT_EQ(report->tree_size, 8);
  EXPECT_EQ(report->records, 8);
  EXPECT_TRUE(report->trusted_on_first_use);
  EXPECT_EQ(report->verifier_key, sample_->key().VerifierKey());
  EXPECT_EQ(report->files_written, static_cast<int64_t>(report->written.size()));
  EXPECT_EQ(report->written.back(), "checkpoint");

  for (const char* path : {"index.html", "search.html", "plans.html", "downloads.html",
                           "verify.html", "feed.xml", "site-state.json", "checkpoint",
                           "verifier.key", "assets/verify.js", "assets/tlog.js",
                           "assets/search.js", "assets/site.css",
                           "assets/vendor/noble-ed25519/index.js",
                           "assets/vendor/noble-ed25519/LICENSE",
                           "assets/vendor/noble-hashes/sha2.js", "plan/PLAN-A.html",
                           "plan/PLAN-B.html", "tile/entries/000.p/8", "tile/0/000.p/8",
                           "entropy-source/notary-sample.json",
                           "downloads/results-000000.json", "downloads/results-000000.csv"}) {
    EXPECT_TRUE(Exists(absl::StrCat(dir, "/", path))) << path;
  }
  for (int64_t i : indices_) {
    EXPECT_TRUE(Exists(absl::StrCat(dir, "/", RecordPagePath(i)))) << i;
    ExpectPublishedBody(dir, *sample_, i);
  }

  // The draw bundle, byte for byte, and the plan page showing it.
  const testing::DrawBody draw =
      testing::MakeDrawBody("PLAN-A", 0, {testing::SampleCreditCode(1), testing::SampleCreditCode(2)});
  EXPECT_EQ(ReadFile(dir + "/draws/PLAN-A/0.json"), draw.bundle);
  const std::string plan = ReadFile(dir + "/plan/PLAN-A.html");
  EXPECT_THAT(plan, HasSubstr("《中华人民共和国食品安全法》第三十五条"));
  EXPECT_THAT(plan, HasSubstr("随机数承诺 Nonce commitment"));
  EXPECT_THAT(plan, HasSubstr("<dd>notary-sample</dd>"));        // the named source
  EXPECT_THAT(plan, HasSubstr("杭州市西湖公证处（样例）"));       // its signer, from record 0
  EXPECT_THAT(plan, HasSubstr(testing::SampleCommitmentDigest("PLAN-A", 0)));
  EXPECT_THAT(plan, HasSubstr("2026-03-01T08:15:00Z"));           // the statement's time
  EXPECT_THAT(plan, HasSubstr("0.0123"));      // the class cutoff
  EXPECT_THAT(plan, HasSubstr("HZ-M-01"));     // a team
  EXPECT_THAT(plan, HasSubstr("../draws/PLAN-A/0.json"));

  // The hostile name and findings stay text.
  const std::string code = testing::SampleCreditCode(1);
  const std::string enterprise = ReadFile(absl::StrCat(dir, "/", EnterprisePagePath(code)));
  EXPECT_THAT(enterprise, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;恶意&quot;名称&quot;有限公司"));
  EXPECT_THAT(enterprise, HasSubstr("&lt;img src=x onerror=alert(1)&gt; &amp; 其他"));
  EXPECT_THAT(enterprise, HasSubstr("检查结果 Result"));
  EXPECT_THAT(enterprise, HasSubstr("未发现问题"));
  EXPECT_THAT(enterprise, HasSubstr("No problem found"));
  for (const std::string& page : {enterprise, ReadFile(dir + "/index.html"),
                                  ReadFile(absl::StrCat(dir, "/", RecordPagePath(indices_[4])))}) {
    EXPECT_THAT(page, Not(HasSubstr("<script>alert")));
    EXPECT_THAT(page, Not(HasSubstr("<img src=x")));
  }
  const std::string record = ReadFile(absl::StrCat(dir, "/", RecordPagePath(indices_[4])));
  EXPECT_THAT(record, HasSubstr("id=\"leaf-bytes\""));
  EXPECT_THAT(record, HasSubstr("id=\"body-bytes\""));
  EXPECT_THAT(record, HasSubstr("id=\"record-content\""));
  EXPECT_THAT(record, HasSubstr("id=\"verify-status\""));
  EXPECT_THAT(record, HasSubstr("../../assets/verify.js"));
  EXPECT_THAT(ReadFile(dir + "/feed.xml"), HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(ReadFile(dir + "/feed.xml"), Not(HasSubstr("<script>")));

  // Search shards and downloads.
  bool found = false;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir + "/search/name")) {
    if (!e.is_regular_file()) continue;
    found = found || ReadFile(e.path()).find("杭州明辉食品2有限公司") != std::string::npos;
  }
  EXPECT_TRUE(found);
  EXPECT_THAT(ReadFile(dir + "/downloads/results-000000.csv"), HasSubstr("杭州明辉食品3有限公司"));
  EXPECT_THAT(ReadFile(dir + "/downloads/results-000000.json"),
              HasSubstr("\"enterprise_name\":\"杭州明辉食品2有限公司\""));

  ExpectValidLog(dir, sample_->key());
}

TEST_F(PublisherTest, APlanPageShowsAnAnnouncedReplacementRoundBeforeItsDraw) {
  const std::string code = testing::SampleCreditCode(2);
  ASSERT_OK(sample_->Append(testing::AnnouncementBody("PLAN-A", 1, {code})));
  const testing::DrawBody draw = testing::MakeDrawBody("PLAN-A", 1, {testing::SampleCreditCode(9)});
  ASSERT_OK(sample_->Append(draw.body, draw.bundle));
  const std::string dir = NewDir("announced");
  ASSERT_OK(Publish(sample_->source(), dir, TestOptions()));

  const std::string plan = ReadFile(dir + "/plan/PLAN-A.html");
  const size_t announced = plan.find("Replacement round 1 announced");
  ASSERT_NE(announced, std::string::npos);
  EXPECT_LT(announced, plan.find("Replacement draw (round 1)"));
  EXPECT_GT(announced, plan.find("Draw (round 0)"));
  EXPECT_THAT(plan, HasSubstr(std::string(64, 'c')));  // the nonce commitment
  EXPECT_THAT(plan, HasSubstr(testing::SampleCommitmentDigest("PLAN-A", 1)));
  EXPECT_THAT(plan, HasSubstr(code));
  EXPECT_THAT(plan, HasSubstr("&lt;b&gt;deregistered&lt;/b&gt;"));
  EXPECT_THAT(ReadFile(dir + "/plan/PLAN-B.html"), Not(HasSubstr("announced")));
  ExpectValidLog(dir, sample_->key());
}

// Two publications into one directory at once could put the slower one's older checkpoint
// over the newer one: the second is refused while the first holds the lock.
TEST_F(PublisherTest, OnePublicationPerDirectoryAtATime) {
  const std::string dir = NewDir("locked");
  ASSERT_OK(Publish(sample_->source(), dir, TestOptions()));
  const int fd = ::open((dir + "/.publish.lock").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);  // as a running publisher holds it
  ASSERT_OK(sample_->Append(testing::ResultBody(testing::SampleResult(
      "R9", "PLAN-A", testing::SampleCreditCode(9), "嘉兴新锐食品有限公司"))));
  const std::string checkpoint = ReadFile(dir + "/checkpoint");
  absl::StatusOr<PublishReport> refused = Publish(sample_->source(), dir, TestOptions());
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(refused.status().message(), HasSubstr("another publication"));
  EXPECT_EQ(ReadFile(dir + "/checkpoint"), checkpoint);
  ::close(fd);
  absl::StatusOr<PublishReport> after = Publish(sample_->source(), dir, TestOptions());
  ASSERT_OK(after);
  EXPECT_EQ(after->records, 1);
  ExpectValidLog(dir, sample_->key());
}

TEST_F(PublisherTest, ASecondRunWithNothingNewWritesNothing) {
  const std::string dir = NewDir("idle");
  ASSERT_OK(Publish(sample_->source(), dir, TestOptions()));
  absl::StatusOr<PublishReport> again = Publish(sample_->source(), dir, TestOptions());
  ASSERT_OK(again);
  EXPECT_EQ(again->records, 0);
  EXPECT_EQ(again->files_written, 0) << again->written.front();
  EXPECT_FALSE(again->trusted_on_first_use);  // the site's verifier.key now
  EXPECT_FALSE(Exists(dir + "/.publish-staging"));
}

TEST(PublisherIncrementalTest, AppendingThreeRecordsRewritesOnlyWhatTheyTouch) {
  std::unique_ptr<SampleLog> sample = *SampleLog::Create();
  ASSERT_OK(testing::PopulateSampleLog(sample.get(), 300));
  const std::string dir = NewDir("incremental");
  absl::StatusOr<PublishReport> first = Publish(sample->source(), dir, TestOptions());
  ASSERT_OK(first);
  ASSERT_EQ(first->tree_size, 305);
  const ino_t full_tile = Inode(dir + "/tile/0/000");
  const ino_t full_bundle = Inode(dir + "/tile/entries/000");
  ASSERT_NE(full_tile, 0u);
  ASSERT_NE(full_bundle, 0u);
  const std::string old_record_page = ReadFile(absl::StrCat(dir, "/", RecordPagePath(11)));
  const size_t site_files = CountFiles(dir);

  // Two new results and a correction of result 7 (record 11).
  v1::PublicResult fixed = testing::SampleResult("R7", "PLAN-A", testing::SampleCreditCode(7),
                                                 testing::SampleName(7));
  fixed.set_category("PROBLEM_CORRECTED_ON_ORDER");
  fixed.set_category_label("发现问题经责令已改正");
  fixed.set_findings("更正后：标签不规范，已当场改正。");
  ASSERT_OK(sample->Append(testing::ResultBody(testing::SampleResult(
      "R301", "PLAN-A", testing::SampleCreditCode(301), "温州新锐电器有限公司"))));
  ASSERT_OK(sample->Append(testing::ResultBody(testing::SampleResult(
      "R302", "PLAN-B", testing::SampleCreditCode(302), "台州新锐机械有限公司"))));
  ASSERT_OK(sample->Append(testing::CorrectionBody(11, "录入错误 data entry error", fixed)));

  const int64_t served_before = sample->source().records_served();
  absl::StatusOr<PublishReport> second = Publish(sample->source(), dir, TestOptions());
  ASSERT_OK(second);
  EXPECT_EQ(second->previous_size, 305);
  EXPECT_EQ(second->tree_size, 308);
  EXPECT_EQ(second->records, 3);
  EXPECT_EQ(sample->source().records_served() - served_before, 3);  // fetched only the new ones

  // O(changed) files: 2 tiles, 3 records x 2, 3 enterprises x 2, the corrected record,
  // 3 code shards and the names' bigram shards, 2 download files, 5 index files.
  std::string listing;
  for (const std::string& p : second->written) listing += p + "\n";
  EXPECT_LE(second->files_written, 50) << listing;
  std::cout << "incremental publish of 3 records on top of 305: " << second->files_written
            << " files written of " << site_files << "\n" << listing;
  EXPECT_GT(site_files, 10u * static_cast<size_t>(second->files_written));
  EXPECT_THAT(second->written, Not(Contains("tile/0/000")));
  EXPECT_THAT(second->written, Not(Contains("tile/entries/000")));
  EXPECT_THAT(second->written, Contains("tile/entries/001.p/52"));
  EXPECT_THAT(second->written, Not(Contains("plan/PLAN-A.html")));
  EXPECT_THAT(second->written, Not(Contains(EnterprisePagePath(testing::SampleCreditCode(8)))));
  EXPECT_EQ(Inode(dir + "/tile/0/000"), full_tile);
  EXPECT_EQ(Inode(dir + "/tile/entries/000"), full_bundle);
  EXPECT_EQ(second->written.back(), "checkpoint");

  // The correction: shown on the enterprise page, linked from the original.
  const std::string enterprise =
      ReadFile(absl::StrCat(dir, "/", EnterprisePagePath(testing::SampleCreditCode(7))));
  EXPECT_THAT(enterprise, HasSubstr("更正后：标签不规范，已当场改正。"));
  EXPECT_THAT(enterprise, HasSubstr("发现问题经责令已改正"));
  EXPECT_THAT(enterprise, HasSubstr("../record/0/307.html"));
  EXPECT_THAT(enterprise, HasSubstr("../record/0/11.html"));
  const std::string original = ReadFile(absl::StrCat(dir, "/", RecordPagePath(11)));
  EXPECT_NE(original, old_record_page);
  EXPECT_THAT(original, HasSubstr("307.html"));
  ExpectPublishedBody(dir, *sample, 11);

  ExpectValidLog(dir, sample->key());
}

TEST_F(PublisherTest, RebuildsPagesForALogDirectoryWithoutThem) {
  const std::string dir = NewDir("rebuild");
  ASSERT_OK(Publish(sample_->source(), dir, TestOptions()));
  std::filesystem::remove_all(dir + "/record");
  std::filesystem::remove(dir + "/site-state.json");
  ASSERT_OK(sample_->Append(testing::CommitmentBody("PLAN-C", "第三个计划")));
  absl::StatusOr<PublishReport> report = Publish(sample_->source(), dir, TestOptions());
  // The enterprise files survived, the state did not: the rebuilt state still counts them.
  EXPECT_THAT(ReadFile(dir + "/site-state.json"), HasSubstr("\"enterprises\":3"));
  ASSERT_OK(report);
  EXPECT_EQ(report->previous_size, 8);
  EXPECT_EQ(report->records, 9);
  for (int64_t i = 0; i < 9; ++i) EXPECT_TRUE(Exists(absl::StrCat(dir, "/", RecordPagePath(i)))) << i;
  ExpectValidLog(dir, sample_->key());
}

// A large first publication goes in batches: an enterprise whose records span batches is
// still counted once.
TEST(PublisherCountsTest, EachEnterpriseIsCountedOnceAcrossBatches) {
  std::unique_ptr<SampleLog> sample = *SampleLog::Create();
  ASSERT_OK(testing::PopulateSampleLog(sample.get(), 2));
  const std::string code = testing::SampleCreditCode(500);
  for (int k = 0; k < 25; ++k) {  // one enterprise, 25 results: three batches of 10
    ASSERT_OK(sample->Append(testing::ResultBody(
        testing::SampleResult(absl::StrCat("S", k), "PLAN-A", code, "宁波恒远食品有限公司"))));
  }
  const std::string dir = NewDir("counts");
  PublishOptions options = TestOptions();
  options.batch_records = 10;
  ASSERT_OK(Publish(sample->source(), dir, options));
  EXPECT_THAT(ReadFile(dir + "/site-state.json"), HasSubstr("\"enterprises\":3"));
}

TEST_F(PublisherTest, RefusesARolledBackLog) {
  const std::string dir = NewDir("rollback");
  ASSERT_OK(Publish(sample_->source(), dir, TestOptions()));
  const std::string published = ReadFile(dir + "/checkpoint");

  // The same key, the same first five entries, but fewer of them.
  std::unique_ptr<SampleLog> older = *SampleLog::Create(&sample_->key());
  for (int64_t i = 0; i < 5; ++i) {
    const std::string body = ReadFile(absl::StrCat(dir, "/", RecordBodyPath(i)));
    const std::string salt = *ParseSaltFile(ReadFile(absl::StrCat(dir, "/", RecordSaltPath(i))));
    ASSERT_OK(older->AppendSealedForTesting(body, salt));
    ASSERT_EQ(*older->log().Entry(i), *sample_->log().Entry(i));
  }
  absl::StatusOr<PublishReport> report = Publish(older->source(), dir, TestOptions());
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(report.status().message(), HasSubstr("rollback"));
  EXPECT_EQ(ReadFile(dir + "/checkpoint"), published);
}

TEST_F(PublisherTest, RefusesAFork) {
  const std::string dir = NewDir("fork");
  ASSERT_OK(Publish(sample_->source(), dir, TestOptions()));
  const std::string published = ReadFile(dir + "/checkpoint");

  // The same key, a different history, and more entries.
  std::unique_ptr<SampleLog> fork = *SampleLog::Create(&sample_->key());
  ASSERT_OK(testing::PopulateSampleLog(fork.get(), 2));
  ASSERT_OK(fork->Append(testing::CommitmentBody("PLAN-FORK", "另一个历史")));
  ASSERT_OK(fork->Append(testing::CommitmentBody("PLAN-FORK2", "另一个历史")));
  absl::StatusOr<PublishReport> report = Publish(fork->source(), dir, TestOptions());
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(report.status().message(), HasSubstr("fork"));
  EXPECT_EQ(ReadFile(dir + "/checkpoint"), published);
  EXPECT_FALSE(Exists(dir + "/plan/PLAN-FORK.html"));
  EXPECT_FALSE(Exists(absl::StrCat(dir, "/", RecordPagePath(8))));
}

TEST_F(PublisherTest, RefusesADrawBundleThatDoesNotMatchItsDigest) {
  const std::string dir = NewDir("bundle");
  sample_->source().SetAttachment(indices_[2], "{\"spec\":\"regulation.draw.v1\",\"forged\":true}");
  absl::StatusOr<PublishReport> report = Publish(sample_->source(), dir, TestOptions());
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(report.status().message(), HasSubstr("does not hash to the digest"));
  EXPECT_FALSE(Exists(dir + "/checkpoint"));
  EXPECT_FALSE(Exists(dir + "/draws/PLAN-A/0.json"));
}

// A draw round of 60 targets whose record names its bundle's 1 KiB parts.
int64_t AppendDrawInParts(SampleLog& sample, std::string* bundle) {
  absl::StatusOr<int64_t> index = testing::AppendDrawInParts(&sample, "PLAN-A", 1, 60, 1024, bundle);
  EXPECT_OK(index);
  return index.value_or(-1);
}

TEST_F(PublisherTest, ABundleInPartsIsPublishedAsAManifestAndPartsReadAsOne) {
  std::string bundle;
  AppendDrawInParts(*sample_, &bundle);
  ASSERT_GT(bundle.size(), 3 * 1024u);
  const std::string dir = NewDir("parts");
  ASSERT_OK(Publish(sample_->source(), dir, TestOptions()));

  const std::string manifest = ReadFile(dir + "/draws/PLAN-A/1.json");
  EXPECT_TRUE(scheduler::LooksLikeManifest(manifest)) << manifest.substr(0, 80);
  EXPECT_TRUE(Exists(dir + "/draws/PLAN-A/1.00001.part"));
  // What verify-draw reads, from the published files: the bundle, byte for byte.
  absl::StatusOr<std::string> joined = scheduler::ReadBundleFile(dir + "/draws/PLAN-A/1.json");
  ASSERT_OK(joined);
  EXPECT_EQ(*joined, bundle);
  // The plan page lists the round's targets, read from the parts.
  EXPECT_THAT(ReadFile(dir + "/plan/PLAN-A.html"), HasSubstr(testing::SampleCreditCode(159)));
}

TEST_F(PublisherTest, RefusesABundlePartThatIsNotTheOneItsRecordNames) {
  std::string bundle;
  AppendDrawInParts(*sample_, &bundle);
  sample_->source().tamper_part = [](int64_t part, std::string* data) {
    if (part == 2) (*data)[7] = (*data)[7] == '1' ? '2' : '1';
  };
  const std::string dir = NewDir("bad-part");
  absl::StatusOr<PublishReport> report = Publish(sample_->source(), dir, TestOptions());
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kDataLoss,
                               HasSubstr("part 3 of the draw bundle of record")));
  EXPECT_FALSE(Exists(dir + "/draws/PLAN-A/1.json"));
}

TEST_F(PublisherTest, RefusesARecordThatDiffersFromTheLog) {
  const std::string dir = NewDir("record");
  sample_->source().tamper_record = [](v1::PublicRecord* record) {
    if (record->log_index() == 5) record->set_body_json(record->body_json() + " ");
  };
  absl::StatusOr<PublishReport> report = Publish(sample_->source(), dir, TestOptions());
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(report.status().message(), HasSubstr("record 5: the body"));
  EXPECT_FALSE(Exists(dir + "/checkpoint"));

  // A leaf that is not the log's entry, or a body under another salt.
  sample_->source().tamper_record = [](v1::PublicRecord* record) {
    if (record->log_index() == 5) record->set_leaf(record->leaf() + " ");
  };
  report = Publish(sample_->source(), dir, TestOptions());
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(report.status().message(), HasSubstr("leaf of record 5 differs"));
  sample_->source().tamper_record = [](v1::PublicRecord* record) {
    if (record->log_index() == 5) record->set_salt(std::string(kSaltSize, 'x'));
  };
  report = Publish(sample_->source(), dir, TestOptions());
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_FALSE(Exists(dir + "/checkpoint"));
}

// A body left out is accepted only when a WITHDRAWAL record in the log names it.
TEST_F(PublisherTest, RefusesABodyWithheldWithoutAWithdrawalRecord) {
  const std::string dir = NewDir("withheld");
  sample_->source().tamper_record = [](v1::PublicRecord* record) {
    if (record->log_index() != 5) return;
    record->clear_body_json();
    record->clear_salt();
    record->set_withdrawn(true);
    record->set_withdrawal_index(6);  // a RESULT, not a withdrawal of record 5
  };
  absl::StatusOr<PublishReport> report = Publish(sample_->source(), dir, TestOptions());
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(report.status().message(), HasSubstr("does not withdraw it"));
  EXPECT_FALSE(Exists(dir + "/checkpoint"));

  // Withdrawn, but the WITHDRAWAL record is not in the log yet: try again later.
  sample_->source().tamper_record = [](v1::PublicRecord* record) {
    if (record->log_index() != 5) return;
    record->clear_body_json();
    record->clear_salt();
    record->set_withdrawn(true);
    record->set_withdrawal_index(-1);
  };
  report = Publish(sample_->source(), dir, TestOptions());
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(report.status().message(), HasSubstr("publish again"));
  EXPECT_FALSE(Exists(dir + "/checkpoint"));
}

// The withdrawal test of issue 11: a body holding a distinctive value is published, then
// withdrawn; the next publication removes the value from every file of the site, the
// record page says it was withdrawn, and the log still verifies.
TEST(PublisherWithdrawalTest, AWithdrawnBodyIsGoneFromEveryPublishedFile) {
  std::unique_ptr<SampleLog> sample = *SampleLog::Create();
  ASSERT_OK(testing::PopulateSampleLog(sample.get(), 5));
  const std::string secret = "银行账号6222021234567890123";
  const std::string code = testing::SampleCreditCode(77);
  v1::PublicResult leaked =
      testing::SampleResult("R77", "PLAN-A", code, "杭州市西湖区张三烧烤店");
  leaked.set_findings("当事人张三提供" + secret + "用于退款。");
  const int64_t leaked_index = *sample->Append(testing::ResultBody(leaked));
  // Another enterprise's record keeps its own name searchable.
  ASSERT_OK(sample->Append(testing::ResultBody(testing::SampleResult(
      "R78", "PLAN-B", testing::SampleCreditCode(78), "杭州市西湖区李四面馆"))));
  const std::string dir = NewDir("withdrawn");
  ASSERT_OK(Publish(sample->source(), dir, TestOptions()));
  const std::vector<std::string> holding = FilesContaining(dir, secret);
  std::cout << "before the withdrawal, " << holding.size() << " files hold the value:";
  for (const std::string& f : holding) std::cout << " " << f;
  std::cout << "\n";
  EXPECT_GE(holding.size(), 6u);  // record json and page, enterprise page, downloads, feed, state
  EXPECT_THAT(holding, Contains(RecordBodyPath(leaked_index)));
  EXPECT_FALSE(FilesContaining(dir + "/search", "张三烧烤店").empty());

  const int64_t withdrawal = *sample->Withdraw(
      leaked_index, "《中华人民共和国个人信息保护法》第四十七条", "2026-05-02");
  absl::StatusOr<PublishReport> report = Publish(sample->source(), dir, TestOptions());
  ASSERT_OK(report);
  EXPECT_EQ(report->records, 1);

  EXPECT_EQ(FilesContaining(dir, secret), std::vector<std::string>()) << "still published";
  EXPECT_EQ(FilesContaining(dir, "张三"), std::vector<std::string>()) << "the name too";
  EXPECT_FALSE(Exists(absl::StrCat(dir, "/", RecordBodyPath(leaked_index))));
  EXPECT_FALSE(Exists(absl::StrCat(dir, "/", RecordSaltPath(leaked_index))));
  EXPECT_FALSE(FilesContaining(dir + "/search", "李四面馆").empty());
  const std::string page = ReadFile(absl::StrCat(dir, "/", RecordPagePath(leaked_index)));
  EXPECT_THAT(page, HasSubstr("已撤回 Withdrawn"));
  EXPECT_THAT(page, HasSubstr("2026-05-02"));
  EXPECT_THAT(page, HasSubstr("《中华人民共和国个人信息保护法》第四十七条"));
  EXPECT_THAT(page, HasSubstr(absl::StrCat("data-withdrawn-by=\"", withdrawal, "\"")));
  EXPECT_THAT(page, HasSubstr(HtmlEscape(*sample->log().Entry(leaked_index))));  // the leaf stays
  const std::string enterprise = ReadFile(absl::StrCat(dir, "/", EnterprisePagePath(code)));
  EXPECT_THAT(enterprise, HasSubstr("已撤回 Withdrawn"));
  EXPECT_THAT(enterprise, HasSubstr("第四十七条"));
  ExpectPublishedBody(dir, *sample, withdrawal);
  ExpectValidLog(dir, sample->key());

  // A site published afresh from the log never holds it either.
  const std::string fresh = NewDir("withdrawn-fresh");
  ASSERT_OK(Publish(sample->source(), fresh, TestOptions()));
  EXPECT_EQ(FilesContaining(fresh, secret), std::vector<std::string>());
  EXPECT_EQ(FilesContaining(fresh, "张三"), std::vector<std::string>());
  EXPECT_THAT(ReadFile(absl::StrCat(fresh, "/", RecordPagePath(leaked_index))),
              HasSubstr("《中华人民共和国个人信息保护法》第四十七条"));
  ExpectValidLog(fresh, sample->key());
  // A second withdrawal of the same body is refused.
  EXPECT_THAT(sample->Withdraw(leaked_index, "again", "2026-05-03"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

// A run that removed the body files and then stopped (before its checkpoint) is
// completed by the next, which repeats the WITHDRAWAL record.
TEST(PublisherWithdrawalTest, AnInterruptedWithdrawalIsCompletedByTheNextRun) {
  std::unique_ptr<SampleLog> sample = *SampleLog::Create();
  ASSERT_OK(testing::PopulateSampleLog(sample.get(), 3));
  const std::string dir = NewDir("withdrawn-interrupted");
  ASSERT_OK(Publish(sample->source(), dir, TestOptions()));
  const std::string checkpoint = ReadFile(dir + "/checkpoint");
  const std::string state = ReadFile(dir + "/site-state.json");
  ASSERT_OK(sample->Withdraw(6, "《中华人民共和国个人信息保护法》第四十七条", "2026-05-02"));
  ASSERT_OK(Publish(sample->source(), dir, TestOptions()));
  // Back to the old checkpoint and state, with the body files already gone.
  std::ofstream(dir + "/checkpoint", std::ios::trunc) << checkpoint;
  std::ofstream(dir + "/site-state.json", std::ios::trunc) << state;
  absl::StatusOr<PublishReport> again = Publish(sample->source(), dir, TestOptions());
  ASSERT_OK(again);
  EXPECT_EQ(again->records, 1);
  EXPECT_FALSE(Exists(absl::StrCat(dir, "/", RecordBodyPath(6))));
  EXPECT_THAT(ReadFile(dir + "/site-state.json"), HasSubstr("\"withdrawn\":[{\"index\":6"));
  EXPECT_THAT(ReadFile(absl::StrCat(dir, "/", RecordPagePath(6))), HasSubstr("第四十七条"));
  ExpectValidLog(dir, sample->key());
}

// A site published from a log whose leaves were the records' JSON is refused, saying why.
TEST_F(PublisherTest, RefusesASiteOfTheOldFormat) {
  const std::string dir = NewDir("old-format");
  ASSERT_OK(Publish(sample_->source(), dir, TestOptions()));
  std::string state = ReadFile(dir + "/site-state.json");
  state.replace(state.find("\"format\":2"), 10, "\"format\":1");
  std::ofstream(dir + "/site-state.json", std::ios::trunc) << state;
  absl::StatusOr<PublishReport> report = Publish(sample_->source(), dir, TestOptions());
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(report.status().message(), HasSubstr("new directory"));
}

TEST_F(PublisherTest, RefusesACheckpointNotSignedByThePinnedKey) {
  const std::string dir = NewDir("pinned");
  PublishOptions options = TestOptions();
  options.verifier_key = SigningKey::Generate("regulation.example/disclosure")->VerifierKey();
  absl::StatusOr<PublishReport> report = Publish(sample_->source(), dir, options);
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_FALSE(Exists(dir + "/checkpoint"));

  options.verifier_key = sample_->key().VerifierKey();
  report = Publish(sample_->source(), dir, options);
  ASSERT_OK(report);
  EXPECT_FALSE(report->trusted_on_first_use);
}

}  // namespace
}  // namespace regulation::disclosure::site
