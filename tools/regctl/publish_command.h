#ifndef TOOLS_REGCTL_PUBLISH_COMMAND_H_
#define TOOLS_REGCTL_PUBLISH_COMMAND_H_

// `regctl publish`: writes or updates the public static site of the disclosure log
// (docs/disclosure.md) from regulatord's DisclosureService, with the public role (no
// client certificate needed):
//
//   regctl publish --out=DIR [--verifier_key=KEY] [--site_url=URL] [--witness_key=COSIGNER,...]
//
// Incremental: it fetches only the records after the tree size DIR already publishes,
// and rewrites only the pages they touch; the checkpoint is written last. It refuses a
// checkpoint not signed by KEY (default: DIR/verifier.key; on a new site, the server's
// key, trusted on first use, with a note on stderr), and a rolled-back or forked log.
//
// Prints progress on stderr during long runs ("publish: 40000/1000000 records, ...")
// and one summary line on `out`:
//   published DIR: 1000 new records (tree size 1001000, was 1000000), 4321 files written, 2.1 s
//
// Thread safety: RunPublishCommand may run on any thread; one publisher per directory.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "disclosure/site/site_source.h"
#include "regulation/v1/disclosure_service.grpc.pb.h"
#include "tools/regctl/connection.h"

namespace regulation::regctl {

struct PublishCommandOptions {
  // --out: the site's directory. Default empty: the one argument after "publish".
  std::string out_dir;
  // --verifier_key: the log's verifier key, pinned. Default empty: DIR/verifier.key,
  // else trust on first use.
  std::string verifier_key;
  // --witness_key: cosigners the site's readers require (PublishOptions::witness_keys).
  std::vector<std::string> witness_keys;
  // --site_url: the site's absolute URL, for the feed. Default empty: relative links.
  std::string site_url;
};

// `args` are the words after "publish": none (with out_dir set) or the directory.
// Returns the exit code: 0 published; 1 refused or failed (message on stderr);
// 2 usage; 3 server unreachable.
int RunPublishCommand(const std::vector<std::string>& args, const PublishCommandOptions& options,
                      const ConnectionOptions& connection, std::FILE* out);

// The site's source over DisclosureService: ListPublicRecords from an index (with
// GetPublicRecord for a draw whose bundle the list left out), GetCheckpoint,
// GetConsistencyProof and the ExportLogFiles stream. Reads retry on UNAVAILABLE.
// With a `progress` stream, it prints how far it got every few seconds.
// `connection` (and `progress`) must outlive it. Not thread-safe.
class GrpcSiteSource : public disclosure::site::SiteSource {
 public:
  explicit GrpcSiteSource(const Connection* connection, std::FILE* progress = nullptr);

  absl::StatusOr<v1::Checkpoint> LatestCheckpoint() override;
  absl::Status ForEachRecord(int64_t from_index, int64_t to_index, const RecordVisitor& visit) override;
  absl::Status ForEachLogFile(int64_t from_size, const LogFileVisitor& visit) override;
  absl::StatusOr<std::vector<std::string>> ConsistencyProof(int64_t first, int64_t second) override;
  absl::StatusOr<std::string> AttachmentPart(int64_t log_index, int64_t part) override;

  int64_t records_fetched() const { return records_fetched_; }

 private:
  // Prints `line` when a few seconds have passed since the last one.
  void Progress(const std::string& line);

  const Connection* connection_;
  std::FILE* progress_;
  std::unique_ptr<v1::DisclosureService::Stub> stub_;
  int64_t records_fetched_ = 0;
  absl::Time last_progress_ = absl::Now();
};

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_PUBLISH_COMMAND_H_
