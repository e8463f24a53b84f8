#include "services/portrait/enterprise_records.h"

#include "services/portrait/enterprise_table.h"

namespace regulation::services {

EnterpriseRecords::EnterpriseRecords(storage::KvStore* store) : table_(EnterpriseTable(store)) {}

}  // namespace regulation::services
