#ifndef TOOLS_SYNTH_CSV_H_
#define TOOLS_SYNTH_CSV_H_

// CSV rows with RFC 4180 quoting: a field is quoted when it holds a comma, a double
// quote, CR or LF, and double quotes inside it are doubled. Rows end in "\n".
//
// Thread safety: pure functions.

#include <initializer_list>
#include <string>

#include "absl/strings/string_view.h"

namespace regulation::synth {

// `field`, quoted if it needs to be.
std::string CsvField(absl::string_view field);

// The fields, quoted as needed, joined by commas, with a trailing "\n".
std::string CsvRow(std::initializer_list<absl::string_view> fields);

}  // namespace regulation::synth

#endif  // TOOLS_SYNTH_CSV_H_
