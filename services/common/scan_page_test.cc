#include "services/common/scan_page.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/pagination.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

class ScanPageTest : public ::testing::Test {
 protected:
  void Put(const std::string& key, size_t bytes) {
    storage::WriteBatch batch;
    batch.Put(ColumnFamily::kAssignments, key, std::string(bytes, 'x'));
    ASSERT_OK(store_->Write(batch, {}));
  }

  // Every key of every page, page by page.
  std::vector<std::vector<std::string>> AllPages(int page_size) {
    std::vector<std::vector<std::string>> pages;
    PageRequest page{page_size, "", "p/"};
    do {
      std::vector<std::string>& keys = pages.emplace_back();
      absl::StatusOr<std::string> next =
          ScanPage(store_.get(), ColumnFamily::kAssignments, storage::PrefixBounds("p/"), page,
                   [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
                     keys.emplace_back(key);
                     return true;
                   });
      EXPECT_OK(next);
      if (!next.ok()) break;
      page.page_token = *next;
    } while (!page.page_token.empty());
    return pages;
  }

  std::unique_ptr<storage::KvStore> store_ = storage::NewMemoryStore();
};

TEST_F(ScanPageTest, PagesHoldPageSizeRowsAndMissNone) {
  for (int i = 0; i < 25; ++i) Put(absl::StrCat("p/", 100 + i), 10);
  const std::vector<std::vector<std::string>> pages = AllPages(10);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[0].size(), 10u);
  EXPECT_EQ(pages[2].size(), 5u);
  EXPECT_EQ(pages[1].front(), "p/110");
}

// Large rows (an assignment carries its items' texts) cut a page short of page_size, so
// that it stays under gRPC's default 4 MiB; the next page starts where it stopped.
TEST_F(ScanPageTest, ABytesBudgetCutsPagesOfLargeRows) {
  const size_t row = (kMaxPageBytes / 2) + 1;  // two never fit in one page
  for (int i = 0; i < 5; ++i) Put(absl::StrCat("p/", i), row);
  const std::vector<std::vector<std::string>> pages = AllPages(100);
  ASSERT_EQ(pages.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(pages[i].size(), 1u) << i;
    EXPECT_EQ(pages[i][0], absl::StrCat("p/", i));
  }
}

TEST_F(ScanPageTest, ARowLargerThanTheBudgetStillComesAlone) {
  Put("p/a", kMaxPageBytes + 10);
  Put("p/b", 10);
  const std::vector<std::vector<std::string>> pages = AllPages(100);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0], std::vector<std::string>{"p/a"});
  EXPECT_EQ(pages[1], std::vector<std::string>{"p/b"});
}

}  // namespace
}  // namespace regulation::services
