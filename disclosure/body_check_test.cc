#include "disclosure/body_check.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "disclosure/public_leaf.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::disclosure {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

std::string Body(const std::string& kind, const std::string& key, const std::string& extra = "") {
  return absl::StrCat("{\"kind\":\"", kind, "\",\"key\":\"", key,
                      "\",\"subject\":\"91330106MA00000002\",\"publish_time\":\"2026-04-12T03:00:00Z\"",
                      extra, "}");
}

std::string Withdrawal(int index, const std::string& key) {
  return Body("WITHDRAWAL", absl::StrCat("withdrawal/", index),
              absl::StrCat(",\"withdrawal\":{\"withdrawn_index\":\"", index, "\",\"withdrawn_key\":\"",
                           key, "\",\"legal_basis\":\"PIPL 47\",\"withdrawn_date\":\"2026-05-02\"}"));
}

// A published log in memory: leaves, and the bodies the site still has.
class Published {
 public:
  void Add(const std::string& body) {
    SealedBody sealed = *SealBody(body, NewSalt());
    leaves_.push_back(sealed.leaf);
    bodies_[leaves_.size() - 1] = {sealed.body, sealed.salt};
  }
  void Drop(uint64_t index) { bodies_.erase(index); }

  absl::Status Verify(BodyCheck* check) {
    for (uint64_t i = 0; i < leaves_.size(); ++i) {
      if (absl::Status s = check->Check(i, leaves_[i]); !s.ok()) return s;
    }
    return check->Finish();
  }
  BodyCheck::BodyReader Reader() {
    return [this](uint64_t i) -> absl::StatusOr<BodyCheck::Body> {
      auto it = bodies_.find(i);
      if (it == bodies_.end()) return absl::NotFoundError("not published");
      return it->second;
    };
  }

 private:
  std::vector<std::string> leaves_;
  std::map<uint64_t, BodyCheck::Body> bodies_;
};

TEST(BodyCheckTest, AMissingBodyNeedsAWithdrawalNamingIt) {
  Published log;
  log.Add(Body("RESULT", "result/R1"));
  log.Add(Body("RESULT", "result/R2"));
  log.Drop(1);
  BodyCheck unnamed(log.Reader());
  absl::Status s = log.Verify(&unnamed);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kDataLoss,
                          HasSubstr("record 1 (result/R2) has no published body")));

  log.Add(Withdrawal(1, "result/R2"));
  BodyCheck named(log.Reader());
  ASSERT_OK(log.Verify(&named));
  EXPECT_EQ(named.bodies_checked(), 2u);
  EXPECT_EQ(named.withdrawn(), 1u);
  EXPECT_TRUE(named.still_published().empty());
}

TEST(BodyCheckTest, AWithdrawalMustNameTheRecordItWithdraws) {
  Published log;
  log.Add(Body("RESULT", "result/R1"));
  log.Drop(0);
  log.Add(Withdrawal(0, "result/another"));
  BodyCheck check(log.Reader());
  absl::Status s = log.Verify(&check);
  EXPECT_THAT(s,
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("that record's leaf is result/R1")));
}

TEST(BodyCheckTest, AWithdrawalCannotNameALaterRecordOrItself) {
  Published log;
  log.Add(Withdrawal(0, "withdrawal/0"));
  BodyCheck check(log.Reader());
  EXPECT_THAT(log.Verify(&check), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(BodyCheckTest, AWithdrawnBodyStillPublishedIsCounted) {
  Published log;
  log.Add(Body("RESULT", "result/R1"));
  log.Add(Withdrawal(0, "result/R1"));
  BodyCheck check(log.Reader());
  ASSERT_OK(log.Verify(&check));
  EXPECT_EQ(check.still_published(), std::vector<uint64_t>{0});
}

TEST(BodyCheckTest, ALeafOfTheOldFormatIsDataLoss) {
  BodyCheck check([](uint64_t) -> absl::StatusOr<BodyCheck::Body> { return absl::NotFoundError(""); });
  absl::Status s = check.Check(0, Body("RESULT", "result/R1"));
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kDataLoss, HasSubstr("format 1")));
}

}  // namespace
}  // namespace regulation::disclosure
