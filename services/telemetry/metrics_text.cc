#include "services/telemetry/metrics_text.h"

#include <cmath>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace regulation::telemetry {
namespace {

bool IsNameChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':'; }

absl::Status Malformed(int line_number, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("metrics line ", line_number, ": ", why));
}

std::optional<double> ParseValue(absl::string_view text) {
  if (text == "NaN" || text == "Nan") return std::numeric_limits<double>::quiet_NaN();
  if (text == "+Inf" || text == "Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  double value = 0;
  if (!absl::SimpleAtod(text, &value)) return std::nullopt;
  return value;
}

// Parses `{a="x",b="y"}` at the start of `*rest`, consuming it.
absl::Status ParseLabels(int line_number, absl::string_view* rest,
                         std::map<std::string, std::string>* labels) {
  rest->remove_prefix(1);  // '{'
  while (true) {
    *rest = absl::StripLeadingAsciiWhitespace(*rest);
    if (rest->empty()) return Malformed(line_number, "unterminated labels");
    if (rest->front() == '}') {
      rest->remove_prefix(1);
      return absl::OkStatus();
    }
    size_t n = 0;
    while (n < rest->size() && IsNameChar((*rest)[n])) ++n;
    if (n == 0) return Malformed(line_number, "a label has no name");
    std::string name(rest->substr(0, n));
    rest->remove_prefix(n);
    if (!absl::ConsumePrefix(rest, "=\"")) return Malformed(line_number, "label without =\"");
    std::string value;
    while (true) {
      if (rest->empty()) return Malformed(line_number, "unterminated label value");
      const char c = rest->front();
      rest->remove_prefix(1);
      if (c == '"') break;
      if (c == '\\' && !rest->empty()) {
        const char e = rest->front();
        rest->remove_prefix(1);
        value += e == 'n' ? '\n' : e;
        continue;
      }
      value += c;
    }
    (*labels)[std::move(name)] = std::move(value);
    absl::ConsumePrefix(rest, ",");
  }
}

}  // namespace

absl::StatusOr<std::vector<MetricSample>> ParseMetricsText(absl::string_view text) {
  std::vector<MetricSample> samples;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    MetricSample sample;
    size_t n = 0;
    while (n < line.size() && IsNameChar(line[n])) ++n;
    if (n == 0) return Malformed(line_number, "no metric name");
    sample.name = std::string(line.substr(0, n));
    absl::string_view rest = line.substr(n);
    if (!rest.empty() && rest.front() == '{') {
      if (absl::Status s = ParseLabels(line_number, &rest, &sample.labels); !s.ok()) return s;
    }
    std::vector<absl::string_view> fields =
        absl::StrSplit(absl::StripAsciiWhitespace(rest), ' ', absl::SkipEmpty());
    if (fields.empty() || fields.size() > 2) return Malformed(line_number, "expected a value");
    std::optional<double> value = ParseValue(fields[0]);
    if (!value.has_value()) return Malformed(line_number, "the value is not a number");
    sample.value = *value;
    samples.push_back(std::move(sample));
  }
  return samples;
}

std::optional<double> SumOf(const std::vector<MetricSample>& samples, absl::string_view name,
                            const std::map<std::string, std::string>& labels) {
  std::optional<double> sum;
  for (const MetricSample& s : samples) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [key, value] : labels) {
      auto it = s.labels.find(key);
      if (it == s.labels.end() || it->second != value) {
        match = false;
        break;
      }
    }
    if (match) sum = sum.value_or(0) + s.value;
  }
  return sum;
}

}  // namespace regulation::telemetry
