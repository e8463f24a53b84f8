#ifndef SERVICES_SEAMS_POPULATION_FEED_H_
#define SERVICES_SEAMS_POPULATION_FEED_H_

// What inspection needs from portrait and scoring: the seam through which a plan's
// commit reads the population it freezes (services/inspection/plan_freezer.h), and
// through which targeted plans and assignments look enterprises up.
//
// The population is a stream of batches of rows in credit-code order: each enterprise's
// attributes, status and credit listing (portrait's records) joined with its latest
// model class (scoring's). The two halves come from their owners, PortraitPopulation and
// StoredClasses, and PopulationFeed joins them by credit code (a merge of two sorted
// streams). In regulatord both halves read the one store (local_population.h); in
// inspectiond each is a gRPC client of its peer (population_feed_client.h). The join is
// the same code in both, so both give the same rows.
//
// Why inspection joins rather than scoring (docs/architecture.md): each half travels
// once, from the service that owns it; scoring would otherwise relay every enterprise's
// attributes it does not need, and one peer being slow would not show which.
//
// Thread safety: implementations are safe for concurrent use.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "regulation/v1/enterprise.pb.h"

namespace regulation::services {

// One enterprise as a plan's commit sees it.
struct PopulationRow {
  std::string credit_code;
  std::string region_code;
  std::string industry_code;
  // v1::EnterpriseStatus.
  int status = 0;
  // The latest batch score's class (1-4 = A-D); 0 when never scored.
  int model_class = 0;
  // The official class in force at the query's as_of (1-4); 0 when none was imported,
  // and always 0 unless the query asked for credit.
  int official_class = 0;
  // On the serious illegal and dishonest list at as_of (listed, not repaired); always
  // false unless the query asked for credit.
  bool dishonest_listed = false;
};

struct PopulationQuery {
  // Only enterprises whose region code starts with this (empty: all).
  std::string region_prefix;
  // The moment official classes and listings are taken at (unix microseconds).
  int64_t as_of_micros = 0;
  // Whether official_class and dishonest_listed are wanted (they cost a portrait read
  // per enterprise; a plan without a credit policy does not use them).
  bool with_credit = false;
  // Rows per batch, 1-65536.
  int batch_size = 4096;
};

using PopulationBatchUse = std::function<absl::Status(absl::Span<const PopulationRow>)>;

// Portrait's half: attributes and listings, model_class left 0.
class PortraitPopulation {
 public:
  virtual ~PortraitPopulation() = default;
  // Calls `use` with the rows matching `query` in credit-code order, in batches. Stops at
  // the first error: `use`'s, INVALID_ARGUMENT for a bad batch size, DATA_LOSS naming the
  // code of a stored record that does not parse, UNAVAILABLE or DEADLINE_EXCEEDED naming
  // the peer that cannot be reached in time.
  virtual absl::Status ForEachBatch(const PopulationQuery& query, const PopulationBatchUse& use) = 0;
  // One entry per code, in order: the record, NOT_FOUND when absent, DATA_LOSS when
  // corrupt. No jurisdiction applies (the caller checks its own). A peer that cannot be
  // reached fails the whole call (UNAVAILABLE naming it).
  virtual absl::StatusOr<std::vector<absl::StatusOr<v1::Enterprise>>> GetEnterprises(
      absl::Span<const std::string> credit_codes) = 0;
};

// A credit code and its latest model class (1-4).
struct CodeClass {
  std::string credit_code;
  int risk_class = 0;
};

// Reads stored classes once, in credit-code order.
class ClassReader {
 public:
  virtual ~ClassReader() = default;
  // Replaces `batch` with the next batch; an empty batch means the end. Statuses as
  // PortraitPopulation::ForEachBatch.
  virtual absl::Status Next(std::vector<CodeClass>* batch) = 0;
};

// Scoring's half: every stored class.
class StoredClasses {
 public:
  virtual ~StoredClasses() = default;
  // INVALID_ARGUMENT for a batch size outside 1-65536.
  virtual absl::StatusOr<std::unique_ptr<ClassReader>> Read(int batch_size) = 0;
};

// The two halves joined. Neither is owned; both must outlive the feed.
class PopulationFeed {
 public:
  PopulationFeed(PortraitPopulation* portrait, StoredClasses* classes)
      : portrait_(portrait), classes_(classes) {}

  // Rows of `query` with model_class filled, in credit-code order, in batches of
  // portrait's. Statuses as PortraitPopulation::ForEachBatch; FAILED_PRECONDITION when a
  // peer's stream is out of credit-code order.
  absl::Status ForEachBatch(const PopulationQuery& query, const PopulationBatchUse& use);

  // As PortraitPopulation::GetEnterprises.
  absl::StatusOr<std::vector<absl::StatusOr<v1::Enterprise>>> GetEnterprises(
      absl::Span<const std::string> credit_codes) {
    return portrait_->GetEnterprises(credit_codes);
  }

 private:
  PortraitPopulation* const portrait_;
  StoredClasses* const classes_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_POPULATION_FEED_H_
