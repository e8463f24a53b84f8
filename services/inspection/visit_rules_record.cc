#include "services/inspection/visit_rules_record.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "regulation/v1/visit.pb.h"

namespace regulation::services {

scheduler::RepeatScope RepeatScopeOf(const v1::Plan& plan) {
  return plan.no_repeat_scope() == v1::REPEAT_VISIT_SCOPE_ALL
             ? scheduler::RepeatScope::kAllDepartments
             : scheduler::RepeatScope::kDepartment;
}

std::vector<scheduler::GrantedRecusal> GrantedRecusalsOf(const internal::PlanRecord& record) {
  std::vector<scheduler::GrantedRecusal> out;
  for (const v1::Recusal& r : record.recusals()) {
    if (r.state() != v1::RECUSAL_STATE_GRANTED) continue;
    out.push_back({r.recusal_id(), r.credit_code(), r.inspector_id()});
  }
  return out;
}

internal::FrozenVisitRules VisitRulesRecord(const scheduler::PlanSpec& spec) {
  internal::FrozenVisitRules rules;
  if (spec.no_repeat.has_value()) {
    rules.set_window_days(spec.no_repeat->window_days);
    rules.set_scope(scheduler::RepeatScopeName(spec.no_repeat->scope));
    for (const scheduler::EarlierRound& r : spec.no_repeat->considered) {
      internal::FrozenVisitRules::Considered* c = rules.add_considered();
      c->set_bundle_digest(r.bundle_digest);
      c->set_plan_id(r.plan_id);
      c->set_round(r.round);
      c->set_committed_at(r.committed_at);
    }
    for (const scheduler::RepeatExclusion& e : spec.no_repeat->excluded) {
      internal::FrozenVisitRules::Excluded* x = rules.add_excluded();
      x->set_credit_code(e.credit_code);
      x->set_bundle_digest(e.bundle_digest);
    }
  }
  for (const scheduler::GrantedRecusal& r : spec.recusals) {
    internal::FrozenVisitRules::GrantedRecusal* g = rules.add_recusals();
    g->set_recusal_id(r.request_id);
    g->set_credit_code(r.credit_code);
    g->set_inspector_id(r.inspector_id);
  }
  return rules;
}

absl::Status ApplyVisitRules(const internal::FrozenVisitRules& rules, scheduler::PlanSpec* spec) {
  if (rules.window_days() > 0) {
    scheduler::NoRepeatRule& rule = spec->no_repeat.emplace();
    rule.window_days = rules.window_days();
    absl::StatusOr<scheduler::RepeatScope> scope = scheduler::ParseRepeatScope(rules.scope());
    if (!scope.ok()) {
      return absl::DataLossError(absl::StrCat("the plan's frozen no-repeat rule: ",
                                              scope.status().message()));
    }
    rule.scope = *scope;
    for (const auto& c : rules.considered()) {
      rule.considered.push_back({c.bundle_digest(), c.plan_id(), c.round(), c.committed_at()});
    }
    for (const auto& e : rules.excluded()) rule.excluded.push_back({e.credit_code(), e.bundle_digest()});
  }
  for (const auto& r : rules.recusals()) {
    spec->recusals.push_back({r.recusal_id(), r.credit_code(), r.inspector_id()});
  }
  *spec = scheduler::CanonicalPlanSpec(std::move(*spec));
  return absl::OkStatus();
}

}  // namespace regulation::services
