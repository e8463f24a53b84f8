#include "tools/regctl/import/ledger.h"

#include <cstdio>
#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::regctl {
namespace {

using ::regulation::testing::StatusIs;

std::string Contents(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), file)) > 0;) text.append(buffer, n);
  return text;
}

v1::ItemError Item(int index, int code, std::string message) {
  v1::ItemError error;
  error.set_index(index);
  error.set_code(code);
  error.set_message(std::move(message));
  return error;
}

class ImportLedgerTest : public ::testing::Test {
 protected:
  ImportLedgerTest()
      : diagnostics_(std::tmpfile()),
        progress_(diagnostics_, "in.jsonl", 1000, 0, absl::Now(), absl::Hours(1)) {
    options_.file = "in.jsonl";
    options_.kind = "events";
    options_.fingerprint.size = 1000;
    options_.fingerprint.head_sha256 = std::string(64, 'b');
    options_.checkpoint_path = temp_.Path("in.jsonl.import-state");
    options_.checkpoint_interval = absl::ZeroDuration();
  }
  ~ImportLedgerTest() override { std::fclose(diagnostics_); }

  ::regulation::testing::TempDir temp_;  // removed after each test
  std::FILE* diagnostics_;
  ProgressLine progress_;
  LedgerOptions options_;
};

TEST_F(ImportLedgerTest, ReportsParseAndItemErrorsInLineOrder) {
  ImportLedger ledger(options_, ImportCheckpoint(), &progress_);
  ImportChunk chunk;
  chunk.batch_number = 1;
  chunk.item_lines = {1, 2, 4, 6};
  chunk.parse_errors = {{3, "not a regulation.v1.Event in JSON: x"}, {7, "not valid UTF-8"}};
  chunk.end_offset = 300;
  chunk.end_line = 7;
  ChunkOutcome outcome;
  outcome.accepted = 2;
  outcome.duplicates = 1;
  outcome.errors = {Item(3, 3, "events[3].occur_time: is required"),
                    Item(1, 6, "events[1].event_id: already used for a different event")};
  ASSERT_OK(ledger.Complete(chunk, outcome));
  EXPECT_EQ(Contents(diagnostics_),
            "in.jsonl:2: event_id: already used for a different event (ALREADY_EXISTS)\n"
            "in.jsonl:3: not a regulation.v1.Event in JSON: x\n"
            "in.jsonl:6: occur_time: is required\n"
            "in.jsonl:7: not valid UTF-8\n");
  const ImportCheckpoint now = ledger.current();
  EXPECT_EQ(now.offset, 300);
  EXPECT_EQ(now.line, 7);
  EXPECT_EQ(now.accepted, 2);
  EXPECT_EQ(now.duplicates, 1);
  EXPECT_EQ(now.rejected, 4);
  EXPECT_EQ(ledger.Snapshot().rows, 6);
  EXPECT_EQ(ledger.Snapshot().rejected, 4);
}

TEST_F(ImportLedgerTest, KeepsAPrefixThatNamesAnotherItem) {
  ImportLedger ledger(options_, ImportCheckpoint(), &progress_);
  ImportChunk chunk;
  chunk.batch_number = 1;
  chunk.item_lines = {10};
  ChunkOutcome outcome;
  outcome.errors = {Item(0, 3, "enterprises[4].name: odd"), Item(0, 0, "")};
  EXPECT_FALSE(ledger.Complete(chunk, outcome).ok());  // index 0 twice
  outcome.errors = {Item(0, 3, "enterprises[4].name: odd")};
  ASSERT_OK(ledger.Complete(chunk, outcome));
  EXPECT_EQ(Contents(diagnostics_), "in.jsonl:10: enterprises[4].name: odd\n");
}

TEST_F(ImportLedgerTest, RefusesAnswersThatDoNotFitTheBatch) {
  ImportLedger ledger(options_, ImportCheckpoint(), &progress_);
  ImportChunk chunk;
  chunk.batch_number = 5;
  chunk.item_lines = {1, 2, 3};
  ChunkOutcome outcome;
  outcome.accepted = 3;
  outcome.errors = {Item(3, 3, "out of range")};
  absl::Status status = ledger.Complete(chunk, outcome);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ(status.message(), "the server's answer to batch 5 reports item 3 of 3");
  outcome.errors.clear();
  outcome.accepted = 2;
  status = ledger.Complete(chunk, outcome);
  EXPECT_EQ(status.message(),
            "the server's answer to batch 5 accounts for 2 accepted and 0 rejected of 3 items");
  EXPECT_EQ(ledger.current().offset, 0);  // nothing recorded
}

TEST_F(ImportLedgerTest, ReachesTheErrorLimitAfterMoreThanMaxErrors) {
  options_.max_errors = 2;
  ImportLedger ledger(options_, ImportCheckpoint(), &progress_);
  ImportChunk chunk;
  chunk.parse_errors = {{1, "bad"}, {2, "bad"}};
  ASSERT_OK(ledger.Complete(chunk, ChunkOutcome()));
  EXPECT_FALSE(ledger.error_limit_reached());
  chunk.parse_errors = {{3, "bad"}};
  ASSERT_OK(ledger.Complete(chunk, ChunkOutcome()));
  EXPECT_TRUE(ledger.error_limit_reached());
}

TEST_F(ImportLedgerTest, SavesTheCheckpointAsTheFrontierMoves) {
  ImportCheckpoint start;
  start.offset = 100;
  start.line = 9;
  start.accepted = 9;
  ImportLedger ledger(options_, start, &progress_);
  ASSERT_OK(ledger.SaveCheckpoint());  // nothing moved: nothing written
  EXPECT_THAT(ReadCheckpoint(options_.checkpoint_path), StatusIs(absl::StatusCode::kNotFound));
  ImportChunk chunk;
  chunk.batch_number = 1;
  chunk.item_lines = {10, 11};
  chunk.end_offset = 150;
  chunk.end_line = 11;
  ChunkOutcome outcome;
  outcome.accepted = 2;
  ASSERT_OK(ledger.Complete(chunk, outcome));
  const absl::StatusOr<ImportCheckpoint> saved = ReadCheckpoint(options_.checkpoint_path);
  ASSERT_OK(saved);
  EXPECT_EQ(saved->kind, "events");
  EXPECT_EQ(saved->file, options_.fingerprint);
  EXPECT_EQ(saved->offset, 150);
  EXPECT_EQ(saved->line, 11);
  EXPECT_EQ(saved->accepted, 11);
  ASSERT_OK(ledger.RemoveCheckpoint());
  EXPECT_THAT(ReadCheckpoint(options_.checkpoint_path), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(ImportLedgerTest, WarnsOnceWhenTheCheckpointCannotBeSaved) {
  options_.checkpoint_path = "/nonexistent-dir/in.jsonl.import-state";
  ImportLedger ledger(options_, ImportCheckpoint(), &progress_);
  ImportChunk chunk;
  for (int line = 1; line <= 3; ++line) {
    chunk.end_offset = line * 10;
    chunk.end_line = line;
    ASSERT_OK(ledger.Complete(chunk, ChunkOutcome()));
  }
  EXPECT_FALSE(ledger.SaveCheckpoint().ok());
  const std::string text = Contents(diagnostics_);
  EXPECT_EQ(text.find("warning: cannot save the checkpoint"),
            text.rfind("warning: cannot save the checkpoint"));
  EXPECT_NE(text.find("warning: cannot save the checkpoint"), std::string::npos);
}

}  // namespace
}  // namespace regulation::regctl
