#include "tools/regctl/import/checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::regctl {
namespace {

using ::regulation::testing::StatusIs;

std::string TempPath(absl::string_view name) {
  static const ::regulation::testing::TempDir dir("checkpoint_test");
  return dir.Path(name);
}

void WriteFile(const std::string& path, const std::string& content) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  std::fwrite(content.data(), 1, content.size(), file);
  std::fclose(file);
}

ImportCheckpoint Sample() {
  ImportCheckpoint c;
  c.kind = "events";
  c.file.size = 1000;
  c.file.mtime_ns = 1714521600123456789;
  c.file.head_sha256 = std::string(64, 'a');
  c.offset = 500;
  c.line = 42;
  c.accepted = 40;
  c.rejected = 2;
  c.changed = 0;
  c.duplicates = 7;
  return c;
}

TEST(ImportCheckpoint, RoundTripsThroughText) {
  const ImportCheckpoint c = Sample();
  const absl::StatusOr<ImportCheckpoint> parsed = ParseCheckpoint(FormatCheckpoint(c));
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->kind, "events");
  EXPECT_EQ(parsed->file, c.file);
  EXPECT_EQ(parsed->offset, 500);
  EXPECT_EQ(parsed->line, 42);
  EXPECT_EQ(parsed->accepted, 40);
  EXPECT_EQ(parsed->rejected, 2);
  EXPECT_EQ(parsed->duplicates, 7);
}

TEST(ImportCheckpoint, RejectsIncompleteText) {
  EXPECT_FALSE(ParseCheckpoint("").ok());
  EXPECT_FALSE(ParseCheckpoint("version=2\n").ok());
  std::string text = FormatCheckpoint(Sample());
  text.resize(text.find("offset="));
  EXPECT_FALSE(ParseCheckpoint(text).ok());
  ImportCheckpoint past_end = Sample();
  past_end.offset = 2000;
  EXPECT_FALSE(ParseCheckpoint(FormatCheckpoint(past_end)).ok());
}

TEST(ImportCheckpoint, WritesAtomicallyReadsAndRemoves) {
  const std::string path = TempPath("data.jsonl.import-state");
  EXPECT_THAT(ReadCheckpoint(path), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK(WriteCheckpoint(path, Sample()));
  ImportCheckpoint later = Sample();
  later.offset = 900;
  ASSERT_OK(WriteCheckpoint(path, later));
  EXPECT_EQ(access((path + ".tmp").c_str(), F_OK), -1);  // renamed away
  const absl::StatusOr<ImportCheckpoint> read = ReadCheckpoint(path);
  ASSERT_OK(read);
  EXPECT_EQ(read->offset, 900);
  ASSERT_OK(RemoveCheckpoint(path));
  EXPECT_THAT(ReadCheckpoint(path), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_OK(RemoveCheckpoint(path));
}

TEST(ImportCheckpoint, ReportsAGarbledFile) {
  const std::string path = TempPath("garbled.import-state");
  WriteFile(path, "this is not a checkpoint");
  EXPECT_THAT(ReadCheckpoint(path), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ImportCheckpoint, WriteFailsInAMissingDirectory) {
  EXPECT_FALSE(WriteCheckpoint(TempPath("no/such/dir/x.import-state"), Sample()).ok());
}

TEST(FileFingerprint, ChangesWithContentSizeAndTime) {
  const std::string path = TempPath("fingerprinted.csv");
  WriteFile(path, "a,b\n1,2\n");
  const FileFingerprint first = *FingerprintFile(path);
  EXPECT_EQ(first.size, 8);
  EXPECT_EQ(first.head_sha256.size(), 64u);
  EXPECT_EQ(*FingerprintFile(path), first);

  // Same size, different bytes, same mtime: the hash tells them apart.
  WriteFile(path, "a,b\n1,3\n");
  struct timespec times[2];
  times[0].tv_sec = times[1].tv_sec = first.mtime_ns / 1000000000;
  times[0].tv_nsec = times[1].tv_nsec = first.mtime_ns % 1000000000;
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  const FileFingerprint edited = *FingerprintFile(path);
  EXPECT_EQ(edited.size, first.size);
  EXPECT_EQ(edited.mtime_ns, first.mtime_ns);
  EXPECT_NE(edited, first);

  // Only the first 64 KiB are hashed; a change beyond them shows in size or time.
  std::string big(kFingerprintHeadBytes + 10, 'x');
  WriteFile(path, big);
  const FileFingerprint big_first = *FingerprintFile(path);
  big.back() = 'y';
  WriteFile(path, big);
  times[0].tv_sec = times[1].tv_sec = big_first.mtime_ns / 1000000000 + 5;
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  const FileFingerprint big_edited = *FingerprintFile(path);
  EXPECT_EQ(big_edited.head_sha256, big_first.head_sha256);
  EXPECT_NE(big_edited, big_first);

  EXPECT_THAT(FingerprintFile(TempPath("missing")), StatusIs(absl::StatusCode::kNotFound));
}

TEST(ImportCheckpoint, LivesNextToTheInput) {
  EXPECT_EQ(CheckpointPath("/data/events.jsonl"), "/data/events.jsonl.import-state");
}

}  // namespace
}  // namespace regulation::regctl
