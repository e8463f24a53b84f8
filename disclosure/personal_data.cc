#include "disclosure/personal_data.h"

#include <array>

#include "common/credit_code.h"

namespace regulation::disclosure {
namespace {

constexpr std::array<int, 17> kIdWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr absl::string_view kIdCheckMap = "10X98765432";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// The value of `n` ASCII digits starting at `s[pos]`. REQUIRES: they are digits.
int DigitsValue(absl::string_view s, size_t pos, size_t n) {
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) value = value * 10 + (s[i] - '0');
  return value;
}

// Province-level codes of GB/T 2260 in use, plus 81-83 (residence permits of Hong Kong,
// Macao and Taiwan residents).
bool IsProvinceCode(int code) {
  switch (code / 10) {
    case 1:
      return code >= 11 && code <= 15;
    case 2:
      return code >= 21 && code <= 23;
    case 3:
      return code >= 31 && code <= 37;
    case 4:
      return code >= 41 && code <= 46;
    case 5:
      return code >= 50 && code <= 54;
    case 6:
      return code >= 61 && code <= 65;
    case 7:
      return code == 71;
    case 8:
      return code >= 81 && code <= 83;
    default:
      return false;
  }
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

bool IsRealDate(int year, int month, int day) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const int days = kDays[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);
  return day <= days;
}

}  // namespace

char IdCardCheckCharacter(absl::string_view first17) {
  int sum = 0;
  for (size_t i = 0; i < kIdWeights.size(); ++i) sum += (first17[i] - '0') * kIdWeights[i];
  return kIdCheckMap[sum % 11];
}

bool HasIdCardShape18(absl::string_view id) {
  if (id.size() != 18) return false;
  if (!AllDigits(id.substr(0, 17))) return false;
  if (!IsDigit(id[17]) && id[17] != 'X') return false;
  if (!IsProvinceCode(DigitsValue(id, 0, 2))) return false;
  const int year = DigitsValue(id, 6, 4);
  if (year < 1900 || year > 2099) return false;
  return IsRealDate(year, DigitsValue(id, 10, 2), DigitsValue(id, 12, 2));
}

bool IsValidIdCardNumber18(absl::string_view id) {
  return HasIdCardShape18(id) && IdCardCheckCharacter(id.substr(0, 17)) == id[17];
}

bool HasIdCardShape15(absl::string_view id) {
  if (id.size() != 15 || !AllDigits(id)) return false;
  if (!IsProvinceCode(DigitsValue(id, 0, 2))) return false;
  return IsRealDate(1900 + DigitsValue(id, 6, 2), DigitsValue(id, 8, 2), DigitsValue(id, 10, 2));
}

bool HasCreditCodeStructure(absl::string_view code) {
  if (code.size() < 4) return false;
  if (absl::string_view("123456789ANY").find(code[0]) == absl::string_view::npos) return false;
  if (!IsDigit(code[2]) || !IsDigit(code[3])) return false;
  const int province = DigitsValue(code, 2, 2);
  return province == 10 || IsProvinceCode(province);
}

bool HasValidOrganizationCodeCheck(absl::string_view code) {
  static constexpr std::array<int, 8> kWeights = {3, 7, 9, 10, 5, 8, 4, 2};
  if (code.size() != 18) return false;
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) {
    const char c = code[8 + i];
    int value = 0;
    if (IsDigit(c)) {
      value = c - '0';
    } else if (c >= 'A' && c <= 'Z') {
      value = c - 'A' + 10;
    } else {
      return false;
    }
    sum += value * kWeights[i];
  }
  const int check = 11 - sum % 11;
  const char expected = check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check);
  return code[16] == expected;
}

EighteenCharacterClass ClassifyEighteenCharacters(absl::string_view run) {
  const bool id_shape = HasIdCardShape18(run);
  if (id_shape && IdCardCheckCharacter(run.substr(0, 17)) == run[17]) {
    return EighteenCharacterClass::kIdCard;
  }
  if (IsValidCreditCode(run) && HasCreditCodeStructure(run)) {
    // An all-digit run that also passes the Luhn check may be an 18-digit bank card; it
    // stays a credit code only if its organisation code checks out as well.
    const bool card_like = AllDigits(run) && PassesLuhnCheck(run);
    if (!card_like || HasValidOrganizationCodeCheck(run)) {
      return EighteenCharacterClass::kCreditCode;
    }
  }
  if (id_shape) return EighteenCharacterClass::kIdCardBadCheck;
  return EighteenCharacterClass::kOther;
}

bool IsMainlandMobileNumber(absl::string_view digits) {
  return digits.size() == 11 && AllDigits(digits) && digits[0] == '1' && digits[1] >= '3';
}

int AreaCodeLength(absl::string_view digits) {
  if (digits.size() < 3 || digits[0] != '0' || !AllDigits(digits.substr(0, 3))) return 0;
  if (digits[1] == '1') return digits[2] == '0' ? 3 : 0;
  if (digits[1] == '2') return 3;
  if (digits[1] == '0') return 0;
  return digits.size() >= 4 && IsDigit(digits[3]) ? 4 : 0;
}

int AreaCodeLengthWithoutTrunkPrefix(absl::string_view digits) {
  if (digits.size() < 2 || !AllDigits(digits.substr(0, 2))) return 0;
  if (digits[0] == '1') return digits[1] == '0' ? 2 : 0;
  if (digits[0] == '2') return 2;
  if (digits[0] == '0') return 0;
  return digits.size() >= 3 && IsDigit(digits[2]) ? 3 : 0;
}

bool IsLocalLandlineNumber(absl::string_view digits) {
  return (digits.size() == 7 || digits.size() == 8) && AllDigits(digits) && digits[0] != '0';
}

bool PassesLuhnCheck(absl::string_view digits) {
  if (digits.size() < 2 || !AllDigits(digits)) return false;
  int sum = 0;
  bool double_it = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (double_it) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

bool IsBankCardNumber(absl::string_view digits) {
  return digits.size() >= 16 && digits.size() <= 19 && PassesLuhnCheck(digits);
}

}  // namespace regulation::disclosure
