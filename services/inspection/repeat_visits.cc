#include "services/inspection/repeat_visits.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "regulation/v1/visit.pb.h"
#include "scheduler/canonical_time.h"
#include "services/inspection/round_inputs.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

bool SharesDepartment(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const std::string& d : a) {
    if (std::find(b.begin(), b.end(), d) != b.end()) return true;
  }
  return false;
}

}  // namespace

scheduler::NoRepeatRule NoRepeatRuleOf(int window_days, scheduler::RepeatScope scope,
                                       const scheduler::PlanSpec& spec, absl::Time committed_at,
                                       const std::vector<DrawnRound>& drawn) {
  scheduler::NoRepeatRule rule;
  rule.window_days = window_days;
  rule.scope = scope;
  const absl::Time since = committed_at - absl::Hours(24) * window_days;
  std::map<std::string, const DrawnRound*> counted;  // by bundle digest
  for (const DrawnRound& d : drawn) {
    if (d.round.plan_id == spec.plan_id) continue;
    absl::StatusOr<absl::Time> at = scheduler::ParseCanonicalTime("", d.round.committed_at);
    if (!at.ok() || *at < since || *at >= committed_at) continue;
    if (scope == scheduler::RepeatScope::kDepartment &&
        !SharesDepartment(d.departments, spec.departments)) {
      continue;
    }
    counted.emplace(d.round.bundle_digest, &d);
  }
  std::map<std::string, std::string> excluded;  // code -> first digest that drew it
  for (const auto& [digest, d] : counted) {
    rule.considered.push_back(d->round);
    for (const std::string& code : d->targets) excluded.emplace(code, digest);
  }
  for (const auto& [code, digest] : excluded) rule.excluded.push_back({code, digest});
  return rule;
}

absl::StatusOr<std::vector<DrawnRound>> DrawnRoundsBetween(storage::KvStore* store,
                                                           DrawArchive* archive,
                                                           absl::string_view plan_id,
                                                           absl::Time since, absl::Time until) {
  std::vector<DrawnRound> out;
  std::unique_ptr<storage::Iterator> it =
      store->NewIterator(ColumnFamily::kPlans, storage::IteratorOptions());
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key() == plan_id) continue;
    internal::PlanRecord record;
    if (!record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("the stored plan ", it->key(), " is corrupt"));
    }
    for (const v1::Draw& draw : record.draws()) {
      absl::StatusOr<scheduler::RoundCommitment> c = RoundCommitmentOf(record, draw.round());
      if (!c.ok()) continue;  // a plan of regulation.draw.v1: no commitment time to compare
      REG_ASSIGN_OR_RETURN(const absl::Time at,
                           scheduler::ParseCanonicalTime("committed_at", c->committed_at));
      if (at < since || at >= until) continue;
      DrawnRound& d = out.emplace_back();
      d.round = {draw.bundle_digest(), record.plan().plan_id(), draw.round(), c->committed_at};
      d.departments.assign(record.plan().departments().begin(),
                           record.plan().departments().end());
      REG_RETURN_IF_ERROR(archive->ForEachSlice(draw, [&d](const internal::DrawSlice& slice) {
        for (const v1::DrawnTarget& t : slice.targets()) d.targets.push_back(t.credit_code());
        return absl::OkStatus();
      }));
    }
  }
  REG_RETURN_IF_ERROR(it->status());
  return out;
}

}  // namespace regulation::services
