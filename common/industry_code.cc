#include "common/industry_code.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "common/quote.h"

namespace regulation {
namespace {

struct Section {
  char letter;
  int first_division;
  int last_division;
};

// GB/T 4754-2017 sections and the divisions each contains.
constexpr Section kSections[] = {
    {'A', 1, 5},   {'B', 6, 12},  {'C', 13, 43}, {'D', 44, 46}, {'E', 47, 50},
    {'F', 51, 52}, {'G', 53, 60}, {'H', 61, 62}, {'I', 63, 65}, {'J', 66, 69},
    {'K', 70, 70}, {'L', 71, 72}, {'M', 73, 75}, {'N', 76, 79}, {'O', 80, 82},
    {'P', 83, 83}, {'Q', 84, 85}, {'R', 86, 90}, {'S', 91, 96}, {'T', 97, 97},
};

const Section* FindSection(char letter) {
  for (const Section& s : kSections) {
    if (s.letter == letter) return &s;
  }
  return nullptr;
}

bool AllDigits(absl::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// Checks `code` (not empty); `allow_partial` accepts a lone first digit of a division.
absl::Status Validate(absl::string_view code, bool allow_partial) {
  const Section* section = FindSection(code[0]);
  if (section == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("must start with a GB/T 4754 section letter A-T, got ", Quote(code)));
  }
  const absl::string_view digits = code.substr(1);
  if (digits.size() > 4 || !AllDigits(digits)) {
    return absl::InvalidArgumentError(
        absl::StrCat("must be a section letter followed by 2-4 digits, got ", Quote(code)));
  }
  if (digits.size() == 1 && !allow_partial) {
    return absl::InvalidArgumentError(
        absl::StrCat("a division has two digits, got ", Quote(code)));
  }
  if (digits.size() == 1 && (digits[0] - '0' < section->first_division / 10 ||
                             digits[0] - '0' > section->last_division / 10)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("no division of section %c starts with %c (divisions %02d-%02d)",
                        section->letter, digits[0], section->first_division,
                        section->last_division));
  }
  if (digits.size() >= 2) {
    int division = 0;
    (void)absl::SimpleAtoi(digits.substr(0, 2), &division);
    if (division < section->first_division || division > section->last_division) {
      return absl::InvalidArgumentError(
          absl::StrFormat("division %02d is not in section %c (divisions %02d-%02d)", division,
                          section->letter, section->first_division, section->last_division));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateIndustryCode(absl::string_view code) {
  if (code.empty()) return absl::InvalidArgumentError("is required");
  return Validate(code, /*allow_partial=*/false);
}

absl::Status ValidateIndustryPrefix(absl::string_view prefix) {
  if (prefix.empty()) return absl::OkStatus();
  return Validate(prefix, /*allow_partial=*/true);
}

}  // namespace regulation
