#include "common/credit_code.h"

#include <array>
#include <cctype>

#include "absl/strings/str_format.h"

namespace regulation {
namespace {

constexpr absl::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static_assert(kAlphabet.size() == 31);

// W_i = 3^(i-1) mod 31, i = 1..17.
constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                          29, 25, 13, 8,  24, 10, 30, 28};

// A printable rendering of any byte, for error messages.
std::string Printable(char c) {
  if (std::isprint(static_cast<unsigned char>(c))) return std::string(1, c);
  return absl::StrFormat("\\x%02x", static_cast<unsigned char>(c));
}

}  // namespace

int CreditCodeCharValue(char c) {
  const size_t pos = kAlphabet.find(c);
  return pos == absl::string_view::npos ? -1 : static_cast<int>(pos);
}

char CreditCodeCharFromValue(int value) { return kAlphabet[value]; }

char CreditCodeCheckCharacter(absl::string_view first17) {
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) {
    sum += CreditCodeCharValue(first17[i]) * kWeights[i];
  }
  return CreditCodeCharFromValue((31 - sum % 31) % 31);
}

absl::Status ValidateCreditCode(absl::string_view code) {
  if (code.empty()) return absl::InvalidArgumentError("is required");
  if (code.size() != kCreditCodeLength) {
    return absl::InvalidArgumentError(
        absl::StrFormat("must be %d characters, got %d", kCreditCodeLength, code.size()));
  }
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (CreditCodeCharValue(c) >= 0) continue;
    if (std::islower(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError(
          absl::StrFormat("character %d '%c' is lowercase; codes use capital letters", i + 1, c));
    }
    return absl::InvalidArgumentError(absl::StrFormat(
        "character %d '%s' is not allowed (0-9 and capital letters except I, O, S, V, Z)", i + 1,
        Printable(c)));
  }
  for (size_t i = 2; i < 8; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(code[i]))) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "characters 3-8 are the region code and must be digits; character %d is '%c'", i + 1,
          code[i]));
    }
  }
  const char expected = CreditCodeCheckCharacter(code.substr(0, 17));
  if (code[17] != expected) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "check character is '%c', expected '%c' (GB 32100-2015)", code[17], expected));
  }
  return absl::OkStatus();
}

}  // namespace regulation
