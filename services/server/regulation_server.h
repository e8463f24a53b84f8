#ifndef SERVICES_SERVER_REGULATION_SERVER_H_
#define SERVICES_SERVER_REGULATION_SERVER_H_

// The regulation.v1 services in one gRPC server on one port, over one store, with
// health checking, server reflection, the access interceptor and the audit trail. regulatord runs one
// serving all of them; service tests run one on a free localhost port. portraitd and
// scoringd (docs/deploy.md) each run one serving their own service (ServerOptions.serve),
// scoring reading portraits from portraitd over gRPC (ServerOptions.portraits).
//
// Thread safety: Start, Shutdown and the destructor are called from one thread; the
// services themselves serve calls on gRPC's threads.

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "disclosure/holiday_calendar.h"
#include "disclosure/publication_queue.h"
#include "disclosure/signing_key.h"
#include "services/access/call_limits.h"
#include "services/access/identity.h"
#include "services/server/server_limits.h"
#include "services/ops/operations.h"
#include "services/seams/alert_feed.h"
#include "services/seams/draw_bundles.h"
#include "services/seams/enterprise_history.h"
#include "services/seams/inspection_feed.h"
#include "services/seams/population_feed.h"
#include "services/seams/portrait_feed.h"
#include "storage/kv_store.h"

namespace regulation::services {

class HistoryCatchUp;
class ScoreChangeOutbox;

// Which of the services a server registers (docs/deploy.md). Audit and admin (backups)
// are served by every process, over its own store; alerts where portrait is (kAll,
// kPortrait), which scoring apart reports its score changes to (ServerOptions.alert_feed).
enum class ServedServices {
  // Every service: regulatord, the all-in-one default.
  kAll,
  // PortraitService, and regulation.internal.v1.PortraitFeedService for scoringd; the
  // alerts (AlertService, and regulation.internal.v1.AlertFeedService for scoringd).
  kPortrait,
  // ScoringService, reading portraits through ServerOptions.portraits.
  kScoring,
  // InspectionService (inspectiond), reading the population and enterprise records
  // through ServerOptions.population.
  kInspection,
  // DisclosureService and the transparency log (disclosured), reading plans and
  // assignments through ServerOptions.inspection and naming enterprises and recording
  // results' history events through ServerOptions.enterprise_history.
  kDisclosure,
};

// "all", "portrait", "scoring", "inspection", "disclosure"; INVALID_ARGUMENT naming the
// flag otherwise.
absl::StatusOr<ServedServices> ParseServedServices(absl::string_view name);

struct ServerOptions {
  // The services registered. Default: all of them.
  ServedServices serve = ServedServices::kAll;
  // Where scoring reads portraits (services/seams/portrait_feed.h): null reads them from
  // this server's own store (kAll); a GrpcPortraitFeed to portraitd for kScoring, which
  // requires one. Not owned; must outlive the server.
  PortraitFeed* portraits = nullptr;
  // Where inspection reads the population a plan freezes and enterprise records
  // (services/seams/population_feed.h): null reads them from this server's own store
  // (kAll); a feed joining gRPC clients of portraitd and scoringd for kInspection, which
  // requires one. Not owned; must outlive the server.
  PopulationFeed* population = nullptr;
  // Where the server's publication queue appends its public records: null appends them to
  // this server's own disclosure log (kAll); for kInspection, a writer to the service that
  // serves the log (services/seams/log_append_client.h), made over the server's store
  // (where the queue keeps the records' bodies).
  std::function<std::unique_ptr<disclosure::LogWriter>(storage::KvStore*)> remote_log;
  // Where disclosure reads plans and assignments (services/seams/inspection_feed.h): null
  // reads this server's own (kAll); a GrpcInspectionFeed to the inspection service for
  // kDisclosure, which requires one. Not owned; must outlive the server.
  InspectionFeed* inspection = nullptr;
  // Where disclosure reads enterprise names and records approved results as history
  // events (services/seams/enterprise_history.h): null, this server's own (kAll); a
  // GrpcEnterpriseHistory to the portrait service for kDisclosure, which requires one.
  // Not owned; must outlive the server.
  EnterpriseHistory* enterprise_history = nullptr;
  // Where the public records of draws read their rounds and bundles
  // (services/seams/draw_bundles.h): null, this server's own store (kAll); a
  // GrpcDrawBundles to the inspection service for kDisclosure. Not owned.
  DrawBundles* draw_bundles = nullptr;
  // Where scoring apart (kScoring) delivers its ScoreAll's score changes, which become
  // alerts where portrait is served: a GrpcAlertFeed to the portrait service, through an
  // outbox in this server's store (services/seams/score_change_outbox.h). Null: scoring
  // apart raises no score alerts. Unused otherwise (kAll raises them in process). Not
  // owned; must outlive the server.
  AlertFeed* alert_feed = nullptr;
  // How often a disclosure service apart from portrait sends again the history events
  // portrait could not take (services/disclosure/history_catch_up.h). Default 30 s.
  absl::Duration history_retry_interval = absl::Seconds(30);
  // host:port to listen on; port 0 picks a free port (see RegulationServer::port()).
  // Default: "localhost:50051".
  std::string listen_address = "localhost:50051";
  // How the listener authenticates: mutual TLS (tls_credentials.h) or, on loopback only,
  // plaintext. Required.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Who callers are. Required; must outlive the server.
  const access::IdentityResolver* identity = nullptr;
  // Time source for record timestamps. Default: the system clock.
  Clock* clock = RealClock();
  // The key the disclosure log's checkpoints are signed with; its name is the log's
  // origin. Default: a fresh key for this run only (tests). regulatord keeps its own.
  std::optional<disclosure::SigningKey> log_key;
  // How often ingestion writes changed portrait states back (LivePortraits::Options).
  // Default 30 s.
  absl::Duration portrait_checkpoint_interval = absl::Seconds(30);
  // Threads hashing tickets in a draw. Default 2.
  int draw_threads = 2;
  // Entropy statements signed earlier than this after a round's commitment are refused
  // (docs/draw-spec.md §4.3); whole seconds. Default 10 minutes.
  absl::Duration min_entropy_delay = absl::Minutes(10);
  // The holiday calendar publication deadlines are counted with; must outlive the
  // server. Default (null): the calendar compiled into the build.
  const disclosure::HolidayCalendar* holidays = nullptr;
  // Working days after an inspection's last day within which its result is published.
  int publish_working_days = 20;
  // Working days after an objection is filed within which its department answers
  // (services/disclosure/objection_desk.h; a chosen default, docs/disclosure.md).
  int objection_answer_working_days = 10;
  // What the gRPC server may spend: threads, memory, streams per connection, handshake
  // time, keepalive (server_limits.h). Defaults as ServerLimits.
  ServerLimits limits;
  // Per-identity limits: open streams and state-changing calls per second
  // (services/access/call_limits.h). Defaults as CallLimitOptions.
  access::CallLimitOptions call_limits;
  // Where AdminService.Backup makes the checkpoint it streams: a directory on the data
  // directory's file system, so that table files are linked rather than copied.
  // Default empty: backups are FAILED_PRECONDITION.
  std::string backup_staging_dir;
  // Metrics, request ids and call logs, and the disclosure log's fence
  // (services/ops/operations.h). Default null: none. Must outlive the server.
  ops::Operations* operations = nullptr;
};

// The gRPC services a RegulationServer serves, by full name (for health checks).
const std::vector<std::string>& ServedServiceNames();
// Those a server serving `serve` registers.
std::vector<std::string> ServedServiceNames(ServedServices serve);

class RegulationServer {
 public:
  // Builds the services over `store` (owned from now on) and starts listening.
  // UNAVAILABLE when the address cannot be bound; DATA_LOSS when the audit trail's
  // last record does not verify or the disclosure log disagrees with its checkpoint.
  static absl::StatusOr<std::unique_ptr<RegulationServer>> Start(
      std::unique_ptr<storage::KvStore> store, const ServerOptions& options);

  // Shuts down (as Shutdown with a 10 s grace period) if still running, then closes
  // the store.
  ~RegulationServer();

  // The port actually bound.
  int port() const { return port_; }

  // Stops accepting calls, lets calls in flight finish until `deadline`, cancels the
  // rest, and returns when every handler has returned. The store stays open until
  // the server is destroyed.
  void Shutdown(absl::Time deadline);

 private:
  struct Services;
  RegulationServer() = default;

  std::unique_ptr<storage::KvStore> store_;
  std::unique_ptr<disclosure::HolidayCalendar> embedded_holidays_;
  // The audit trail counted by operations (null without them); outlives the services.
  std::unique_ptr<access::AuditSink> counted_audit_;
  std::unique_ptr<access::CallLimiter> limiter_;
  std::unique_ptr<Services> services_;
  // disclosured only: resends history events portrait could not take; ends before
  // services_, whose result desk it uses.
  std::unique_ptr<HistoryCatchUp> history_catch_up_;
  // scoringd only: delivers ScoreAll's score changes to the alerts' home; the scorer in
  // services_ observes through it, so it ends after the server and before services_.
  std::unique_ptr<ScoreChangeOutbox> score_outbox_;
  // Ends before services_: it observes them.
  std::unique_ptr<ops::Session> ops_session_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace regulation::services

#endif  // SERVICES_SERVER_REGULATION_SERVER_H_
