#include "disclosure/public_leaf.h"

#include <string>

#include "absl/strings/escaping.h"
#include "common/sha256.h"
#include "disclosure/transparency_log.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::disclosure {
namespace {

using ::regulation::testing::StatusIs;

constexpr char kBody[] =
    "{\"kind\":\"RESULT\",\"key\":\"result/P1.91330106MA00000002\",\"subject\":"
    "\"91330106MA00000002\",\"publish_time\":\"2026-04-12T03:00:00.000000Z\",\"result\":{"
    "\"findings\":\"现场检查未发现问题。\"}}";

std::string FixedSalt() { return std::string(kSaltSize, '\x5a'); }

TEST(PublicLeafTest, SealedLeafIsTheDocumentedBytes) {
  absl::StatusOr<SealedBody> sealed = SealBody(kBody, FixedSalt());
  ASSERT_OK(sealed);
  // body_sha256 = SHA-256("regulation-disclosure-body/v2" || 0x00 || salt || body).
  const std::string digest = Sha256Hex(std::string("regulation-disclosure-body/v2") +
                                       std::string(1, '\0') + FixedSalt() + kBody);
  // The example of docs/transparency-log.md, "Leaves".
  EXPECT_EQ(digest, "37a794586d82592d8970c91a007a21a7912067f28c65930863d89f4be2f903e0");
  EXPECT_EQ(sealed->leaf,
            "regulation-disclosure-leaf/v2\n"
            "kind RESULT\n"
            "key result/P1.91330106MA00000002\n"
            "subject 91330106MA00000002\n"
            "publish_time 2026-04-12T03:00:00.000000Z\n"
            "body_sha256 " + digest + "\n");
  EXPECT_EQ(sealed->body, kBody);
  EXPECT_EQ(sealed->salt, FixedSalt());
  EXPECT_EQ(sealed->entry.result().findings(), "现场检查未发现问题。");
}

TEST(PublicLeafTest, ParseReadsBackWhatEncodeWrote) {
  const std::string digest(32, '\x07');
  absl::StatusOr<std::string> bytes =
      EncodePublicLeaf({"DRAW", "draw/P1/0", "P1", "2026-03-02T08:00:00.000000Z", digest});
  ASSERT_OK(bytes);
  absl::StatusOr<PublicLeaf> leaf = ParsePublicLeaf(*bytes);
  ASSERT_OK(leaf);
  EXPECT_EQ(leaf->kind, "DRAW");
  EXPECT_EQ(leaf->key, "draw/P1/0");
  EXPECT_EQ(leaf->subject, "P1");
  EXPECT_EQ(leaf->publish_time, "2026-03-02T08:00:00.000000Z");
  EXPECT_EQ(leaf->body_digest, digest);
}

TEST(PublicLeafTest, ALineBreakInAFieldCannotForgeALeaf) {
  const absl::StatusOr<std::string> bytes = EncodePublicLeaf(
      {"RESULT", "result/x\nsubject forged", "S", "2026-01-01T00:00:00Z", std::string(32, 'd')});
  EXPECT_THAT(bytes, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(bytes.status().message().find("leaf key"), std::string::npos) << bytes.status();
  EXPECT_THAT(EncodePublicLeaf({"RESULT", "k", "", "t", std::string(32, 'd')}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PublicLeafTest, AnOldFormatLeafIsRefusedSayingSo) {
  const absl::StatusOr<PublicLeaf> leaf = ParsePublicLeaf(kBody);
  EXPECT_THAT(leaf, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(leaf.status().message().find("format 1"), std::string::npos) << leaf.status();
}

TEST(PublicLeafTest, MalformedLeavesAreRefused) {
  const std::string good = SealBody(kBody, FixedSalt())->leaf;
  for (const std::string& bad :
       {good.substr(0, good.size() - 1),                        // no final line feed
        good + "extra 1\n",                                     // a line too many
        std::string("regulation-disclosure-leaf/v3") + good.substr(29),  // another version
        [&] {  // upper-case hex
          std::string s = good;
          for (size_t i = s.rfind(' ') + 1; i < s.size(); ++i) s[i] = static_cast<char>(toupper(s[i]));
          return s;
        }()}) {
    EXPECT_THAT(ParsePublicLeaf(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(PublicLeafTest, CheckBodyAcceptsOnlyTheBodyTheLeafCommitsTo) {
  const SealedBody sealed = *SealBody(kBody, FixedSalt());
  const PublicLeaf leaf = *ParsePublicLeaf(sealed.leaf);
  ASSERT_OK(CheckBody(leaf, sealed.body, sealed.salt));

  std::string edited = sealed.body;
  edited.replace(edited.find("未发现问题"), std::string("未发现问题").size(), "发现问题");
  EXPECT_THAT(CheckBody(leaf, edited, sealed.salt), StatusIs(absl::StatusCode::kDataLoss));
  std::string salt = sealed.salt;
  salt[0] ^= 1;
  EXPECT_THAT(CheckBody(leaf, sealed.body, salt), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(CheckBody(leaf, sealed.body, "short"), StatusIs(absl::StatusCode::kInvalidArgument));

  // A body whose digest matches but whose fields are not the leaf's (a leaf written
  // for another record with the same body bytes cannot exist; this checks the names).
  PublicLeaf other = leaf;
  other.key = "result/another";
  const absl::Status differs = CheckBody(other, sealed.body, sealed.salt).status();
  EXPECT_THAT(differs, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_NE(differs.message().find("key"), std::string::npos) << differs;
}

TEST(PublicLeafTest, SealRefusesWhatCannotBeAPublicRecord) {
  EXPECT_THAT(SealBody("not json", FixedSalt()), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(SealBody("{\"kind\":\"RESULT\"}", FixedSalt()),
              StatusIs(absl::StatusCode::kInvalidArgument));  // no key, subject or time
  EXPECT_THAT(SealBody(kBody, "short"), StatusIs(absl::StatusCode::kInvalidArgument));
  const std::string huge = std::string(kBody).insert(
      std::string(kBody).find("现场"), std::string(kMaxBodySize, 'x'));
  EXPECT_THAT(SealBody(huge, FixedSalt()), StatusIs(absl::StatusCode::kResourceExhausted));
}

// regulatord's log records this format and refuses a log in another.
TEST(PublicLeafTest, TheLogRecordsThisFormat) {
  EXPECT_EQ(kLeafFormat, kDisclosureLeafFormat);
  EXPECT_EQ(TransparencyLogOptions().entry_format, kLeafFormat);
}

TEST(PublicLeafTest, SaltsAreFreshEachTime) {
  const std::string a = NewSalt();
  EXPECT_EQ(a.size(), kSaltSize);
  EXPECT_NE(a, NewSalt());
}

}  // namespace
}  // namespace regulation::disclosure
