#include "tools/regctl/import/enterprise_csv.h"

#include <array>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "tools/regctl/import/utf8.h"

namespace regulation::regctl {
namespace {

struct ColumnSpec {
  absl::string_view name;
  bool required;
};

// In Column order.
constexpr std::array<ColumnSpec, 8> kColumns = {{
    {"credit_code", true},
    {"name", true},
    {"region_code", true},
    {"industry_code", true},
    {"registered_capital_yuan", true},
    {"establishment_date", true},
    {"status", true},
    {"address", false},
}};

std::string AllColumnNames() {
  std::vector<absl::string_view> names;
  for (const ColumnSpec& spec : kColumns) names.push_back(spec.name);
  return absl::StrJoin(names, ",");
}

bool AllDigits(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !text.empty();
}

// Strictly YYYY-MM-DD, and a date that exists.
absl::StatusOr<v1::Date> ParseDate(absl::string_view text) {
  const auto error = [&]() {
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a date (YYYY-MM-DD)"));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return error();
  int year = 0, month = 0, day = 0;
  if (!AllDigits(text.substr(0, 4)) || !AllDigits(text.substr(5, 2)) ||
      !AllDigits(text.substr(8, 2)) || !absl::SimpleAtoi(text.substr(0, 4), &year) ||
      !absl::SimpleAtoi(text.substr(5, 2), &month) || !absl::SimpleAtoi(text.substr(8, 2), &day)) {
    return error();
  }
  const absl::CivilDay civil(year, month, day);
  if (civil.year() != year || civil.month() != month || civil.day() != day) return error();
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

absl::StatusOr<v1::EnterpriseStatus> ParseStatus(absl::string_view text) {
  std::string name = absl::AsciiStrToUpper(text);
  if (!absl::StartsWith(name, "ENTERPRISE_STATUS_"))
    name = absl::StrCat("ENTERPRISE_STATUS_", name);
  v1::EnterpriseStatus status;
  if (text.empty() || !v1::EnterpriseStatus_Parse(name, &status) ||
      status == v1::ENTERPRISE_STATUS_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown status \"", text,
                     "\" (OPERATING, SUSPENDED, LIQUIDATING, REVOKED, DEREGISTERED or MOVED_OUT)"));
  }
  return status;
}

}  // namespace

absl::StatusOr<EnterpriseCsvSchema> EnterpriseCsvSchema::FromHeader(
    const std::vector<std::string>& header) {
  std::vector<Column> columns;
  std::array<bool, kColumns.size()> seen{};
  for (const std::string& raw : header) {
    const absl::string_view name = absl::StripAsciiWhitespace(raw);
    size_t index = 0;
    while (index < kColumns.size() && kColumns[index].name != name) ++index;
    if (index == kColumns.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown column \"", name, "\" (columns: ", AllColumnNames(), ")"));
    }
    if (seen[index]) {
      return absl::InvalidArgumentError(absl::StrCat("column \"", name, "\" appears twice"));
    }
    seen[index] = true;
    columns.push_back(static_cast<Column>(index));
  }
  for (size_t i = 0; i < kColumns.size(); ++i) {
    if (kColumns[i].required && !seen[i]) {
      return absl::InvalidArgumentError(absl::StrCat("missing column \"", kColumns[i].name,
                                                     "\" (columns: ", AllColumnNames(), ")"));
    }
  }
  return EnterpriseCsvSchema(std::move(columns));
}

std::string EnterpriseCsvSchema::ColumnName(int index) const {
  if (index >= 0 && static_cast<size_t>(index) < columns_.size()) {
    return std::string(kColumns[static_cast<size_t>(columns_[index])].name);
  }
  return absl::StrCat("field ", index + 1);
}

absl::StatusOr<v1::Enterprise> EnterpriseCsvSchema::ParseRow(
    const std::vector<std::string>& fields) const {
  if (fields.size() != columns_.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(columns_.size(), " columns in the header, ", fields.size(), " in this row"));
  }
  v1::Enterprise enterprise;
  for (size_t i = 0; i < fields.size(); ++i) {
    const absl::string_view value = absl::StripAsciiWhitespace(fields[i]);
    const auto fail = [&](absl::string_view reason) {
      return absl::InvalidArgumentError(
          absl::StrCat(ColumnName(static_cast<int>(i)), ": ", reason));
    };
    if (absl::Status utf8 = ValidateUtf8(value); !utf8.ok()) return fail(utf8.message());
    switch (columns_[i]) {
      case Column::kCreditCode:
        enterprise.set_credit_code(std::string(value));
        break;
      case Column::kName:
        enterprise.set_name(std::string(value));
        break;
      case Column::kRegionCode:
        enterprise.set_region_code(std::string(value));
        break;
      case Column::kIndustryCode:
        enterprise.set_industry_code(std::string(value));
        break;
      case Column::kCapital: {
        int64_t yuan = 0;
        if (!value.empty() && (!AllDigits(value) || !absl::SimpleAtoi(value, &yuan))) {
          return fail(absl::StrCat("\"", value,
                                   "\" is not a whole number of yuan (digits only, at most "
                                   "9223372036854775807)"));
        }
        enterprise.set_registered_capital_yuan(yuan);
        break;
      }
      case Column::kEstablishmentDate: {
        if (value.empty()) return fail("required (YYYY-MM-DD)");
        absl::StatusOr<v1::Date> date = ParseDate(value);
        if (!date.ok()) return fail(date.status().message());
        *enterprise.mutable_establishment_date() = *date;
        break;
      }
      case Column::kStatus: {
        if (value.empty()) return fail("required (e.g. OPERATING)");
        absl::StatusOr<v1::EnterpriseStatus> status = ParseStatus(value);
        if (!status.ok()) return fail(status.status().message());
        enterprise.set_status(*status);
        break;
      }
      case Column::kAddress:
        enterprise.set_address(std::string(value));
        break;
    }
  }
  return enterprise;
}

}  // namespace regulation::regctl
