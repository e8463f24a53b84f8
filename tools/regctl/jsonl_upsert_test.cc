#include "tools/regctl/jsonl_upsert.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "regulation/v1/inspection.pb.h"
#include "testing/status_matchers.h"

namespace regulation::regctl {
namespace {

// What a run stored and printed.
struct Outcome {
  absl::StatusOr<JsonLinesResult> result;
  std::vector<std::string> upserted;  // inspector ids, in call order
  std::string errors;
};

// Upserts succeed unless the inspector id names a status code ("UNAVAILABLE", ...).
Outcome UpsertInspectors(const std::string& text) {
  Outcome run;
  std::istringstream in(text);
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* errors = open_memstream(&buffer, &size);
  run.result = UpsertJsonLinesOf<v1::Inspector>(
      in, "roster.jsonl",
      [&](const v1::Inspector& inspector) -> absl::Status {
        run.upserted.push_back(inspector.inspector_id());
        if (inspector.inspector_id() == "UNAVAILABLE") return absl::UnavailableError("gone");
        if (inspector.inspector_id() == "BAD") {
          return absl::InvalidArgumentError("inspector.name: is required");
        }
        return absl::OkStatus();
      },
      errors);
  std::fclose(errors);
  run.errors.assign(buffer, size);
  std::free(buffer);
  return run;
}

TEST(UpsertJsonLines, OneCallPerLineWithLineNumbersInErrors) {
  const Outcome run = UpsertInspectors(
      "\xEF\xBB\xBF{\"inspectorId\": \"HZ-1\", \"status\": \"INSPECTOR_STATUS_ACTIVE\"}\r\n"
      "\n"
      "{\"inspector_id\": \"BAD\"}\n"
      "{not json\n"
      "   \n"
      "{\"inspectorId\": \"HZ-2\", \"qualifications\": [\"食品安全\"]}");
  ASSERT_OK(run.result);
  EXPECT_EQ(run.result->stored, 2);
  EXPECT_EQ(run.result->rejected, 2);
  EXPECT_EQ(run.upserted, (std::vector<std::string>{"HZ-1", "BAD", "HZ-2"}));
  EXPECT_NE(run.errors.find("roster.jsonl:3: INVALID_ARGUMENT: inspector.name: is required\n"),
            std::string::npos)
      << run.errors;
  EXPECT_NE(run.errors.find("roster.jsonl:4: INVALID_ARGUMENT: not a regulation.v1.Inspector "
                            "in canonical JSON: "),
            std::string::npos)
      << run.errors;
}

TEST(UpsertJsonLines, EachRejectionIsOneLine) {
  const Outcome run = UpsertInspectors("{\"inspectorId\": \"HZ-5\", broken\n");
  ASSERT_OK(run.result);
  EXPECT_EQ(run.result->rejected, 1);
  EXPECT_EQ(std::count(run.errors.begin(), run.errors.end(), '\n'), 1) << run.errors;
}

TEST(UpsertJsonLines, UnknownFieldIsRejected) {
  const Outcome run = UpsertInspectors("{\"inspectorId\": \"HZ-1\", \"nmae\": \"typo\"}\n");
  ASSERT_OK(run.result);
  EXPECT_EQ(run.result->rejected, 1);
  EXPECT_TRUE(run.upserted.empty());
}

TEST(UpsertJsonLines, AnUnreachableServerStopsTheRun) {
  const Outcome run = UpsertInspectors(
      "{\"inspectorId\": \"HZ-1\"}\n"
      "{\"inspectorId\": \"UNAVAILABLE\"}\n"
      "{\"inspectorId\": \"HZ-3\"}\n");
  ASSERT_FALSE(run.result.ok());
  EXPECT_TRUE(absl::IsUnavailable(run.result.status()));
  EXPECT_EQ(run.result.status().message(), "roster.jsonl:2: gone (1 lines stored before it)");
  EXPECT_EQ(run.upserted, (std::vector<std::string>{"HZ-1", "UNAVAILABLE"}));
  EXPECT_EQ(run.errors, "");
}

}  // namespace
}  // namespace regulation::regctl
