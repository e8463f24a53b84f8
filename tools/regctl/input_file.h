#ifndef TOOLS_REGCTL_INPUT_FILE_H_
#define TOOLS_REGCTL_INPUT_FILE_H_

// The check every command makes before reading a file named by a flag: std::ifstream opens
// a directory without complaint and then reads nothing, which would pass as an empty file.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace regulation::regctl {

// OK when `path` is a regular file this process can open for reading; otherwise
// INVALID_ARGUMENT "<flag>: <path> ..." saying why (missing, a directory, unreadable).
absl::Status CheckInputFile(absl::string_view flag, const std::string& path);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_INPUT_FILE_H_
