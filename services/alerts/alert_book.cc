#include "services/alerts/alert_book.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/region_code.h"
#include "common/status_macros.h"
#include "common/text_policy.h"
#include "services/access/jurisdiction.h"
#include "services/alerts/alert_rules.h"
#include "services/common/idempotent_write.h"
#include "services/common/proto_time.h"
#include "services/common/scan_page.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

constexpr char kRulesKey[] = "rules";
constexpr size_t kMaxNoteChars = 2000;

std::string ListFilters(absl::string_view region_prefix, const access::Caller& caller,
                        const v1::ListAlertsRequest& request) {
  return absl::StrCat("alerts|region=", region_prefix, "|dept=", caller.department,
                      "|code=", request.credit_code(), "|rule=", request.rule(),
                      "|state=", request.state());
}

bool Matches(const v1::ListAlertsRequest& request, const v1::Alert& alert) {
  if (!request.credit_code().empty() && alert.credit_code() != request.credit_code()) return false;
  if (request.rule() != v1::ALERT_RULE_UNSPECIFIED && alert.rule() != request.rule()) return false;
  switch (request.state()) {
    case v1::ListAlertsRequest::STATE_UNACKNOWLEDGED:
      return !alert.has_acknowledgement();
    case v1::ListAlertsRequest::STATE_ACKNOWLEDGED:
      return alert.has_acknowledgement();
    default:
      return true;
  }
}

absl::Status NoSuchAlert(absl::string_view id) {
  return absl::NotFoundError(
      absl::StrCat("alert_id: no alert ", id, " of your department within your jurisdiction"));
}

}  // namespace

bool AlertInScope(const access::Caller& caller, absl::string_view region_prefix,
                  const v1::Alert& alert) {
  if (!access::InJurisdiction(caller, alert.region_code())) return false;
  if (!absl::StartsWith(alert.region_code(), region_prefix)) return false;
  return caller.department.empty() || alert.department().empty() ||
         alert.department() == caller.department;
}

AlertBook::AlertBook(storage::KvStore* store, Clock* clock)
    : store_(store),
      clock_(clock),
      alerts_(store, ColumnFamily::kAlerts),
      rules_(store, ColumnFamily::kAlertRules) {}

absl::StatusOr<v1::AlertRules> AlertBook::Rules() {
  absl::StatusOr<v1::AlertRules> stored = rules_.Get(kRulesKey);
  if (absl::IsNotFound(stored.status())) return DefaultAlertRules();
  return stored;
}

absl::StatusOr<v1::AlertRules> AlertBook::UpdateRules(const access::Caller& caller,
                                                      const v1::UpdateAlertRulesRequest& request) {
  REG_RETURN_IF_ERROR(ValidateAlertRules(request.rules()));
  REG_ASSIGN_OR_RETURN(IdempotentWrite write,
                       IdempotentWrite::For("UpdateAlertRules", caller.subject, request));
  absl::MutexLock lock(&write_mu_);
  REG_ASSIGN_OR_RETURN(std::optional<v1::AlertRules> replay,
                       write.ReplayAs<v1::AlertRules>(store_));
  if (replay.has_value()) return *replay;
  v1::AlertRules rules = request.rules();
  *rules.mutable_update_time() = ToProtoTimestamp(clock_->Now());
  storage::WriteBatch batch;
  rules_.Stage(&batch, kRulesKey, rules);
  REG_RETURN_IF_ERROR(write.Commit(store_, &batch, rules.SerializeAsString()));
  return rules;
}

absl::StatusOr<int> AlertBook::Raise(std::vector<v1::Alert> alerts, Durability durability) {
  if (alerts.empty()) return 0;
  std::vector<v1::Alert> raised;
  {
    absl::MutexLock lock(&write_mu_);
    std::vector<std::string> ids;
    ids.reserve(alerts.size());
    for (const v1::Alert& a : alerts) ids.push_back(a.alert_id());
    std::vector<absl::StatusOr<v1::Alert>> stored = alerts_.MultiGet(ids);
    absl::flat_hash_set<std::string> taken;
    const google::protobuf::Timestamp now = ToProtoTimestamp(clock_->Now());
    storage::WriteBatch batch;
    for (size_t i = 0; i < alerts.size(); ++i) {
      if (stored[i].ok()) continue;  // raised before
      if (!absl::IsNotFound(stored[i].status())) return stored[i].status();
      if (!taken.insert(ids[i]).second) continue;  // twice in this call
      *alerts[i].mutable_raise_time() = now;
      alerts_.Stage(&batch, ids[i], alerts[i]);
      raised.push_back(std::move(alerts[i]));
    }
    if (raised.empty()) return 0;
    storage::WriteOptions options;
    options.sync = durability == Durability::kSynced;
    REG_RETURN_IF_ERROR(store_->Write(batch, options));
  }
  absl::MutexLock lock(&watch_mu_);
  for (Watcher* w : watchers_) {
    for (const v1::Alert& a : raised) {
      if (!AlertInScope(w->caller, w->region_prefix, a)) continue;
      if (w->pending.size() >= kMaxWatchBacklog) {
        w->overflowed = true;
        break;
      }
      w->pending.push_back(a);
    }
  }
  return static_cast<int>(raised.size());
}

absl::StatusOr<v1::ListAlertsResponse> AlertBook::List(const access::Caller& caller,
                                                       const v1::ListAlertsRequest& request) {
  REG_RETURN_IF_ERROR(ForField("region_prefix", ValidateRegionPrefix(request.region_prefix())));
  if (!request.credit_code().empty()) {
    REG_RETURN_IF_ERROR(ForField("credit_code", ValidateCreditCode(request.credit_code())));
  }
  if (!v1::AlertRule_IsValid(request.rule())) {
    return InvalidField("rule", absl::StrCat(request.rule(), " is not a known rule"));
  }
  if (!v1::ListAlertsRequest::State_IsValid(request.state())) {
    return InvalidField("state", absl::StrCat(request.state(), " is not a known state"));
  }
  REG_ASSIGN_OR_RETURN(
      const std::string region_prefix,
      access::ScopedRegionPrefix(caller, request.region_prefix(), "region_prefix"));
  PageRequest page{request.page_size(), request.page_token(),
                   ListFilters(region_prefix, caller, request)};
  v1::ListAlertsResponse response;
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage<v1::Alert>(alerts_, {}, page,
                          [&](absl::string_view, v1::Alert alert) -> absl::StatusOr<bool> {
                            if (!AlertInScope(caller, region_prefix, alert) ||
                                !Matches(request, alert)) {
                              return false;
                            }
                            *response.add_alerts() = std::move(alert);
                            return true;
                          }));
  return response;
}

absl::Status AlertBook::Watch(const access::Caller& caller, const v1::WatchAlertsRequest& request,
                              const std::function<bool(const v1::Alert&)>& emit,
                              const std::function<absl::Status()>& keep_going) {
  REG_RETURN_IF_ERROR(ForField("region_prefix", ValidateRegionPrefix(request.region_prefix())));
  REG_ASSIGN_OR_RETURN(
      const std::string region_prefix,
      access::ScopedRegionPrefix(caller, request.region_prefix(), "region_prefix"));
  Watcher watcher{caller, region_prefix, {}, false};
  // Registered before the backlog is read, so that nothing raised meanwhile is missed;
  // an alert both in the backlog and queued is sent once.
  {
    absl::MutexLock lock(&watch_mu_);
    watchers_.push_back(&watcher);
  }
  absl::flat_hash_set<std::string> sent;
  absl::Status status = [&]() -> absl::Status {
    storage::ProtoCursor<v1::Alert> cursor = alerts_.Scan();
    v1::Alert alert;
    for (cursor.SeekToFirst(); cursor.Valid(); cursor.Next()) {
      REG_RETURN_IF_ERROR(cursor.Read(&alert));
      if (alert.has_acknowledgement() || !AlertInScope(caller, region_prefix, alert)) continue;
      REG_RETURN_IF_ERROR(keep_going());
      if (!emit(alert)) return absl::OkStatus();  // the client went away
      sent.insert(alert.alert_id());
    }
    REG_RETURN_IF_ERROR(cursor.status());
    while (true) {
      REG_RETURN_IF_ERROR(keep_going());
      std::deque<v1::Alert> ready;
      {
        absl::MutexLock lock(&watch_mu_);
        auto has_news = [&watcher]() { return !watcher.pending.empty() || watcher.overflowed; };
        watch_mu_.AwaitWithTimeout(absl::Condition(&has_news), absl::Seconds(1));
        if (watcher.overflowed) {
          return absl::ResourceExhaustedError(absl::StrCat(
              "more than ", kMaxWatchBacklog,
              " new alerts waited for this stream; watch again (unacknowledged alerts are "
              "sent again first)"));
        }
        ready.swap(watcher.pending);
      }
      for (const v1::Alert& a : ready) {
        if (sent.contains(a.alert_id())) continue;
        if (!emit(a)) return absl::OkStatus();  // the client went away
      }
    }
  }();
  {
    absl::MutexLock lock(&watch_mu_);
    watchers_.erase(std::remove(watchers_.begin(), watchers_.end(), &watcher), watchers_.end());
  }
  return status;
}

absl::StatusOr<v1::Alert> AlertBook::Acknowledge(const access::Caller& caller,
                                                 const v1::AcknowledgeAlertRequest& request) {
  if (request.alert_id().empty()) return InvalidField("alert_id", "is required");
  if (request.disposition() == v1::ALERT_DISPOSITION_UNSPECIFIED ||
      !v1::AlertDisposition_IsValid(request.disposition())) {
    return InvalidField("disposition",
                        "must be DISMISSED, MONITORING, ACTION_TAKEN or REFERRED");
  }
  REG_RETURN_IF_ERROR(
      ValidateText("note", request.note(), TextRule::OptionalChars(kMaxNoteChars).Multiline()));
  REG_ASSIGN_OR_RETURN(IdempotentWrite write,
                       IdempotentWrite::For("AcknowledgeAlert", caller.subject, request));
  absl::MutexLock lock(&write_mu_);
  REG_ASSIGN_OR_RETURN(std::optional<v1::Alert> replay, write.ReplayAs<v1::Alert>(store_));
  if (replay.has_value()) return *replay;
  absl::StatusOr<v1::Alert> stored = alerts_.Get(request.alert_id());
  if (absl::IsNotFound(stored.status())) return NoSuchAlert(request.alert_id());
  REG_RETURN_IF_ERROR(stored.status());
  v1::Alert alert = *std::move(stored);
  if (!AlertInScope(caller, "", alert)) return NoSuchAlert(request.alert_id());
  if (alert.has_acknowledgement()) {
    const v1::AlertAcknowledgement& ack = alert.acknowledgement();
    if (ack.disposition() == request.disposition() && ack.note() == request.note()) {
      return alert;  // the same acknowledgement again
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "alert_id: ", alert.alert_id(), " was already acknowledged as ",
        v1::AlertDisposition_Name(ack.disposition()), " by ", ack.subject()));
  }
  v1::AlertAcknowledgement* ack = alert.mutable_acknowledgement();
  ack->set_disposition(request.disposition());
  ack->set_note(request.note());
  ack->set_subject(caller.subject);
  ack->set_department(caller.department);
  *ack->mutable_time() = ToProtoTimestamp(clock_->Now());
  storage::WriteBatch batch;
  alerts_.Stage(&batch, alert.alert_id(), alert);
  REG_RETURN_IF_ERROR(write.Commit(store_, &batch, alert.SerializeAsString()));
  return alert;
}

}  // namespace regulation::services
