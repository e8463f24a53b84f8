#include "tools/synth/csv.h"

#include "absl/strings/str_replace.h"

namespace regulation::synth {

std::string CsvField(absl::string_view field) {
  if (field.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(field);
  return "\"" + absl::StrReplaceAll(field, {{"\"", "\"\""}}) + "\"";
}

std::string CsvRow(std::initializer_list<absl::string_view> fields) {
  std::string row;
  bool first = true;
  for (absl::string_view f : fields) {
    if (!first) row.push_back(',');
    first = false;
    row += CsvField(f);
  }
  row.push_back('\n');
  return row;
}

}  // namespace regulation::synth
