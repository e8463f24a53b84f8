// Test tool: rewrites one stored audit record in place, as an operator with write
// access to the database might, to show that `regctl audit verify` notices.
//
//   tamper_audit_record ROCKSDB_DIR SEQUENCE

#include <cstdio>
#include <string>

#include "absl/strings/numbers.h"
#include "regulation/v1/audit.pb.h"
#include "services/audit/audit_log.h"
#include "storage/rocksdb_store.h"

int main(int argc, char** argv) {
  uint64_t sequence = 0;
  if (argc != 3 || !absl::SimpleAtoi(argv[2], &sequence)) {
    std::fprintf(stderr, "usage: tamper_audit_record ROCKSDB_DIR SEQUENCE\n");
    return 2;
  }
  regulation::storage::RocksDbOptions options;
  options.path = argv[1];
  options.create_if_missing = false;
  auto store = regulation::storage::OpenRocksDbStore(options);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  const std::string key = regulation::audit::AuditRecordKey(sequence);
  auto bytes = (*store)->Get(regulation::storage::ColumnFamily::kAudit, key);
  regulation::v1::AuditRecord record;
  if (!bytes.ok() || !record.ParseFromString(*bytes)) {
    std::fprintf(stderr, "no audit record %llu\n", static_cast<unsigned long long>(sequence));
    return 1;
  }
  record.set_status_code(0);
  record.set_status_message("");
  regulation::storage::WriteBatch batch;
  batch.Put(regulation::storage::ColumnFamily::kAudit, key, record.SerializeAsString());
  const absl::Status written = (*store)->Write(batch);
  if (!written.ok()) {
    std::fprintf(stderr, "%s\n", written.ToString().c_str());
    return 1;
  }
  std::printf("audit record %llu now claims success\n", static_cast<unsigned long long>(sequence));
  return 0;
}
