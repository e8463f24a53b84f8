#include "services/scoring/model_registry.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/field_error.h"
#include "common/log.h"
#include "common/quote.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "google/protobuf/util/message_differencer.h"
#include "scoring/booster_compiler.h"
#include "scoring/feature_catalogue.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

constexpr absl::string_view kModelPrefix = "model/";
constexpr absl::string_view kSettingsKey = "settings";

std::string ModelKey(absl::string_view version) { return absl::StrCat(kModelPrefix, version); }

storage::WriteOptions Durable() {
  storage::WriteOptions options;
  options.sync = true;
  return options;
}

std::vector<double> CutPointsOf(const v1::RiskClassPolicy& policy) {
  if (!policy.has_cut_points()) return {};
  return {policy.cut_points().b(), policy.cut_points().c(), policy.cut_points().d()};
}

// The booster of a stored model, checked against its digest before XGBoost reads it
// (XGBoost can crash on corrupt model bytes), and its compiled form when the compiler
// handles it. Loading and compiling take tens of milliseconds: callers do it without
// holding the registry's lock.
absl::StatusOr<std::unique_ptr<ActiveModel>> LoadModel(const internal::ModelRecord& r) {
  REG_ASSIGN_OR_RETURN(scoring::Booster booster,
                       scoring::Booster::LoadVerified(r.booster(), r.model().model_digest()));
  auto loaded = std::make_unique<ActiveModel>(ActiveModel{r.model(), std::move(booster), nullptr});
  absl::StatusOr<scoring::CompiledForest> forest = scoring::CompileBooster(loaded->booster);
  if (forest.ok()) {
    LogInfo(absl::StrFormat("model %s: compiled predictor (%d trees, %s kernel), checked against "
                            "XGBoost on %d rows",
                            r.model().version(), forest->num_trees(), forest->kernel_name(),
                            scoring::kCheckRows));
    loaded->forest = std::make_unique<const scoring::CompiledForest>(std::move(*forest));
  } else if (absl::IsUnimplemented(forest.status())) {
    LogInfo(absl::StrCat("model ", r.model().version(),
                         ": predicting through XGBoost, the compiler does not handle it: ",
                         forest.status().message()));
  } else {
    LogError(absl::StrCat("model ", r.model().version(),
                          ": predicting through XGBoost, compiling failed: ",
                          forest.status().ToString()));
  }
  return loaded;
}

}  // namespace

absl::Status ActiveModel::PredictProbabilities(absl::Span<const float> rows_row_major,
                                               size_t n_rows, size_t n_features,
                                               std::vector<float>* out,
                                               const scoring::PredictOptions& options) const {
  if (forest != nullptr) {
    return forest->PredictProbabilities(rows_row_major, n_rows, n_features, out, options);
  }
  return booster.PredictProbabilities(rows_row_major, n_rows, n_features, out);
}

v1::RiskClassPolicy DefaultRiskClassPolicy() {
  v1::RiskClassPolicy policy;
  policy.mutable_cut_points()->set_b(0.05);
  policy.mutable_cut_points()->set_c(0.12);
  policy.mutable_cut_points()->set_d(0.25);
  return policy;
}

v1::RiskClass ClassOf(double p, const std::vector<double>& cut) {
  if (cut.size() != 3) return v1::RISK_CLASS_UNSPECIFIED;
  if (p < cut[0]) return v1::RISK_CLASS_A;
  if (p < cut[1]) return v1::RISK_CLASS_B;
  if (p < cut[2]) return v1::RISK_CLASS_C;
  return v1::RISK_CLASS_D;
}

absl::StatusOr<std::unique_ptr<ModelRegistry>> ModelRegistry::Open(storage::KvStore* store,
                                                                   Clock* clock) {
  std::unique_ptr<ModelRegistry> registry(new ModelRegistry(store, clock));
  absl::MutexLock lock(&registry->mu_);
  absl::StatusOr<std::string> bytes = store->Get(ColumnFamily::kModels, kSettingsKey);
  if (absl::IsNotFound(bytes.status())) {
    *registry->settings_.mutable_policy() = DefaultRiskClassPolicy();
    for (double c : CutPointsOf(registry->settings_.policy()))
      registry->settings_.add_cut_points(c);
    return registry;
  }
  if (!bytes.ok()) return bytes.status();
  if (!registry->settings_.ParseFromString(*bytes)) {
    return absl::DataLossError("stored scoring settings are corrupt");
  }
  if (!registry->settings_.active_version().empty()) {
    REG_ASSIGN_OR_RETURN(internal::ModelRecord record,
                         registry->GetRecord(registry->settings_.active_version()));
    REG_ASSIGN_OR_RETURN(std::unique_ptr<ActiveModel> loaded, LoadModel(record));
    registry->active_ = std::shared_ptr<const ActiveModel>(std::move(loaded));
  }
  return registry;
}

absl::Status ModelRegistry::SaveSettings(const internal::ScoringSettings& settings) {
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kModels, kSettingsKey, settings.SerializeAsString());
  return store_->Write(batch, Durable());
}

absl::StatusOr<internal::ModelRecord> ModelRegistry::GetRecord(absl::string_view version) {
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kModels, ModelKey(version));
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(absl::StrCat("version: no model ", Quote(version)));
  }
  if (!bytes.ok()) return bytes.status();
  internal::ModelRecord record;
  if (!record.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("stored model ", version, " is corrupt"));
  }
  return record;
}

absl::StatusOr<v1::Model> ModelRegistry::Get(absl::string_view version) {
  if (version.empty()) return InvalidField("version", "is required");
  REG_ASSIGN_OR_RETURN(internal::ModelRecord record, GetRecord(version));
  return record.model();
}

absl::StatusOr<v1::Model> ModelRegistry::Register(v1::Model model, std::string booster_bytes,
                                                  std::string report_html,
                                                  std::string report_json, const StageWith& also) {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  const std::string day =
      absl::FormatCivilTime(absl::ToCivilDay(now, ChinaTimeZone()));  // YYYY-MM-DD
  const std::string stem =
      absl::StrCat("m-", day.substr(0, 4), day.substr(5, 2), day.substr(8, 2), "-");
  // The next free number of the day.
  int number = 1;
  std::unique_ptr<storage::Iterator> it =
      store_->NewIterator(ColumnFamily::kModels, storage::PrefixBounds(ModelKey(stem)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++number;
  REG_RETURN_IF_ERROR(it->status());
  model.set_version(absl::StrFormat("%s%03d", stem, number));
  model.set_state(v1::MODEL_STATE_READY);
  model.set_model_digest(Sha256Hex(booster_bytes));
  *model.mutable_create_time() = ToProtoTimestamp(now);
  internal::ModelRecord record;
  *record.mutable_model() = model;
  record.set_booster(std::move(booster_bytes));
  record.set_report_html(std::move(report_html));
  record.set_report_json(std::move(report_json));
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kModels, ModelKey(model.version()), record.SerializeAsString());
  if (also) also(model, &batch);
  REG_RETURN_IF_ERROR(store_->Write(batch, Durable()));
  return model;
}

absl::StatusOr<v1::ListModelsResponse> ModelRegistry::List(const v1::ListModelsRequest& request) {
  REG_ASSIGN_OR_RETURN(const int page_size, ResolvePageSize(request.page_size()));
  std::string resume_after;
  if (!request.page_token().empty()) {
    REG_ASSIGN_OR_RETURN(resume_after, DecodePageToken(request.page_token(), "models"));
  }
  std::unique_ptr<storage::Iterator> it =
      store_->NewIterator(ColumnFamily::kModels, storage::PrefixBounds(kModelPrefix));
  if (resume_after.empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(resume_after);
    if (it->Valid() && it->key() == resume_after) it->Next();
  }
  v1::ListModelsResponse response;
  std::string last;
  for (; it->Valid() && response.models_size() < page_size; it->Next()) {
    internal::ModelRecord record;
    if (!record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("stored model ", it->key(), " is corrupt"));
    }
    *response.add_models() = record.model();
    last = std::string(it->key());
  }
  REG_RETURN_IF_ERROR(it->status());
  if (it->Valid()) response.set_next_page_token(EncodePageToken("models", last));
  return response;
}

absl::StatusOr<v1::Model> ModelRegistry::Activate(absl::string_view version) {
  if (version.empty()) return InvalidField("version", "is required");
  REG_ASSIGN_OR_RETURN(internal::ModelRecord record, GetRecord(version));
  {
    absl::MutexLock lock(&mu_);
    if (settings_.active_version() == version) return record.model();
  }
  if (record.model().schema_digest() != scoring::FeatureSchemaDigest()) {
    return absl::FailedPreconditionError(
        absl::StrCat("version: model ", version, " reads features ",
                     record.model().schema_digest().substr(0, 12), "..., but portraits now have ",
                     scoring::FeatureSchemaDigest().substr(0, 12), "...; train a new model"));
  }
  // Loaded and compiled before taking the lock, so scoring calls never wait on it. The
  // stored booster of a version never changes; its state is read again under the lock.
  REG_ASSIGN_OR_RETURN(std::unique_ptr<ActiveModel> loaded, LoadModel(record));

  absl::MutexLock lock(&mu_);
  REG_ASSIGN_OR_RETURN(record, GetRecord(version));
  if (settings_.active_version() == version) return record.model();

  storage::WriteBatch batch;
  if (!settings_.active_version().empty()) {
    absl::StatusOr<internal::ModelRecord> previous = GetRecord(settings_.active_version());
    if (previous.ok()) {
      previous->mutable_model()->set_state(v1::MODEL_STATE_RETIRED);
      batch.Put(ColumnFamily::kModels, ModelKey(previous->model().version()),
                previous->SerializeAsString());
    }
  }
  record.mutable_model()->set_state(v1::MODEL_STATE_ACTIVE);
  *record.mutable_model()->mutable_activate_time() = ToProtoTimestamp(clock_->Now());
  batch.Put(ColumnFamily::kModels, ModelKey(version), record.SerializeAsString());
  internal::ScoringSettings settings = settings_;
  settings.set_active_version(std::string(version));
  batch.Put(ColumnFamily::kModels, kSettingsKey, settings.SerializeAsString());
  REG_RETURN_IF_ERROR(store_->Write(batch, Durable()));
  settings_ = std::move(settings);
  loaded->model = record.model();
  active_ = std::shared_ptr<const ActiveModel>(std::move(loaded));
  return record.model();
}

std::shared_ptr<const ActiveModel> ModelRegistry::Active() const {
  absl::MutexLock lock(&mu_);
  return active_;
}

v1::RiskClassPolicy ModelRegistry::Policy() const {
  absl::MutexLock lock(&mu_);
  return settings_.policy();
}

std::vector<double> ModelRegistry::CutPoints() const {
  absl::MutexLock lock(&mu_);
  return std::vector<double>(settings_.cut_points().begin(), settings_.cut_points().end());
}

absl::StatusOr<v1::RiskClassPolicy> ModelRegistry::UpdatePolicy(v1::RiskClassPolicy policy) {
  if (policy.has_cut_points()) {
    const auto& c = policy.cut_points();
    if (!(0 < c.b() && c.b() < c.c() && c.c() < c.d() && c.d() < 1)) {  // false for NaN
      return InvalidField("policy.cut_points", "must satisfy 0 < b < c < d < 1");
    }
  } else if (policy.has_quantiles()) {
    const auto& q = policy.quantiles();
    if (!(q.a_share() > 0 && q.b_share() > 0 && q.c_share() > 0 &&
          q.a_share() + q.b_share() + q.c_share() < 1)) {  // false for NaN
      return InvalidField("policy.quantiles",
                          "shares must be positive and leave a positive share for D");
    }
  } else {
    return InvalidField("policy.rule", "cut_points or quantiles is required");
  }
  absl::MutexLock lock(&mu_);
  *policy.mutable_update_time() = ToProtoTimestamp(clock_->Now());
  internal::ScoringSettings settings = settings_;
  *settings.mutable_policy() = policy;
  settings.clear_cut_points();
  settings.clear_cut_points_version();
  // Cut points take effect at once; quantiles when the next ScoreAll has computed them
  // (until then the previous cut points stay in use).
  const std::vector<double> cut = CutPointsOf(policy);
  if (!cut.empty()) {
    for (double c : cut) settings.add_cut_points(c);
  } else {
    *settings.mutable_cut_points() = settings_.cut_points();
  }
  REG_RETURN_IF_ERROR(SaveSettings(settings));
  settings_ = std::move(settings);
  return policy;
}

absl::Status ModelRegistry::SetComputedCutPoints(const std::vector<double>& cut_points,
                                                 absl::string_view model_version,
                                                 const v1::RiskClassPolicy& for_policy) {
  absl::MutexLock lock(&mu_);
  if (!google::protobuf::util::MessageDifferencer::Equals(settings_.policy(), for_policy)) {
    return absl::FailedPreconditionError(
        "the risk-class policy was updated while ScoreAll computed its quantiles; run ScoreAll "
        "again (nothing was scored)");
  }
  internal::ScoringSettings settings = settings_;
  settings.clear_cut_points();
  for (double c : cut_points) settings.add_cut_points(c);
  settings.set_cut_points_version(std::string(model_version));
  REG_RETURN_IF_ERROR(SaveSettings(settings));
  settings_ = std::move(settings);
  return absl::OkStatus();
}

}  // namespace regulation::services
