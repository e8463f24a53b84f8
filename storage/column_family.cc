#include "storage/column_family.h"

namespace regulation::storage {

absl::string_view ColumnFamilyName(ColumnFamily cf) {
  switch (cf) {
    case ColumnFamily::kEnterprises:
      return "enterprises";
    case ColumnFamily::kEnterprisesByRegion:
      return "enterprises_by_region";
    case ColumnFamily::kIdempotency:
      return "idempotency";
    case ColumnFamily::kAudit:
      return "audit";
  }
  return "unknown";
}

}  // namespace regulation::storage
