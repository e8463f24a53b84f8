#include "scheduler/quota.h"

#include <cmath>

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

TEST(QuotaCount, RatioRoundsHalfUp) {
  const ClassQuota five_percent = ClassQuota::RatioPpm(50000);
  EXPECT_EQ(QuotaCount(five_percent, 10), 1);  // 0.5 -> 1
  EXPECT_EQ(QuotaCount(five_percent, 9), 0);   // 0.45 -> 0
  EXPECT_EQ(QuotaCount(five_percent, 29), 1);  // 1.45 -> 1
  EXPECT_EQ(QuotaCount(five_percent, 30), 2);  // 1.5 -> 2
  EXPECT_EQ(QuotaCount(five_percent, 1000000), 50000);
  EXPECT_EQ(QuotaCount(five_percent, 0), 0);
}

TEST(QuotaCount, RatioIsExactForHugeClasses) {
  EXPECT_EQ(QuotaCount(ClassQuota::RatioPpm(333333), 60200000), 20066647);  // 20066646.6
  EXPECT_EQ(QuotaCount(ClassQuota::RatioPpm(1), 500000), 1);                // 0.5 -> 1
  EXPECT_EQ(QuotaCount(ClassQuota::RatioPpm(1), 499999), 0);
}

TEST(QuotaCount, FullRatioTakesTheWholeClass) {
  EXPECT_EQ(QuotaCount(ClassQuota::RatioPpm(kPpmOne), 17), 17);
  EXPECT_EQ(QuotaCount(ClassQuota::RatioPpm(0), 17), 0);
}

TEST(QuotaCount, CountIsCappedAtTheClassSize) {
  EXPECT_EQ(QuotaCount(ClassQuota::Count(5), 100), 5);
  EXPECT_EQ(QuotaCount(ClassQuota::Count(500), 100), 100);
  EXPECT_EQ(QuotaCount(ClassQuota(), 100), 0);
}

TEST(ValidateQuota, RejectsOutOfRangeValues) {
  EXPECT_OK(ValidateQuota(ClassQuota::RatioPpm(kPpmOne)));
  EXPECT_FALSE(ValidateQuota(ClassQuota::RatioPpm(kPpmOne + 1)).ok());
  EXPECT_FALSE(ValidateQuota(ClassQuota::RatioPpm(-1)).ok());
  EXPECT_FALSE(ValidateQuota(ClassQuota::Count(-1)).ok());
}

TEST(RatioToPpm, RoundsToTheNearestPartPerMillion) {
  EXPECT_EQ(*RatioToPpm(0.05), 50000);
  EXPECT_EQ(*RatioToPpm(0.1), 100000);
  EXPECT_EQ(*RatioToPpm(1.0), kPpmOne);
  EXPECT_FALSE(RatioToPpm(1.5).ok());
  EXPECT_FALSE(RatioToPpm(-0.1).ok());
  EXPECT_FALSE(RatioToPpm(std::nan("")).ok());
}

}  // namespace
}  // namespace regulation::scheduler
