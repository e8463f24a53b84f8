#include "services/seams/score_change_outbox.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "services/seams/alert_feed_client.h"

namespace regulation::services {
namespace {

constexpr storage::ColumnFamily kOutbox = storage::ColumnFamily::kScoreChangeOutbox;

// credit code, NUL, the previous score's time (micros, big-endian), the new class: what
// the alert's cause names (alert_rules.h ScoreAlerts).
std::string OutboxKey(const ScoreChange& change) {
  std::string key = change.current.credit_code();
  key.push_back('\0');
  const int64_t micros = change.previous.score_time().seconds() * 1000000 +
                         change.previous.score_time().nanos() / 1000;
  for (int shift = 56; shift >= 0; shift -= 8) {
    key.push_back(static_cast<char>((static_cast<uint64_t>(micros) >> shift) & 0xff));
  }
  key.push_back(static_cast<char>(change.current.risk_class()));
  return key;
}

}  // namespace

bool MayRaiseAlert(const ScoreChange& change) {
  const bool class_rose = change.current.risk_class() > change.previous.risk_class() &&
                          change.current.risk_class() >= v1::RISK_CLASS_B;
  return class_rose || change.current.probability() > change.previous.probability();
}

ScoreChangeOutbox::ScoreChangeOutbox(storage::KvStore* store, AlertFeed* feed,
                                     const ScoreChangeOutboxOptions& options)
    : store_(store), feed_(feed), options_(options), sender_([this] { SendLoop(); }) {}

ScoreChangeOutbox::~ScoreChangeOutbox() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  sender_.join();
}

absl::Status ScoreChangeOutbox::ScoresChanging(absl::Span<const ScoreChange> changes) {
  storage::WriteBatch batch;
  for (const ScoreChange& change : changes) {
    if (!MayRaiseAlert(change)) continue;
    batch.PutOwned(kOutbox, OutboxKey(change), ToWire(change).SerializeAsString());
  }
  if (batch.empty()) return absl::OkStatus();
  // Durable before the chunk's scores replace the previous ones (score_change_observer.h).
  storage::WriteOptions durable;
  durable.sync = true;
  REG_RETURN_IF_ERROR(store_->Write(batch, durable));
  absl::MutexLock lock(&mu_);
  wake_ = true;
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ScoreChangeOutbox::DeliverPending() {
  absl::MutexLock deliver(&deliver_mu_);
  int64_t raised = 0;
  for (;;) {
    std::vector<std::string> keys;
    std::vector<ScoreChange> changes;
    std::unique_ptr<storage::Iterator> it = store_->NewIterator(kOutbox);
    for (it->SeekToFirst(); it->Valid() && changes.size() < kMaxScoreChangesPerCall; it->Next()) {
      internal::v1::ScoreChange wire;
      if (!wire.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError(
            absl::StrCat("score_change_outbox: the queued change of ",
                         it->key().substr(0, it->key().find('\0')), " does not parse"));
      }
      keys.emplace_back(it->key());
      changes.push_back(FromWire(wire));
    }
    REG_RETURN_IF_ERROR(it->status());
    if (changes.empty()) return raised;
    REG_ASSIGN_OR_RETURN(int64_t taken, feed_->ReportScoreChanges(changes));
    raised += taken;
    // Taken: a crash before this delete sends them again, which raises nothing twice.
    storage::WriteBatch done;
    for (const std::string& key : keys) done.Delete(kOutbox, key);
    REG_RETURN_IF_ERROR(store_->Write(done));
  }
}

absl::StatusOr<int64_t> ScoreChangeOutbox::Pending() {
  int64_t count = 0;
  std::unique_ptr<storage::Iterator> it = store_->NewIterator(kOutbox);
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++count;
  REG_RETURN_IF_ERROR(it->status());
  return count;
}

void ScoreChangeOutbox::SendLoop() {
  // First: what a stop or a crash left queued.
  std::optional<absl::Duration> retry_in = absl::ZeroDuration();
  absl::Duration backoff = options_.first_retry;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (!retry_in.has_value()) {
        mu_.Await(absl::Condition(
            +[](ScoreChangeOutbox* o) ABSL_EXCLUSIVE_LOCKS_REQUIRED(o->mu_) {
              return o->wake_ || o->stopping_;
            },
            this));
      } else if (*retry_in > absl::ZeroDuration()) {
        // Failing: new changes wait for the backoff too, rather than hammer the peer.
        mu_.AwaitWithTimeout(absl::Condition(&stopping_), *retry_in);
      }
      if (stopping_) return;
      wake_ = false;
    }
    absl::StatusOr<int64_t> sent = DeliverPending();
    if (sent.ok()) {
      if (backoff > options_.first_retry) {
        LogInfo("score changes delivered to the portrait service again");
      }
      retry_in.reset();
      backoff = options_.first_retry;
      continue;
    }
    if (backoff == options_.first_retry) {
      LogError(absl::StrCat("score changes wait in the outbox (alerts follow when the portrait "
                            "service takes them): ",
                            sent.status().ToString()));
    }
    retry_in = backoff;
    backoff = std::min(backoff * 2, options_.max_retry);
  }
}

}  // namespace regulation::services
