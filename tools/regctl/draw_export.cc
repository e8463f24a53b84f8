#include "tools/regctl/draw_export.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/files.h"

namespace regulation::regctl {
namespace {

constexpr int kInternalMode = 0600;

std::string JoinPath(absl::string_view dir, absl::string_view name) {
  if (dir.empty()) return std::string(name);
  if (dir.back() == '/') return absl::StrCat(dir, name);
  return absl::StrCat(dir, "/", name);
}

bool IsShellSafe(absl::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
           absl::string_view("/._-+,:@%").find(c) != absl::string_view::npos;
  });
}

std::string ShellQuote(absl::string_view word) {
  if (IsShellSafe(word)) return std::string(word);
  return absl::StrCat("'", absl::StrReplaceAll(word, {{"'", "'\\''"}}), "'");
}

}  // namespace

absl::Status WriteFileAtomic(const std::string& path, absl::string_view data, int mode) {
  if (const size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0) {
    if (absl::Status made = MakeDirectories(path.substr(0, slash)); !made.ok()) {
      return made;
    }
  }
  AtomicWriteOptions options;
  options.mode = static_cast<mode_t>(mode);
  return WriteFileAtomically(path, data, options);
}

std::string BundlePath(absl::string_view dir, int round) {
  return JoinPath(dir, absl::StrCat("bundle-", round, ".json"));
}

absl::StatusOr<std::vector<std::string>> WriteDrawExport(const std::string& dir,
                                                         const DrawExportFiles& files) {
  if (absl::Status made = MakeDirectories(dir); !made.ok()) return made;
  std::vector<std::string> written;
  auto write = [&](const std::string& path, absl::string_view data, int mode) -> absl::Status {
    absl::Status status = WriteFileAtomic(path, data, mode);
    if (status.ok()) written.push_back(path);
    return status;
  };
  if (absl::Status s = write(JoinPath(dir, "roster.json"), files.roster_json, kInternalMode);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = write(JoinPath(dir, "population.csv"), files.population_csv, kInternalMode);
      !s.ok()) {
    return s;
  }
  for (size_t round = 0; round < files.bundles.size(); ++round) {
    if (absl::Status s =
            write(BundlePath(dir, static_cast<int>(round)), files.bundles[round], 0644);
        !s.ok()) {
      return s;
    }
  }
  return written;
}

std::string VerifyDrawCommandLine(absl::string_view dir, int round) {
  return absl::StrCat("regctl verify-draw ", ShellQuote(BundlePath(dir, round)),
                      " --population=", ShellQuote(JoinPath(dir, "population.csv")),
                      " --roster=", ShellQuote(JoinPath(dir, "roster.json")));
}

int PopulationRows(absl::string_view population_csv) {
  const int lines =
      static_cast<int>(std::count(population_csv.begin(), population_csv.end(), '\n')) +
      (!population_csv.empty() && population_csv.back() != '\n' ? 1 : 0);
  return std::max(0, lines - 1);
}

}  // namespace regulation::regctl
