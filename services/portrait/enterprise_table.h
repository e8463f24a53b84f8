#ifndef SERVICES_PORTRAIT_ENTERPRISE_TABLE_H_
#define SERVICES_PORTRAIT_ENTERPRISE_TABLE_H_

// The enterprise records' table, writes included: private to services/portrait (its
// BUILD target is visible to this package only). EnterpriseDirectory is the only
// writer; other packages read through enterprise_records.h.

#include "regulation/v1/enterprise.pb.h"
#include "storage/kv_store.h"
#include "storage/proto_table.h"

namespace regulation::services {

// kEnterprises: credit code -> regulation.v1.Enterprise. `store` must outlive the table.
inline storage::ProtoTable<v1::Enterprise> EnterpriseTable(storage::KvStore* store) {
  return storage::ProtoTable<v1::Enterprise>(store, storage::ColumnFamily::kEnterprises);
}

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_ENTERPRISE_TABLE_H_
