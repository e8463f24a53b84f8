#include "services/scoring/risk_scorer.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/field_error.h"
#include "common/quote.h"
#include "common/status_macros.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "scoring/explanations.h"
#include "scoring/feature_catalogue.h"
#include "services/access/jurisdiction.h"
#include "services/common/proto_time.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

absl::StatusOr<std::shared_ptr<const ActiveModel>> RequireModel(ModelRegistry* registry) {
  std::shared_ptr<const ActiveModel> model = registry->Active();
  if (model == nullptr) {
    return absl::FailedPreconditionError(
        "no model is active: train one (regctl train) and activate it (regctl model activate)");
  }
  if (model->model.schema_digest() != scoring::FeatureSchemaDigest()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the active model ", model->model.version(),
        " reads another feature schema than the portraits'; train and activate a new model"));
  }
  return model;
}

// Resume tokens: "<model version>|<as-of micros>|<last credit code>|<enterprises up to
// and including it>", base64url. Tokens without the count (issued before it was added)
// are still accepted.
std::string EncodeResume(absl::string_view version, int64_t as_of, absl::string_view last,
                         int64_t position) {
  return absl::WebSafeBase64Escape(absl::StrCat(version, "|", as_of, "|", last, "|", position));
}

struct Resume {
  std::string version;
  int64_t as_of = 0;
  std::string last;
  std::optional<int64_t> position;
};

absl::StatusOr<Resume> DecodeResume(absl::string_view token) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return InvalidField("resume_token", "is not a token ScoreAll issued");
  }
  std::vector<std::string> parts = absl::StrSplit(raw, '|');
  Resume r;
  int64_t position = 0;
  if ((parts.size() != 3 && parts.size() != 4) || !absl::SimpleAtoi(parts[1], &r.as_of) ||
      (parts.size() == 4 && (!absl::SimpleAtoi(parts[3], &position) || position < 0))) {
    return InvalidField("resume_token", "is not a token ScoreAll issued");
  }
  r.version = parts[0];
  r.last = parts[2];
  if (parts.size() == 4) r.position = position;
  return r;
}

// The stored bytes of batch scores. The fields that differ by enterprise (credit_code,
// probability, risk_class: numbers 1-3) are serialized per score and followed by the
// fields every score of the run shares (model_version, score_time: 4 and 6), serialized
// once. Protobuf writes fields in number order, so the bytes are exactly
// RiskScore::SerializeAsString of the whole message.
class BatchScoreEncoder {
 public:
  BatchScoreEncoder(const std::string& model_version,
                    const google::protobuf::Timestamp& score_time) {
    v1::RiskScore shared;
    shared.set_model_version(model_version);
    *shared.mutable_score_time() = score_time;
    shared_suffix_ = shared.SerializeAsString();
  }

  // The bytes of one score, valid until the next call.
  absl::string_view Encode(absl::string_view code, float probability, v1::RiskClass risk_class) {
    own_.mutable_credit_code()->assign(code.data(), code.size());
    own_.set_probability(probability);
    own_.set_risk_class(risk_class);
    bytes_.clear();
    own_.AppendToString(&bytes_);
    bytes_.append(shared_suffix_);
    return bytes_;
  }

 private:
  std::string shared_suffix_;
  v1::RiskScore own_;
  std::string bytes_;
};

// Tells `observer` how the chunk's new scores compare with the stored ones
// (score_change_observer.h), before they replace them. The stored scores are read by one
// bounded scan over the chunk's key range (the chunk's codes are in key order), not a
// point lookup per code: a scan is a fraction of a MultiGet's cost per key. `changes`
// is scratch kept from chunk to chunk, so that its messages and strings are refilled
// rather than allocated for every enterprise.
absl::Status ReportScoreChanges(storage::KvStore* store, const FeatureChunk& chunk,
                                const std::vector<float>& probabilities,
                                const std::vector<double>& cut_points, const std::string& version,
                                const google::protobuf::Timestamp& score_time,
                                ScoreChangeObserver* observer, std::vector<ScoreChange>* changes) {
  if (chunk.size() == 0) return absl::OkStatus();
  storage::IteratorOptions range;
  range.lower_bound = std::string(chunk.code(0));
  range.upper_bound = absl::StrCat(chunk.code(chunk.size() - 1), std::string(1, '\0'));
  range.bulk_scan = true;
  std::unique_ptr<storage::Iterator> stored = store->NewIterator(ColumnFamily::kScores, range);
  stored->SeekToFirst();
  size_t n = 0;
  for (size_t k = 0; k < chunk.size() && stored->Valid(); ++k) {
    const absl::string_view code = chunk.code(k);
    while (stored->Valid() && stored->key() < code) stored->Next();
    if (!stored->Valid() || stored->key() != code) continue;
    if (n == changes->size()) changes->emplace_back();
    ScoreChange& change = (*changes)[n++];
    if (!change.previous.ParseFromArray(stored->value().data(),
                                        static_cast<int>(stored->value().size()))) {
      return absl::DataLossError(absl::StrCat("stored score of ", code, " is corrupt"));
    }
    change.current.mutable_credit_code()->assign(code.data(), code.size());
    change.current.set_probability(probabilities[k]);
    change.current.set_risk_class(ClassOf(probabilities[k], cut_points));
    change.current.set_model_version(version);
    *change.current.mutable_score_time() = score_time;
  }
  REG_RETURN_IF_ERROR(stored->status());
  if (n == 0) return absl::OkStatus();
  return observer->ScoresChanging(absl::MakeConstSpan(changes->data(), n));
}

// Cut points at the quantiles of the policy, from a histogram of probabilities.
std::vector<double> QuantileCutPoints(const std::vector<int64_t>& histogram, int64_t total,
                                      const v1::RiskClassPolicy::Quantiles& q) {
  const double targets[3] = {q.a_share(), q.a_share() + q.b_share(),
                             q.a_share() + q.b_share() + q.c_share()};
  std::vector<double> cut;
  int64_t seen = 0;
  size_t bin = 0;
  const size_t bins = histogram.size();
  for (double target : targets) {
    while (bin < bins && seen + histogram[bin] <= target * static_cast<double>(total)) {
      seen += histogram[bin++];
    }
    cut.push_back(static_cast<double>(bin) / static_cast<double>(bins));
  }
  // Strictly increasing, as ClassOf expects.
  for (size_t i = 1; i < cut.size(); ++i) {
    cut[i] = std::max(cut[i], cut[i - 1] + 1.0 / static_cast<double>(bins));
  }
  return cut;
}

}  // namespace

absl::StatusOr<v1::RiskScore> RiskScorer::Score(const access::Caller& caller,
                                                const v1::ScoreRequest& request) {
  if (request.max_reasons() < 0 || request.max_reasons() > 20) {
    return InvalidField("max_reasons", "must be 0-20");
  }
  REG_ASSIGN_OR_RETURN(v1::Portrait portrait, portraits_->CurrentPortrait(caller, request.credit_code()));
  REG_ASSIGN_OR_RETURN(std::shared_ptr<const ActiveModel> model, RequireModel(registry_));
  const size_t n = static_cast<size_t>(portrait.features_size());
  std::vector<float> row;
  std::vector<double> values;
  for (const v1::FeatureValue& f : portrait.features()) {
    row.push_back(static_cast<float>(f.value()));
    values.push_back(f.value());
  }
  std::vector<float> probability, contributions;
  REG_RETURN_IF_ERROR(model->PredictProbabilities(row, 1, n, &probability));
  REG_RETURN_IF_ERROR(model->booster.Contributions(row, 1, n, &contributions));
  v1::RiskScore score;
  score.set_credit_code(request.credit_code());
  score.set_probability(probability[0]);
  score.set_risk_class(ClassOf(probability[0], registry_->CutPoints()));
  score.set_model_version(model->model.version());
  score.set_portrait_version(portrait.version());
  *score.mutable_score_time() = portrait.as_of();
  for (v1::ScoreReason& reason : scoring::TopReasons(
           contributions, values, request.max_reasons() == 0 ? 5 : request.max_reasons())) {
    *score.add_reasons() = std::move(reason);
  }
  return score;
}

absl::StatusOr<v1::RiskScore> RiskScorer::GetScore(const access::Caller& caller,
                                                   absl::string_view code) {
  REG_RETURN_IF_ERROR(portraits_->LookupEnterprise(caller, code).status());
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kScores, code);
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(
        absl::StrCat("credit_code: ", code, " has no batch score yet (run ScoreAll)"));
  }
  if (!bytes.ok()) return bytes.status();
  v1::RiskScore score;
  if (!score.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("stored score of ", code, " is corrupt"));
  }
  return score;
}

absl::Status RiskScorer::ScoreAll(const v1::ScoreAllRequest& request,
                                  const std::function<bool(const v1::ScoreAllProgress&)>& emit,
                                  const KeepGoing& keep_going) {
  if (probe_ == nullptr) return ScoreAllUnobserved(request, emit, keep_going);
  const absl::Time start = absl::Now();
  probe_->Started();
  absl::Status status = ScoreAllUnobserved(request, emit, keep_going);
  probe_->Finished(status, absl::Now() - start);
  return status;
}

absl::Status RiskScorer::ScoreAllUnobserved(
    const v1::ScoreAllRequest& request,
    const std::function<bool(const v1::ScoreAllProgress&)>& emit, const KeepGoing& keep_going) {
  REG_ASSIGN_OR_RETURN(std::shared_ptr<const ActiveModel> model, RequireModel(registry_));
  const std::string& version = model->model.version();
  int64_t as_of = absl::ToUnixMicros(clock_->Now());
  std::string resume_after;
  // Enterprises before this run's first (a resumed run's earlier part), when known.
  std::optional<int64_t> before;
  if (!request.resume_token().empty()) {
    REG_ASSIGN_OR_RETURN(Resume resume, DecodeResume(request.resume_token()));
    if (resume.version != version) {
      return absl::FailedPreconditionError(absl::StrCat("resume_token: the run was with model ",
                                                        Quote(resume.version), ", but ", version,
                                                        " is active now; start a new run"));
    }
    // The rest is scored as of now: the stored states may have moved on since the token's
    // moment, and features must not count events after their moment.
    resume_after = resume.last;
    before = resume.position;
  } else {
    before = 0;
  }
  const size_t n_features = scoring::FeatureCatalogue().size();

  // The directory's size for progress messages, without a second scan: the store's
  // estimate while the run goes, never below what the run has seen; exact at the end
  // (the enterprises before the run plus those it scored).
  auto total_so_far = [&](int64_t scored) {
    const int64_t seen = before.value_or(0) + scored;
    absl::StatusOr<int64_t> estimate = portraits_->EstimateEnterpriseCount();
    return estimate.ok() ? std::max(*estimate, seen) : seen;
  };

  // One pass over the directory from `resume_after`; `use` gets each chunk and its
  // probabilities. Reading overlaps prediction and writing (feature_chunks.h).
  std::vector<float> probabilities;
  scoring::PredictOptions predict;
  predict.threads = kPredictThreads;
  auto pass = [&](const std::function<absl::Status(const FeatureChunk&,
                                                   const std::vector<float>&)>& use) {
    return portraits_->ForEachFeatureChunk(resume_after, as_of, kChunk,
                               [&](const FeatureChunk& chunk) -> absl::Status {
                                 REG_RETURN_IF_ERROR(StillWanted(keep_going));
                                 REG_RETURN_IF_ERROR(model->PredictProbabilities(
                                     absl::MakeConstSpan(chunk.rows.data(),
                                                         chunk.size() * n_features),
                                     chunk.size(), n_features, &probabilities, predict));
                                 return use(chunk, probabilities);
                               });
  };

  std::vector<double> cut_points = registry_->CutPoints();
  const v1::RiskClassPolicy policy = registry_->Policy();
  if (policy.has_quantiles()) {
    // First pass: where the quantiles fall at this moment.
    std::vector<int64_t> histogram(10000, 0);
    int64_t counted = 0;
    const std::string saved_resume = resume_after;
    resume_after.clear();
    REG_RETURN_IF_ERROR(pass([&](const FeatureChunk&, const std::vector<float>& p) {
      for (float v : p) {
        ++histogram[std::min<size_t>(
            histogram.size() - 1, static_cast<size_t>(v * static_cast<float>(histogram.size())))];
      }
      counted += static_cast<int64_t>(p.size());
      return absl::OkStatus();
    }));
    resume_after = saved_resume;
    cut_points = QuantileCutPoints(histogram, counted, policy.quantiles());
    REG_RETURN_IF_ERROR(registry_->SetComputedCutPoints(cut_points, version, policy));
  }

  BatchScoreEncoder encoder(version, ToProtoTimestamp(absl::FromUnixMicros(as_of)));
  int64_t scored = 0, since_progress = 0;
  // The scores of the chunks since the last progress message, in code order: written as
  // one sorted run (one table file) at each progress message and at the end, so that a
  // run ingests a file per progress interval rather than per chunk. Nothing is reported
  // as scored, and no token covers them, before they are durable.
  storage::SortedRun run;
  std::vector<ScoreChange> changes;  // ReportScoreChanges' scratch
  int64_t pending = 0;
  std::string pending_last;
  auto progress = [&](bool done) {
    v1::ScoreAllProgress p;
    p.set_scored(scored);
    p.set_total(done && before.has_value() ? *before + scored : total_so_far(scored));
    p.set_model_version(version);
    p.set_resume_token(EncodeResume(version, as_of, resume_after, before.value_or(0) + scored));
    p.set_done(done);
    return p;
  };
  auto write_pending = [&]() -> absl::Status {
    if (pending == 0) return absl::OkStatus();
    // Durable when it returns: the progress token below never outruns the data.
    REG_RETURN_IF_ERROR(store_->WriteSortedRun(ColumnFamily::kScores, run));
    run.Clear();
    scored += pending;
    pending = 0;
    resume_after = pending_last;
    if (probe_ != nullptr) probe_->Scored(scored);
    return absl::OkStatus();
  };
  REG_RETURN_IF_ERROR(pass([&](const FeatureChunk& chunk,
                               const std::vector<float>& probabilities) -> absl::Status {
    if (change_observer_ != nullptr) {
      REG_RETURN_IF_ERROR(ReportScoreChanges(store_, chunk, probabilities, cut_points, version,
                                             ToProtoTimestamp(absl::FromUnixMicros(as_of)),
                                             change_observer_, &changes));
    }
    for (size_t k = 0; k < chunk.size(); ++k) {
      run.Add(chunk.code(k), encoder.Encode(chunk.code(k), probabilities[k],
                                            ClassOf(probabilities[k], cut_points)));
    }
    pending += static_cast<int64_t>(chunk.size());
    since_progress += static_cast<int64_t>(chunk.size());
    pending_last.assign(chunk.code(chunk.size() - 1).data(), chunk.code(chunk.size() - 1).size());
    if (since_progress >= progress_every_) {
      REG_RETURN_IF_ERROR(write_pending());
      since_progress = 0;
      if (!emit(progress(false))) {
        return absl::CancelledError("the client went away; resume with the last token");
      }
    }
    return absl::OkStatus();
  }));
  REG_RETURN_IF_ERROR(write_pending());
  emit(progress(true));
  return absl::OkStatus();
}

absl::StatusOr<v1::GetClassDistributionResponse> RiskScorer::ClassDistribution(
    const access::Caller& caller, const v1::GetClassDistributionRequest& request) {
  int digits = request.region_digits() == 0 ? 2 : request.region_digits();
  if (digits != 2 && digits != 4 && digits != 6) {
    return InvalidField("region_digits", "must be 2, 4 or 6");
  }
  std::map<std::string, v1::ClassCount> by_region, by_industry;
  v1::GetClassDistributionResponse response;
  auto count = [](v1::ClassCount* c, v1::RiskClass k) {
    switch (k) {
      case v1::RISK_CLASS_A:
        c->set_class_a(c->class_a() + 1);
        break;
      case v1::RISK_CLASS_B:
        c->set_class_b(c->class_b() + 1);
        break;
      case v1::RISK_CLASS_C:
        c->set_class_c(c->class_c() + 1);
        break;
      case v1::RISK_CLASS_D:
        c->set_class_d(c->class_d() + 1);
        break;
      default:
        break;
    }
  };
  // Scores and enterprises share their keys (credit codes): walk the scores along the
  // directory's keys, both in code order.
  std::unique_ptr<storage::Snapshot> snapshot = store_->GetSnapshot();
  storage::IteratorOptions range;
  range.snapshot = snapshot.get();
  std::unique_ptr<storage::Iterator> scores = store_->NewIterator(ColumnFamily::kScores, range);
  scores->SeekToFirst();
  v1::RiskScore score;
  std::string version;
  REG_RETURN_IF_ERROR(portraits_->ForEachEnterpriseKeys(
      kChunk, [&](absl::Span<const EnterpriseKey> keys) -> absl::Status {
        for (const EnterpriseKey& key : keys) {
          while (scores->Valid() && scores->key() < key.credit_code) scores->Next();
          if (!scores->Valid()) return scores->status();
          if (scores->key() != key.credit_code) continue;
          if (!score.ParseFromArray(scores->value().data(),
                                    static_cast<int>(scores->value().size()))) {
            return absl::DataLossError(
                absl::StrCat("stored score of ", scores->key(), " is corrupt"));
          }
          if (!access::InJurisdiction(caller, key.region_code)) continue;
          if (version.empty() || score.model_version() > version) version = score.model_version();
          count(response.mutable_total(), score.risk_class());
          const std::string region = key.region_code.substr(0, digits);
          v1::ClassCount& r = by_region[region];
          r.set_key(region);
          count(&r, score.risk_class());
          const std::string section = key.industry_code.substr(0, 1);
          v1::ClassCount& s = by_industry[section];
          s.set_key(section);
          count(&s, score.risk_class());
        }
        return absl::OkStatus();
      }));
  REG_RETURN_IF_ERROR(scores->status());
  for (auto& [key, c] : by_region) *response.add_by_region() = c;
  for (auto& [key, c] : by_industry) *response.add_by_industry() = c;
  response.set_model_version(version);
  return response;
}

}  // namespace regulation::services
