#include "scheduler/field_checks.h"

#include <array>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/credit_code.h"
#include "common/region_code.h"
#include "common/text_policy.h"

namespace regulation::scheduler {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
}

bool IsDigits(absl::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

struct CodeTables {
  CodeTables() {
    value.fill(-1);
    for (int v = 0; v < 31; ++v) value[static_cast<unsigned char>(CreditCodeCharFromValue(v))] = v;
    for (int p = 0; p < 100; ++p) {
      const char two[2] = {static_cast<char>('0' + p / 10), static_cast<char>('0' + p % 10)};
      province[p] = IsProvinceCode(absl::string_view(two, 2));
    }
  }
  std::array<int8_t, 256> value;
  std::array<bool, 100> province;
};

const CodeTables& Tables() {
  static const CodeTables* const tables = new CodeTables();
  return *tables;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
  return kDays[month - 1];
}

}  // namespace

absl::Status CheckText(absl::string_view field, absl::string_view value, int max_bytes) {
  return ValidateText(field, value, TextRule::RequiredBytes(static_cast<size_t>(max_bytes)));
}

absl::Status CheckIsoDate(absl::string_view field, absl::string_view value) {
  const auto bad = [&] {
    return Invalid(field, absl::StrFormat("must be a date YYYY-MM-DD, got \"%s\"", value));
  };
  if (value.size() != 10 || value[4] != '-' || value[7] != '-' || !IsDigits(value.substr(0, 4)) ||
      !IsDigits(value.substr(5, 2)) || !IsDigits(value.substr(8, 2))) {
    return bad();
  }
  const int year =
      (value[0] - '0') * 1000 + (value[1] - '0') * 100 + (value[2] - '0') * 10 + (value[3] - '0');
  const int month = (value[5] - '0') * 10 + (value[6] - '0');
  const int day = (value[8] - '0') * 10 + (value[9] - '0');
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return bad();
  }
  return absl::OkStatus();
}

absl::Status CheckDigestHex(absl::string_view field, absl::string_view value) {
  bool ok = value.size() == 64;
  for (char c : value) ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!ok) return Invalid(field, "must be 64 lowercase hexadecimal characters (SHA-256)");
  return absl::OkStatus();
}

bool IsCreditCode(absl::string_view code) {
  static constexpr int kWeights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                       29, 25, 13, 8,  24, 10, 30, 28};
  if (code.size() != 18) return false;
  const CodeTables& t = Tables();
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    const int v = t.value[static_cast<unsigned char>(code[i])];
    if (v < 0) return false;
    sum += v * kWeights[i];
  }
  if (!IsDigits(code.substr(2, 6))) return false;
  return t.value[static_cast<unsigned char>(code[17])] == (31 - sum % 31) % 31;
}

bool IsRegionCode(absl::string_view code) {
  return code.size() == 6 && IsDigits(code) &&
         Tables().province[(code[0] - '0') * 10 + (code[1] - '0')];
}

absl::Status CheckCreditCode(absl::string_view field, absl::string_view value) {
  if (IsCreditCode(value)) return absl::OkStatus();
  absl::Status status = ValidateCreditCode(value);
  if (!status.ok()) {
    return Invalid(field, absl::StrFormat("\"%s\": %s", value, status.message()));
  }
  return absl::OkStatus();
}

absl::Status CheckRegionCode(absl::string_view field, absl::string_view value) {
  if (IsRegionCode(value)) return absl::OkStatus();
  absl::Status status = ValidateRegionCode(value);
  if (!status.ok()) return Invalid(field, status.message());
  return absl::OkStatus();
}

bool IsInspectorId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

absl::Status CheckInspectorId(absl::string_view field, absl::string_view value) {
  if (!IsInspectorId(value)) {
    return Invalid(
        field, absl::StrFormat("must be 1-64 characters from [A-Za-z0-9._-], got \"%s\"", value));
  }
  return absl::OkStatus();
}

}  // namespace regulation::scheduler
