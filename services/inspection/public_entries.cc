#include "services/inspection/public_entries.h"

#include "absl/strings/match.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "disclosure/public_leaf.h"
#include "disclosure/redaction.h"
#include "regulation/v1/enterprise.pb.h"
#include "scheduler/risk_class.h"
#include "services/inspection/targeted_plan.h"

namespace regulation::services {
namespace {

std::string Unprefixed(std::string name, absl::string_view prefix) {
  return absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name;
}

}  // namespace

std::string CommitmentRecordKey(absl::string_view plan_id) {
  return absl::StrCat("commitment/", plan_id);
}

std::string DrawRecordKey(absl::string_view plan_id, int round) {
  return absl::StrCat("draw/", plan_id, "/", round);
}

std::string AnnouncementRecordKey(absl::string_view plan_id, int round) {
  return absl::StrCat("announcement/", plan_id, "/", round);
}

std::string PublicTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

v1::PublicPlan PublicPlanOf(const v1::Plan& plan, const scheduler::PlanSpec& spec,
                            const std::vector<v1::InspectionItem>& items) {
  v1::PublicPlan out;
  out.set_plan_id(plan.plan_id());
  out.set_title(disclosure::RedactPersonalData(plan.title()));
  for (const std::string& d : spec.departments) out.add_departments(d);
  for (const v1::InspectionItem& item : items) {
    v1::PublicPlanItem* p = out.add_items();
    p->set_item_id(item.item_id());
    p->set_department(item.department());
    p->set_title(disclosure::RedactPersonalData(item.title()));
    p->set_legal_basis(disclosure::RedactPersonalData(item.legal_basis()));
    p->set_kind(Unprefixed(v1::ItemKind_Name(item.kind()), "ITEM_KIND_"));
    p->set_required_qualification(item.required_qualification());
  }
  out.set_region_prefix(plan.population().region_prefix());
  for (const std::string& code : plan.population().industry_codes()) out.add_industry_codes(code);
  for (int status : plan.population().statuses()) {
    out.add_statuses(Unprefixed(
        v1::EnterpriseStatus_Name(static_cast<v1::EnterpriseStatus>(status)), "ENTERPRISE_STATUS_"));
  }
  for (int c = 0; c < scheduler::kRiskClassCount; ++c) {
    v1::PublicQuota* q = out.add_quotas();
    q->set_risk_class(std::string(1, scheduler::RiskClassLetter(c + 1)));
    if (spec.quotas[c].kind == scheduler::ClassQuota::Kind::kCount) {
      q->set_is_count(true);
      q->set_count(spec.quotas[c].value);
    } else {
      q->set_ratio_ppm(spec.quotas[c].value);
    }
  }
  out.set_team_size(spec.team_size);
  out.set_workload_cap(spec.workload_cap);
  out.set_due_date(spec.due_date);
  if (spec.targeted()) {
    out.set_kind("TARGETED");
    for (const scheduler::ListedTarget& t : spec.listed_targets) {
      v1::PublicTargetedEnterprise* p = out.add_targets();
      p->set_credit_code(t.credit_code);
      p->set_reason(PublicTargetReason(ProtoTargetReason(t.reason)));
    }
  }
  if (!spec.credit.is_default()) {
    out.set_credit_class_source(absl::AsciiStrToUpper(scheduler::ClassSourceName(spec.credit.class_source)));
    out.set_dishonest_list_policy(
        absl::AsciiStrToUpper(scheduler::DishonestPolicyName(spec.credit.dishonest_policy)));
    for (const std::string& code : spec.credit.dishonest) out.add_dishonest(code);
  }
  return out;
}

std::string CommitmentEntry(const v1::Plan& plan, const scheduler::PlanSpec& spec,
                            const std::vector<v1::InspectionItem>& items,
                            const v1::Commitment& commitment, absl::Time now) {
  v1::PublicEntry entry;
  entry.set_kind("COMMITMENT");
  entry.set_key(CommitmentRecordKey(plan.plan_id()));
  entry.set_subject(plan.plan_id());
  entry.set_publish_time(PublicTime(now));
  v1::PublicCommitment* c = entry.mutable_commitment();
  *c->mutable_plan() = PublicPlanOf(plan, spec, items);
  c->set_plan_digest(commitment.plan_digest());
  c->set_population_digest(commitment.population_digest());
  for (int k = 1; k <= scheduler::kRiskClassCount; ++k) {
    const std::string letter(1, scheduler::RiskClassLetter(k));
    v1::PublicClassPopulation* p = c->add_classes();
    p->set_risk_class(letter);
    auto size = commitment.class_sizes().find(letter);
    p->set_size(size == commitment.class_sizes().end() ? 0 : size->second);
    auto digest = commitment.class_population_digests().find(letter);
    if (digest != commitment.class_population_digests().end()) p->set_digest(digest->second);
  }
  c->set_roster_digest(commitment.roster_digest());
  c->set_nonce_commitment(commitment.nonce_commitment());
  c->set_commit_time(PublicTime(now));
  c->set_commitment_digest(commitment.commitment_digest());
  *c->mutable_entropy_sources() = commitment.entropy_sources();
  c->set_min_entropy_delay_seconds(commitment.min_entropy_delay_seconds());
  c->set_allow_unstaffed(commitment.allow_unstaffed());
  return PublicEntryJson(entry);
}

std::string DrawEntry(const v1::Draw& draw, const std::vector<std::string>& replaced_codes,
                      absl::string_view replacement_reason, absl::Time now) {
  v1::PublicEntry entry;
  entry.set_kind("DRAW");
  entry.set_key(DrawRecordKey(draw.plan_id(), draw.round()));
  entry.set_subject(draw.plan_id());
  entry.set_publish_time(PublicTime(now));
  v1::PublicDraw* d = entry.mutable_draw();
  d->set_plan_id(draw.plan_id());
  d->set_round(draw.round());
  d->set_bundle_digest(draw.bundle_digest());
  d->set_seed(draw.seed());
  d->set_nonce(draw.nonce());
  *d->mutable_statements() = draw.statements();
  d->set_commitment_digest(draw.commitment_digest());
  d->set_targets(draw.target_count());
  d->set_unstaffed(draw.unstaffed_count());
  if (draw.bundle_parts_size() > 0) {
    d->set_bundle_part_bytes(draw.bundle_part_bytes());
    for (const v1::BundlePartInfo& part : draw.bundle_parts()) {
      d->add_bundle_part_digests(part.sha256());
    }
  }
  d->set_draw_time(PublicTime(now));
  for (const std::string& code : replaced_codes) d->add_replaced_codes(code);
  for (const v1::DrawnTarget& t : draw.targets()) {
    if (t.reason() != v1::TARGET_REASON_UNSPECIFIED) d->set_plan_kind("TARGETED");
  }
  d->set_replacement_reason(disclosure::RedactPersonalData(replacement_reason));
  return PublicEntryJson(entry);
}

std::string AnnouncementEntry(const v1::ReplacementAnnouncement& announcement, absl::Time now) {
  v1::PublicEntry entry;
  entry.set_kind("ANNOUNCEMENT");
  entry.set_key(AnnouncementRecordKey(announcement.plan_id(), announcement.round()));
  entry.set_subject(announcement.plan_id());
  entry.set_publish_time(PublicTime(now));
  v1::PublicAnnouncement* a = entry.mutable_announcement();
  a->set_plan_id(announcement.plan_id());
  a->set_round(announcement.round());
  for (const std::string& code : announcement.credit_codes()) a->add_replaced_codes(code);
  a->set_reason(disclosure::RedactPersonalData(announcement.reason()));
  a->set_nonce_commitment(announcement.nonce_commitment());
  a->set_announce_time(PublicTime(now));
  a->set_commitment_digest(announcement.commitment_digest());
  *a->mutable_entropy_sources() = announcement.entropy_sources();
  a->set_min_entropy_delay_seconds(announcement.min_entropy_delay_seconds());
  a->set_restaff(announcement.restaff());
  a->set_roster_digest(announcement.roster_digest());
  return PublicEntryJson(entry);
}

std::string EntropySourceEntry(const v1::RegisteredEntropySource& source, absl::string_view event,
                               absl::Time now) {
  v1::PublicEntry entry;
  entry.set_kind("ENTROPY_SOURCE");
  entry.set_key(event == "RETIRED" ? absl::StrCat("entropy-source/", source.source_id(), "/retired")
                                   : absl::StrCat("entropy-source/", source.source_id()));
  entry.set_subject(source.source_id());
  entry.set_publish_time(PublicTime(now));
  v1::PublicEntropySource* e = entry.mutable_entropy_source();
  e->set_event(std::string(event));
  *e->mutable_source() = source;
  e->mutable_source()->clear_log_index();
  e->mutable_source()->clear_logged();
  e->set_reason(source.retire_reason());
  e->set_event_time(PublicTime(now));
  return PublicEntryJson(entry);
}

std::string PublicEntryJson(const v1::PublicEntry& entry) {
  return disclosure::PublicEntryJson(entry);
}

}  // namespace regulation::services
