#include "common/region_code.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "absl/strings/str_format.h"
#include "common/quote.h"

namespace regulation {
namespace {

constexpr std::array<absl::string_view, 34> kProvinces = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
    "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
    "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"};

bool AllDigits(absl::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

bool IsProvinceCode(absl::string_view two_digits) {
  return std::find(kProvinces.begin(), kProvinces.end(), two_digits) != kProvinces.end();
}

absl::Status ValidateRegionPrefix(absl::string_view prefix) {
  if (prefix.size() > 6 || !AllDigits(prefix)) {
    return absl::InvalidArgumentError(
        absl::StrCat("must be at most six digits (GB/T 2260), got ", Quote(prefix)));
  }
  if (prefix.size() >= 2 && !IsProvinceCode(prefix.substr(0, 2))) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "\"%s\" is not a province-level division code (GB/T 2260)", prefix.substr(0, 2)));
  }
  return absl::OkStatus();
}

absl::Status ValidateRegionCode(absl::string_view code) {
  if (code.empty()) return absl::InvalidArgumentError("is required");
  if (code.size() != 6 || !AllDigits(code)) {
    return absl::InvalidArgumentError(
        absl::StrCat("must be six digits (GB/T 2260), got ", Quote(code)));
  }
  return ValidateRegionPrefix(code);
}

}  // namespace regulation
