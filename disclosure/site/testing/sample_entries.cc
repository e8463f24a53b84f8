#include "disclosure/site/testing/sample_entries.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "disclosure/public_leaf.h"
#include "scheduler/bundle_parts.h"
#include "scheduler/entropy/witness_key.h"
#include "scheduler/entropy/witness_statement.h"

namespace regulation::disclosure::site::testing {

std::string SampleCreditCode(int n) { return absl::StrFormat("91330106MA%08d", n); }

std::string SampleName(int k) {
  return k == 1 ? std::string(kHostileName) : absl::StrCat("杭州明辉食品", k, "有限公司");
}

namespace {

scheduler::entropy::WitnessKey SampleWitnessKey() {
  return scheduler::entropy::WitnessKey::FromPrivateBytes(scheduler::entropy::WitnessAlgorithm::kEd25519,
                                                          std::string(32, '\x5a'))
      .value();
}

// The time a round was committed (round 0) or announced, and its statement's.
std::string RoundTime(int round) { return round == 0 ? "2026-03-01T08:00:00.000000Z" : "2026-03-09T08:00:00.000000Z"; }
absl::Time StatementTime(int round) {
  return absl::FromCivil(absl::CivilSecond(2026, 3, round == 0 ? 1 : 9, 8, 15, 0), absl::UTCTimeZone());
}

}  // namespace

std::string SampleCommitmentDigest(const std::string& plan_id, int round) {
  return Sha256Hex(absl::StrCat(plan_id, "/commitment/", round));
}

std::string EntropySourceBody() {
  v1::PublicEntry entry;
  entry.set_kind("ENTROPY_SOURCE");
  entry.set_key(absl::StrCat("entropy-source/", kSampleWitnessId));
  entry.set_subject(kSampleWitnessId);
  entry.set_publish_time("2026-02-01T08:00:00.000000Z");
  v1::PublicEntropySource* e = entry.mutable_entropy_source();
  e->set_event("REGISTERED");
  e->set_event_time("2026-02-01T08:00:00Z");
  v1::RegisteredEntropySource* source = e->mutable_source();
  source->set_source_id(kSampleWitnessId);
  source->set_kind(v1::ENTROPY_SOURCE_KIND_WITNESS);
  source->set_display_name("杭州市西湖公证处（样例）");
  source->set_department("notary-hz");
  source->set_algorithm("ed25519");
  source->set_public_key_hex(SampleWitnessKey().public_key().hex());
  return PublicEntryJson(entry);
}

std::string CommitmentBody(const std::string& plan_id, const std::string& title) {
  v1::PublicEntry entry;
  entry.set_kind("COMMITMENT");
  entry.set_key(absl::StrCat("commitment/", plan_id));
  entry.set_subject(plan_id);
  entry.set_publish_time("2026-03-01T08:00:00.000000Z");
  v1::PublicCommitment* c = entry.mutable_commitment();
  v1::PublicPlan* plan = c->mutable_plan();
  plan->set_plan_id(plan_id);
  plan->set_title(title);
  // A department by its code (shown by name) and one named in Chinese (shown as it is).
  plan->add_departments("samr");
  plan->add_departments("消防救援");
  v1::PublicPlanItem* item = plan->add_items();
  item->set_item_id("SC-001");
  item->set_department("samr");
  item->set_title("食品经营许可情况检查");
  item->set_legal_basis("《中华人民共和国食品安全法》第三十五条");
  item->set_kind("KEY");
  plan->set_region_prefix("3301");
  plan->add_statuses("OPERATING");
  for (const char* cls : {"A", "B", "C", "D"}) {
    v1::PublicQuota* q = plan->add_quotas();
    q->set_risk_class(cls);
    q->set_ratio_ppm(50000);
    v1::PublicClassPopulation* p = c->add_classes();
    p->set_risk_class(cls);
    p->set_size(100);
    p->set_digest(Sha256Hex(absl::StrCat(plan_id, cls)));
  }
  plan->set_team_size(2);
  plan->set_workload_cap(5);
  plan->set_due_date("2026-12-31");
  c->set_plan_digest(Sha256Hex(plan_id));
  c->set_population_digest(Sha256Hex(absl::StrCat(plan_id, "/population")));
  c->set_roster_digest(Sha256Hex(absl::StrCat(plan_id, "/roster")));
  c->set_nonce_commitment(Sha256Hex(absl::StrCat(plan_id, "/nonce")));
  c->set_commitment_digest(SampleCommitmentDigest(plan_id, 0));
  c->add_entropy_sources()->set_source_id(kSampleWitnessId);
  c->set_min_entropy_delay_seconds(600);
  c->set_commit_time(RoundTime(0));
  return PublicEntryJson(entry);
}

DrawBody MakeDrawBody(const std::string& plan_id, int round, const std::vector<std::string>& targets,
                      bool tampered, const std::vector<std::string>& replaced) {
  std::string bundle = absl::StrCat(
      "{\"spec\":\"regulation.draw.v2\",\"plan\":{\"plan_id\":\"", plan_id,
      "\"},\"round\":", round, ",\"seed\":\"", Sha256Hex(absl::StrCat(plan_id, round)),
      "\",\"classes\":[{\"class\":\"A\",\"population\":100,\"selected\":", targets.size(),
      ",\"cutoff\":\"0.0123\"},{\"class\":\"B\",\"population\":100,\"selected\":0,\"cutoff\":\"\"}],"
      "\"targets\":[");
  std::string teams;
  for (size_t i = 0; i < targets.size(); ++i) {
    absl::StrAppend(&bundle, i > 0 ? "," : "", "{\"credit_code\":\"", targets[i],
                    "\",\"region_code\":\"330106\",\"ticket\":\"0.00", i + 1, "\",\"rank\":", i + 1, "}");
    absl::StrAppend(&teams, i > 0 ? "," : "", "{\"credit_code\":\"", targets[i],
                    "\",\"inspectors\":[\"HZ-M-0", i + 1, "\",\"HZ-F-01\"],\"status\":\"STAFFED\",\"reason\":\"\"}");
  }
  absl::StrAppend(&bundle, "],\"teams\":[", teams, "]}");

  v1::PublicEntry entry;
  entry.set_kind("DRAW");
  entry.set_key(absl::StrCat("draw/", plan_id, "/", round));
  entry.set_subject(plan_id);
  entry.set_publish_time("2026-03-02T08:00:00.000000Z");
  v1::PublicDraw* d = entry.mutable_draw();
  d->set_plan_id(plan_id);
  d->set_round(round);
  d->set_bundle_digest(Sha256Hex(bundle));
  d->set_seed(Sha256Hex(absl::StrCat(plan_id, round)));
  d->set_nonce(Sha256Hex(absl::StrCat(plan_id, "nonce")));
  d->set_commitment_digest(SampleCommitmentDigest(plan_id, round));
  for (const std::string& code : replaced) d->add_replaced_codes(code);
  scheduler::entropy::WitnessStatement statement;
  statement.source_id = kSampleWitnessId;
  statement.plan_id = plan_id;
  statement.round = round;
  statement.commitment = SampleCommitmentDigest(plan_id, round);
  statement.value = Sha256Hex(absl::StrCat(plan_id, "/", round, "/witness value"));
  statement.signed_at = StatementTime(round);
  const scheduler::entropy::SignedWitnessStatement signed_statement =
      scheduler::entropy::SignWitnessStatement(SampleWitnessKey(), statement).value();
  v1::EntropyStatement* s = d->add_statements();
  s->set_source_id(kSampleWitnessId);
  std::string text = signed_statement.text;
  if (tampered) {
    const size_t at = text.find(statement.value);
    text[at] = text[at] == '0' ? '1' : '0';
  }
  s->mutable_witness()->set_statement(text);
  s->mutable_witness()->set_signature_hex(signed_statement.signature_hex);
  d->set_targets(static_cast<int64_t>(targets.size()));
  d->set_draw_time("2026-03-02T08:00:00.000000Z");
  return {PublicEntryJson(entry), bundle};
}

std::string AnnouncementBody(const std::string& plan_id, int round,
                             const std::vector<std::string>& replaced) {
  v1::PublicEntry entry;
  entry.set_kind("ANNOUNCEMENT");
  entry.set_key(absl::StrCat("announcement/", plan_id, "/", round));
  entry.set_subject(plan_id);
  entry.set_publish_time("2026-03-09T08:00:00.000000Z");
  v1::PublicAnnouncement* a = entry.mutable_announcement();
  a->set_plan_id(plan_id);
  a->set_round(round);
  for (const std::string& code : replaced) a->add_replaced_codes(code);
  a->set_reason("企业已注销 <b>deregistered</b>");
  a->set_nonce_commitment(std::string(64, 'c'));
  a->set_commitment_digest(SampleCommitmentDigest(plan_id, round));
  a->add_entropy_sources()->set_source_id(kSampleWitnessId);
  a->set_min_entropy_delay_seconds(600);
  a->set_announce_time(RoundTime(round));
  return PublicEntryJson(entry);
}

v1::PublicResult SampleResult(const std::string& result_id, const std::string& plan_id,
                              const std::string& credit_code, const std::string& name) {
  v1::PublicResult r;
  r.set_result_id(result_id);
  r.set_plan_id(plan_id);
  r.set_credit_code(credit_code);
  r.set_enterprise_name(name);
  r.set_category("NO_PROBLEM_FOUND");
  r.set_category_label("未发现问题");
  r.set_findings("现场检查未发现问题。");
  r.set_inspection_end_date("2026-04-10");
  r.add_departments("市场监管局");
  r.set_approve_time("2026-04-12T02:00:00.000000Z");
  r.set_publish_deadline("2026-05-11");
  return r;
}

std::string ResultBody(const v1::PublicResult& result) {
  v1::PublicEntry entry;
  entry.set_kind("RESULT");
  entry.set_key(absl::StrCat("result/", result.result_id()));
  entry.set_subject(result.credit_code());
  entry.set_publish_time("2026-04-12T03:00:00.000000Z");
  *entry.mutable_result() = result;
  return PublicEntryJson(entry);
}

std::string CorrectionBody(int64_t corrects_index, const std::string& reason,
                           const v1::PublicResult& corrected) {
  v1::PublicEntry entry;
  entry.set_kind("CORRECTION");
  entry.set_key(absl::StrCat("correction/", corrected.result_id(), "/1"));
  entry.set_subject(corrected.credit_code());
  entry.set_publish_time("2026-04-20T03:00:00.000000Z");
  v1::PublicCorrection* c = entry.mutable_correction();
  c->set_corrects_index(corrects_index);
  c->set_reason(reason);
  *c->mutable_corrected() = corrected;
  return PublicEntryJson(entry);
}

std::string ObjectionOutcomeBody(int64_t objected_index, const v1::PublicResult& result,
                                 const std::string& outcome, const std::string& correction_key) {
  const std::string objection_id = absl::StrCat(result.result_id(), "/1");
  v1::PublicEntry entry;
  entry.set_kind("OBJECTION_OUTCOME");
  entry.set_key(absl::StrCat("objection/", objection_id));
  entry.set_subject(result.credit_code());
  entry.set_publish_time("2026-04-20T03:00:00.000000Z");
  v1::PublicObjectionOutcome* o = entry.mutable_objection_outcome();
  o->set_objection_id(objection_id);
  o->set_result_id(result.result_id());
  o->set_plan_id(result.plan_id());
  o->set_credit_code(result.credit_code());
  o->set_objected_index(objected_index);
  o->set_filed_date("2026-04-14");
  o->set_answer_deadline("2026-04-28");
  o->set_decided_date("2026-04-20");
  o->set_outcome(outcome);
  o->set_grounds("标签已在检查当日更换，<b>请复核</b>。");
  o->set_reason(outcome == "UPHELD" ? "经复核，异议成立。" : "经复核，原结果无误。");
  o->set_correction_key(correction_key);
  return PublicEntryJson(entry);
}

absl::StatusOr<int64_t> AppendDrawInParts(SampleLog* log, const std::string& plan_id, int round,
                                          int targets, int64_t part_bytes, std::string* bundle) {
  std::vector<std::string> codes;
  for (int k = 100; k < 100 + targets; ++k) codes.push_back(SampleCreditCode(k));
  const DrawBody draw = MakeDrawBody(plan_id, round, codes);
  REG_ASSIGN_OR_RETURN(v1::PublicEntry entry, ParsePublicEntryJson(draw.body));
  const scheduler::BundleManifest manifest =
      scheduler::ManifestOf(draw.bundle, part_bytes, absl::StrCat(round));
  entry.mutable_draw()->set_bundle_part_bytes(part_bytes);
  for (const scheduler::BundlePart& part : manifest.parts) {
    entry.mutable_draw()->add_bundle_part_digests(part.sha256);
  }
  REG_ASSIGN_OR_RETURN(const int64_t index, log->Append(PublicEntryJson(entry)));
  log->source().SetAttachmentInParts(index, draw.bundle, part_bytes);
  if (bundle != nullptr) *bundle = draw.bundle;
  return index;
}

absl::StatusOr<std::vector<int64_t>> PopulateSampleLog(SampleLog* log, int results) {
  std::vector<int64_t> indices;
  REG_ASSIGN_OR_RETURN(int64_t source, log->Append(EntropySourceBody()));
  indices.push_back(source);
  for (const std::string plan : {"PLAN-A", "PLAN-B"}) {
    REG_ASSIGN_OR_RETURN(int64_t c, log->Append(CommitmentBody(plan, absl::StrCat(plan, " 食品安全双随机抽查"))));
    indices.push_back(c);
    const DrawBody draw = MakeDrawBody(plan, 0, {SampleCreditCode(1), SampleCreditCode(2)});
    REG_ASSIGN_OR_RETURN(int64_t d, log->Append(draw.body, draw.bundle));
    indices.push_back(d);
  }
  for (int k = 1; k <= results; ++k) {
    v1::PublicResult r = SampleResult(absl::StrCat("R", k), k % 2 == 0 ? "PLAN-B" : "PLAN-A",
                                      SampleCreditCode(k), SampleName(k));
    if (k == 1) r.set_findings("发现问题：<img src=x onerror=alert(1)> & 其他");
    REG_ASSIGN_OR_RETURN(int64_t i, log->Append(ResultBody(r)));
    indices.push_back(i);
  }
  return indices;
}

}  // namespace regulation::disclosure::site::testing
