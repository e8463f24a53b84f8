#include "scoring/portrait_state.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"

namespace regulation::scoring {
namespace {

// The index of the first of `signals` (in signal order) whose signal is not below `id`.
// Each is a message of its own, so each one looked at is likely a cache miss: the search
// starts where an even spread of signals would put `id` and walks from there, one or two
// steps for most states where a binary search takes four or five.
int LowerBound(const google::protobuf::RepeatedPtrField<internal::SignalHistory>& signals,
               int id) {
  const int size = signals.size();
  if (size == 0) return 0;
  int i = std::min(size - 1, std::max(0, id) * size / kKnownSignals);
  while (i > 0 && signals[i].signal() > id) --i;
  while (i < size && signals[i].signal() < id) ++i;
  return i;
}

internal::SignalHistory* MutableSignal(internal::PortraitState* state, Signal signal) {
  const int id = static_cast<int>(signal);
  auto* signals = state->mutable_signals();
  const int index = LowerBound(*signals, id);
  if (index < signals->size() && signals->at(index).signal() == id) {
    return signals->Mutable(index);
  }
  // Insert in signal order.
  internal::SignalHistory* added = signals->Add();
  added->set_signal(id);
  for (int i = signals->size() - 1; i > index; --i) signals->SwapElements(i, i - 1);
  return &signals->at(index);
}

// Adds one occurrence, keeping (time, amount) order.
void AddOccurrence(internal::PortraitState* state, Signal signal, int64_t micros, int64_t amount) {
  internal::SignalHistory* h = MutableSignal(state, signal);
  h->set_count_total(h->count_total() + 1);
  h->set_last_micros(std::max(h->last_micros(), micros));
  if (micros <= state->max_micros() - kLongestWindowMicros) return;  // only in totals
  int pos = h->recent_micros_size();
  while (pos > 0 && std::make_pair(h->recent_micros(pos - 1), h->recent_amounts(pos - 1)) >
                        std::make_pair(micros, amount)) {
    --pos;
  }
  h->add_recent_micros(micros);
  h->add_recent_amounts(amount);
  for (int i = h->recent_micros_size() - 1; i > pos; --i) {
    h->mutable_recent_micros()->SwapElements(i, i - 1);
    h->mutable_recent_amounts()->SwapElements(i, i - 1);
  }
}

// Drops occurrences no window can reach any more.
void Prune(internal::PortraitState* state) {
  const int64_t horizon = state->max_micros() - kLongestWindowMicros;
  for (internal::SignalHistory& h : *state->mutable_signals()) {
    int drop = 0;
    while (drop < h.recent_micros_size() && h.recent_micros(drop) <= horizon) ++drop;
    if (drop == 0) continue;
    h.mutable_recent_micros()->erase(h.mutable_recent_micros()->begin(),
                                     h.mutable_recent_micros()->begin() + drop);
    h.mutable_recent_amounts()->erase(h.mutable_recent_amounts()->begin(),
                                      h.mutable_recent_amounts()->begin() + drop);
  }
}

internal::ListHistory* MutableList(internal::PortraitState* state, ListKind list) {
  const int id = static_cast<int>(list);
  auto* lists = state->mutable_lists();
  int index = 0;
  while (index < lists->size() && lists->at(index).list() < id) ++index;
  if (index < lists->size() && lists->at(index).list() == id) return &lists->at(index);
  internal::ListHistory* added = lists->Add();
  added->set_list(id);
  for (int i = lists->size() - 1; i > index; --i) lists->SwapElements(i, i - 1);
  return &lists->at(index);
}

const internal::ListHistory* FindList(const internal::PortraitState& state, ListKind list) {
  for (const internal::ListHistory& h : state.lists()) {
    if (h.list() == static_cast<int>(list)) return &h;
  }
  return nullptr;
}

// The list an event changes, its action and the payload's field name; false when the
// event changes no list.
bool ListChangeOf(const v1::Event& event, ListKind* list, v1::ListAction* action,
                  const char** field) {
  switch (event.payload_case()) {
    case v1::Event::kAbnormalOperation:
      *list = ListKind::kAbnormalOperation;
      *action = event.abnormal_operation().action();
      *field = "abnormal_operation.action";
      return true;
    case v1::Event::kSeriousDishonesty:
      *list = ListKind::kSeriousDishonesty;
      *action = event.serious_dishonesty().action();
      *field = "serious_dishonesty.action";
      return true;
    case v1::Event::kCourtDishonestDebtor:
      *list = ListKind::kCourtDishonestDebtor;
      *action = event.court_dishonest_debtor().action();
      *field = "court_dishonest_debtor.action";
      return true;
    default:
      return false;
  }
}

bool ChangeBefore(const internal::ListChange& c, int64_t micros, const std::string& event_id) {
  return c.micros() < micros || (c.micros() == micros && c.event_id() < event_id);
}

}  // namespace

const internal::SignalHistory* FindSignal(const internal::PortraitState& state, Signal signal) {
  for (const internal::SignalHistory& h : state.signals()) {
    if (h.signal() == static_cast<int>(signal)) return &h;
  }
  return nullptr;
}

WindowCount CountInWindow(const internal::PortraitState& state, Signal signal, int64_t as_of,
                          int64_t window) {
  return CountInWindow(FindSignal(state, signal), as_of, window);
}

WindowCount CountInWindow(const internal::SignalHistory* h, int64_t as_of, int64_t window) {
  WindowCount result;
  if (h == nullptr) return result;
  for (int i = 0; i < h->recent_micros_size(); ++i) {
    const int64_t t = h->recent_micros(i);
    if (t > as_of - window && t <= as_of) {
      ++result.count;
      // Saturating: amounts are bounded where events enter, but a sum must never wrap.
      const int64_t amount = h->recent_amounts(i);
      result.amount = amount > 0 && result.amount > std::numeric_limits<int64_t>::max() - amount
                          ? std::numeric_limits<int64_t>::max()
                          : result.amount + amount;
    }
  }
  return result;
}

bool ListedAt(const internal::PortraitState& state, ListKind list, int64_t micros) {
  const internal::ListHistory* h = FindList(state, list);
  if (h == nullptr) return false;
  bool listed = false;
  for (const internal::ListChange& c : h->changes()) {
    if (c.micros() > micros) break;
    listed = c.added();
  }
  return listed;
}

OfficialClassAt OfficialClassAsOf(const internal::PortraitState& state, int64_t micros) {
  OfficialClassAt result;
  for (const internal::OfficialClassChange& c : state.official_classes()) {
    if (c.micros() > micros) break;
    result.risk_class = c.risk_class();
    result.since_micros = c.micros();
  }
  return result;
}

absl::Status CheckListChange(const v1::Event& event, int64_t micros,
                             const internal::PortraitState& state) {
  ListKind list;
  v1::ListAction action;
  const char* field;
  if (!ListChangeOf(event, &list, &action, &field)) return absl::OkStatus();
  const internal::ListHistory* h = FindList(state, list);
  // Membership just before this change, and the next change after it.
  bool listed_before = false;
  const internal::ListChange* next = nullptr;
  if (h != nullptr) {
    for (const internal::ListChange& c : h->changes()) {
      if (ChangeBefore(c, micros, event.event_id())) {
        listed_before = c.added();
      } else {
        next = &c;
        break;
      }
    }
  }
  if (action == v1::LIST_ACTION_REMOVED && !listed_before) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": REMOVED, but the enterprise is not on the list at that time"));
  }
  if (action == v1::LIST_ACTION_REMOVED && next != nullptr && !next->added()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": REMOVED before an existing removal, which would then follow no addition"));
  }
  return absl::OkStatus();
}

void FoldEvent(const v1::Event& event, int64_t micros, internal::PortraitState* state) {
  state->set_event_count(state->event_count() + 1);
  if (micros > state->max_micros()) {
    state->set_max_micros(micros);
    Prune(state);
  }
  auto add = [&](Signal signal, int64_t amount = 0) {
    AddOccurrence(state, signal, micros, amount);
  };
  switch (event.payload_case()) {
    case v1::Event::kRegistrationChange:
      add(Signal::kRegistrationChange);
      if (const int64_t capital = event.registration_change().new_capital_yuan(); capital > 0) {
        // The latest report wins; between reports at the same moment, the larger value
        // (so that the order of arrival does not matter).
        if (micros > state->reported_capital_micros() ||
            (micros == state->reported_capital_micros() &&
             capital > state->reported_capital_yuan())) {
          state->set_reported_capital_micros(micros);
          state->set_reported_capital_yuan(capital);
        }
      }
      break;
    case v1::Event::kAnnualReport: {
      const v1::AnnualReport& r = event.annual_report();
      if (r.filing() == v1::ANNUAL_REPORT_FILING_ON_TIME) add(Signal::kReportOnTime);
      if (r.filing() == v1::ANNUAL_REPORT_FILING_LATE) add(Signal::kReportLate);
      if (r.filing() == v1::ANNUAL_REPORT_FILING_MISSING) add(Signal::kReportMissing);
      if (r.filing() != v1::ANNUAL_REPORT_FILING_MISSING && r.total_assets_yuan() == 0 &&
          r.revenue_yuan() == 0 && r.profit_yuan() == 0 && r.tax_paid_yuan() == 0) {
        add(Signal::kReportZeroFinancials);
      }
      break;
    }
    case v1::Event::kAdministrativePenalty:
      add(Signal::kPenalty, event.administrative_penalty().amount_yuan());
      if (event.administrative_penalty().severity() == v1::PENALTY_SEVERITY_SERIOUS) {
        add(Signal::kSeriousPenalty);
      }
      break;
    case v1::Event::kComplaint:
      add(Signal::kComplaint);
      if (event.complaint().substantiated()) add(Signal::kComplaintSubstantiated);
      break;
    case v1::Event::kQualitySampling:
      add(Signal::kQualitySample);
      if (!event.quality_sampling().passed()) add(Signal::kQualityFailure);
      break;
    case v1::Event::kInspectionOutcome:
      add(Signal::kInspection);
      if (event.inspection_outcome().problem_found()) add(Signal::kInspectionProblem);
      break;
    case v1::Event::kLicenceChange:
      add(event.licence_change().action() == v1::LICENCE_ACTION_REVOKED ? Signal::kLicenceRevoked
                                                                        : Signal::kLicenceGranted);
      break;
    case v1::Event::kOfficialCreditClass: {
      // Kept in (micros, event_id) order, like list changes, so that the order of arrival
      // does not matter.
      auto* changes = state->mutable_official_classes();
      int pos = changes->size();
      while (pos > 0 && (changes->at(pos - 1).micros() > micros ||
                         (changes->at(pos - 1).micros() == micros &&
                          changes->at(pos - 1).event_id() >= event.event_id()))) {
        --pos;
      }
      internal::OfficialClassChange* change = changes->Add();
      change->set_micros(micros);
      change->set_event_id(event.event_id());
      change->set_risk_class(event.official_credit_class().risk_class());
      for (int i = changes->size() - 1; i > pos; --i) changes->SwapElements(i, i - 1);
      break;
    }
    default:
      break;
  }
  ListKind list;
  v1::ListAction action;
  const char* field;
  if (ListChangeOf(event, &list, &action, &field)) {
    const bool added = action == v1::LIST_ACTION_ADDED;
    if (added) {
      add(list == ListKind::kAbnormalOperation   ? Signal::kAbnormalListed
          : list == ListKind::kSeriousDishonesty ? Signal::kDishonestListed
                                                 : Signal::kCourtDebtorListed);
    }
    internal::ListHistory* h = MutableList(state, list);
    int pos = h->changes_size();
    while (pos > 0 && !ChangeBefore(h->changes(pos - 1), micros, event.event_id())) --pos;
    internal::ListChange* change = h->add_changes();
    change->set_micros(micros);
    change->set_event_id(event.event_id());
    change->set_added(added);
    for (int i = h->changes_size() - 1; i > pos; --i) h->mutable_changes()->SwapElements(i, i - 1);
  }
}

}  // namespace regulation::scoring
