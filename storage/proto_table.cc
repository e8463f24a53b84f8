#include "storage/proto_table.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace regulation::storage {
namespace {

// Keys are mostly printable (credit codes, ids) but may hold encoded binary fields.
std::string Printable(absl::string_view key) {
  constexpr size_t kMaxShown = 128;
  std::string shown = absl::CHexEscape(key.substr(0, kMaxShown));
  if (key.size() > kMaxShown) absl::StrAppend(&shown, "... (", key.size(), " bytes)");
  return shown;
}

}  // namespace

absl::Status RecordNotFound(ColumnFamily cf, absl::string_view key) {
  return absl::NotFoundError(
      absl::StrCat("no ", ColumnFamilyName(cf), " record \"", Printable(key), "\""));
}

absl::Status RecordCorrupt(ColumnFamily cf, absl::string_view key, absl::string_view type_name) {
  return absl::DataLossError(absl::StrCat("the stored ", ColumnFamilyName(cf), " record \"",
                                          Printable(key), "\" does not parse as ", type_name));
}

}  // namespace regulation::storage
