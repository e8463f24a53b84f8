#include "tools/synth/run_merge.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <queue>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace regulation::synth {
namespace {

constexpr size_t kReadBufferBytes = 256 << 10;

// Reads one run a line at a time.
class RunReader {
 public:
  ~RunReader() {
    if (file_ != nullptr) std::fclose(file_);
    std::free(line_);
  }

  absl::Status Open(const std::string& path) {
    path_ = path;
    file_ = std::fopen(path.c_str(), "rb");
    if (file_ == nullptr) return absl::ErrnoToStatus(errno, absl::StrCat("cannot read ", path));
    std::setvbuf(file_, nullptr, _IOFBF, kReadBufferBytes);
    return Advance();
  }

  // Moves to the next line; done() once there is none.
  absl::Status Advance() {
    errno = 0;
    ssize_t n = getline(&line_, &capacity_, file_);
    if (n < 0) {
      if (std::ferror(file_))
        return absl::ErrnoToStatus(errno, absl::StrCat("cannot read ", path_));
      done_ = true;
      return absl::OkStatus();
    }
    if (n > 0 && line_[n - 1] == '\n') --n;
    current_ = absl::string_view(line_, static_cast<size_t>(n));
    const size_t tab = current_.find('\t');
    key_ = tab == absl::string_view::npos ? current_ : current_.substr(0, tab);
    return absl::OkStatus();
  }

  bool done() const { return done_; }
  absl::string_view line() const { return current_; }
  absl::string_view key() const { return key_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  char* line_ = nullptr;
  size_t capacity_ = 0;
  bool done_ = false;
  absl::string_view current_;
  absl::string_view key_;
};

absl::Status MergeDirect(const std::vector<std::string>& runs, bool strip_keys,
                         const LineSink& sink) {
  std::vector<std::unique_ptr<RunReader>> readers;
  readers.reserve(runs.size());
  for (const std::string& path : runs) {
    readers.push_back(std::make_unique<RunReader>());
    absl::Status status = readers.back()->Open(path);
    if (!status.ok()) return status;
  }
  // Min-heap of run indices by (key, run index).
  auto later = [&readers](size_t a, size_t b) {
    const int c = readers[a]->key().compare(readers[b]->key());
    return c != 0 ? c > 0 : a > b;
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> heap(later);
  for (size_t i = 0; i < readers.size(); ++i) {
    if (!readers[i]->done()) heap.push(i);
  }
  while (!heap.empty()) {
    const size_t i = heap.top();
    heap.pop();
    RunReader& r = *readers[i];
    absl::string_view line = r.line();
    if (strip_keys) {
      const size_t tab = line.find('\t');
      if (tab == absl::string_view::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("run ", runs[i], ": a line without a key: ", line.substr(0, 80)));
      }
      line.remove_prefix(tab + 1);
    }
    absl::Status status = sink(line);
    if (!status.ok()) return status;
    status = r.Advance();
    if (!status.ok()) return status;
    if (!r.done()) heap.push(i);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status MergeRuns(const std::vector<std::string>& runs, const std::string& temp_dir,
                       int fan_in, bool strip_keys, const LineSink& sink) {
  if (fan_in < 2) return absl::InvalidArgumentError("fan_in must be at least 2");
  std::vector<std::string> current = runs;
  bool intermediate = false;
  int pass = 0;
  while (current.size() > static_cast<size_t>(fan_in)) {
    std::vector<std::string> next;
    for (size_t begin = 0; begin < current.size(); begin += fan_in) {
      const size_t end = std::min(current.size(), begin + fan_in);
      const std::vector<std::string> group(current.begin() + begin, current.begin() + end);
      const std::string path = absl::StrFormat("%s/merge-%d-%06d.run", temp_dir, pass, next.size());
      std::FILE* out = std::fopen(path.c_str(), "wb");
      if (out == nullptr) return absl::ErrnoToStatus(errno, absl::StrCat("cannot create ", path));
      std::setvbuf(out, nullptr, _IOFBF, kReadBufferBytes);
      absl::Status status = MergeDirect(group, /*strip_keys=*/false, [&](absl::string_view line) {
        if (std::fwrite(line.data(), 1, line.size(), out) != line.size() ||
            std::fputc('\n', out) == EOF) {
          return absl::ErrnoToStatus(errno, absl::StrCat("cannot write ", path));
        }
        return absl::OkStatus();
      });
      if (std::fclose(out) != 0 && status.ok()) {
        status = absl::ErrnoToStatus(errno, absl::StrCat("cannot close ", path));
      }
      if (!status.ok()) return status;
      if (intermediate) {
        for (const std::string& merged : group) std::remove(merged.c_str());
      }
      next.push_back(path);
    }
    current = std::move(next);
    intermediate = true;
    ++pass;
  }
  absl::Status status = MergeDirect(current, strip_keys, sink);
  if (intermediate) {
    for (const std::string& merged : current) std::remove(merged.c_str());
  }
  return status;
}

}  // namespace regulation::synth
