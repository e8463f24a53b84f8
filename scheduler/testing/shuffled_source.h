#ifndef SCHEDULER_TESTING_SHUFFLED_SOURCE_H_
#define SCHEDULER_TESTING_SHUFFLED_SOURCE_H_

// A PopulationSource that streams a FrozenPopulation in an order shuffled by a seed: the
// draw's result must not depend on the order rows arrive in (population.h), and tests
// prove it by comparing a draw over a ShuffledSource with one over the sorted source.
//
//   ShuffledSource source(&population, /*shuffle_seed=*/7);
//   RunDraw(inputs, source, roster, options);
//
// Deterministic: the same seed gives the same order on every run and machine
// (std::mt19937_64 and a Fisher-Yates pass of our own; std::shuffle's use of the
// engine is unspecified).
// Ownership: `population` is not owned and must outlive the source.
// Thread safety: ForEach may run on one thread at a time.

#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "scheduler/population.h"

namespace regulation::scheduler {

class ShuffledSource : public PopulationSource {
 public:
  ShuffledSource(const FrozenPopulation* population, uint64_t shuffle_seed)
      : population_(population), order_(population->size()) {
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    std::mt19937_64 rng(shuffle_seed);
    for (size_t i = order_.size(); i > 1; --i) {
      std::swap(order_[i - 1], order_[rng() % i]);
    }
  }

  absl::Status ForEach(const Visitor& visit) override {
    for (size_t i : order_) {
      absl::Status status = visit(population_->credit_code(i), population_->risk_class(i),
                                  population_->region_code(i));
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  // The row index streamed at each position: for tests of the source itself.
  const std::vector<size_t>& order() const { return order_; }

 private:
  const FrozenPopulation* population_;
  std::vector<size_t> order_;
};

}  // namespace regulation::scheduler

#endif  // SCHEDULER_TESTING_SHUFFLED_SOURCE_H_
