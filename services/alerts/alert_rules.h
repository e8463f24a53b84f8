#ifndef SERVICES_ALERTS_ALERT_RULES_H_
#define SERVICES_ALERTS_ALERT_RULES_H_

// The early-warning rules as pure functions, free of storage: their defaults, their
// validation, the alert id, and whether a score change or an event raises an alert.
// AlertMonitor (alert_monitor.h) feeds them stored state; docs/api.md §Alerts lists the
// rules and their defaults.
//
// The same cause always gives the same alert (same id, same content except raise_time),
// so a retried ingestion, a replayed stream or a re-run ScoreAll raises nothing new.
//
// Thread safety: stateless functions.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "regulation/v1/alert.pb.h"
#include "regulation/v1/event.pb.h"
#include "regulation/v1/scoring.pb.h"

namespace regulation::services {

// The rules in force until an admin stores a set: every rule on; a rise into class C or
// D; a rise of the probability by more than 0.2; 3 complaints within 90 days (any);
// penalties of GENERAL severity or worse; every list entry; inspection results
// PUBLISHED_INFORMATION_FALSE, UNREACHABLE_AT_REGISTERED_ADDRESS and
// SERIOUS_REFUSAL_TO_COOPERATE.
v1::AlertRules DefaultAlertRules();

// OK, or INVALID_ARGUMENT naming the field as "rules.<rule>.<field>" and the accepted
// range. Disabled rules are checked too, so that enabling one later needs no other edit.
absl::Status ValidateAlertRules(const v1::AlertRules& rules);

// "AL-" and the first 20 lowercase hex digits of SHA-256 over the rule's number, the
// credit code and the cause, separated by NUL bytes.
std::string AlertId(v1::AlertRule rule, absl::string_view credit_code, absl::string_view cause);

// The rule's name as the API spells it without the prefix, e.g. "CLASS_RAISED".
std::string AlertRuleName(v1::AlertRule rule);

// The alerts a new batch score raises against the previous one: CLASS_RAISED when the
// class rose into rules.class_raised.min_class or above; SCORE_JUMP when the
// probability rose by more than rules.score_jump.min_rise. The cause names the previous
// score's time and the new class ("score:<RFC 3339 time>-><class letter>"), so a re-run
// that compares against the same previous score gives the same id. Region and
// department are left for the caller.
std::vector<v1::Alert> ScoreAlerts(const v1::AlertRules& rules, const v1::RiskScore& previous,
                                   const v1::RiskScore& current);

// The alert a single event raises on its own (PENALTY, LIST_ENTRY, SERIOUS_INSPECTION),
// if any; cause "event:<event id>", department the event's source department. The
// complaint rule needs the history: ComplaintsCrossThreshold.
std::optional<v1::Alert> EventAlert(const v1::AlertRules& rules, const v1::Event& event);

// Whether some rule, under any settings, can raise an alert for `event`: it is of a
// kind EventAlert or the complaint rule looks at. (The monitor is handed only these.)
bool AnyRuleLooksAt(const v1::Event& event);

// How many of `times` (sorted micros) lie in the window ending at times[index]:
// (times[index] - window, times[index]], counting only entries up to `index`.
int ComplaintsInWindow(const v1::AlertRules::Complaints& rule, absl::Span<const int64_t> times,
                       size_t index);

// Whether the complaint at `index` of `times` (the micros of an enterprise's counted
// complaints, in (time, id) order) brings the count within the window ending at it
// (times in (t - window, t]) to `count` or more while the count at the complaint
// before it was below: one alert each time the enterprise crosses the threshold, not
// one per complaint above it.
bool ComplaintsCrossThreshold(const v1::AlertRules::Complaints& rule,
                              absl::Span<const int64_t> times, size_t index);

// Whether `event` is a complaint the rule counts.
bool CountsAsComplaint(const v1::AlertRules::Complaints& rule, const v1::Event& event);

// The COMPLAINTS alert for the complaint `event` that crossed the threshold; `counted`
// is the count in its window. Its department is empty (every department): complaints
// arrive through several departments' channels.
v1::Alert ComplaintsAlert(const v1::AlertRules::Complaints& rule, const v1::Event& event,
                          int counted);

}  // namespace regulation::services

#endif  // SERVICES_ALERTS_ALERT_RULES_H_
