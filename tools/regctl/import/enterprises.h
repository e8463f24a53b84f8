#ifndef TOOLS_REGCTL_IMPORT_ENTERPRISES_H_
#define TOOLS_REGCTL_IMPORT_ENTERPRISES_H_

// ImportEnterpriseRows: the data rows of an enterprise CSV file (import_enterprise_csv.h)
// sent through PortraitService.BatchUpsertEnterprises, one batch at a time.
//
//   - A batch holds up to batch_size rows (and at most max_request_bytes); rows that
//     cannot be parsed are reported instead of sent and count towards the batch size.
//   - Each batch carries a fresh request_id, so retrying it after UNAVAILABLE (up to 3
//     attempts, CallRpc) cannot write twice.
//   - A credit code already in the batch being filled closes that batch first: the
//     server rejects a repeated code within one batch, and a later row must update
//     the enterprise after the earlier one, as it would row by row.
//   - Every answer goes to the ledger (import_ledger.h), which reports the rejected
//     rows by line and moves the checkpoint.
//
// Thread safety: runs on the calling thread; the ledger may be read meanwhile.

#include <cstddef>

#include "absl/status/status.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/import/csv_reader.h"
#include "tools/regctl/import/enterprise_csv.h"
#include "tools/regctl/import/ledger.h"

namespace regulation::regctl {

struct EnterpriseImportSettings {
  // Rows per request, 1 to 1,000 (the server's limit).
  int batch_size = 500;
  // A batch is sent early rather than grow past this many bytes of enterprises.
  size_t max_request_bytes = 2 << 20;
};

// Reads `reader` (positioned after the header, or at a checkpoint) to the end, or
// until the ledger's error limit is reached, or until the input fails (reported
// through the ledger). OK in those cases: the ledger tells which. Otherwise the status
// of the call that failed (after retries), or the ledger's INTERNAL for an answer that
// breaks the protocol; the batch that failed is not recorded.
absl::Status ImportEnterpriseRows(const Connection& connection, const EnterpriseCsvSchema& schema,
                                  CsvReader* reader, ImportLedger* ledger,
                                  const EnterpriseImportSettings& settings);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_IMPORT_ENTERPRISES_H_
