// The public site in a real browser (headless Chromium): a log in memory is served by
// DisclosureService's public calls over gRPC, published with `regctl publish`'s code,
// served over HTTP, and then searched, browsed and verified in the browser; copies of
// the site with an altered entry, an altered record, a forged checkpoint, and record and
// plan pages whose shown fields alone were edited must fail verification visibly, naming
// what differs. A withdrawn record's page says so and still verifies. Each kind of page
// passes axe-core's accessibility checks (no serious or critical violation) and fits a
// phone's 390-pixel screen; a screenshot of each is kept for review.

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <regex>
#include <sstream>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "disclosure/cosignature.h"
#include "disclosure/signing_key.h"
#include "disclosure/site/publisher.h"
#include "disclosure/site/site_paths.h"
#include "disclosure/site/testing/log_site_source.h"
#include "disclosure/site/testing/sample_entries.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"
#include "tests/site_browser_test_chromium.h"
#include "tests/site_browser_test_http.h"
#include "tests/site_browser_test_service.h"
#include "tools/regctl/publish_command.h"

namespace regulation::testing {
namespace {

namespace site = disclosure::site;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kResults = 300;  // more than one tile: proofs cross tiles and levels
constexpr int64_t kWithdrawn = 14;  // result 10
constexpr char kLegalBasis[] = "《中华人民共和国个人信息保护法》第四十七条";

// Edits that change only what a record page shows (record 8, result 4), and the field
// the failure must name.
struct FieldEdit {
  const char* copy;
  const char* from;
  const char* to;
  const char* names;
};
constexpr FieldEdit kRecordEdits[] = {
    {"field-category", ">未发现问题<", ">发现问题经责令已改正<", "检查结果 Result"},
    {"field-date", "2026-04-10", "2026-04-11", "检查结束日期 Inspection ended"},
    {"field-findings", "现场检查未发现问题。", "现场检查发现问题。", "检查发现 Findings"},
    {"field-name", "杭州明辉食品4有限公司", "杭州明辉食品5有限公司", "企业名称 Enterprise"},
    {"field-approved", ">2026-04-12 10:00:00 CST", ">2026-04-12 11:00:00 CST", "审核时间 Approved"},
};
constexpr FieldEdit kPlanEdits[] = {
    {"plan-cutoff", "0.0123", "0.0999", "入选阈值 Cutoff of class A"},
    {"plan-team", "HZ-M-01", "HZ-M-07", "检查人员 Inspectors of "},
    {"plan-sources", "<dd>notary-sample</dd>", "<dd>notary-other</dd>", "外部随机源 Entropy sources"},
    {"plan-statement-time", "2026-03-01T08:15:00Z", "2026-03-01T08:25:00Z", "签名时间 Signing time of notary-sample"},
    // Only the machine-readable department code, or only the local time shown.
    {"plan-department", "data-department=\"samr\"", "data-department=\"wsjk\"", "检查部门 Departments"},
    {"plan-committed", "2026-03-01 16:00:00 CST", "2026-03-01 17:00:00 CST", "承诺时间 Committed"},
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

// Replaces the first `from` at or after `at` in the file at `path`; false if absent.
bool ReplaceInFile(const std::string& path, size_t at, const std::string& from, const std::string& to) {
  std::string data = ReadFile(path);
  const size_t pos = data.find(from, at);
  if (pos == std::string::npos) return false;
  data.replace(pos, from.size(), to);
  WriteFile(path, data);
  return true;
}

struct Status {
  std::string css_class;
  std::string text;
};

// The verification outcome in a dumped record page.
Status VerifyStatus(const std::string& dom) {
  static const std::regex kStatus("<p id=\"verify-status\" class=\"([^\"]*)\">([^<]*)</p>");
  std::smatch m;
  if (!std::regex_search(dom, m, kStatus)) return {"(no #verify-status)", dom.substr(0, 2000)};
  return {m[1], m[2]};
}

class SiteBrowserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    start_ = std::chrono::steady_clock::now();
    work_ = ::regulation::testing::NewTempDir();
    std::filesystem::create_directories(work_ + "/www");

    // The log: two plans committed and drawn, kResults results, and a correction of
    // result 3 (record 7).
    // A fixed key whose verifier key has a '+' in its base64 part (parsers must split
    // the key at the first two '+' only).
    std::optional<disclosure::SigningKey> key;
    for (char seed = 0; !key.has_value(); ++seed) {
      disclosure::SigningKey k =
          disclosure::SigningKey::FromSeed("regulation.example/disclosure", std::string(32, seed)).value();
      const std::string vkey = k.VerifierKey();
      if (vkey.find('+', vkey.find('+', vkey.find('+') + 1) + 1) != std::string::npos) key = k;
    }
    log_ = site::testing::SampleLog::Create(&*key).value().release();
    ASSERT_OK(site::testing::PopulateSampleLog(log_, kResults));
    witness_ = new disclosure::SigningKey(
        disclosure::SigningKey::FromSeed("witness.example/w1", std::string(32, '\x77')).value());
    // The site as it was before the correction and the replacement round: a genuine,
    // cosigned, older checkpoint (served later as a rollback).
    PublishCosigned(log_->source(), work_ + "/www/rollback", witness_);
    v1::PublicResult fixed = site::testing::SampleResult(
        "R3", "PLAN-A", site::testing::SampleCreditCode(3), site::testing::SampleName(3));
    fixed.set_category("PROBLEM_CORRECTED_ON_ORDER");
    fixed.set_category_label("发现问题经责令已改正");
    fixed.set_findings("更正：标签标识不规范，已责令改正。");
    correction_index_ = log_->Append(site::testing::CorrectionBody(7, "录入错误", fixed)).value();
    // A replacement round of PLAN-A, announced and drawn; then result 10 (record 14)
    // withdrawn.
    ASSERT_OK(log_->Append(
        site::testing::AnnouncementBody("PLAN-A", 1, {site::testing::SampleCreditCode(2)})));
    const site::testing::DrawBody round1 =
        site::testing::MakeDrawBody("PLAN-A", 1, {site::testing::SampleCreditCode(9)});
    ASSERT_OK(log_->Append(round1.body, round1.bundle));
    withdrawal_index_ = log_->Withdraw(kWithdrawn, kLegalBasis, "2026-05-02").value();
    // A plan whose logged statement was altered after the witness signed it (what a
    // server that failed to check it would log): its page must fail.
    ASSERT_OK(log_->Append(site::testing::CommitmentBody("PLAN-T", "PLAN-T 声明被篡改")));
    const site::testing::DrawBody tampered =
        site::testing::MakeDrawBody("PLAN-T", 0, {site::testing::SampleCreditCode(5)}, /*tampered=*/true);
    ASSERT_OK(log_->Append(tampered.body, tampered.bundle));
    // Result 3's enterprise objected; upheld, answered by the correction above.
    objection_index_ = log_->Append(site::testing::ObjectionOutcomeBody(
                                        7, fixed, "UPHELD", "correction/R3/1"))
                           .value();
    tree_size_ = static_cast<int64_t>(log_->log().size());

    // Served over gRPC, published with regctl publish's code.
    service_ = new PublicDisclosureService(log_);
    grpc::ServerBuilder builder;
    int grpc_port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &grpc_port);
    builder.RegisterService(service_);
    server_ = builder.BuildAndStart().release();
    ASSERT_NE(server_, nullptr);
    regctl::ConnectionOptions connection;
    connection.server = absl::StrCat("127.0.0.1:", grpc_port);
    connection.insecure_loopback = true;
    regctl::PublishCommandOptions options;
    options.out_dir = work_ + "/www/site";
    options.verifier_key = log_->key().VerifierKey();
    options.witness_keys = {disclosure::CosignerVerifier::Of(*witness_).VerifierKey()};
    std::FILE* out = std::tmpfile();
    ASSERT_EQ(regctl::RunPublishCommand({}, options, connection, out), 0);
    std::rewind(out);
    char line[512] = {0};
    ASSERT_NE(std::fgets(line, sizeof(line), out), nullptr);
    std::fclose(out);
    publish_summary_ = line;
    // The witness cosigns what was published (regctl witness cosign, in tools/up).
    uncosigned_note_ = ReadFile(work_ + "/www/site/checkpoint");
    WriteFile(work_ + "/www/site/checkpoint",
              disclosure::AddCosignature(uncosigned_note_, *witness_, 1796544000).value());

    // An attacker's copy: the same kind of records, the same origin, its own key (and no
    // witness can cosign for it).
    attacker_key_ = new disclosure::SigningKey(
        disclosure::SigningKey::FromSeed("regulation.example/disclosure", std::string(32, '\x66')).value());
    attacker_log_ = site::testing::SampleLog::Create(attacker_key_).value().release();
    ASSERT_OK(site::testing::PopulateSampleLog(attacker_log_, 20));
    PublishCosigned(attacker_log_->source(), work_ + "/www/attacker", nullptr);

    MakeTamperedCopies();

    // The accessibility harness and axe-core, served beside the site (never published).
    const std::string a11y = absl::StrCat(std::getenv("TEST_SRCDIR"), "/", std::getenv("TEST_WORKSPACE"),
                                          "/tests/a11y");
    std::filesystem::copy(a11y, work_ + "/www/a11y", std::filesystem::copy_options::recursive);

    http_ = new StaticHttpServer(work_ + "/www");
    std::string error;
    ASSERT_TRUE(http_->Start(&error)) << error;
  }

  // Publishes `source` into `dir`, requiring `witness` (if any), which then cosigns.
  static void PublishCosigned(site::SiteSource& source, const std::string& dir,
                              const disclosure::SigningKey* witness) {
    site::PublishOptions options;
    options.sync = false;
    if (witness != nullptr) options.witness_keys = {disclosure::CosignerVerifier::Of(*witness).VerifierKey()};
    absl::StatusOr<site::PublishReport> report = site::Publish(source, dir, options);
    ASSERT_OK(report);
    if (witness == nullptr) return;
    WriteFile(dir + "/checkpoint",
              disclosure::AddCosignature(ReadFile(dir + "/checkpoint"), *witness, 1796544000).value());
  }

  static void TearDownTestSuite() {
    if (http_ != nullptr) http_->Stop();
    if (server_ != nullptr) server_->Shutdown();
    delete http_;
    delete server_;
    delete service_;
    delete log_;
    delete attacker_log_;
    delete witness_;
    delete attacker_key_;
    std::cout << "site browser test: "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start_).count()
              << " ms\n";
  }

  // Altered copies of the site, each served beside the original.
  static void MakeTamperedCopies() {
    const std::string original = work_ + "/www/site";
    const std::string leaf = *log_->log().Entry(8);
    std::vector<std::string> copies = {"entry-altered", "record-altered", "checkpoint-forged",
                                       "entry-dropped", "entries-reordered", "record-moved",
                                       "uncosigned", "cosignature-forged"};
    for (const FieldEdit& e : kRecordEdits) copies.push_back(e.copy);
    for (const FieldEdit& e : kPlanEdits) copies.push_back(e.copy);
    for (const std::string& copy : copies) {
      std::filesystem::copy(original, absl::StrCat(work_, "/www/", copy),
                            std::filesystem::copy_options::recursive);
    }
    // Record 8 (result 4) in the full entry bundle of tile 0: one letter of its leaf changed.
    const std::string bundle = "/tile/entries/000";
    const size_t in_bundle = ReadFile(original + bundle).find(leaf);
    ASSERT_NE(in_bundle, std::string::npos);
    ASSERT_TRUE(ReplaceInFile(work_ + "/www/entry-altered" + bundle, in_bundle, "key result/R4\n",
                              "key result/X4\n"));
    // The same change in the bundle and in the page: they agree, the proof must not.
    ASSERT_TRUE(ReplaceInFile(work_ + "/www/record-altered" + bundle, in_bundle, "key result/R4\n",
                              "key result/X4\n"));
    const std::string page = absl::StrCat(work_, "/www/record-altered/", site::RecordPagePath(8));
    const size_t pre = ReadFile(page).find("id=\"leaf-bytes\"");
    ASSERT_NE(pre, std::string::npos);
    ASSERT_TRUE(ReplaceInFile(page, pre, "key result/R4\n", "key result/X4\n"));
    // Only what the pages show (#record-content, #plan-content), not the bytes they verify.
    for (const FieldEdit& e : kRecordEdits) {
      const std::string edited = absl::StrCat(work_, "/www/", e.copy, "/", site::RecordPagePath(8));
      const size_t region = ReadFile(edited).find("id=\"record-content\"");
      ASSERT_NE(region, std::string::npos);
      ASSERT_TRUE(ReplaceInFile(edited, region, e.from, e.to)) << e.copy;
      ASSERT_LT(ReadFile(edited).find(e.to, region), ReadFile(edited).find("id=\"verification\"")) << e.copy;
    }
    for (const FieldEdit& e : kPlanEdits) {
      ASSERT_TRUE(ReplaceInFile(absl::StrCat(work_, "/www/", e.copy, "/plan/PLAN-A.html"), 0, e.from, e.to))
          << e.copy;
    }
    // Record 8 dropped from the log (the later entries move up one), and records 8 and 9
    // swapped. An entry in a bundle is a 2-byte big-endian length and the entry's bytes.
    const std::string full = ReadFile(original + bundle);
    const size_t start7 = in_bundle - 2;
    const size_t end7 = in_bundle + leaf.size();
    ASSERT_LT(end7 + 2, full.size());
    const size_t length8 = (static_cast<unsigned char>(full[end7]) << 8) |
                           static_cast<unsigned char>(full[end7 + 1]);
    const size_t end8 = end7 + 2 + length8;
    ASSERT_LE(end8, full.size());
    WriteFile(work_ + "/www/entry-dropped" + bundle,
              full.substr(0, start7) + full.substr(end7));
    WriteFile(work_ + "/www/entries-reordered" + bundle,
              absl::StrCat(full.substr(0, start7), full.substr(end7, end8 - end7),
                           full.substr(start7, end7 - start7), full.substr(end8)));
    // Record 9's page served as record 8's: both verify as themselves, but not as the other.
    std::filesystem::copy_file(absl::StrCat(original, "/", site::RecordPagePath(9)),
                               absl::StrCat(work_, "/www/record-moved/", site::RecordPagePath(8)),
                               std::filesystem::copy_options::overwrite_existing);
    // The checkpoint without the witness's cosignature; and with a cosignature made by
    // another key under the witness's name.
    WriteFile(work_ + "/www/uncosigned/checkpoint", uncosigned_note_);
    const disclosure::SigningKey impostor =
        disclosure::SigningKey::FromSeed("witness.example/w1", std::string(32, '\x55')).value();
    std::string impostor_note = disclosure::AddCosignature(uncosigned_note_, impostor, 1796544000).value();
    // Its line, relabelled with the real witness's key id, so that it is found and checked.
    const std::string real_line = ReadFile(original + "/checkpoint").substr(uncosigned_note_.size());
    const std::string fake_line = impostor_note.substr(uncosigned_note_.size());
    std::string raw_real, raw_fake;
    ASSERT_TRUE(absl::Base64Unescape(real_line.substr(real_line.rfind(' ') + 1, real_line.size() - real_line.rfind(' ') - 2), &raw_real));
    ASSERT_TRUE(absl::Base64Unescape(fake_line.substr(fake_line.rfind(' ') + 1, fake_line.size() - fake_line.rfind(' ') - 2), &raw_fake));
    raw_fake.replace(0, 4, raw_real.substr(0, 4));
    WriteFile(work_ + "/www/cosignature-forged/checkpoint",
              absl::StrCat(uncosigned_note_, "\xE2\x80\x94 witness.example/w1 ", absl::Base64Escape(raw_fake), "\n"));
    // A checkpoint with another root under the real signature.
    const std::string checkpoint = work_ + "/www/checkpoint-forged/checkpoint";
    std::string note = ReadFile(checkpoint);
    const size_t root_line = note.find('\n', note.find('\n') + 1) + 1;
    note.replace(root_line, 44, absl::Base64Escape(std::string(32, '\x42')));
    WriteFile(checkpoint, note);
  }

  // The page's DOM after its scripts ran, in a fresh browser profile, or in `profile`
  // (a folder under work_) kept between loads, as one reader's browser.
  static std::string Load(const std::string& path, const std::string& profile = "") {
    absl::StatusOr<std::string> chromium = FindChromium();
    EXPECT_OK(chromium);
    if (!chromium.ok()) return "";
    absl::StatusOr<std::string> dom =
        DumpDom(*chromium, http_->url() + path, work_, profile.empty() ? "" : work_ + "/" + profile);
    EXPECT_OK(dom);
    return dom.ok() ? *dom : "";
  }

  // The first href of an <a> with class `css_class` (or, if empty, matching `pattern`).
  static std::string FirstLink(const std::string& dom, const std::string& pattern) {
    std::smatch m;
    if (!std::regex_search(dom, m, std::regex(pattern))) return "";
    return m[1];
  }

  static std::chrono::steady_clock::time_point start_;
  static std::string work_;
  static site::testing::SampleLog* log_;
  static site::testing::SampleLog* attacker_log_;
  static disclosure::SigningKey* witness_;
  static disclosure::SigningKey* attacker_key_;
  static std::string uncosigned_note_;
  static int64_t correction_index_;
  static int64_t withdrawal_index_;
  static int64_t objection_index_;
  static int64_t tree_size_;
  static PublicDisclosureService* service_;
  static grpc::Server* server_;
  static StaticHttpServer* http_;
  static std::string publish_summary_;
};

std::chrono::steady_clock::time_point SiteBrowserTest::start_;
std::string SiteBrowserTest::work_;
site::testing::SampleLog* SiteBrowserTest::log_ = nullptr;
site::testing::SampleLog* SiteBrowserTest::attacker_log_ = nullptr;
disclosure::SigningKey* SiteBrowserTest::witness_ = nullptr;
disclosure::SigningKey* SiteBrowserTest::attacker_key_ = nullptr;
std::string SiteBrowserTest::uncosigned_note_;
int64_t SiteBrowserTest::correction_index_ = 0;
int64_t SiteBrowserTest::objection_index_ = 0;
int64_t SiteBrowserTest::withdrawal_index_ = 0;
int64_t SiteBrowserTest::tree_size_ = 0;
PublicDisclosureService* SiteBrowserTest::service_ = nullptr;
grpc::Server* SiteBrowserTest::server_ = nullptr;
StaticHttpServer* SiteBrowserTest::http_ = nullptr;
std::string SiteBrowserTest::publish_summary_;

TEST_F(SiteBrowserTest, ChromiumIsInstalled) {
  absl::StatusOr<std::string> chromium = FindChromium();
  ASSERT_OK(chromium);
}

TEST_F(SiteBrowserTest, RegctlPublishReportsWhatItDid) {
  EXPECT_THAT(publish_summary_, HasSubstr(absl::StrCat(tree_size_, " new records (tree size ",
                                                       tree_size_, ", was 0)")));
  EXPECT_THAT(publish_summary_, HasSubstr("files written"));
}

TEST_F(SiteBrowserTest, SearchByNameLeadsToAVerifiedRecord) {
  const std::string results = Load("site/search.html?q=" + std::string("明辉食品42"));
  ASSERT_THAT(results, HasSubstr("class=\"search-done\""));
  const std::string enterprise =
      FirstLink(results, "<a class=\"result-link\" href=\"(enterprise/[^\"]+)\">杭州明辉食品42有限公司</a>");
  ASSERT_EQ(enterprise, site::EnterprisePagePath(site::testing::SampleCreditCode(42)));

  const std::string page = Load("site/" + enterprise);
  ASSERT_THAT(page, HasSubstr("杭州明辉食品42有限公司"));
  const std::string record = FirstLink(page, "<a href=\"\\.\\./(record/[0-9]+/[0-9]+\\.html)\">");
  ASSERT_EQ(record, site::RecordPagePath(4 + 42));

  const Status status = VerifyStatus(Load("site/" + record));
  EXPECT_EQ(status.css_class, "verify-ok") << status.text;
  EXPECT_THAT(status.text, HasSubstr(absl::StrCat("已验证 Verified: record #", 4 + 42,
                                                  " is included in the log of ", tree_size_,
                                                  " records, checkpoint signed by "
                                                  "regulation.example/disclosure")));
}

TEST_F(SiteBrowserTest, SearchByCreditCodeFindsTheEnterprise) {
  const std::string code = site::testing::SampleCreditCode(7);
  const std::string results = Load("site/search.html?q=" + code);
  EXPECT_THAT(results, HasSubstr(absl::StrCat("href=\"", site::EnterprisePagePath(code), "\">杭州明辉食品7有限公司</a>")));
}

TEST_F(SiteBrowserTest, TheBundledEd25519VerifiesToo) {
  const std::string dom = Load("site/" + site::RecordPagePath(correction_index_) + "?crypto=noble");
  const Status status = VerifyStatus(dom);
  EXPECT_EQ(status.css_class, "verify-ok") << status.text;
  EXPECT_THAT(dom, HasSubstr("@noble/ed25519 3.2.0"));
}

TEST_F(SiteBrowserTest, ACorrectedResultShowsTheCorrection) {
  const std::string dom = Load("site/" + site::EnterprisePagePath(site::testing::SampleCreditCode(3)));
  EXPECT_THAT(dom, HasSubstr("更正：标签标识不规范，已责令改正。"));
  EXPECT_THAT(dom, HasSubstr(absl::StrCat("../", site::RecordPagePath(correction_index_))));
  EXPECT_THAT(dom, HasSubstr("../record/0/7.html"));
}

// An objection's outcome verifies in the browser field by field like every record, and the
// enterprise's page lists it under its result with the correction.
TEST_F(SiteBrowserTest, AnObjectionOutcomeVerifiesAndIsListedWithItsResult) {
  const std::string record = Load("site/" + site::RecordPagePath(objection_index_));
  const Status status = VerifyStatus(record);
  EXPECT_EQ(status.css_class, "verify-ok") << status.text;
  EXPECT_THAT(record, HasSubstr("异议成立，已更正 Upheld; the result was corrected"));
  const std::string dom = Load("site/" + site::EnterprisePagePath(site::testing::SampleCreditCode(3)));
  EXPECT_THAT(dom, HasSubstr("异议及处理 Objections and their outcomes"));
  EXPECT_THAT(dom, HasSubstr(absl::StrCat("../", site::RecordPagePath(objection_index_))));
  EXPECT_THAT(Load("site/" + site::RecordPagePath(7)), HasSubstr("notice objection"));
}

TEST_F(SiteBrowserTest, UntrustedTextStaysText) {
  const std::string code = site::testing::SampleCreditCode(1);
  const std::string page = Load("site/" + site::EnterprisePagePath(code));
  EXPECT_THAT(page, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;恶意"));
  EXPECT_THAT(page, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(page, Not(HasSubstr("<img src=\"x\"")));
  const std::string results = Load("site/search.html?q=" + std::string("恶意"));
  EXPECT_THAT(results, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;恶意"));
  EXPECT_THAT(results, Not(HasSubstr("<script>alert")));
  const Status status = VerifyStatus(Load("site/" + site::RecordPagePath(5)));
  EXPECT_EQ(status.css_class, "verify-ok") << status.text;
}

TEST_F(SiteBrowserTest, AnAlteredEntryFailsVerification) {
  const Status status = VerifyStatus(Load("entry-altered/" + site::RecordPagePath(8)));
  EXPECT_EQ(status.css_class, "verify-failed") << status.text;
  EXPECT_THAT(status.text, HasSubstr("验证失败 Verification FAILED"));
  EXPECT_THAT(status.text, HasSubstr("differs from entry 8"));
  // Other records of the same site still verify.
  EXPECT_EQ(VerifyStatus(Load("entry-altered/" + site::RecordPagePath(9))).css_class, "verify-ok");
}

TEST_F(SiteBrowserTest, AnAlteredRecordFailsItsInclusionProof) {
  const Status status = VerifyStatus(Load("record-altered/" + site::RecordPagePath(8)));
  EXPECT_EQ(status.css_class, "verify-failed") << status.text;
  EXPECT_THAT(status.text, HasSubstr("does not lead to the checkpoint"));
}

TEST_F(SiteBrowserTest, AForgedCheckpointFailsVerification) {
  const Status status = VerifyStatus(Load("checkpoint-forged/" + site::RecordPagePath(8)));
  EXPECT_EQ(status.css_class, "verify-failed") << status.text;
  EXPECT_THAT(status.text, HasSubstr("does not verify"));
}

TEST_F(SiteBrowserTest, ADroppedRecordFailsVerification) {
  for (int64_t index : {8, 9}) {
    const Status status = VerifyStatus(Load("entry-dropped/" + site::RecordPagePath(index)));
    EXPECT_EQ(status.css_class, "verify-failed") << index << ": " << status.text;
    EXPECT_THAT(status.text, HasSubstr("验证失败 Verification FAILED")) << index;
  }
}

TEST_F(SiteBrowserTest, AReorderedLogFailsVerification) {
  for (int64_t index : {8, 9}) {
    const Status status = VerifyStatus(Load("entries-reordered/" + site::RecordPagePath(index)));
    EXPECT_EQ(status.css_class, "verify-failed") << index << ": " << status.text;
    EXPECT_THAT(status.text, HasSubstr("验证失败 Verification FAILED")) << index;
  }
  // Records before the swap are untouched.
  EXPECT_EQ(VerifyStatus(Load("entries-reordered/" + site::RecordPagePath(6))).css_class,
            "verify-ok");
}

// Every kind of record page checks out: entropy source, commitment, draw, result, correction, the
// announcement and replacement draw, and the WITHDRAWAL record.
TEST_F(SiteBrowserTest, EveryKindOfRecordPageVerifiesLineByLine) {
  for (int64_t index : {int64_t{0}, int64_t{1}, int64_t{2}, int64_t{5}, correction_index_, correction_index_ + 1,
                        correction_index_ + 2, withdrawal_index_}) {
    const Status status = VerifyStatus(Load("site/" + site::RecordPagePath(index)));
    EXPECT_EQ(status.css_class, "verify-ok") << index << ": " << status.text;
    EXPECT_THAT(status.text, HasSubstr("every field shown is its body's")) << index;
  }
}

// Editing only what a record page shows (not the bytes it verifies) turns it red,
// naming the field.
TEST_F(SiteBrowserTest, AnEditedFieldOfARecordPageFailsNamingIt) {
  for (const FieldEdit& e : kRecordEdits) {
    const std::string dom = Load(absl::StrCat(e.copy, "/", site::RecordPagePath(8)));
    const Status status = VerifyStatus(dom);
    EXPECT_EQ(status.css_class, "verify-failed") << e.copy << ": " << status.text;
    EXPECT_THAT(status.text, HasSubstr(e.names)) << e.copy;
    EXPECT_THAT(status.text,
                HasSubstr(absl::StrCat("as «", absl::StripSuffix(absl::StripPrefix(e.to, ">"), "<"))))
        << e.copy;  // what the page shows, quoted
    EXPECT_THAT(dom, HasSubstr("page-verify-failed")) << e.copy;
    std::cout << e.copy << ": " << status.text << "\n";
  }
  // The other records of the same copy still verify.
  EXPECT_EQ(VerifyStatus(Load("field-date/" + site::RecordPagePath(9))).css_class, "verify-ok");
}

TEST_F(SiteBrowserTest, APlanPageShowsOnlyWhatItsRecordsAndBundlesSay) {
  const std::string dom = Load("site/plan/PLAN-A.html");
  const Status status = VerifyStatus(dom);
  EXPECT_EQ(status.css_class, "verify-ok") << status.text;
  EXPECT_THAT(status.text, HasSubstr("the plan's 4 records are included"));
  EXPECT_THAT(dom, HasSubstr("matches the SHA-256 record #2 names"));
  // Each round's statement, checked against the witness's ENTROPY_SOURCE record.
  EXPECT_THAT(dom, HasSubstr("Statement of notary-sample for round 0 verifies with the key registered in record #0"));
  EXPECT_THAT(dom, HasSubstr("Statement of notary-sample for round 1 verifies with the key registered in record #0"));
  EXPECT_THAT(dom, HasSubstr("杭州市西湖公证处（样例）"));
  for (const FieldEdit& e : kPlanEdits) {
    const Status edited = VerifyStatus(Load(absl::StrCat(e.copy, "/plan/PLAN-A.html")));
    EXPECT_EQ(edited.css_class, "verify-failed") << e.copy << ": " << edited.text;
    EXPECT_THAT(edited.text, HasSubstr(e.names)) << e.copy;
    std::cout << e.copy << ": " << edited.text << "\n";
  }
}

TEST_F(SiteBrowserTest, AWithdrawnRecordSaysSoAndStillVerifies) {
  for (const std::string query : {"", "?crypto=noble"}) {
    const std::string dom = Load("site/" + site::RecordPagePath(kWithdrawn) + query);
    const Status status = VerifyStatus(dom);
    EXPECT_EQ(status.css_class, "verify-ok") << status.text;
    EXPECT_THAT(status.text, HasSubstr(absl::StrCat("its body was withdrawn on 2026-05-02 (", kLegalBasis,
                                                    ") by record #", withdrawal_index_)));
    EXPECT_THAT(dom, HasSubstr("已撤回 Withdrawn"));
    EXPECT_THAT(dom, Not(HasSubstr(site::testing::SampleName(10))));
    std::cout << "withdrawn record: " << status.text << "\n";
  }
  // Its enterprise page says so too, without the body.
  const std::string enterprise = Load("site/" + site::EnterprisePagePath(site::testing::SampleCreditCode(10)));
  EXPECT_THAT(enterprise, HasSubstr("已撤回 Withdrawn"));
  EXPECT_THAT(enterprise, Not(HasSubstr(site::testing::SampleName(10))));
}

TEST_F(SiteBrowserTest, ARecordPageServedAsAnotherRecordFails) {
  const Status status = VerifyStatus(Load("record-moved/" + site::RecordPagePath(8)));
  EXPECT_EQ(status.css_class, "verify-failed") << status.text;
  EXPECT_THAT(status.text, HasSubstr("this page is record #9 but is served as record #8"));
}

// A statement altered after its witness signed it turns the plan page red, naming the
// source and the record of its registered key.
TEST_F(SiteBrowserTest, APlanPageWithATamperedStatementFails) {
  const std::string dom = Load("site/plan/PLAN-T.html");
  const Status status = VerifyStatus(dom);
  EXPECT_EQ(status.css_class, "verify-failed") << status.text;
  EXPECT_THAT(status.text, HasSubstr("the statement of notary-sample does not check against its registered "
                                     "key (record #0): signature: does not verify"));
  EXPECT_THAT(dom, HasSubstr("page-verify-failed"));
  std::cout << "tampered statement: " << status.text << "\n";
}

// The site's witness must have cosigned the checkpoint: without its line, or with a line
// its key did not sign, every page fails, naming the witness.
TEST_F(SiteBrowserTest, AMissingOrForgedCosignatureFailsVerification) {
  const Status ok = VerifyStatus(Load("site/" + site::RecordPagePath(8)));
  EXPECT_EQ(ok.css_class, "verify-ok") << ok.text;
  const std::string dom = Load("site/" + site::RecordPagePath(8));
  EXPECT_THAT(dom, HasSubstr("Cosigned by witness witness.example/w1 at 2026-12-06T08:00:00.000Z"));
  for (const std::string& page : {site::RecordPagePath(8), std::string("plan/PLAN-A.html")}) {
    const Status missing = VerifyStatus(Load("uncosigned/" + page));
    EXPECT_EQ(missing.css_class, "verify-failed") << page << ": " << missing.text;
    EXPECT_THAT(missing.text, HasSubstr("the checkpoint carries no cosignature by witness witness.example/w1")) << page;
    std::cout << "missing cosignature: " << missing.text << "\n";
  }
  const Status forged = VerifyStatus(Load("cosignature-forged/" + site::RecordPagePath(8)));
  EXPECT_EQ(forged.css_class, "verify-failed") << forged.text;
  EXPECT_THAT(forged.text, HasSubstr("the cosignature by witness witness.example/w1 does not verify"));
  std::cout << "forged cosignature: " << forged.text << "\n";
}

// An attacker's copy of the site, signed with its own key, verifies only for a browser
// that never saw the real site and pins nothing. One that verified the real site before
// (or given ?key=) shows a red warning naming the changed key.
TEST_F(SiteBrowserTest, AnAttackersKeyIsRefusedOnceTheRealKeyIsPinned) {
  const std::string real_key = log_->key().VerifierKey();
  const Status first = VerifyStatus(Load("site/" + site::RecordPagePath(8), "reader-attacked"));
  EXPECT_EQ(first.css_class, "verify-ok") << first.text;
  const std::string dom = Load("attacker/" + site::RecordPagePath(8), "reader-attacked");
  const Status attacked = VerifyStatus(dom);
  EXPECT_EQ(attacked.css_class, "verify-failed") << attacked.text;
  EXPECT_THAT(attacked.text, HasSubstr("the log key changed: the site now serves " +
                                       attacker_log_->key().VerifierKey() + ", but this browser pinned " + real_key));
  EXPECT_THAT(dom, HasSubstr("page-verify-failed"));
  std::cout << "attacker's key (pinned on first visit): " << attacked.text << "\n";

  std::string query = real_key;
  for (std::string::size_type at = 0; (at = query.find('+', at)) != std::string::npos; at += 3) {
    query.replace(at, 1, "%2B");
  }
  const Status pinned = VerifyStatus(Load("attacker/" + site::RecordPagePath(8) + "?key=" + query));
  EXPECT_EQ(pinned.css_class, "verify-failed") << pinned.text;
  EXPECT_THAT(pinned.text, HasSubstr("not the key pinned by ?key="));
  std::cout << "attacker's key (?key=): " << pinned.text << "\n";
}

// A reader who saw the older checkpoint, then the current one, gets a consistency proof;
// served the older checkpoint again (rollback), the page turns red naming both sizes.
TEST_F(SiteBrowserTest, ARollbackToAnOlderCheckpointIsNoticed) {
  const Status older = VerifyStatus(Load("rollback/" + site::RecordPagePath(8), "reader-rolled-back"));
  EXPECT_EQ(older.css_class, "verify-ok") << older.text;
  const std::string dom = Load("site/" + site::RecordPagePath(8), "reader-rolled-back");
  const Status current = VerifyStatus(dom);
  EXPECT_EQ(current.css_class, "verify-ok") << current.text;
  EXPECT_THAT(dom, HasSubstr("Consistent with the checkpoint of " + std::to_string(correction_index_) +
                             " records this browser verified before"));
  const Status rolled_back = VerifyStatus(Load("rollback/" + site::RecordPagePath(8), "reader-rolled-back"));
  EXPECT_EQ(rolled_back.css_class, "verify-failed") << rolled_back.text;
  EXPECT_THAT(rolled_back.text, HasSubstr(absl::StrCat("rollback: the site serves a checkpoint of ", correction_index_,
                                                       " records, older than the checkpoint of ", tree_size_, " records")));
  std::cout << "rollback: " << rolled_back.text << "\n";
}

// One line of the accessibility harness's report (tests/a11y/harness.js).
struct A11yReport {
  bool done = false;
  std::string error;
  std::string verify;
  int inner_width = 0;
  int scroll_width = 0;
  std::vector<std::string> violations;  // "<impact> <rule> <nodes> <target> | <help>"
  std::vector<std::string> blocking;    // the serious and critical ones
};

A11yReport ParseA11yReport(const std::string& dom) {
  A11yReport report;
  std::smatch m;
  if (!std::regex_search(dom, m, std::regex("<pre id=\"a11y-report\"[^>]*>([^<]*)</pre>"))) return report;
  std::istringstream lines{std::string(m[1])};
  for (std::string line; std::getline(lines, line);) {
    if (line == "done") report.done = true;
    if (line.rfind("error ", 0) == 0) report.error = line.substr(6);
    if (line.rfind("verify ", 0) == 0) report.verify = line.substr(7);
    if (line.rfind("width ", 0) == 0) {
      std::istringstream(line.substr(6)) >> report.inner_width >> report.scroll_width;
    }
    if (line.rfind("violation ", 0) == 0) {
      const std::string v = line.substr(10);
      report.violations.push_back(v);
      if (v.rfind("serious ", 0) == 0 || v.rfind("critical ", 0) == 0) report.blocking.push_back(v);
    }
  }
  return report;
}

std::string QueryEscape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

// The harness itself finds what it must: a page built to fail (tests/a11y/inaccessible.html)
// has serious or critical violations and is wider than a phone.
TEST_F(SiteBrowserTest, TheAccessibilityHarnessFindsViolations) {
  absl::StatusOr<std::string> chromium = FindChromium();
  ASSERT_TRUE(chromium.ok()) << chromium.status();
  BrowserOptions options;
  options.width = 520;
  options.height = 900;
  absl::StatusOr<std::string> dom = DumpDomWith(
      *chromium, http_->url() + "a11y/harness.html?width=390&page=%2Fa11y%2Finaccessible.html", work_, options);
  ASSERT_TRUE(dom.ok()) << dom.status();
  const A11yReport report = ParseA11yReport(*dom);
  ASSERT_TRUE(report.done);
  EXPECT_GT(report.scroll_width, report.inner_width);
  std::string blocking;
  for (const std::string& v : report.blocking) blocking += v + "\n";
  EXPECT_THAT(blocking, HasSubstr("image-alt"));
  EXPECT_THAT(blocking, HasSubstr("button-name"));
  std::cout << "control page: " << blocking;
}

// Each kind of page, at a desktop width and a phone's: axe-core finds no serious or
// critical violation, the page is no wider than the screen, record and plan pages still
// verify, and a screenshot is written to TEST_UNDECLARED_OUTPUTS_DIR.
TEST_F(SiteBrowserTest, AccessibleAtDesktopAndPhoneWidths) {
  const std::vector<std::pair<std::string, std::string>> pages = {
      {"home", "/site/index.html"},
      {"search", "/site/search.html?q=明辉食品42"},
      {"plans", "/site/plans.html"},
      {"downloads", "/site/downloads.html"},
      {"verify", "/site/verify.html"},
      {"plan", "/site/plan/PLAN-A.html"},
      {"enterprise", "/site/" + site::EnterprisePagePath(site::testing::SampleCreditCode(3))},
      {"record-result", "/site/" + site::RecordPagePath(8)},
      {"record-draw", "/site/" + site::RecordPagePath(2)},
      {"record-correction", "/site/" + site::RecordPagePath(correction_index_)},
      {"record-withdrawn", "/site/" + site::RecordPagePath(kWithdrawn)},
      {"record-objection", "/site/" + site::RecordPagePath(objection_index_)},
  };
  const char* outputs = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  absl::StatusOr<std::string> chromium = FindChromium();
  ASSERT_TRUE(chromium.ok()) << chromium.status();
  for (const auto& [kind, path] : pages) {
    for (int width : {1280, 390}) {
      BrowserOptions options;
      options.width = std::max(width, 500) + 20;
      options.height = 1600;
      options.virtual_time_budget_ms = 60000;
      if (outputs != nullptr) options.screenshot_path = absl::StrCat(outputs, "/", kind, "-", width, ".png");
      const std::string url = absl::StrCat(http_->url(), "a11y/harness.html?width=", width,
                                           "&page=", QueryEscape(path));
      absl::StatusOr<std::string> dom = DumpDomWith(*chromium, url, work_, options);
      ASSERT_TRUE(dom.ok()) << dom.status();
      const A11yReport report = ParseA11yReport(*dom);
      const std::string where = absl::StrCat(kind, " at ", width, " px");
      EXPECT_TRUE(report.done) << where << ": no report";
      EXPECT_EQ(report.error, "") << where;
      EXPECT_EQ(report.inner_width, width) << where;
      EXPECT_LE(report.scroll_width, report.inner_width) << where << ": the page is wider than the screen";
      if (kind == "plan" || kind.rfind("record", 0) == 0) {
        EXPECT_EQ(report.verify, "verify-ok") << where;
      }
      EXPECT_EQ(report.blocking, std::vector<std::string>()) << where;
      std::cout << "axe " << where << ": " << report.violations.size() << " violations ("
                << report.blocking.size() << " serious or critical), width " << report.scroll_width
                << "/" << report.inner_width << "\n";
      for (const std::string& v : report.violations) std::cout << "  " << v << "\n";
    }
  }
}

}  // namespace
}  // namespace regulation::testing
