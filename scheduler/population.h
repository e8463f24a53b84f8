#ifndef SCHEDULER_POPULATION_H_
#define SCHEDULER_POPULATION_H_

// The eligible population of a draw: each enterprise's credit code, risk class and region
// code, frozen when the plan is committed, and its digests (docs/draw-spec.md §3.1).
//
//   PopulationDigester   digests rows streamed in ascending credit-code order (a store
//                        scan), without holding them.
//   FrozenPopulation     rows in memory (a verifier's population file, tests), sorted.
//   PopulationSource     how a draw reads the population: one streaming pass, any order.
//
// Thread safety: PopulationDigester and FrozenPopulation are not thread-safe for
// mutation; a frozen FrozenPopulation may be read from many threads. A PopulationSource
// says its own.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/sha256.h"
#include "scheduler/risk_class.h"

namespace regulation::scheduler {

struct PopulationDigests {
  // Lowercase hex SHA-256 of the whole population.
  std::string overall;
  // classes[0] for class A ... classes[3] for class D (an empty class has a digest too).
  std::array<std::string, kRiskClassCount> classes;
  // Enterprises per class.
  std::array<int64_t, kRiskClassCount> class_sizes{};
};

// OK, or INVALID_ARGUMENT (message without a field name) unless `credit_code` is a valid
// credit code, 1 <= risk_class <= 4, and `region_code` is empty or six digits (GB/T 2260).
absl::Status ValidatePopulationRow(absl::string_view credit_code, int risk_class,
                                   absl::string_view region_code);

class PopulationDigester {
 public:
  PopulationDigester();

  // REQUIRES: rows in strictly ascending credit-code order (byte order).
  // INVALID_ARGUMENT for a malformed row or one out of order (a duplicate included).
  absl::Status Add(absl::string_view credit_code, int risk_class, absl::string_view region_code);

  // The digests of the rows added. Call once.
  PopulationDigests Finish();

 private:
  std::string last_code_;
  Sha256Hasher overall_;
  std::array<std::unique_ptr<Sha256Hasher>, kRiskClassCount> classes_;
  std::array<int64_t, kRiskClassCount> sizes_{};
  std::string line_;
};

class FrozenPopulation {
 public:
  FrozenPopulation() = default;

  // INVALID_ARGUMENT naming the row (its position, from 0) when malformed.
  absl::Status Add(absl::string_view credit_code, int risk_class, absl::string_view region_code);
  // Sorts by credit code; INVALID_ARGUMENT naming a duplicate credit code. Adding after
  // Freeze requires another Freeze.
  absl::Status Freeze();

  size_t size() const { return rows_.size(); }
  absl::string_view credit_code(size_t i) const {
    return absl::string_view(rows_[i].credit_code, sizeof(rows_[i].credit_code));
  }
  int risk_class(size_t i) const { return rows_[i].risk_class; }
  absl::string_view region_code(size_t i) const {
    return absl::string_view(rows_[i].region_code, rows_[i].region_size);
  }
  // Position of `credit_code`, or -1. REQUIRES: frozen.
  int64_t Find(absl::string_view credit_code) const;

  // REQUIRES: frozen.
  PopulationDigests Digests() const;

 private:
  // 26 bytes a row: ten million rows take 260 MB.
  struct Row {
    char credit_code[18];
    char region_code[6];
    uint8_t region_size;
    uint8_t risk_class;
  };
  std::vector<Row> rows_;
  bool frozen_ = true;
};

// Streams the population to a draw, once. Rows may come in any order; the draw's result
// does not depend on it.
class PopulationSource {
 public:
  // risk_class 1-4; region_code empty or six digits. A non-OK return stops the stream.
  using Visitor = std::function<absl::Status(absl::string_view credit_code, int risk_class,
                                             absl::string_view region_code)>;

  virtual ~PopulationSource() = default;

  // Calls `visit` for every enterprise, on the calling thread, and returns the first
  // non-OK status `visit` returned, or the source's own error, or OK.
  virtual absl::Status ForEach(const Visitor& visit) = 0;
};

// A PopulationSource over a FrozenPopulation (not owned; must outlive this).
class FrozenPopulationSource : public PopulationSource {
 public:
  explicit FrozenPopulationSource(const FrozenPopulation* population) : population_(population) {}
  absl::Status ForEach(const Visitor& visit) override;

 private:
  const FrozenPopulation* population_;
};

}  // namespace regulation::scheduler

#endif  // SCHEDULER_POPULATION_H_
