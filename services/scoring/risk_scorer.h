#ifndef SERVICES_SCORING_RISK_SCORER_H_
#define SERVICES_SCORING_RISK_SCORER_H_

// Scores: one enterprise now, with reasons (Score); every enterprise as a batch job
// (ScoreAll); the stored batch scores (GetScore) and their class distribution.
//
// Score computes TreeSHAP contributions, about a thousand times the cost of a
// prediction, so reasons are computed only on demand, never in the batch.
//
// Portraits come from a PortraitFeed (services/seams): the same code scores in
// regulatord and in scoringd, apart from portraitd.
//
// ScoreAll walks the directory once, in credit-code order, in chunks: reads the
// portrait states, computes the features (all at one moment, the run's start) into the
// chunk's float block, predicts the block in one call (the active model's compiled
// predictor, model_registry.h), shows the alert hook each chunk's changes (read by one
// scan of the stored scores over the chunk's range), and writes the scores since the last
// progress message as one sorted run (KvStore::WriteSortedRun: a table file RocksDB
// ingests, durable when it returns) before that message is sent.
// Reading overlaps predicting and writing; memory is two chunks, allocated once.
// Progress messages carry a resume token (model, last code, enterprises so far) sent
// only after the scores it covers are durable, so a run resumed from a token loses
// nothing. Their total is the store's estimate of the directory's size while the run
// goes (no second scan to count) and exact in the last message. A resumed run scores
// the rest as of the moment it resumes. With a quantile class policy, a first pass
// computes the cut points.
//
// Thread safety: safe for concurrent use. Each call takes the active model once, at its
// start, and uses it to the end, even if another model is activated meanwhile.

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/keep_going.h"
#include "regulation/v1/scoring_service.pb.h"
#include "services/access/caller.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/portrait_reader.h"
#include "services/scoring/model_registry.h"
#include "services/scoring/score_all_probe.h"
#include "services/scoring/score_change_observer.h"
#include "services/seams/local_portrait_feed.h"
#include "services/seams/portrait_feed.h"
#include "storage/kv_store.h"

namespace regulation::services {

class RiskScorer {
 public:
  // Enterprises per ScoreAll chunk.
  static constexpr int kChunk = 16384;
  // Enterprises between ScoreAll progress messages (by default).
  static constexpr int kProgressEvery = 65536;
  // Threads of the compiled predictor in ScoreAll. One: it predicts a chunk in a fraction
  // of the time the reader thread takes to produce one (docs/scoring.md), so a second
  // would only take a core from the reader.
  static constexpr int kPredictThreads = 1;
  void set_progress_every_for_testing(int n) { progress_every_ = n; }

  // Scores what `portraits` feeds (services/seams/portrait_feed.h: the store in
  // process, or portraitd over gRPC) into `store` (the scoring service's own: scores,
  // models). Everything must outlive the scorer.
  RiskScorer(storage::KvStore* store, PortraitFeed* portraits, ModelRegistry* registry,
             Clock* clock)
      : store_(store), portraits_(portraits), registry_(registry), clock_(clock) {}

  // In process, over one store: portraits are read from `store` too.
  RiskScorer(storage::KvStore* store, EnterpriseDirectory* directory, PortraitReader* reader,
             ModelRegistry* registry, Clock* clock)
      : store_(store),
        own_portraits_(std::make_unique<LocalPortraitFeed>(store, directory, reader)),
        portraits_(own_portraits_.get()),
        registry_(registry),
        clock_(clock) {}

  // Statuses of PortraitReader::Current; FAILED_PRECONDITION when no model is active or
  // the active model's schema differs from the portraits'; INVALID_ARGUMENT for
  // max_reasons outside 0-20.
  absl::StatusOr<v1::RiskScore> Score(const access::Caller& caller,
                                      const v1::ScoreRequest& request);

  // The stored batch score. NOT_FOUND when ScoreAll has not scored the enterprise.
  absl::StatusOr<v1::RiskScore> GetScore(const access::Caller& caller, absl::string_view code);

  // Rescores every enterprise (from `request.resume_token`, when given). `emit` sends a
  // progress message and returns false when the client is gone (the run stops; resume
  // it with the last token). `keep_going` is asked before each chunk of kChunk
  // enterprises, in both passes: its error (CANCELLED, DEADLINE_EXCEEDED) stops the run,
  // and the last token emitted still resumes it. FAILED_PRECONDITION without an active
  // model, or when the resume token is for another model; INVALID_ARGUMENT for a
  // malformed token.
  absl::Status ScoreAll(const v1::ScoreAllRequest& request,
                        const std::function<bool(const v1::ScoreAllProgress&)>& emit,
                        const KeepGoing& keep_going = nullptr);

  // Reports ScoreAll runs to `probe` (not owned; it must outlive the scorer; null for
  // none). Set it before the scorer is shared between threads.
  void set_probe(ScoreAllProbe* probe) { probe_ = probe; }

  // Shows `observer` (not owned; it must outlive the scorer; null for none) each chunk's
  // score changes before ScoreAll writes them (score_change_observer.h). Set it before
  // the scorer is shared between threads.
  void set_change_observer(ScoreChangeObserver* observer) { change_observer_ = observer; }

  // Class counts of the stored scores, overall, by region (the first
  // `request.region_digits` digits: 2, 4 or 6; 0 means 2) and by industry section.
  // Agencies see their jurisdiction only.
  absl::StatusOr<v1::GetClassDistributionResponse> ClassDistribution(
      const access::Caller& caller, const v1::GetClassDistributionRequest& request);

 private:
  absl::Status ScoreAllUnobserved(const v1::ScoreAllRequest& request,
                                  const std::function<bool(const v1::ScoreAllProgress&)>& emit,
                                  const KeepGoing& keep_going);

  storage::KvStore* const store_;
  // Set by the in-process constructor only.
  const std::unique_ptr<LocalPortraitFeed> own_portraits_;
  PortraitFeed* const portraits_;
  ModelRegistry* const registry_;
  Clock* const clock_;
  int progress_every_ = kProgressEvery;
  ScoreAllProbe* probe_ = nullptr;
  ScoreChangeObserver* change_observer_ = nullptr;
};

}  // namespace regulation::services

#endif  // SERVICES_SCORING_RISK_SCORER_H_
