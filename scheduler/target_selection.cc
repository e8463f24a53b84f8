#include "scheduler/target_selection.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <limits>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "common/credit_code.h"
#include "common/huge_pages.h"

namespace regulation::scheduler {
namespace {

constexpr size_t kBatchRows = 4096;
// Batches waiting for a worker; beyond this the reading thread hashes a batch itself.
constexpr size_t kMaxQueuedBatches = 4;

// A row as read from the source, copied so that it can cross threads.
struct Row {
  char credit_code[18];
  char region_code[6];
  uint8_t region_size;
  uint8_t risk_class;
  int64_t index;
};

struct Batch {
  std::vector<Row> rows;
};

// A candidate target and its ticket.
struct Candidate {
  Ticket ticket;
  char credit_code[18];
  char region_code[6];
  uint8_t region_size;
};

// Ticket order; equal tickets (only possible for one credit code seen twice) by code.
bool CandidateLess(const Candidate& a, const Candidate& b) {
  if (a.ticket.key != b.ticket.key) return a.ticket.key < b.ticket.key;
  const int c = CompareTickets(a.ticket, b.ticket);
  if (c != 0) return c < 0;
  return std::memcmp(a.credit_code, b.credit_code, sizeof(a.credit_code)) < 0;
}

// Keeps the `capacity` smallest candidates offered (and possibly up to as many more).
// Candidates below the threshold go into a buffer; when it holds 2 * capacity, the
// buffer is cut to the `capacity` smallest (nth_element) and the threshold becomes the
// largest of those: no later candidate above it can be among the smallest. Appends are
// sequential and a cut costs O(capacity) every `capacity` appends, where a heap would
// sift through O(log capacity) scattered entries on every one.
class TopN {
 public:
  explicit TopN(int64_t capacity) : capacity_(static_cast<size_t>(capacity)) {}

  // True when a candidate with `ticket` could still be among the smallest.
  bool Admits(const Ticket& ticket) const {
    if (capacity_ == 0) return false;
    if (!has_threshold_) return true;
    if (ticket.key != threshold_.ticket.key) return ticket.key < threshold_.ticket.key;
    return CompareTickets(ticket, threshold_.ticket) <= 0;
  }

  // REQUIRES: Admits(candidate.ticket).
  void Push(const Candidate& candidate) {
    // The buffer fills to twice the capacity before every cut: reserved once, it is never
    // copied as it grows (pages are only touched as it fills). Bounded, for huge counts.
    if (buffer_.capacity() == 0) {
      buffer_.reserve(std::min<size_t>(2 * capacity_, kMaxReserve));
      AdviseHugePages(buffer_.data(), buffer_.capacity() * sizeof(Candidate));
    }
    buffer_.push_back(candidate);
    const size_t size = buffer_.size();
    if (size >= 64 && size >= capacity_ && size - capacity_ >= capacity_) Cut();
  }

  // Cuts to the `capacity` smallest and returns them, in no particular order.
  std::vector<Candidate>& Finish() {
    if (buffer_.size() > capacity_) Cut();
    return buffer_;
  }

 private:
  void Cut() {
    auto nth = buffer_.begin() + (capacity_ - 1);
    std::nth_element(buffer_.begin(), nth, buffer_.end(), CandidateLess);
    threshold_ = *nth;
    has_threshold_ = true;
    buffer_.resize(capacity_);
  }

  static constexpr size_t kMaxReserve = size_t{1} << 20;

  const size_t capacity_;
  std::vector<Candidate> buffer_;
  bool has_threshold_ = false;
  Candidate threshold_{};
};

// What one hashing thread accumulates.
struct Shard {
  explicit Shard(const std::array<int64_t, kRiskClassCount>& counts)
      : smallest{TopN(counts[0]), TopN(counts[1]), TopN(counts[2]), TopN(counts[3])} {}

  std::array<TopN, kRiskClassCount> smallest;
  std::array<int64_t, kRiskClassCount> class_sizes{};
  std::array<int64_t, kRiskClassCount> populations{};
  // The malformed row with the smallest stream position this shard saw.
  int64_t error_index = std::numeric_limits<int64_t>::max();
  absl::Status error;
};

class Selector {
 public:
  Selector(absl::string_view seed, const std::array<int64_t, kRiskClassCount>& counts,
           const absl::flat_hash_set<std::string>& excluded, int threads)
      : hasher_(seed), counts_(counts), excluded_(excluded) {
    for (int i = 0; i < std::max(threads, 1); ++i) shards_.emplace_back(counts);
  }

  absl::StatusOr<TargetSelection> Run(PopulationSource& population) {
    std::vector<std::thread> workers;
    for (size_t i = 1; i < shards_.size(); ++i) {
      workers.emplace_back([this, i] { WorkerLoop(&shards_[i]); });
    }
    Batch batch;
    batch.rows.reserve(kBatchRows);
    int64_t index = 0;
    absl::Status read_status =
        population.ForEach([&](absl::string_view credit_code, int risk_class,
                               absl::string_view region_code) -> absl::Status {
          if (credit_code.size() != sizeof(Row::credit_code) || risk_class < 1 ||
              risk_class > kRiskClassCount ||
              (!region_code.empty() && region_code.size() != sizeof(Row::region_code))) {
            return absl::InvalidArgumentError(
                absl::StrFormat("population row %d: \"%s\", class %d, region \"%s\" is malformed",
                                index, credit_code, risk_class, region_code));
          }
          Row& row = batch.rows.emplace_back();
          std::memcpy(row.credit_code, credit_code.data(), sizeof(row.credit_code));
          std::memcpy(row.region_code, region_code.data(), region_code.size());
          row.region_size = static_cast<uint8_t>(region_code.size());
          row.risk_class = static_cast<uint8_t>(risk_class);
          row.index = index++;
          if (batch.rows.size() == kBatchRows) {
            Dispatch(std::move(batch));
            batch = Batch();
            batch.rows.reserve(kBatchRows);
          }
          return absl::OkStatus();
        });
    if (!batch.rows.empty()) Dispatch(std::move(batch));
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
    }
    // Help drain what is queued, then wait for the workers.
    while (true) {
      Batch next;
      {
        absl::MutexLock lock(&mu_);
        if (queue_.empty()) break;
        next = std::move(queue_.front());
        queue_.pop_front();
      }
      Process(next, &shards_[0]);
    }
    for (std::thread& worker : workers) worker.join();

    const Shard* first_error = nullptr;
    for (const Shard& shard : shards_) {
      if (!shard.error.ok() &&
          (first_error == nullptr || shard.error_index < first_error->error_index)) {
        first_error = &shard;
      }
    }
    if (first_error != nullptr) return first_error->error;
    if (!read_status.ok()) return read_status;
    return Merge();
  }

 private:
  void Dispatch(Batch batch) {
    if (shards_.size() > 1) {
      absl::MutexLock lock(&mu_);
      if (queue_.size() < kMaxQueuedBatches) {
        queue_.push_back(std::move(batch));
        return;
      }
    }
    Process(batch, &shards_[0]);
  }

  void WorkerLoop(Shard* shard) {
    while (true) {
      Batch batch;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](Selector* s)
                 ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) { return !s->queue_.empty() || s->done_; },
            this));
        if (queue_.empty()) return;
        batch = std::move(queue_.front());
        queue_.pop_front();
      }
      Process(batch, shard);
    }
  }

  void Process(const Batch& batch, Shard* shard) const {
    for (const Row& row : batch.rows) {
      const absl::string_view code(row.credit_code, sizeof(row.credit_code));
      const absl::string_view region(row.region_code, row.region_size);
      if (row.index < shard->error_index) {
        absl::Status status = ValidatePopulationRow(code, row.risk_class, region);
        if (!status.ok()) {
          shard->error_index = row.index;
          shard->error = absl::InvalidArgumentError(
              absl::StrFormat("population row %d: %s", row.index, status.message()));
          continue;
        }
      } else {
        continue;  // Past an error already found: the result is that error.
      }
      const int c = row.risk_class - 1;
      ++shard->class_sizes[c];
      if (!excluded_.empty() && excluded_.contains(code)) continue;
      ++shard->populations[c];
      TopN& smallest = shard->smallest[c];
      const Ticket ticket = hasher_.Compute(code);
      if (!smallest.Admits(ticket)) continue;
      Candidate candidate;
      candidate.ticket = ticket;
      std::memcpy(candidate.credit_code, row.credit_code, sizeof(row.credit_code));
      std::memcpy(candidate.region_code, row.region_code, sizeof(row.region_code));
      candidate.region_size = row.region_size;
      smallest.Push(candidate);
    }
  }

  absl::StatusOr<TargetSelection> Merge() {
    TargetSelection selection;
    std::vector<Candidate> all_selected;
    for (int c = 0; c < kRiskClassCount; ++c) {
      ClassSelection& cls = selection.classes[c];
      std::vector<Candidate> merged;
      for (Shard& shard : shards_) {
        cls.class_size += shard.class_sizes[c];
        cls.population += shard.populations[c];
        std::vector<Candidate>& entries = shard.smallest[c].Finish();
        merged.insert(merged.end(), entries.begin(), entries.end());
        entries.clear();
        entries.shrink_to_fit();
      }
      cls.selected = std::min<int64_t>(counts_[c], cls.population);
      if (static_cast<int64_t>(merged.size()) > cls.selected) {
        // Keep one more than selected, so that a duplicate at the boundary is still seen.
        const size_t keep = static_cast<size_t>(cls.selected) + 1;
        std::nth_element(merged.begin(), merged.begin() + (keep - 1), merged.end(), CandidateLess);
        merged.resize(keep);
      }
      std::sort(merged.begin(), merged.end(), CandidateLess);
      for (size_t i = 1; i < merged.size(); ++i) {
        if (CompareTickets(merged[i - 1].ticket, merged[i].ticket) == 0) {
          return absl::InvalidArgumentError(absl::StrFormat(
              "population: credit code %s is listed twice",
              absl::string_view(merged[i].credit_code, sizeof(merged[i].credit_code))));
        }
      }
      merged.resize(cls.selected);
      if (!merged.empty()) cls.cutoff = merged.back().ticket.ToString();
      for (Candidate& candidate : merged) {
        all_selected.push_back(candidate);
        classes_of_selected_.push_back(c + 1);
      }
    }
    std::vector<size_t> order(all_selected.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return CandidateLess(all_selected[a], all_selected[b]); });
    selection.targets.reserve(order.size());
    for (size_t i : order) {
      const Candidate& candidate = all_selected[i];
      SelectedTarget& target = selection.targets.emplace_back();
      target.credit_code.assign(candidate.credit_code, sizeof(candidate.credit_code));
      target.risk_class = classes_of_selected_[i];
      target.region_code.assign(candidate.region_code, candidate.region_size);
      target.ticket = candidate.ticket;
    }
    return selection;
  }

  const TicketHasher hasher_;
  const std::array<int64_t, kRiskClassCount> counts_;
  const absl::flat_hash_set<std::string>& excluded_;
  // shards_[0] belongs to the calling thread, shards_[i] to worker i.
  std::deque<Shard> shards_;
  std::vector<int> classes_of_selected_;

  absl::Mutex mu_;
  std::deque<Batch> queue_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

absl::StatusOr<TargetSelection> SelectTargets(PopulationSource& population, absl::string_view seed,
                                              const std::array<int64_t, kRiskClassCount>& counts,
                                              const absl::flat_hash_set<std::string>& excluded,
                                              const SelectionOptions& options) {
  for (int64_t count : counts) {
    if (count < 0) return absl::InvalidArgumentError("counts: must not be negative");
  }
  if (auto* selecting = dynamic_cast<SelectingPopulationSource*>(&population)) {
    return selecting->Select(seed, counts, excluded, options);
  }
  Selector selector(seed, counts, excluded, options.threads);
  return selector.Run(population);
}

absl::StatusOr<TargetSelection> MergeSelections(std::vector<TargetSelection> parts,
                                                const std::array<int64_t, kRiskClassCount>& counts) {
  auto ticket_order = [](const SelectedTarget& a, const SelectedTarget& b) {
    const int c = CompareTickets(a.ticket, b.ticket);
    return c != 0 ? c < 0 : a.credit_code < b.credit_code;
  };
  TargetSelection merged;
  std::array<std::vector<SelectedTarget>, kRiskClassCount> by_class;
  for (TargetSelection& part : parts) {
    for (int c = 0; c < kRiskClassCount; ++c) {
      merged.classes[c].class_size += part.classes[c].class_size;
      merged.classes[c].population += part.classes[c].population;
    }
    for (SelectedTarget& target : part.targets) {
      by_class[target.risk_class - 1].push_back(std::move(target));
    }
  }
  for (int c = 0; c < kRiskClassCount; ++c) {
    std::vector<SelectedTarget>& pool = by_class[c];
    std::sort(pool.begin(), pool.end(), ticket_order);
    for (size_t i = 1; i < pool.size(); ++i) {
      if (pool[i].credit_code == pool[i - 1].credit_code) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "population: credit code %s is in two parts", pool[i].credit_code));
      }
    }
    ClassSelection& cls = merged.classes[c];
    cls.selected = std::min<int64_t>(counts[c], cls.population);
    if (static_cast<int64_t>(pool.size()) < cls.selected) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "a part selected fewer class-%c targets than its population and the count allow",
          RiskClassLetter(c + 1)));
    }
    pool.resize(cls.selected);
    if (!pool.empty()) cls.cutoff = pool.back().ticket.ToString();
    for (SelectedTarget& target : pool) merged.targets.push_back(std::move(target));
  }
  std::sort(merged.targets.begin(), merged.targets.end(), ticket_order);
  return merged;
}

void TrimToQuotasOfPopulation(const std::array<ClassQuota, kRiskClassCount>& quotas,
                              TargetSelection* selection) {
  std::array<int64_t, kRiskClassCount> keep;
  for (int c = 0; c < kRiskClassCount; ++c) {
    ClassSelection& cls = selection->classes[c];
    keep[c] = std::min(cls.selected, QuotaCount(quotas[c], cls.population));
    cls.selected = keep[c];
    cls.cutoff.clear();
  }
  std::vector<SelectedTarget> kept;
  kept.reserve(selection->targets.size());
  for (SelectedTarget& t : selection->targets) {  // ticket order: each class's smallest first
    const int c = t.risk_class - 1;
    if (keep[c] == 0) continue;
    --keep[c];
    selection->classes[c].cutoff = t.ticket.ToString();
    kept.push_back(std::move(t));
  }
  selection->targets = std::move(kept);
}

}  // namespace regulation::scheduler
