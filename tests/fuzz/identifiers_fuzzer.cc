// Fuzz target: the identifiers that enter through the API (common/credit_code.h,
// region_code.h, industry_code.h). The input is tried as each kind of code; the
// validators must agree with independent models of the standards:
//   - credit code: valid exactly when 18 characters of the GB 32100 alphabet, characters
//     3-8 digits, and the check character computed here (weights 3^(i-1) mod 31);
//     a code completed with CreditCodeCheckCharacter is valid, and changing any one of
//     its characters makes it invalid (the check catches every single error);
//   - region code: valid exactly when six digits whose first two are a province, and
//     then every prefix is a valid region prefix;
//   - industry code: a valid code is a section letter, alone or with 2-4 digits, and every prefix of it is a
//     valid prefix; a valid prefix can be completed to a valid code.
// Every refusal is INVALID_ARGUMENT.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "common/credit_code.h"
#include "common/industry_code.h"
#include "common/region_code.h"
#include "tests/fuzz/fuzz_check.h"

namespace regulation::fuzz {
namespace {

constexpr absl::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

void CheckRefusal(const absl::Status& status, absl::string_view what) {
  FUZZ_CHECK(status.ok() || status.code() == absl::StatusCode::kInvalidArgument)
      << what << ": " << status;
}

// GB 32100-2015, computed independently of common/credit_code.cc.
bool ModelCreditCode(absl::string_view code) {
  if (code.size() != 18) return false;
  int sum = 0;
  int weight = 1;
  for (size_t i = 0; i < 18; ++i) {
    const size_t value = kCreditAlphabet.find(code[i]);
    if (value == absl::string_view::npos) return false;
    if (i >= 2 && i < 8 && !absl::ascii_isdigit(static_cast<unsigned char>(code[i]))) return false;
    if (i == 17) return static_cast<int>(value) == (31 - sum % 31) % 31;
    sum += static_cast<int>(value) * weight;
    weight = weight * 3 % 31;
  }
  return false;
}

void CheckCreditCode(absl::string_view input) {
  const absl::Status status = ValidateCreditCode(input);
  CheckRefusal(status, "ValidateCreditCode");
  FUZZ_CHECK(status.ok() == ModelCreditCode(input)) << "disagrees with the model: " << status;
  FUZZ_CHECK(IsValidCreditCode(input) == status.ok());

  // A code built from the input's bytes and completed with the library's check character.
  if (input.size() < 17) return;
  std::string code;
  for (size_t i = 0; i < 17; ++i) {
    const unsigned char byte = static_cast<unsigned char>(input[i]);
    code.push_back(i >= 2 && i < 8 ? static_cast<char>('0' + byte % 10)
                                   : kCreditAlphabet[byte % kCreditAlphabet.size()]);
  }
  code.push_back(CreditCodeCheckCharacter(code));
  FUZZ_CHECK(ValidateCreditCode(code).ok()) << code;
  FUZZ_CHECK(ModelCreditCode(code)) << code;
  // Any single substitution within the alphabet is caught.
  const size_t position = input.size() > 17 ? static_cast<unsigned char>(input[17]) % 18 : 0;
  const int shift = input.size() > 18 ? 1 + static_cast<unsigned char>(input[18]) % 30 : 1;
  std::string changed = code;
  changed[position] =
      kCreditAlphabet[(kCreditAlphabet.find(code[position]) + shift) % kCreditAlphabet.size()];
  if (position < 2 || position >= 8 ||
      absl::ascii_isdigit(static_cast<unsigned char>(changed[position]))) {
    FUZZ_CHECK(!ValidateCreditCode(changed).ok()) << code << " -> " << changed;
  }
}

void CheckRegionCode(absl::string_view input) {
  const absl::Status code = ValidateRegionCode(input);
  const absl::Status prefix = ValidateRegionPrefix(input);
  CheckRefusal(code, "ValidateRegionCode");
  CheckRefusal(prefix, "ValidateRegionPrefix");
  const bool model_prefix =
      input.size() <= 6 && AllDigits(input) &&
      (input.size() < 2 || IsProvinceCode(input.substr(0, 2)));
  FUZZ_CHECK(prefix.ok() == model_prefix) << prefix;
  FUZZ_CHECK(code.ok() == (model_prefix && input.size() == 6)) << code;
  if (code.ok()) {
    for (size_t n = 0; n <= input.size(); ++n) {
      FUZZ_CHECK(ValidateRegionPrefix(input.substr(0, n)).ok()) << n;
    }
  }
  if (input.size() >= 2 && IsProvinceCode(input.substr(0, 2))) {
    FUZZ_CHECK(AllDigits(input.substr(0, 2)));
  }
}

void CheckIndustryCode(absl::string_view input) {
  const absl::Status code = ValidateIndustryCode(input);
  const absl::Status prefix = ValidateIndustryPrefix(input);
  CheckRefusal(code, "ValidateIndustryCode");
  CheckRefusal(prefix, "ValidateIndustryPrefix");
  if (code.ok()) {
    FUZZ_CHECK(input.size() == 1 || (input.size() >= 3 && input.size() <= 5)) << input.size();
    FUZZ_CHECK(input[0] >= 'A' && input[0] <= 'T');
    FUZZ_CHECK(AllDigits(input.substr(1)));
    for (size_t n = 0; n <= input.size(); ++n) {
      FUZZ_CHECK(ValidateIndustryPrefix(input.substr(0, n)).ok()) << n;
    }
  }
  if (prefix.ok() && !input.empty()) {
    // A prefix of a well-formed code: some completion is one.
    bool completes = false;
    if (input.size() == 1) {
      for (int division = 0; division < 100 && !completes; ++division) {
        const std::string candidate = std::string(input) + static_cast<char>('0' + division / 10) +
                                      static_cast<char>('0' + division % 10);
        completes = ValidateIndustryCode(candidate).ok();
      }
    } else if (input.size() == 2) {
      for (char digit = '0'; digit <= '9' && !completes; ++digit) {
        completes = ValidateIndustryCode(std::string(input) + digit).ok();
      }
    } else {
      completes = code.ok();
    }
    FUZZ_CHECK(completes) << "prefix \"" << input << "\" accepted, but no code starts with it";
  }
}

}  // namespace
}  // namespace regulation::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  regulation::fuzz::CheckCreditCode(input);
  regulation::fuzz::CheckRegionCode(input);
  regulation::fuzz::CheckIndustryCode(input);
  return 0;
}
