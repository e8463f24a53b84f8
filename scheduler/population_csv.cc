#include "scheduler/population_csv.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/files.h"
#include "scheduler/risk_class.h"

namespace regulation::scheduler {
namespace {

// Parses line by line; the caller feeds complete lines (without their LF).
class PopulationCsvParser {
 public:
  absl::Status Line(absl::string_view line) {
    ++line_number_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_number_ == 1) {
      if (line == "credit_code,class") {
        columns_ = 2;
      } else if (line == "credit_code,class,region_code") {
        columns_ = 3;
      } else {
        return Error(absl::StrFormat(
            "the header must be \"credit_code,class\" or \"credit_code,class,region_code\", "
            "got \"%s\"",
            line));
      }
      return absl::OkStatus();
    }
    if (line.empty()) return Error("blank line");
    std::vector<absl::string_view> fields = absl::StrSplit(line, ',');
    if (static_cast<int>(fields.size()) != columns_) {
      return Error(absl::StrFormat("%d fields, the header has %d", fields.size(), columns_));
    }
    const int risk_class = ParseRiskClassLetter(fields[1]);
    if (risk_class == 0) {
      return Error(absl::StrFormat("class must be A, B, C or D, got \"%s\"", fields[1]));
    }
    absl::Status status =
        population_.Add(fields[0], risk_class, columns_ == 3 ? fields[2] : absl::string_view());
    if (!status.ok()) {
      // Strip FrozenPopulation's "population row N: " prefix: the line number says it.
      absl::string_view message = status.message();
      const size_t colon = message.find(": ");
      if (colon != absl::string_view::npos) message.remove_prefix(colon + 2);
      return Error(message);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<FrozenPopulation> Finish() {
    if (line_number_ == 0) return Error("empty file (a header line is required)");
    absl::Status status = population_.Freeze();
    if (!status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("population file: ", status.message()));
    }
    return std::move(population_);
  }

 private:
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrFormat("population file line %d: %s", line_number_, what));
  }

  int64_t line_number_ = 0;
  int columns_ = 0;
  FrozenPopulation population_;
};

}  // namespace

absl::StatusOr<FrozenPopulation> ParsePopulationCsv(absl::string_view text) {
  PopulationCsvParser parser;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const absl::string_view line = text.substr(0, end);
    absl::Status status = parser.Line(line);
    if (!status.ok()) return status;
    if (end == absl::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return parser.Finish();
}

absl::StatusOr<FrozenPopulation> ReadPopulationCsvFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return FileErrorStatus(errno, "cannot open", path);
  PopulationCsvParser parser;
  std::string pending;
  std::vector<char> buffer(1 << 20);
  absl::Status status;
  while (status.ok()) {
    const size_t n = std::fread(buffer.data(), 1, buffer.size(), file);
    if (n == 0) break;
    absl::string_view chunk(buffer.data(), n);
    while (status.ok()) {
      const size_t end = chunk.find('\n');
      if (end == absl::string_view::npos) {
        pending.append(chunk.data(), chunk.size());
        break;
      }
      if (pending.empty()) {
        status = parser.Line(chunk.substr(0, end));
      } else {
        pending.append(chunk.data(), end);
        status = parser.Line(pending);
        pending.clear();
      }
      chunk.remove_prefix(end + 1);
    }
  }
  const bool read_error = std::ferror(file) != 0;
  std::fclose(file);
  if (!status.ok()) return status;
  if (read_error) return absl::DataLossError(absl::StrFormat("%s: read error", path));
  if (!pending.empty()) {
    status = parser.Line(pending);
    if (!status.ok()) return status;
  }
  return parser.Finish();
}

std::string WritePopulationCsv(const FrozenPopulation& population) {
  std::string out = "credit_code,class,region_code\n";
  out.reserve(out.size() + population.size() * 28);
  for (size_t i = 0; i < population.size(); ++i) {
    const absl::string_view code = population.credit_code(i);
    const absl::string_view region = population.region_code(i);
    out.append(code.data(), code.size());
    out.push_back(',');
    out.push_back(RiskClassLetter(population.risk_class(i)));
    out.push_back(',');
    out.append(region.data(), region.size());
    out.push_back('\n');
  }
  return out;
}

}  // namespace regulation::scheduler
