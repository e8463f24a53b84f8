#include "scoring/xgboost_status.h"

#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "xgboost/c_api.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;

TEST(XgbCheck, ZeroIsOk) { EXPECT_OK(XgbCheck(0, "anything")); }

TEST(XgbCheck, FailureCarriesXgboostsFirstLineAsInternal) {
  BoosterHandle booster = nullptr;
  ASSERT_EQ(XGBoosterCreate(nullptr, 0, &booster), 0);
  const int rc = XGBoosterLoadModelFromBuffer(booster, "{garbage", 8);
  const absl::Status status = XgbCheck(rc, "loading the model");
  XGBoosterFree(booster);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ(status.message().rfind("loading the model: ", 0), 0u) << status;
  EXPECT_EQ(status.message().find('\n'), absl::string_view::npos) << status;
  EXPECT_EQ(status.message().find("Stack trace"), absl::string_view::npos) << status;
}

TEST(XgbCheck, CallerChoosesTheCodeWhenTheInputIsAtFault) {
  BoosterHandle booster = nullptr;
  ASSERT_EQ(XGBoosterCreate(nullptr, 0, &booster), 0);
  const int rc = XGBoosterLoadModelFromBuffer(booster, "{garbage", 8);
  const absl::Status status = XgbCheck(rc, "model", absl::StatusCode::kInvalidArgument);
  XGBoosterFree(booster);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CleanXgbMessage, DropsTimestampAndStackTrace) {
  EXPECT_EQ(CleanXgbMessage("[21:52:19] ./src/json.cc:407: Expecting: \"L\"\nStack trace:\n  x"),
            "./src/json.cc:407: Expecting: \"L\"");
  EXPECT_EQ(CleanXgbMessage("plain"), "plain");
  EXPECT_EQ(CleanXgbMessage(""), "unknown XGBoost error");
}

}  // namespace
}  // namespace regulation::scoring
