#include "storage/rocksdb_status.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::storage {
namespace {

using ::regulation::testing::StatusIs;

TEST(FromRocksDbStatusTest, OkStaysOk) {
  EXPECT_OK(FromRocksDbStatus(rocksdb::Status::OK(), "ctx"));
}

TEST(FromRocksDbStatusTest, MapsCodes) {
  struct Case {
    rocksdb::Status in;
    absl::StatusCode want;
  };
  const Case cases[] = {
      {rocksdb::Status::NotFound("x"), absl::StatusCode::kNotFound},
      {rocksdb::Status::Corruption("x"), absl::StatusCode::kDataLoss},
      {rocksdb::Status::Busy("x"), absl::StatusCode::kUnavailable},
      {rocksdb::Status::TryAgain("x"), absl::StatusCode::kUnavailable},
      {rocksdb::Status::TimedOut("x"), absl::StatusCode::kUnavailable},
      {rocksdb::Status::ShutdownInProgress("x"), absl::StatusCode::kUnavailable},
      {rocksdb::Status::InvalidArgument("x"), absl::StatusCode::kInvalidArgument},
      {rocksdb::Status::IOError("x"), absl::StatusCode::kInternal},
      {rocksdb::Status::NoSpace("x"), absl::StatusCode::kInternal},
      {rocksdb::Status::NotSupported("x"), absl::StatusCode::kInternal},
      {rocksdb::Status::Aborted("x"), absl::StatusCode::kInternal},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(FromRocksDbStatus(c.in, "ctx"), StatusIs(c.want)) << c.in.ToString();
  }
}

TEST(FromRocksDbStatusTest, MessageHasContextAndRocksDbMessage) {
  const absl::Status status =
      FromRocksDbStatus(rocksdb::Status::Corruption("bad block"), "get from enterprises");
  EXPECT_TRUE(absl::StartsWith(status.message(), "get from enterprises: ")) << status.message();
  EXPECT_TRUE(absl::StrContains(status.message(), "bad block")) << status.message();
}

}  // namespace
}  // namespace regulation::storage
