#include "tools/regctl/import/progress.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace regulation::regctl {
namespace {

std::string Contents(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), file)) > 0;) text.append(buffer, n);
  return text;
}

const absl::Time kStart = absl::FromUnixSeconds(1714521600);

TEST(ProgressLine, FormatsRowsRatePercentEtaAndErrors) {
  std::FILE* file = std::tmpfile();
  ProgressLine progress(file, "events.jsonl", 1000, 0, kStart);
  ProgressSnapshot s;
  s.rows = 2500;
  s.rejected = 3;
  s.bytes_read = 250;
  EXPECT_EQ(progress.Format(s, kStart + absl::Seconds(10)),
            "events.jsonl: 2500 rows, 250 rows/s, 25%, ETA 0:00:30, 3 rejected");
  std::fclose(file);
}

TEST(ProgressLine, EtaCountsOnlyThisRunsBytes) {
  std::FILE* file = std::tmpfile();
  // Resumed at byte 500 of 1000; 100 more bytes in 10 s leaves 400 bytes: 40 s.
  ProgressLine progress(file, "f.csv", 1000, 500, kStart);
  ProgressSnapshot s;
  s.rows = 10;
  s.bytes_read = 600;
  EXPECT_EQ(progress.Format(s, kStart + absl::Seconds(10)),
            "f.csv: 10 rows, 1 rows/s, 60%, ETA 0:00:40, 0 rejected");
  std::fclose(file);
}

TEST(ProgressLine, PrintsPlainLinesAtTheIntervalWhenNotATerminal) {
  std::FILE* file = std::tmpfile();
  ASSERT_FALSE(ProgressLine::IsTerminal(file));
  ProgressLine progress(file, "f", 100, 0, kStart);  // not a terminal: every 10 s
  ProgressSnapshot s;
  for (int second = 1; second <= 25; ++second) {
    s.rows = second;
    s.bytes_read = second * 4;
    progress.Update(s, kStart + absl::Seconds(second));
  }
  progress.Print("f:7: rejected");
  progress.Finish();
  const std::string text = Contents(file);
  EXPECT_EQ(text,
            "f: 10 rows, 1 rows/s, 40%, ETA 0:00:15, 0 rejected\n"
            "f: 20 rows, 1 rows/s, 80%, ETA 0:00:05, 0 rejected\n"
            "f:7: rejected\n");
  EXPECT_FALSE(absl::StrContains(text, "\r"));
  std::fclose(file);
}

TEST(ProgressLine, RedrawsInPlaceOnATerminalAndClearsBeforeMessages) {
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  std::FILE* terminal = std::fopen(ptsname(master), "w");
  ASSERT_NE(terminal, nullptr);
  ASSERT_TRUE(ProgressLine::IsTerminal(terminal));
  {
    ProgressLine progress(terminal, "f", 100, 0, kStart);  // a terminal: every second
    ProgressSnapshot s;
    s.rows = 5;
    s.bytes_read = 50;
    progress.Update(s, kStart + absl::Milliseconds(500));  // too soon
    progress.Update(s, kStart + absl::Seconds(1));
    progress.Print("f:3: rejected");
    progress.Update(s, kStart + absl::Seconds(2));
    progress.Finish();
  }
  std::fclose(terminal);
  std::string seen;
  char buffer[4096];
  while (true) {
    struct pollfd ready = {master, POLLIN, 0};
    if (poll(&ready, 1, 200) <= 0) break;
    const ssize_t n = read(master, buffer, sizeof(buffer));
    if (n <= 0) break;
    seen.append(buffer, static_cast<size_t>(n));
  }
  close(master);
  const std::string line = "f: 5 rows, 5 rows/s, 50%, ETA 0:00:01, 0 rejected";
  // Drawn, erased for the message, drawn again, erased at the end; the terminal turns
  // each newline into CR LF.
  EXPECT_EQ(seen, absl::StrCat("\r", line, "\x1b[K", "\r\x1b[K", "f:3: rejected\r\n", "\r",
                               "f: 5 rows, 3 rows/s, 50%, ETA 0:00:02, 0 rejected", "\x1b[K",
                               "\r\x1b[K"));
}

TEST(ProgressLine, SurvivesAnEmptyFileAndNoTime) {
  std::FILE* file = std::tmpfile();
  ProgressLine progress(file, "empty", 0, 0, kStart, absl::Milliseconds(1));
  progress.Update(ProgressSnapshot(), kStart);
  progress.Update(ProgressSnapshot(), kStart + absl::Seconds(1));
  EXPECT_EQ(Contents(file), "empty: 0 rows, 0 rows/s, 0 rejected\n");
  std::fclose(file);
}

}  // namespace
}  // namespace regulation::regctl
