#ifndef TOOLS_REGCTL_OUTPUT_H_
#define TOOLS_REGCTL_OUTPUT_H_

// How regctl prints results: protobuf's canonical JSON mapping, or an aligned text
// table that accounts for the double width of Chinese characters.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace regulation::regctl {

enum class OutputFormat { kTable, kJson };

// "table" or "json"; INVALID_ARGUMENT otherwise.
absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view name);

// The canonical JSON mapping of `message`, indented, with a trailing newline.
std::string ToJson(const google::protobuf::Message& message);

// Columns of terminal cells `text` occupies (East Asian wide characters count 2).
int DisplayWidth(absl::string_view text);

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  // REQUIRES: as many cells as headers.
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  // Headers and rows, columns separated by two spaces, each line ending in '\n'.
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Prints `message` to `out` as JSON, or `table` rendered: a command's listing in the
// format the caller asked for.
void PrintJsonOrTable(std::FILE* out, OutputFormat format,
                      const google::protobuf::Message& message, const Table& table);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_OUTPUT_H_
