#include "services/alerts/alert_monitor.h"

#include <algorithm>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "services/alerts/alert_rules.h"
#include "services/alerts/complaint_history.h"
#include "services/portrait/enterprise_records.h"

namespace regulation::services {
namespace {

// GB 32100-2015: characters 3-8 of a credit code are its registration region.
std::string RegistrationRegion(absl::string_view code) {
  return code.size() >= 8 ? std::string(code.substr(2, 6)) : std::string();
}

}  // namespace

absl::Status AlertMonitor::SetRegions(std::vector<v1::Alert>* alerts) {
  std::vector<std::string> codes;
  for (const v1::Alert& a : *alerts) codes.push_back(a.credit_code());
  std::vector<absl::StatusOr<v1::Enterprise>> records = EnterpriseRecords(store_).MultiGet(codes);
  for (size_t i = 0; i < alerts->size(); ++i) {
    if (records[i].ok()) {
      (*alerts)[i].set_region_code(records[i]->region_code());
    } else if (absl::IsNotFound(records[i].status())) {
      (*alerts)[i].set_region_code(RegistrationRegion(codes[i]));
    } else {
      return records[i].status();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int> AlertMonitor::RaiseForEvents(absl::Span<const v1::Event> events) {
  REG_ASSIGN_OR_RETURN(const v1::AlertRules rules, book_->Rules());
  std::vector<v1::Alert> alerts;
  for (const v1::Event& event : events) {
    if (std::optional<v1::Alert> alert = EventAlert(rules, event); alert.has_value()) {
      alerts.push_back(*std::move(alert));
    }
    if (rules.complaints().disabled() || !CountsAsComplaint(rules.complaints(), event)) continue;
    // The complaint rule looks at the enterprise's complaints near this one, this event
    // included (complaint_history.h: a range, not the whole history).
    int counted = 0;
    REG_ASSIGN_OR_RETURN(const bool crossed, ComplaintCrossed(rules.complaints(), event, &counted));
    if (crossed) alerts.push_back(ComplaintsAlert(rules.complaints(), event, counted));
  }
  if (alerts.empty()) return 0;
  REG_RETURN_IF_ERROR(SetRegions(&alerts));
  // Logged, not synced: until a write after this one is durable, the ingestor's record
  // of what the monitor handled is not either, so a power loss hands these events over
  // again (durable_events_observer.h).
  return book_->Raise(std::move(alerts), AlertBook::Durability::kLogged);
}

absl::StatusOr<bool> AlertMonitor::ComplaintCrossed(const v1::AlertRules::Complaints& rule,
                                                    const v1::Event& event, int* counted) {
  if (states_ != nullptr) {
    // A state that cannot be read is the store's to report: its read below fails too.
    std::optional<bool> crossed;
    const absl::Status read = states_->Read(
        event.credit_code(), [&](const internal::PortraitState& state) {
          crossed = ComplaintCrossedThresholdInState(state, rule, event, counted);
        });
    if (read.ok() && crossed.has_value()) return *crossed;
  }
  return ComplaintCrossedThreshold(store_, rule, event, counted);
}

bool AlertMonitor::Concerns(const v1::Event& event) const { return AnyRuleLooksAt(event); }

absl::Status AlertMonitor::EventsDurable(absl::Span<const v1::Event> events) {
  absl::StatusOr<int> raised = RaiseForEvents(events);
  if (!raised.ok()) {
    LogError(absl::StrCat("alerts for ", events.size(), " stored events were not raised (",
                          "retried at the next start): ", raised.status().ToString()));
  }
  return raised.status();
}

absl::Status AlertMonitor::ScoresChanging(absl::Span<const ScoreChange> changes) {
  return RaiseForScoreChanges(changes).status();
}

absl::StatusOr<int> AlertMonitor::RaiseForScoreChanges(absl::Span<const ScoreChange> changes) {
  REG_ASSIGN_OR_RETURN(const v1::AlertRules rules, book_->Rules());
  std::vector<v1::Alert> alerts;
  for (const ScoreChange& change : changes) {
    for (v1::Alert& alert : ScoreAlerts(rules, change.previous, change.current)) {
      alerts.push_back(std::move(alert));
    }
  }
  if (alerts.empty()) return 0;
  REG_RETURN_IF_ERROR(SetRegions(&alerts));
  return book_->Raise(std::move(alerts));
}

}  // namespace regulation::services
