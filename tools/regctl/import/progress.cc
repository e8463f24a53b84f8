#include "tools/regctl/import/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace regulation::regctl {
namespace {

std::string FormatSeconds(int64_t seconds) {
  return absl::StrFormat("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
}

}  // namespace

ProgressLine::ProgressLine(std::FILE* stream, std::string label, int64_t total_bytes,
                           int64_t start_bytes, absl::Time start, absl::Duration interval)
    : stream_(stream),
      terminal_(IsTerminal(stream)),
      label_(std::move(label)),
      total_bytes_(total_bytes),
      start_bytes_(start_bytes),
      start_(start),
      interval_(interval > absl::ZeroDuration()
                    ? interval
                    : (terminal_ ? absl::Seconds(1) : absl::Seconds(10))),
      last_draw_(start) {}

bool ProgressLine::IsTerminal(std::FILE* stream) { return isatty(fileno(stream)) == 1; }

std::string ProgressLine::Format(const ProgressSnapshot& s, absl::Time now) const {
  const double seconds = std::max(absl::ToDoubleSeconds(now - start_), 1e-3);
  std::string text = absl::StrCat(label_, ": ", s.rows, " rows, ",
                                  static_cast<int64_t>(std::llround(s.rows / seconds)), " rows/s");
  if (total_bytes_ > 0) {
    const int64_t read = std::clamp<int64_t>(s.bytes_read, 0, total_bytes_);
    absl::StrAppend(&text, ", ", read * 100 / total_bytes_, "%");
    const int64_t read_now = read - start_bytes_;
    if (read_now > 0) {
      const double eta = seconds * static_cast<double>(total_bytes_ - read) / read_now;
      absl::StrAppend(&text, ", ETA ", FormatSeconds(static_cast<int64_t>(std::ceil(eta))));
    }
  }
  absl::StrAppend(&text, ", ", s.rejected, " rejected");
  return text;
}

void ProgressLine::Update(const ProgressSnapshot& snapshot, absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (now - last_draw_ < interval_) return;
  last_draw_ = now;
  const std::string text = Format(snapshot, now);
  if (terminal_) {
    std::fprintf(stream_, "\r%s\x1b[K", text.c_str());
    drawn_ = true;
  } else {
    std::fprintf(stream_, "%s\n", text.c_str());
  }
  std::fflush(stream_);
}

void ProgressLine::Print(absl::string_view line) {
  absl::MutexLock lock(&mu_);
  ClearLocked();
  std::fprintf(stream_, "%.*s\n", static_cast<int>(line.size()), line.data());
  std::fflush(stream_);
}

void ProgressLine::Finish() {
  absl::MutexLock lock(&mu_);
  ClearLocked();
  std::fflush(stream_);
}

void ProgressLine::ClearLocked() {
  if (!drawn_) return;
  std::fputs("\r\x1b[K", stream_);
  drawn_ = false;
}

}  // namespace regulation::regctl
