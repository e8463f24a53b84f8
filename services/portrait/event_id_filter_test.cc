#include "services/portrait/event_id_filter.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace regulation::services {
namespace {

// Never a false negative: an added id is always a possible repeat.
TEST(EventIdFilterTest, AddedIdsAreAlwaysPossibleRepeats) {
  EventIdFilter filter(100000, 10);
  for (int i = 0; i < 100000; ++i) filter.Add(absl::StrCat("event-", i));
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(filter.MayContain(absl::StrCat("event-", i))) << i;
}

// At 10 bits per id the false-positive rate is about 1%: the store is read for few new ids.
TEST(EventIdFilterTest, FewNewIdsAreFalsePositivesAtTenBitsPerId) {
  EventIdFilter filter(100000, 10);
  for (int i = 0; i < 100000; ++i) filter.Add(absl::StrCat("event-", i));
  int false_positives = 0;
  for (int i = 0; i < 100000; ++i) false_positives += filter.MayContain(absl::StrCat("new-", i));
  EXPECT_LT(false_positives, 2000);  // 2%
}

TEST(EventIdFilterTest, AnEmptyFilterHasNoPossibleRepeats) {
  EventIdFilter filter(1000, 10);
  EXPECT_FALSE(filter.MayContain("event-1"));
  EXPECT_GE(filter.bits(), 10000);
}

}  // namespace
}  // namespace regulation::services
