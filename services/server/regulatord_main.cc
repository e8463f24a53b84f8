// regulatord: all regulation.v1 services in one process, on one port, over one
// embedded RocksDB under --data_dir. The same program built as portraitd, scoringd and
// inspectiond and disclosured (--serve's default differs) serves one service, over its
// own --data_dir, calling its peers named in --peers (docs/deploy.md).
//
//   regulatord --listen=localhost:50051 --data_dir=./data --tls_dir=./data/pki/server
//   regulatord --listen=localhost:50051 --data_dir=./data --insecure_loopback
//   portraitd --listen=localhost:7101 --data_dir=./data/portrait --tls_dir=...
//   scoringd --listen=localhost:7102 --data_dir=./data/scoring --tls_dir=... --peers=peers.txt
//   inspectiond --listen=localhost:7103 --data_dir=./data/inspection --tls_dir=... --peers=...
//   disclosured --listen=localhost:7104 --data_dir=./data/disclosure --tls_dir=... --peers=...
//
// The listener speaks mutual TLS with the certificate and key in --tls_dir (as
// `regctl pki issue --server_cert` writes them); callers are identified by their client
// certificates, checked against the CA in --tls_dir and the revocation list in
// --revoked_file (reloaded when it changes). --insecure_loopback instead serves
// plaintext, only on a loopback address, and treats every caller as the local operator.
//
// SIGINT or SIGTERM stops accepting calls, lets calls in flight finish (up to
// --drain_seconds), then closes RocksDB cleanly.

#include <grpcpp/security/server_credentials.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <optional>
#include <initializer_list>
#include <utility>
#include <vector>
#include <string>
#include <system_error>
#include <tuple>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/files.h"
#include "common/log.h"
#include "common/net_address.h"
#include "disclosure/holiday_calendar.h"
#include "disclosure/signing_key.h"
#include "pki/certificates.h"
#include "pki/tls_files.h"
#include "services/access/certificate_identity.h"
#include "services/access/identity.h"
#include "services/access/revocation_list.h"
#include "services/backup/backup_files.h"
#include "services/backup/fence_decision.h"
#include "services/backup/restore.h"
#include "services/common/proto_time.h"
#include "services/ops/operations.h"
#include "services/server/health_listener.h"
#include "services/server/peers.h"
#include "services/server/regulation_server.h"
#include "services/server/server_limits.h"
#include "services/server/tls_credentials.h"
#include "services/telemetry/metrics_endpoint.h"
#include "storage/rocksdb_store.h"

// portraitd and scoringd are this program with another default (BUILD.bazel).
#ifndef REGULATION_DEFAULT_SERVE
#define REGULATION_DEFAULT_SERVE "all"
#define REGULATION_PROGRAM_NAME "regulatord"
#endif

ABSL_FLAG(std::string, serve, REGULATION_DEFAULT_SERVE,
          "which services: all (regulatord), portrait (portraitd), scoring (scoringd, which "
          "needs --peers), inspection (inspectiond, which needs --peers) or disclosure "
          "(disclosured, which needs --peers); docs/deploy.md");
ABSL_FLAG(std::string, peers, "",
          "the configuration file naming this service's peers and its own client identity "
          "(regulation.internal.v1.Topology, text format); required for --serve=scoring, "
          "--serve=inspection and --serve=disclosure");
ABSL_FLAG(std::string, listen, "localhost:50051", "host:port to serve on");
ABSL_FLAG(std::string, data_dir, "./data", "directory for the RocksDB database");
ABSL_FLAG(std::string, tls_dir, "",
          "directory with ca.crt, tls.crt and tls.key (`regctl pki issue --server_cert`)");
ABSL_FLAG(std::string, revoked_file, "",
          "revoked certificate serials, one per line (default: <tls_dir>/revoked.txt)");
ABSL_FLAG(bool, insecure_loopback, false,
          "serve plaintext, loopback addresses only; every caller is the local operator");
ABSL_FLAG(std::string, log_origin, "regulation.local/disclosure",
          "the disclosure log's name: the first line of every checkpoint it signs (a key "
          "of this name is made under --data_dir on first run)");
ABSL_FLAG(std::string, log_key, "",
          "the disclosure log's signing key (PEM), which must exist: e.g. a mounted secret "
          "(default: <data_dir>/log-signing-key.pem, made on first run)");
ABSL_FLAG(std::string, health_listen, "",
          "host:port for a plaintext listener serving only grpc.health.v1 (for probes that "
          "cannot do mutual TLS, such as Kubernetes'); default: none");
ABSL_FLAG(int, draw_threads, 2, "threads hashing tickets in a draw (the result does not depend on it)");
ABSL_FLAG(absl::Duration, min_entropy_delay, absl::Minutes(10),
          "entropy statements signed (beacon pulses emitted) earlier than this after a round's "
          "commitment are refused, e.g. 10m; whole seconds, 0s-168h. Short values are for "
          "demos: the delay is what shows the public a value was unknown at commit time");
ABSL_FLAG(absl::Duration, portrait_checkpoint_interval, absl::Seconds(30),
          "how often ingestion writes the portrait states changed since the last time back to "
          "the store, 100ms-1h: longer writes each busy enterprise's state once for more "
          "events; after a crash, start-up folds the events logged since into the stored "
          "states (docs/storage.md, \"Events and portrait states\")");
ABSL_FLAG(std::string, holidays, "",
          "holiday calendar file (docs/redaction-and-deadlines.md); default: the calendar "
          "compiled in (disclosure/holidays)");
ABSL_FLAG(int, publish_working_days, 20,
          "working days after an inspection's last day within which its result is published");
ABSL_FLAG(int, objection_answer_working_days, 10,
          "working days after an enterprise objects to a result within which the department "
          "answers (docs/disclosure.md, \"Objections\")");
ABSL_FLAG(int, drain_seconds, 10, "on SIGINT/SIGTERM, how long calls in flight may take to finish");
// Operations (docs/operations.md).
constexpr char kDefaultMetricsListen[] = "localhost:9464";
ABSL_FLAG(std::string, metrics_listen, kDefaultMetricsListen,
          "host:port of the Prometheus metrics endpoint (plain HTTP, GET /metrics); keep it on "
          "loopback unless a firewall guards it; empty: no metrics endpoint. The default is "
          "best effort: when its port is taken the server starts without metrics");
ABSL_FLAG(int, metrics_refresh_seconds, 30,
          "how often gauges that need a scan (plans, results, queue, scores) are refreshed");
ABSL_FLAG(int, deadline_warning_working_days, 2,
          "results due within this many working days count as regulation_results_due_soon");
ABSL_FLAG(std::string, log_format, "text", "text, or json (one object per line)");
ABSL_FLAG(bool, log_reads, false,
          "also log successful calls that change nothing (by default only writes and errors)");
ABSL_FLAG(std::string, restore_from, "",
          "restore this backup (`regctl admin backup`) into --data_dir, which must hold no "
          "database yet, then start; needs the log signing key in --data_dir and "
          "--published_checkpoint or --accept_log_fork_risk");
ABSL_FLAG(std::string, published_checkpoint, "",
          "a checkpoint of the disclosure log already published (e.g. the public site's "
          "checkpoint file): the log refuses to sign unless it extends it");
ABSL_FLAG(bool, accept_log_fork_risk, false,
          "let a log older than a published checkpoint sign again (it forks the public log); "
          "written to the audit trail");

// Limits (docs/api.md §1.3). Each one's default is ServerLimits' or CallLimitOptions'.
ABSL_FLAG(int, max_threads, 256,
          "threads gRPC may serve calls on; with all busy a new call gets RESOURCE_EXHAUSTED "
          "(0: no limit)");
ABSL_FLAG(int, max_grpc_memory_mb, 1024, "memory gRPC may use for its buffers, MiB (0: no limit)");
ABSL_FLAG(int, max_streams_per_connection, 100,
          "HTTP/2 streams (calls) one connection may have open at once");
ABSL_FLAG(int, max_streams_per_identity, 16,
          "streaming calls (watches, ingest and export streams, ScoreAll, TrainModel) one "
          "identity may have open at once; more get RESOURCE_EXHAUSTED (0: no limit)");
ABSL_FLAG(double, write_rate_per_identity, 50,
          "state-changing calls per second one identity may make, sustained; more get "
          "RESOURCE_EXHAUSTED (0: no limit)");
ABSL_FLAG(int, write_burst_per_identity, 100,
          "state-changing calls one identity may make at once after being idle");
ABSL_FLAG(int, handshake_timeout_seconds, 10,
          "a connection that has not completed its TLS handshake by then is closed");
ABSL_FLAG(int, keepalive_seconds, 60,
          "ping a connection after this long without traffic (dead peers are dropped)");
ABSL_FLAG(int, keepalive_timeout_seconds, 20, "close a connection whose ping is not answered by then");
ABSL_FLAG(int, max_connection_idle_seconds, 1800,
          "close a connection that has had no call for this long");

namespace regulation {
namespace {

// How callers are authenticated, and the objects that must outlive the server.
struct Security {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  std::unique_ptr<pki::CertificateVerifier> verifier;
  std::unique_ptr<access::RevocationList> revocations;
  std::unique_ptr<access::IdentityResolver> identity;
  // The server's certificate and the CA's, for their expiry metrics.
  std::vector<ops::CertificateExpiry> certificates;
};

absl::StatusOr<Security> SetUpSecurity(const std::string& listen) {
  Security security;
  const std::string tls_dir = absl::GetFlag(FLAGS_tls_dir);
  if (absl::GetFlag(FLAGS_insecure_loopback)) {
    if (!tls_dir.empty()) {
      return absl::InvalidArgumentError("--insecure_loopback and --tls_dir exclude each other");
    }
    if (!IsLoopbackAddress(listen)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--insecure_loopback serves plaintext, so --listen must be a loopback address "
          "(localhost, 127.0.0.1, [::1]), not ",
          listen));
    }
    LogWarning(absl::StrCat("INSECURE: plaintext on ", listen,
                            "; callers are not authenticated and every caller acts as the "
                            "local operator with every role"));
    security.credentials = grpc::InsecureServerCredentials();
    security.identity = std::make_unique<access::LocalOperatorResolver>();
    return security;
  }
  if (tls_dir.empty()) {
    return absl::InvalidArgumentError(
        "--tls_dir is required (a directory written by `regctl pki issue --server_cert`); "
        "for a plaintext development listener on loopback use --insecure_loopback");
  }
  absl::StatusOr<pki::TlsFiles> tls = pki::ReadTlsDir(tls_dir);
  if (!tls.ok()) return tls.status();
  absl::StatusOr<std::unique_ptr<pki::CertificateVerifier>> verifier =
      pki::CertificateVerifier::Create(tls->ca_cert_pem);
  if (!verifier.ok()) return verifier.status();
  std::string revoked_file = absl::GetFlag(FLAGS_revoked_file);
  if (revoked_file.empty()) revoked_file = pki::TlsPath(tls_dir, pki::kRevokedFile);
  if (!std::filesystem::exists(revoked_file)) {
    LogWarning(absl::StrCat("no revocation list at ", revoked_file,
                            ": no certificate is revoked until it exists (it is re-read when it "
                            "appears or changes)"));
  }
  security.credentials = services::MutualTlsServerCredentials(*tls);
  for (const auto& [name, pem] : {std::pair<const char*, const std::string&>{"server", tls->cert_pem},
                                  {"ca", tls->ca_cert_pem}}) {
    absl::StatusOr<pki::CertificateInfo> info = pki::DescribeCertificate(pem);
    if (!info.ok()) return info.status();
    security.certificates.push_back({name, info->not_after});
  }
  security.verifier = std::move(*verifier);
  security.revocations = std::make_unique<access::RevocationList>(revoked_file, RealClock());
  security.identity = std::make_unique<access::CertificateIdentityResolver>(
      security.verifier.get(), security.revocations.get(), RealClock());
  LogInfo(absl::StrCat("mutual TLS with certificates from ", tls_dir, "; revocations from ",
                       revoked_file));
  return security;
}

// The server's own limits, from the flags; INVALID_ARGUMENT for a value out of range.
absl::StatusOr<services::ServerLimits> ServerLimitsFromFlags() {
  for (const auto& [name, value, min] : std::initializer_list<std::tuple<const char*, int, int>>{
           {"max_threads", absl::GetFlag(FLAGS_max_threads), 0},
           {"max_grpc_memory_mb", absl::GetFlag(FLAGS_max_grpc_memory_mb), 0},
           {"max_streams_per_connection", absl::GetFlag(FLAGS_max_streams_per_connection), 1},
           {"max_streams_per_identity", absl::GetFlag(FLAGS_max_streams_per_identity), 0},
           {"write_burst_per_identity", absl::GetFlag(FLAGS_write_burst_per_identity), 1},
           {"handshake_timeout_seconds", absl::GetFlag(FLAGS_handshake_timeout_seconds), 1},
           {"keepalive_seconds", absl::GetFlag(FLAGS_keepalive_seconds), 1},
           {"keepalive_timeout_seconds", absl::GetFlag(FLAGS_keepalive_timeout_seconds), 1},
           {"max_connection_idle_seconds", absl::GetFlag(FLAGS_max_connection_idle_seconds), 1},
       }) {
    if (value < min) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " must be at least ", min, ", got ", value));
    }
  }
  if (absl::GetFlag(FLAGS_write_rate_per_identity) < 0) {
    return absl::InvalidArgumentError("--write_rate_per_identity must not be negative");
  }
  services::ServerLimits limits;
  limits.max_threads = absl::GetFlag(FLAGS_max_threads);
  limits.max_memory_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_grpc_memory_mb)) << 20;
  limits.max_concurrent_streams_per_connection = absl::GetFlag(FLAGS_max_streams_per_connection);
  limits.handshake_timeout = absl::Seconds(absl::GetFlag(FLAGS_handshake_timeout_seconds));
  limits.keepalive_time = absl::Seconds(absl::GetFlag(FLAGS_keepalive_seconds));
  limits.keepalive_timeout = absl::Seconds(absl::GetFlag(FLAGS_keepalive_timeout_seconds));
  limits.max_connection_idle = absl::Seconds(absl::GetFlag(FLAGS_max_connection_idle_seconds));
  return limits;
}

// disclosured's peers (--serve=disclosure): inspection and portrait.
struct DisclosurePeers {
  std::unique_ptr<services::InspectionFeed> inspection;
  std::unique_ptr<services::EnterpriseHistory> history;
  std::unique_ptr<services::DrawBundles> bundles;
  absl::Duration retry_interval = absl::Seconds(30);
};

// Reads --peers and connects disclosured's peers; false (after saying why) on an error.
// The --peers file a service apart needs (`what` it names); nullopt after saying why
// when it is missing or does not parse.
std::optional<internal::v1::Topology> ReadPeersFile(absl::string_view serve,
                                                    absl::string_view what) {
  if (absl::GetFlag(FLAGS_peers).empty()) {
    LogError(absl::StrCat("--serve=", serve, " needs --peers=FILE naming ", what,
                          " (docs/deploy.md)"));
    return std::nullopt;
  }
  absl::StatusOr<internal::v1::Topology> topology =
      services::LoadTopology(absl::GetFlag(FLAGS_peers));
  if (!topology.ok()) {
    LogError(absl::StrCat("--peers: ", topology.status().ToString()));
    return std::nullopt;
  }
  return *std::move(topology);
}

bool ConnectDisclosurePeers(DisclosurePeers* peers) {
  std::optional<internal::v1::Topology> topology =
      ReadPeersFile("disclosure", "the inspection and portrait services");
  if (!topology) return false;
  absl::StatusOr<std::unique_ptr<services::InspectionFeed>> inspection =
      services::ConnectInspectionPeer(*topology);
  absl::StatusOr<std::unique_ptr<services::EnterpriseHistory>> history =
      services::ConnectHistoryPeer(*topology);
  absl::StatusOr<std::unique_ptr<services::DrawBundles>> bundles =
      services::ConnectDrawBundlePeer(*topology);
  for (const absl::Status& status : {inspection.status(), history.status(), bundles.status()}) {
    if (!status.ok()) {
      LogError(absl::StrCat("--peers: ", status.ToString()));
      return false;
    }
  }
  peers->inspection = *std::move(inspection);
  peers->history = *std::move(history);
  peers->bundles = *std::move(bundles);
  peers->retry_interval = services::HistoryRetryInterval(*topology);
  LogInfo(absl::StrCat("plans and assignments from ", topology->inspection_address(),
                       ", enterprise names and history at ", topology->portrait_address(),
                       topology->service_tls_dir().empty()
                           ? " (plaintext)"
                           : absl::StrCat(" as ", topology->service_tls_dir())));
  return true;
}

// Restores `backup_dir` into `data_dir` after checking that the signing key the
// operator put there is the one the backup's log was signed with.
absl::StatusOr<v1::BackupManifest> Restore(const std::string& backup_dir,
                                           const std::string& data_dir,
                                           const std::string& key_path) {
  absl::StatusOr<v1::BackupManifest> manifest = backup::VerifyBackup(backup_dir);
  if (!manifest.ok()) return manifest.status();
  absl::StatusOr<disclosure::SigningKey> key =
      disclosure::SigningKey::Load(key_path, absl::GetFlag(FLAGS_log_origin));
  if (absl::IsNotFound(key.status())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "put the disclosure log's signing key (backed up separately; a backup never holds "
        "it) at ",
        key_path, " first: a new key would sign the restored log under another identity"));
  }
  if (!key.ok()) return key.status();
  if (!manifest->log_verifier_key().empty() &&
      key->VerifierKey() != manifest->log_verifier_key()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the key at ", key_path, " (", key->VerifierKey(),
                     ") is not the one the backup's log was signed with (",
                     manifest->log_verifier_key(), "); check the key and --log_origin"));
  }
  absl::StatusOr<v1::BackupManifest> restored = backup::RestoreBackup(backup_dir, data_dir);
  if (!restored.ok()) return restored.status();
  absl::StatusOr<absl::Time> made = services::FromProtoTimestamp(restored->create_time());
  LogInfo(absl::StrCat("restored ", restored->files_size(), " files of the backup made ",
                       made.ok() ? absl::FormatTime(*made) : "at an unknown time", " into ",
                       data_dir));
  return restored;
}

int Run() {
  // Block the stop signals in every thread, before any exists (gRPC starts its own as soon
  // as credentials are made): only this one takes them, in sigwait below. Otherwise a
  // signal during startup, or a second one while stopping, kills the process outright.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // The database holds sealed nonces and unpublished results: for this user only.
  ::umask(077);

  absl::StatusOr<LogFormat> log_format = ParseLogFormat(absl::GetFlag(FLAGS_log_format));
  if (!log_format.ok()) {
    LogError(log_format.status().ToString());
    return 2;
  }
  SetLogFormat(*log_format);
  const std::string restore_from = absl::GetFlag(FLAGS_restore_from);
  std::string published_checkpoint;
  if (const std::string path = absl::GetFlag(FLAGS_published_checkpoint); !path.empty()) {
    absl::StatusOr<std::string> note = ReadWholeFile(path);
    if (!note.ok()) {
      LogError(absl::StrCat("--published_checkpoint: ", note.status().ToString()));
      return 2;
    }
    published_checkpoint = *std::move(note);
  }
  if (!restore_from.empty() && published_checkpoint.empty() &&
      !absl::GetFlag(FLAGS_accept_log_fork_risk)) {
    LogError(
        "--restore_from needs --published_checkpoint=FILE (the latest checkpoint the public "
        "has seen, e.g. the site's checkpoint file), so that a restored log never forks the "
        "published one; or --accept_log_fork_risk when none can be had (docs/operations.md)");
    return 2;
  }
  if (absl::GetFlag(FLAGS_metrics_refresh_seconds) < 1 ||
      absl::GetFlag(FLAGS_deadline_warning_working_days) < 0 ||
      absl::GetFlag(FLAGS_deadline_warning_working_days) > 250) {
    LogError("--metrics_refresh_seconds must be at least 1 and --deadline_warning_working_days "
             "0 to 250");
    return 2;
  }

  absl::StatusOr<services::ServedServices> serve =
      services::ParseServedServices(absl::GetFlag(FLAGS_serve));
  if (!serve.ok()) {
    LogError(serve.status().ToString());
    return 2;
  }
  // The peers this service calls (none for all and portrait).
  std::unique_ptr<services::PortraitFeed> portrait_peer;
  std::unique_ptr<services::AlertFeed> alert_feed_peer;
  services::InspectionPeers inspection_peers;
  DisclosurePeers disclosure_peers;
  if (*serve == services::ServedServices::kScoring) {
    std::optional<internal::v1::Topology> topology =
        ReadPeersFile("scoring", "the portrait service");
    if (!topology) return 2;
    absl::StatusOr<std::unique_ptr<services::PortraitFeed>> peer =
        services::ConnectPortraitPeer(*topology);
    if (!peer.ok()) {
      LogError(absl::StrCat("--peers: ", peer.status().ToString()));
      return 2;
    }
    portrait_peer = *std::move(peer);
    // ScoreAll's score changes go where the alerts live, with portrait.
    absl::StatusOr<std::unique_ptr<services::AlertFeed>> alerts =
        services::ConnectAlertFeedPeer(*topology);
    if (!alerts.ok()) {
      LogError(absl::StrCat("--peers: ", alerts.status().ToString()));
      return 2;
    }
    alert_feed_peer = *std::move(alerts);
    LogInfo(absl::StrCat("portraits from ", topology->portrait_address(),
                         topology->service_tls_dir().empty()
                             ? " (plaintext)"
                             : absl::StrCat(" as ", topology->service_tls_dir())));
  } else if (*serve == services::ServedServices::kInspection) {
    std::optional<internal::v1::Topology> topology =
        ReadPeersFile("inspection", "the portrait and scoring services and the disclosure log");
    if (!topology) return 2;
    absl::StatusOr<services::InspectionPeers> peers = services::ConnectInspectionPeers(*topology);
    if (!peers.ok()) {
      LogError(absl::StrCat("--peers: ", peers.status().ToString()));
      return 2;
    }
    inspection_peers = *std::move(peers);
    LogInfo(absl::StrCat("population from ",
                         topology->portrait_shard_map().empty()
                             ? absl::StrCat(topology->portrait_address(), " and ",
                                            topology->scoring_address())
                             : absl::StrCat("the shards of ", topology->portrait_shard_map(),
                                            " and ", topology->scoring_shard_map()),
                         ", publishing to ",
                         topology->disclosure_address(),
                         topology->service_tls_dir().empty()
                             ? " (plaintext)"
                             : absl::StrCat(" as ", topology->service_tls_dir())));
  } else if (*serve == services::ServedServices::kDisclosure) {
    if (!ConnectDisclosurePeers(&disclosure_peers)) return 2;
  } else if (!absl::GetFlag(FLAGS_peers).empty()) {
    LogWarning(absl::StrCat("--peers is not used with --serve=", absl::GetFlag(FLAGS_serve)));
  }

  const std::string listen = absl::GetFlag(FLAGS_listen);
  absl::StatusOr<Security> security = SetUpSecurity(listen);
  if (!security.ok()) {
    LogError(security.status().ToString());
    return 2;
  }

  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    LogError(absl::StrCat("cannot create --data_dir ", data_dir, ": ", error.message()));
    return 1;
  }

  // Probes may ask from now on: NOT_SERVING until the listener below is up, so a long
  // start (a large database, a resumed draw) is not mistaken for a dead process.
  std::unique_ptr<services::HealthListener> health;
  if (const std::string address = absl::GetFlag(FLAGS_health_listen); !address.empty()) {
    absl::StatusOr<std::unique_ptr<services::HealthListener>> started =
        services::HealthListener::Start(address, services::ServedServiceNames(*serve));
    if (!started.ok()) {
      LogError(absl::StrCat("--health_listen: ", started.status().ToString()));
      return absl::IsInvalidArgument(started.status()) ? 2 : 1;
    }
    health = *std::move(started);
    LogInfo(absl::StrCat("health checks (plaintext, grpc.health.v1 only) on port ",
                         health->port()));
  }

  // A key the operator names must already exist (a mounted secret); the default one is
  // made on first run.
  const bool key_named = !absl::GetFlag(FLAGS_log_key).empty();
  const std::string key_path =
      key_named ? absl::GetFlag(FLAGS_log_key)
                : (std::filesystem::path(data_dir) / "log-signing-key.pem").string();
  std::string restored_checkpoint;
  if (!restore_from.empty()) {
    absl::StatusOr<v1::BackupManifest> restored = Restore(restore_from, data_dir, key_path);
    if (!restored.ok()) {
      LogError(absl::StrCat("--restore_from ", restore_from, ": ", restored.status().ToString()));
      return 1;
    }
    restored_checkpoint = restored->log_checkpoint();
  }

  storage::RocksDbOptions db_options;
  db_options.path = (std::filesystem::path(data_dir) / "rocksdb").string();
  absl::StatusOr<std::unique_ptr<storage::KvStore>> store = storage::OpenRocksDbStore(db_options);
  if (!store.ok()) {
    LogError(absl::StrCat("cannot open the database: ", store.status().ToString()));
    return 1;
  }

  absl::StatusOr<disclosure::SigningKey> log_key =
      key_named ? disclosure::SigningKey::Load(key_path, absl::GetFlag(FLAGS_log_origin))
                : disclosure::SigningKey::LoadOrGenerate(key_path, absl::GetFlag(FLAGS_log_origin));
  if (!log_key.ok()) {
    LogError(absl::StrCat("disclosure log key ", key_path, ": ", log_key.status().ToString()));
    return 1;
  }
  LogInfo(absl::StrCat("disclosure log ", absl::GetFlag(FLAGS_log_origin), ", verifier key ",
                       log_key->VerifierKey()));

  std::optional<disclosure::HolidayCalendar> holidays;
  if (const std::string path = absl::GetFlag(FLAGS_holidays); !path.empty()) {
    absl::StatusOr<disclosure::HolidayCalendar> calendar =
        disclosure::HolidayCalendar::LoadFromFile(path);
    if (!calendar.ok()) {
      LogError(absl::StrCat("--holidays: ", calendar.status().ToString()));
      return 2;
    }
    holidays = *std::move(calendar);
  }
  if (absl::GetFlag(FLAGS_publish_working_days) < 1) {
    LogError("--publish_working_days must be at least 1");
    return 2;
  }
  if (absl::GetFlag(FLAGS_objection_answer_working_days) < 1 ||
      absl::GetFlag(FLAGS_objection_answer_working_days) > 60) {
    LogError("--objection_answer_working_days must be from 1 to 60");
    return 2;
  }
  const absl::Duration min_entropy_delay = absl::GetFlag(FLAGS_min_entropy_delay);
  if (min_entropy_delay < absl::ZeroDuration() || min_entropy_delay > absl::Hours(168) ||
      absl::Seconds(absl::ToInt64Seconds(min_entropy_delay)) != min_entropy_delay) {
    LogError("--min_entropy_delay must be whole seconds from 0s to 168h, e.g. 10m");
    return 2;
  }
  const absl::Duration checkpoint_interval = absl::GetFlag(FLAGS_portrait_checkpoint_interval);
  if (checkpoint_interval < absl::Milliseconds(100) || checkpoint_interval > absl::Hours(1)) {
    LogError("--portrait_checkpoint_interval must be from 100ms to 1h, e.g. 10s");
    return 2;
  }
  if (min_entropy_delay < absl::Minutes(1)) {
    LogWarning(absl::StrCat("--min_entropy_delay=", absl::FormatDuration(min_entropy_delay),
                            ": a demo setting; commitments publish it, and a delay this short "
                            "shows readers little about when a statement was made"));
  }

  absl::StatusOr<services::ServerLimits> limits = ServerLimitsFromFlags();
  if (!limits.ok()) {
    LogError(limits.status().ToString());
    return 2;
  }

  backup::FenceOptions fence;
  fence.data_dir = data_dir;
  fence.published_checkpoint = published_checkpoint;
  fence.restored_from_checkpoint = restored_checkpoint;
  fence.accept_fork_risk = absl::GetFlag(FLAGS_accept_log_fork_risk);
  absl::StatusOr<std::optional<std::string>> fenced =
      backup::DecideLogFence(store->get(), *log_key, fence);
  if (!fenced.ok()) {
    LogError(absl::StrCat("disclosure log: ", fenced.status().ToString()));
    return absl::IsInvalidArgument(fenced.status()) ? 2 : 1;
  }
  if (fenced->has_value()) {
    LogError(absl::StrCat("the disclosure log will not sign: ", **fenced,
                          ". Public records stay queued. Restore a newer backup, or see "
                          "docs/operations.md (\"Restore\") for --accept_log_fork_risk"));
  }

  ops::OperationsOptions ops_options;
  ops_options.data_dir = data_dir;
  ops_options.call_log.log_reads = absl::GetFlag(FLAGS_log_reads);
  ops_options.sampler.interval = absl::Seconds(absl::GetFlag(FLAGS_metrics_refresh_seconds));
  ops_options.sampler.due_soon_working_days = absl::GetFlag(FLAGS_deadline_warning_working_days);
  ops_options.log_fence = *fenced;
  ops_options.certificates = security->certificates;
  ops::Operations operations(ops_options);
  std::unique_ptr<telemetry::MetricsEndpoint> metrics;
  if (const std::string address = absl::GetFlag(FLAGS_metrics_listen); !address.empty()) {
    absl::StatusOr<std::unique_ptr<telemetry::MetricsEndpoint>> endpoint =
        telemetry::MetricsEndpoint::Start(address, operations.collectables());
    if (!endpoint.ok() && absl::IsUnavailable(endpoint.status()) &&
        address == kDefaultMetricsListen) {
      // The default address is best effort (a second server on this host, a test); an
      // address the operator names must be free.
      LogError(absl::StrCat(endpoint.status().message(),
                            "; serving without metrics (name a free --metrics_listen)"));
    } else if (!endpoint.ok()) {
      LogError(endpoint.status().ToString());
      return absl::IsInvalidArgument(endpoint.status()) ? 2 : 1;
    } else {
      metrics = *std::move(endpoint);
    }
  }
  if (metrics != nullptr) {
    const std::string address = absl::GetFlag(FLAGS_metrics_listen);
    if (!IsLoopbackAddress(address)) {
      LogWarning(absl::StrCat("metrics on ", address,
                              " are plain HTTP beyond loopback: restrict who reaches it"));
    }
    LogInfo(absl::StrCat("metrics on http://", address.substr(0, address.rfind(':')), ":",
                         metrics->port(), "/metrics"));
  }

  services::ServerOptions options;
  options.serve = *serve;
  options.portraits = portrait_peer.get();
  options.alert_feed = alert_feed_peer.get();
  options.population = inspection_peers.population.get();
  options.remote_log = inspection_peers.log;
  options.inspection = disclosure_peers.inspection.get();
  options.enterprise_history = disclosure_peers.history.get();
  options.draw_bundles = disclosure_peers.bundles.get();
  options.history_retry_interval = disclosure_peers.retry_interval;
  options.limits = *limits;
  options.call_limits.max_streams_per_identity = absl::GetFlag(FLAGS_max_streams_per_identity);
  options.call_limits.writes_per_second_per_identity =
      absl::GetFlag(FLAGS_write_rate_per_identity);
  options.call_limits.write_burst_per_identity = absl::GetFlag(FLAGS_write_burst_per_identity);
  options.operations = &operations;
  options.backup_staging_dir =
      (std::filesystem::path(data_dir) / "backup-staging").string();
  options.holidays = holidays.has_value() ? &*holidays : nullptr;
  options.publish_working_days = absl::GetFlag(FLAGS_publish_working_days);
  options.objection_answer_working_days = absl::GetFlag(FLAGS_objection_answer_working_days);
  options.log_key = *log_key;
  options.draw_threads = absl::GetFlag(FLAGS_draw_threads);
  options.min_entropy_delay = min_entropy_delay;
  options.portrait_checkpoint_interval = checkpoint_interval;
  options.listen_address = listen;
  options.credentials = security->credentials;
  options.identity = security->identity.get();
  absl::StatusOr<std::unique_ptr<services::RegulationServer>> server =
      services::RegulationServer::Start(std::move(*store), options);
  if (!server.ok()) {
    LogError(server.status().ToString());
    return 1;
  }
  LogInfo(absl::StrCat("serving regulation.v1 (", absl::GetFlag(FLAGS_serve), ") on ", listen,
                       " (port ", (*server)->port(), "), data in ", db_options.path));
  if (health != nullptr) health->SetServing(true);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  LogInfo(absl::StrCat("signal ", signal_number, ": draining calls in flight"));
  if (health != nullptr) health->SetServing(false);
  (*server)->Shutdown(absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_drain_seconds)));
  server->reset();
  LogInfo("stopped; database closed");
  return 0;
}

}  // namespace
}  // namespace regulation

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "serves the regulation.v1 gRPC services.\n"
      "  regulatord --listen=localhost:50051 --data_dir=./data --tls_dir=./data/pki/server\n"
      "  regulatord --listen=localhost:50051 --data_dir=./data --insecure_loopback");
  absl::ParseCommandLine(argc, argv);
  regulation::SetLogProgramName(REGULATION_PROGRAM_NAME);
  return regulation::Run();
}
