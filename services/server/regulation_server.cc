#include "services/server/regulation_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "disclosure/embedded_holidays.h"
#include "disclosure/publication_queue.h"
#include "disclosure/transparency_log.h"
#include "services/access/access_interceptor.h"
#include "services/alerts/alert_book.h"
#include "services/alerts/alert_monitor.h"
#include "services/alerts/alert_service_impl.h"
#include "services/audit/audit_log.h"
#include "services/backup/admin_service_impl.h"
#include "services/backup/backup_maker.h"
#include "services/audit/audit_service_impl.h"
#include "services/disclosure/disclosure_service_impl.h"
#include "services/disclosure/history_catch_up.h"
#include "services/disclosure/public_records.h"
#include "services/disclosure/result_desk.h"
#include "services/disclosure/withdrawal_desk.h"
#include "services/disclosure/objection_desk.h"
#include "services/inspection/assignment_board.h"
#include "services/inspection/draw_archive.h"
#include "services/inspection/draw_desk.h"
#include "services/inspection/enterprise_draws.h"
#include "services/inspection/inspection_service_impl.h"
#include "services/inspection/plan_book.h"
#include "services/inspection/recusal_desk.h"
#include "services/inspection/roster.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/portrait_service_impl.h"
#include "services/scoring/backtest.h"
#include "services/scoring/model_registry.h"
#include "services/scoring/risk_scorer.h"
#include "services/scoring/scoring_service_impl.h"
#include "services/seams/local_population.h"
#include "services/seams/alert_feed_service.h"
#include "services/seams/enterprise_history_service.h"
#include "services/seams/inspection_feed_service.h"
#include "services/seams/local_enterprise_history.h"
#include "services/seams/local_inspection_feed.h"
#include "services/seams/local_portrait_feed.h"
#include "services/seams/log_append_service.h"
#include "services/seams/population_feed_service.h"
#include "services/seams/portrait_feed_service.h"
#include "services/seams/score_change_outbox.h"

namespace regulation::services {

namespace {

DrawDesk::Options DeskOptions(const ServerOptions& options) {
  DrawDesk::Options out;
  out.draw_threads = options.draw_threads;
  out.min_entropy_delay = options.min_entropy_delay;
  out.population = options.population;
  return out;
}

EventIngestor::Options IngestorOptions(const ServerOptions& options) {
  EventIngestor::Options out;
  out.portraits.checkpoint_interval = options.portrait_checkpoint_interval;
  return out;
}

}  // namespace

absl::StatusOr<ServedServices> ParseServedServices(absl::string_view name) {
  if (name == "all") return ServedServices::kAll;
  if (name == "portrait") return ServedServices::kPortrait;
  if (name == "scoring") return ServedServices::kScoring;
  if (name == "inspection") return ServedServices::kInspection;
  if (name == "disclosure") return ServedServices::kDisclosure;
  return absl::InvalidArgumentError(absl::StrCat(
      "--serve: \"", name, "\" is not one of all, portrait, scoring, inspection, disclosure"));
}

std::vector<std::string> ServedServiceNames(ServedServices serve) {
  std::vector<std::string> common = {"regulation.v1.AuditService", "regulation.v1.AdminService"};
  switch (serve) {
    case ServedServices::kAll:
      break;
    case ServedServices::kPortrait:
      common.insert(common.begin(), {"regulation.v1.PortraitService",
                                     "regulation.internal.v1.PortraitFeedService",
                                     "regulation.internal.v1.PortraitPopulationService",
                                     "regulation.internal.v1.EnterpriseHistoryService",
                                     "regulation.v1.AlertService",
                                     "regulation.internal.v1.AlertFeedService"});
      return common;
    case ServedServices::kScoring:
      common.insert(common.begin(), {"regulation.v1.ScoringService",
                                     "regulation.internal.v1.StoredClassService"});
      return common;
    case ServedServices::kInspection:
      common.insert(common.begin(), {"regulation.v1.InspectionService",
                                     "regulation.internal.v1.InspectionFeedService"});
      return common;
    case ServedServices::kDisclosure:
      common.insert(common.begin(), {"regulation.v1.DisclosureService",
                                     "regulation.internal.v1.LogAppendService"});
      return common;
  }
  std::vector<std::string> all = ServedServiceNames();
  all.push_back("regulation.internal.v1.PortraitFeedService");
  all.push_back("regulation.internal.v1.PortraitPopulationService");
  all.push_back("regulation.internal.v1.StoredClassService");
  all.push_back("regulation.internal.v1.LogAppendService");
  all.push_back("regulation.internal.v1.InspectionFeedService");
  all.push_back("regulation.internal.v1.EnterpriseHistoryService");
  all.push_back("regulation.internal.v1.AlertFeedService");
  return all;
}

const std::vector<std::string>& ServedServiceNames() {
  static const auto* const kNames = new std::vector<std::string>{
      "regulation.v1.PortraitService", "regulation.v1.ScoringService",
      "regulation.v1.InspectionService", "regulation.v1.DisclosureService",
      "regulation.v1.AuditService", "regulation.v1.AdminService", "regulation.v1.AlertService"};
  return *kNames;
}

// The domain objects and service implementations, in construction order.
struct RegulationServer::Services {
  Services(storage::KvStore* store, Clock* clock, std::unique_ptr<audit::AuditLog> audit_log,
           access::AuditSink* audit_sink,
           std::unique_ptr<ModelRegistry> models,
           std::unique_ptr<disclosure::TransparencyLog> log,
           std::unique_ptr<disclosure::LogWriter> log_writer,
           std::unique_ptr<disclosure::PublicationQueue> publications,
           const disclosure::HolidayCalendar* holidays, const ServerOptions& options)
      : audit_log(std::move(audit_log)),
        models(std::move(models)),
        log(std::move(log)),
        log_writer(std::move(log_writer)),
        publications(std::move(publications)),
        alert_book(store, clock),
        alert_monitor(store, &alert_book),
        directory(store, clock),
        ingestor(store, clock, IngestorOptions(options)),
        reader(store, &directory, clock, ingestor.portraits()),
        local_portraits(store, &directory, &reader),
        portrait_feed(&local_portraits),
        local_population(store),
        local_classes(store),
        population_service(&local_population),
        class_service(&local_classes),
        log_append(store, this->publications.get()),
        local_history(store, &ingestor),
        history_service(&local_history, clock),
        scorer(store, portraits(options), this->models.get(), clock),
        // Apart from portrait (scoringd) there is no history here to backtest over.
        backtester(options.portraits != nullptr ? nullptr : store, portraits(options),
                   this->models.get(), clock),
        roster(store, clock),
        plans(store, &roster, clock, options.population),
        board(store),
        entropy_sources(store, this->publications.get(), clock),
        desk(store, &plans, &board, this->publications.get(), &entropy_sources, clock,
             DeskOptions(options)),
        draw_reader(store, DeskOptions(options).archive),
        recusals(store, &plans, &roster, clock),
        local_inspection(&plans, &board),
        local_bundles(store),
        inspection_feed(&local_inspection, &local_bundles),
        disclosure_reads_inspection(options.inspection != nullptr ? options.inspection
                                                                  : &local_inspection),
        enterprise_draws(store, &draw_reader, this->publications.get()),
        results(store, disclosure_reads_inspection,
                options.enterprise_history != nullptr ? options.enterprise_history
                                                      : &local_history,
                this->publications.get(), holidays, clock, {options.publish_working_days}),
        withdrawals(store, this->log.get(), disclosure_reads_inspection, this->publications.get(),
                    clock),
        records(store, this->log.get(), this->publications.get(), options.draw_bundles),
        objections(store, &results, disclosure_reads_inspection, this->publications.get(),
                   holidays, clock,
                   {options.objection_answer_working_days}),
        backups({store, this->log.get(), this->audit_log.get(), options.backup_staging_dir, clock}),
        admin(&backups),
        audit(this->audit_log.get()),
        portrait(&directory, &ingestor, &reader, audit_sink),
        scoring(store, TrainingRowsFrom(portraits(options)), this->models.get(), &scorer,
                &backtester, clock),
        inspection(&roster, &entropy_sources, &plans, &desk, &board, &recusals, &enterprise_draws),
        disclosure(&results, &withdrawals, &records, &objections),
        alerts(&alert_book),
        alert_feed(&alert_monitor) {
    // Alert rules run on durable events and on each ScoreAll chunk (services/alerts).
    ingestor.set_durable_observer(&alert_monitor);
    alert_monitor.set_current_states(ingestor.portraits());
    scorer.set_change_observer(&alert_monitor);
  }

  // Where scoring reads portraits: the portrait peer when scoring runs apart, else in
  // process.
  PortraitFeed* portraits(const ServerOptions& options) {
    return options.portraits != nullptr ? options.portraits : &local_portraits;
  }

  std::unique_ptr<audit::AuditLog> audit_log;
  std::unique_ptr<ModelRegistry> models;
  std::unique_ptr<disclosure::TransparencyLog> log;
  std::unique_ptr<disclosure::LogWriter> log_writer;
  std::unique_ptr<disclosure::PublicationQueue> publications;
  AlertBook alert_book;
  AlertMonitor alert_monitor;
  EnterpriseDirectory directory;
  EventIngestor ingestor;
  PortraitReader reader;
  // Portraits as scoring reads them in process, and as portraitd serves them to scoringd.
  LocalPortraitFeed local_portraits;
  PortraitFeedServiceImpl portrait_feed;
  // Portrait's and scoring's halves of the population inspection freezes, as portraitd
  // and scoringd serve them to inspectiond (in process the desk joins its own).
  LocalPortraitPopulation local_population;
  LocalStoredClasses local_classes;
  PortraitPopulationServiceImpl population_service;
  StoredClassServiceImpl class_service;
  // The public records of services run apart (inspectiond), into this server's log.
  LogAppendServiceImpl log_append;
  // Names and history as disclosure reaches them in process, and as the portrait side
  // serves them to disclosured.
  LocalEnterpriseHistory local_history;
  EnterpriseHistoryServiceImpl history_service;
  RiskScorer scorer;
  Backtester backtester;
  Roster roster;
  PlanBook plans;
  AssignmentBoard board;
  EntropyRegistry entropy_sources;
  DrawDesk desk;
  DrawArchive draw_reader;
  RecusalDesk recusals;
  // Plans and assignments as disclosure reads them in process.
  LocalInspectionFeed local_inspection;
  // The draw rounds and bundles of this server's plans, for the public records of draws.
  LocalDrawBundles local_bundles;
  InspectionFeedServiceImpl inspection_feed;
  // Where the disclosure desks read plans and assignments: local_inspection, or the
  // inspection peer (ServerOptions.inspection).
  InspectionFeed* const disclosure_reads_inspection;
  EnterpriseDraws enterprise_draws;
  ResultDesk results;
  WithdrawalDesk withdrawals;
  PublicRecords records;
  ObjectionDesk objections;
  backup::BackupMaker backups;
  backup::AdminServiceImpl admin;
  audit::AuditServiceImpl audit;
  PortraitServiceImpl portrait;
  ScoringServiceImpl scoring;
  InspectionServiceImpl inspection;
  DisclosureServiceImpl disclosure;
  AlertServiceImpl alerts;
  // Score changes from scoring apart, into this server's alerts.
  AlertFeedServiceImpl alert_feed;
};

absl::StatusOr<std::unique_ptr<RegulationServer>> RegulationServer::Start(
    std::unique_ptr<storage::KvStore> store, const ServerOptions& options) {
  if (options.identity == nullptr || options.credentials == nullptr) {
    return absl::InvalidArgumentError("ServerOptions.identity and .credentials are required");
  }
  if (options.serve == ServedServices::kScoring && options.portraits == nullptr) {
    return absl::InvalidArgumentError(
        "ServerOptions.portraits is required to serve scoring alone (the portrait peer)");
  }
  if (options.serve == ServedServices::kInspection && options.population == nullptr) {
    return absl::InvalidArgumentError(
        "ServerOptions.population is required to serve inspection alone (the portrait and "
        "scoring peers)");
  }
  if (options.serve == ServedServices::kDisclosure &&
      (options.inspection == nullptr || options.enterprise_history == nullptr)) {
    return absl::InvalidArgumentError(
        "ServerOptions.inspection and .enterprise_history are required to serve disclosure "
        "alone (the inspection and portrait peers)");
  }
  std::unique_ptr<RegulationServer> server(new RegulationServer());
  server->store_ = std::move(store);
  absl::StatusOr<std::unique_ptr<audit::AuditLog>> audit_log =
      audit::AuditLog::Open(server->store_.get(), options.clock);
  if (!audit_log.ok()) return audit_log.status();
  absl::StatusOr<std::unique_ptr<ModelRegistry>> models =
      ModelRegistry::Open(server->store_.get(), options.clock);
  if (!models.ok()) return models.status();
  absl::StatusOr<disclosure::SigningKey> log_key =
      options.log_key.has_value()
          ? absl::StatusOr<disclosure::SigningKey>(*options.log_key)
          : disclosure::SigningKey::Generate("regulation.invalid/test-disclosure");
  if (!log_key.ok()) return log_key.status();
  absl::StatusOr<std::unique_ptr<disclosure::TransparencyLog>> log =
      disclosure::TransparencyLog::Open(server->store_.get(), *std::move(log_key));
  if (!log.ok()) return log.status();
  std::unique_ptr<disclosure::LogWriter> log_writer =
      options.remote_log ? options.remote_log(server->store_.get())
                         : disclosure::WriterFor(log->get());
  if (options.operations != nullptr) {
    log_writer = options.operations->WrapLogWriter(std::move(log_writer));
  }
  absl::StatusOr<std::unique_ptr<disclosure::PublicationQueue>> publications =
      disclosure::PublicationQueue::Open(server->store_.get(), log_writer.get());
  if (!publications.ok()) return publications.status();
  // Records a crash left queued are published now.
  if (absl::StatusOr<int64_t> flushed = (*publications)->Flush(); !flushed.ok()) {
    LogError(absl::StrCat("public records stay queued: ", flushed.status().ToString()));
  }
  const disclosure::HolidayCalendar* holidays = options.holidays;
  if (holidays == nullptr) {
    absl::StatusOr<disclosure::HolidayCalendar> embedded =
        disclosure::HolidayCalendar::Parse(disclosure::EmbeddedHolidayCalendar());
    if (!embedded.ok()) return embedded.status();
    server->embedded_holidays_ = std::make_unique<disclosure::HolidayCalendar>(*std::move(embedded));
    holidays = server->embedded_holidays_.get();
  }
  // Every audit record goes through one sink: counted when operations are attached.
  access::AuditSink* audit_sink = audit_log->get();
  if (options.operations != nullptr) {
    server->counted_audit_ = options.operations->WrapAuditSink(audit_sink);
    audit_sink = server->counted_audit_.get();
  }
  server->services_ = std::make_unique<Services>(
      server->store_.get(), options.clock, std::move(*audit_log), audit_sink, std::move(*models),
      std::move(*log), std::move(log_writer), std::move(*publications), holidays, options);

  const ServedServices serve = options.serve;
  if (serve == ServedServices::kAll || serve == ServedServices::kPortrait) {
    // Portrait states a crash left behind the ingest log are rebuilt from the events, and
    // the repeat filter filled, before anything reads or ingests (live_portraits.h).
    if (absl::Status started = server->services_->ingestor.Start(); !started.ok()) {
      return started;
    }
  }
  if (serve == ServedServices::kAll) {
    // Results approved before results became history (or restored from elsewhere).
    if (absl::StatusOr<int64_t> recorded = server->services_->results.RecordHistory();
        !recorded.ok()) {
      LogError(absl::StrCat("approved results not recorded as events: ",
                            recorded.status().ToString()));
    }
  }
  if (serve == ServedServices::kDisclosure) {
    // Apart from portrait, the same in the background (it calls both peers for every
    // approved result), and again whenever an event could not be sent.
    server->history_catch_up_ = std::make_unique<HistoryCatchUp>(
        &server->services_->results, options.history_retry_interval);
  }
  if (serve == ServedServices::kScoring) {
    // Apart from portrait, where the alerts live: ScoreAll's changes go to an outbox in
    // this store, delivered in the background; none without a feed (no local alerts).
    if (options.alert_feed != nullptr) {
      server->score_outbox_ =
          std::make_unique<ScoreChangeOutbox>(server->store_.get(), options.alert_feed);
    }
    server->services_->scorer.set_change_observer(server->score_outbox_.get());
  }
  if (serve == ServedServices::kAll) {
    // Draws kept in parts whose assignments a crash left half-written (draw_fanout.h).
    if (absl::Status resumed = server->services_->desk.ResumeFanOuts(); !resumed.ok()) {
      return resumed;
    }
  }
  if (serve == ServedServices::kInspection) {
    // As above; the assignments quote enterprises from the portrait peer, which may not be
    // up yet: each draw call finishes its plan's fan-out first anyway.
    if (absl::Status resumed = server->services_->desk.ResumeFanOuts(); !resumed.ok()) {
      LogError(absl::StrCat("unfinished fan-outs wait for the next draw call: ",
                            resumed.ToString()));
    }
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address, options.credentials, &server->port_);
  if (serve == ServedServices::kAll || serve == ServedServices::kPortrait) {
    builder.RegisterService(&server->services_->portrait);
    builder.RegisterService(&server->services_->portrait_feed);
    builder.RegisterService(&server->services_->population_service);
    builder.RegisterService(&server->services_->history_service);
    // Alerts live with portrait: its events' alerts are raised here, and scoring apart
    // reports its score changes here (docs/deploy.md §4).
    builder.RegisterService(&server->services_->alerts);
    builder.RegisterService(&server->services_->alert_feed);
  }
  if (serve == ServedServices::kAll || serve == ServedServices::kScoring) {
    builder.RegisterService(&server->services_->scoring);
    builder.RegisterService(&server->services_->class_service);
  }
  if (serve == ServedServices::kAll || serve == ServedServices::kInspection) {
    builder.RegisterService(&server->services_->inspection);
    // What disclosured reads of inspection: served by whoever serves inspection.
    builder.RegisterService(&server->services_->inspection_feed);
  }
  if (serve == ServedServices::kAll || serve == ServedServices::kDisclosure) {
    builder.RegisterService(&server->services_->disclosure);
    // The public records of services run apart (inspectiond), into this server's log.
    builder.RegisterService(&server->services_->log_append);
  }
  builder.RegisterService(&server->services_->audit);
  builder.RegisterService(&server->services_->admin);
  ApplyServerLimits(options.limits, &builder);
  server->limiter_ = std::make_unique<access::CallLimiter>(options.call_limits, options.clock);
  // Operations observe the services and see every call first (request id, metrics).
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  if (options.operations != nullptr) {
    Services& s = *server->services_;
    server->ops_session_ = options.operations->Attach(
        {server->store_.get(), s.audit_log.get(), s.log.get(), &s.results, s.models.get(),
         &s.ingestor, &s.scorer});
    interceptors = server->ops_session_->TakeInterceptors();
  }
  access::AccessOptions access_options;
  access_options.resolver = options.identity;
  access_options.audit = audit_sink;
  access_options.clock = options.clock;
  access_options.limiter = server->limiter_.get();
  access_options.max_threads = options.limits.max_threads;
  for (auto& access : access::MakeAccessInterceptors(access_options)) {
    interceptors.push_back(std::move(access));
  }
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen_address,
                                               " (address in use, or not a valid host:port)"));
  }
  for (const std::string& service : ServedServiceNames(serve)) {
    server->server_->GetHealthCheckService()->SetServingStatus(service, true);
  }
  return server;
}

void RegulationServer::Shutdown(absl::Time deadline) {
  if (shut_down_) return;
  shut_down_ = true;
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(absl::ToChronoTime(deadline));
  server_->Wait();
}

RegulationServer::~RegulationServer() {
  if (server_ != nullptr) Shutdown(absl::Now() + absl::Seconds(10));
  server_.reset();
  history_catch_up_.reset();
  score_outbox_.reset();
  ops_session_.reset();
  limiter_.reset();
  services_.reset();
  store_.reset();
}

}  // namespace regulation::services
