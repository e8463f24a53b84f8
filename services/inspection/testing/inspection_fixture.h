#ifndef SERVICES_INSPECTION_TESTING_INSPECTION_FIXTURE_H_
#define SERVICES_INSPECTION_TESTING_INSPECTION_FIXTURE_H_

// A test fixture for the inspection and disclosure sides over an in-memory store: 400
// Hangzhou enterprises (classes cycling A-D, every tenth never scored, every seventh
// deregistered), 12 market and 6 fire inspectors, two inspection items, a log kept in
// memory, a registered witness (a notary office with an Ed25519 key from a fixed seed),
// a fake clock, and helpers to create, commit and draw plans as an agency: a draw waits
// out the minimum entropy delay on the clock and brings the witness's signed statement.

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "gtest/gtest.h"
#include "regulation/internal/inspection_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "regulation/v1/scoring.pb.h"
#include "scheduler/entropy/witness_key.h"
#include "scheduler/entropy/witness_statement.h"
#include "scheduler/testing/draw_fixtures.h"
#include "services/common/proto_time.h"
#include "services/inspection/assignment_board.h"
#include "services/inspection/draw_desk.h"
#include "services/inspection/entropy_registry.h"
#include "services/inspection/plan_book.h"
#include "services/inspection/plan_freezer.h"
#include "services/inspection/roster.h"
#include "storage/memory_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace regulation::services::testing {

using storage::ColumnFamily;

inline access::Caller Admin() {
  access::Caller c;
  c.roles = access::RoleSet::All();
  c.subject = "admin";
  return c;
}

inline access::Caller Agency() {
  access::Caller c;
  c.roles = {access::Role::kAgency};
  c.subject = "hz-samr";
  c.department = "samr";
  c.region_prefix = "3301";
  return c;
}

inline access::Caller InspectorCaller(std::string id) {
  access::Caller c;
  c.roles = {access::Role::kInspector};
  c.subject = id;
  c.inspector_id = std::move(id);
  c.department = "samr";
  return c;
}

// A log kept in memory, which can be made to refuse appends (a log that is down).
class MemoryLog : public disclosure::LogWriter {
 public:
  absl::StatusOr<std::vector<uint64_t>> Append(absl::Span<const std::string> entries) override {
    if (!available_) return absl::UnavailableError("the test log is down");
    std::vector<uint64_t> out;
    for (const std::string& e : entries) {
      out.push_back(entries_.size());
      entries_.push_back(e);
    }
    return out;
  }
  uint64_t size() const override { return entries_.size(); }
  absl::StatusOr<std::string> Entry(uint64_t i) const override { return entries_.at(i); }
  const std::vector<std::string>& entries() const { return entries_; }
  void set_available(bool available) { available_ = available; }

 private:
  std::vector<std::string> entries_;
  bool available_ = true;
};

class InspectionFixture : public ::testing::Test {
 protected:
  static constexpr int kEnterprises = 400;

  // `desk_options`: the draw desk's (default: the server's defaults). `population`: where
  // the desk and the plan book read enterprises (default: store_, in process); the
  // fixture still writes its enterprises and scores to store_.
  explicit InspectionFixture(DrawDesk::Options desk_options = {},
                             PopulationFeed* population = nullptr)
      : store_(storage::NewMemoryStore()),
        clock_(absl::FromCivil(absl::CivilDay(2026, 11, 27), ChinaTimeZone())),
        roster_(store_.get(), &clock_),
        plans_(store_.get(), &roster_, &clock_, population),
        board_(store_.get()),
        publications_(*disclosure::PublicationQueue::Open(store_.get(), &log_)),
        registry_(store_.get(), publications_.get(), &clock_),
        desk_(store_.get(), &plans_, &board_, publications_.get(), &registry_, &clock_,
              WithPopulation(desk_options, population)) {
    RegisterWitness(kWitness, "notary-hz", witness_);
    AddItem("food-1", "samr", "food-safety");
    AddItem("fire-1", "fire", "");
    // Enterprises in two districts of Hangzhou; classes cycle A, B, C, D; every tenth
    // never scored (class B by rule); every seventh deregistered (not eligible).
    storage::WriteBatch batch;
    for (int i = 0; i < kEnterprises; ++i) {
      v1::Enterprise e;
      e.set_credit_code(scheduler::testing::TestCreditCode(i, i % 2 ? "330106" : "330102"));
      e.set_name(absl::StrCat("杭州测试企业", i, "有限公司"));
      e.set_region_code(i % 2 ? "330106" : "330102");
      e.set_industry_code("F5211");
      e.set_address(absl::StrCat("杭州市西湖路", i, "号"));
      e.set_status(i % 7 == 0 ? v1::ENTERPRISE_STATUS_DEREGISTERED
                              : v1::ENTERPRISE_STATUS_OPERATING);
      batch.Put(ColumnFamily::kEnterprises, e.credit_code(), e.SerializeAsString());
      if (i % 10 != 0) {
        v1::RiskScore score;
        score.set_credit_code(e.credit_code());
        score.set_risk_class(static_cast<v1::RiskClass>(1 + i % 4));
        batch.Put(ColumnFamily::kScores, e.credit_code(), score.SerializeAsString());
      }
      codes_.push_back(e.credit_code());
    }
    EXPECT_OK(store_->Write(batch));
    for (int i = 0; i < 12; ++i) AddInspector(absl::StrCat("HZ-M-", i), "samr", "food-safety");
    for (int i = 0; i < 6; ++i) AddInspector(absl::StrCat("HZ-F-", i), "fire", "");
  }

  static DrawDesk::Options WithPopulation(DrawDesk::Options options, PopulationFeed* population) {
    if (population != nullptr) options.population = population;
    return options;
  }

  // The fixture's witness: registered as kWitness, department notary-hz.
  static constexpr char kWitness[] = "notary-hz";

  static scheduler::entropy::WitnessKey WitnessKeyFromSeed(char fill) {
    return *scheduler::entropy::WitnessKey::FromPrivateBytes(
        scheduler::entropy::WitnessAlgorithm::kEd25519, std::string(32, fill));
  }

  void RegisterWitness(const std::string& id, const std::string& department,
                       const scheduler::entropy::WitnessKey& key) {
    v1::RegisterEntropySourceRequest r;
    v1::RegisteredEntropySource* s = r.mutable_source();
    s->set_source_id(id);
    s->set_kind(v1::ENTROPY_SOURCE_KIND_WITNESS);
    s->set_display_name("杭州市公证处（测试）");
    s->set_department(department);
    s->set_algorithm(std::string(scheduler::entropy::WitnessAlgorithmName(key.algorithm())));
    s->set_public_key_hex(key.public_key().hex());
    absl::Status status = registry_.Register(Admin(), r).status();
    ASSERT_OK(status);
  }

  // `key`'s statement for `source_id` in round `round` of `plan` (its stored commitment
  // digest, or `commitment`), with the value SHA-256(value_seed), signed now (whole
  // seconds).
  v1::EntropyStatement Statement(const v1::Plan& plan, int round, const std::string& value_seed,
                                 const scheduler::entropy::WitnessKey& key,
                                 const std::string& source_id = kWitness,
                                 std::string commitment = "",
                                 std::vector<scheduler::entropy::AttestedValue> attested = {}) {
    const internal::PlanRecord record = Record(plan);
    if (commitment.empty()) {
      commitment = round == 0 || round > record.announcements_size()
                       ? record.commitment().commitment_digest()
                       : record.announcements(round - 1).commitment_digest();
    }
    if (commitment.empty()) commitment = std::string(64, '0');  // nothing committed yet
    scheduler::entropy::WitnessStatement s;
    s.source_id = source_id;
    s.plan_id = plan.plan_id();
    s.round = round;
    s.commitment = commitment;
    s.value = Sha256Hex(value_seed);
    s.signed_at = absl::FromUnixSeconds(absl::ToUnixSeconds(clock_.Now()));
    s.attested = std::move(attested);
    const scheduler::entropy::SignedWitnessStatement signed_statement =
        *scheduler::entropy::SignWitnessStatement(key, s);
    v1::EntropyStatement out;
    out.set_source_id(source_id);
    out.mutable_witness()->set_statement(signed_statement.text);
    out.mutable_witness()->set_signature_hex(signed_statement.signature_hex);
    return out;
  }

  // Waits out the minimum entropy delay (and a second) on the fake clock.
  void WaitForEntropy() {
    clock_.Advance(DrawDesk::Options().min_entropy_delay + absl::Seconds(1));
  }

  void AddItem(const std::string& id, const std::string& department,
               const std::string& qualification) {
    v1::UpsertInspectionItemRequest r;
    r.mutable_item()->set_item_id(id);
    r.mutable_item()->set_department(department);
    r.mutable_item()->set_title("食品经营许可情况检查");
    r.mutable_item()->set_legal_basis("《食品安全法》第一百一十条");
    r.mutable_item()->set_kind(v1::ITEM_KIND_KEY);
    r.mutable_item()->set_required_qualification(qualification);
    absl::Status s = roster_.UpsertItem(Admin(), r).status();
    ASSERT_OK(s);
  }

  void AddInspector(const std::string& id, const std::string& department,
                    const std::string& qualification) {
    v1::UpsertInspectorRequest r;
    v1::Inspector* i = r.mutable_inspector();
    i->set_inspector_id(id);
    i->set_name("检查员");
    i->set_department(department);
    i->set_region_code("330100");
    i->set_certificate_number(absl::StrCat("ZJ", id));
    *i->mutable_certificate_valid_until() = ToProtoDate(absl::CivilDay(2028, 12, 31));
    if (!qualification.empty()) i->add_qualifications(qualification);
    i->set_status(v1::INSPECTOR_STATUS_ACTIVE);
    absl::Status s = roster_.UpsertInspector(Admin(), r).status();
    ASSERT_OK(s);
  }

  // `edit`, when set, changes the plan before it is created.
  v1::Plan CreatePlan(bool joint = false, const std::function<void(v1::Plan*)>& edit = nullptr) {
    v1::CreatePlanRequest r;
    v1::Plan* p = r.mutable_plan();
    p->set_title("2027年食品经营者双随机抽查");
    p->add_departments("samr");
    p->add_item_ids("food-1");
    if (joint) {
      p->add_departments("fire");
      p->add_item_ids("fire-1");
    }
    p->mutable_population()->set_region_prefix("3301");
    const double ratios[] = {0.02, 0.05, 0.1, 0.3};
    for (int c = 0; c < 4; ++c) {
      v1::ClassQuota* q = p->add_quotas();
      q->set_risk_class(static_cast<v1::RiskClass>(c + 1));
      q->set_ratio(ratios[c]);
    }
    p->set_team_size(joint ? 3 : 2);
    p->set_workload_cap(8);
    *p->mutable_due_date() = ToProtoDate(absl::CivilDay(2027, 3, 31));
    if (edit) edit(p);
    absl::StatusOr<v1::Plan> plan = plans_.Create(Agency(), r);
    EXPECT_OK(plan);
    return *plan;
  }

  // Commits `plan` naming the fixture's witness.
  absl::StatusOr<v1::Commitment> Commit(const v1::Plan& plan, std::string nonce_commitment = "",
                                        bool allow_unstaffed = false) {
    v1::CommitPlanRequest r;
    r.set_plan_id(plan.plan_id());
    r.add_entropy_sources()->set_source_id(kWitness);
    r.set_nonce_commitment(std::move(nonce_commitment));
    r.set_allow_unstaffed(allow_unstaffed);
    return desk_.Commit(Agency(), r);
  }

  // Waits out the delay, then draws with the witness's statement of SHA-256(value_seed).
  absl::StatusOr<v1::Draw> Draw(const v1::Plan& plan, std::string value_seed = "beacon-1",
                                std::string nonce = "", std::string request_id = "") {
    WaitForEntropy();
    v1::DrawPlanRequest r;
    r.set_plan_id(plan.plan_id());
    *r.add_statements() = Statement(plan, 0, value_seed, witness_);
    r.set_nonce(std::move(nonce));
    r.set_request_id(std::move(request_id));
    return desk_.Draw(Agency(), r);
  }

  // Announces round `Record(plan).draws_size()` for `codes` naming the witness.
  absl::StatusOr<v1::ReplacementAnnouncement> Announce(const v1::Plan& plan,
                                                       std::vector<std::string> codes,
                                                       bool restaff = false) {
    v1::AnnounceReplacementsRequest r;
    r.set_plan_id(plan.plan_id());
    for (std::string& code : codes) r.add_credit_codes(std::move(code));
    r.set_reason(restaff ? "消防检查员到岗" : "已注销");
    r.set_restaff(restaff);
    r.add_entropy_sources()->set_source_id(kWitness);
    return desk_.Announce(Agency(), r);
  }

  // Waits out the delay, then draws the announced round with a fresh statement.
  absl::StatusOr<v1::Draw> Replace(const v1::Plan& plan, std::string value_seed = "round-n") {
    WaitForEntropy();
    const int round = Record(plan).draws_size();
    v1::DrawReplacementsRequest r;
    r.set_plan_id(plan.plan_id());
    *r.add_statements() = Statement(plan, round, value_seed, witness_);
    return desk_.Replace(Agency(), r);
  }

  // The body the log's leaf `index` commits to (its PublicEntry JSON), as staged.
  std::string LoggedBody(size_t index) {
    absl::StatusOr<disclosure::PublicLeaf> leaf = disclosure::ParsePublicLeaf(log_.entries().at(index));
    EXPECT_OK(leaf);
    if (!leaf.ok()) return "";
    absl::StatusOr<disclosure::StoredBody> body = disclosure::ReadPublicBody(store_.get(), leaf->key);
    EXPECT_OK(body);
    return body.ok() ? body->body : "";
  }

  internal::PlanRecord Record(const v1::Plan& plan) {
    return *plans_.Load(Admin(), plan.plan_id());
  }

  // The plan's frozen population, as an auditor's file would hold it.
  scheduler::FrozenPopulation Population(const v1::Plan& plan) {
    scheduler::FrozenPopulation population;
    StoredPopulationSource source(store_.get(), plan.plan_id());
    EXPECT_TRUE(source
                    .ForEach([&](absl::string_view code, int c, absl::string_view region) {
                      return population.Add(code, c, region);
                    })
                    .ok());
    EXPECT_OK(population.Freeze());
    return population;
  }

  std::unique_ptr<storage::KvStore> store_;
  FakeClock clock_;
  MemoryLog log_;
  Roster roster_;
  PlanBook plans_;
  AssignmentBoard board_;
  std::unique_ptr<disclosure::PublicationQueue> publications_;
  EntropyRegistry registry_;
  DrawDesk desk_;
  const scheduler::entropy::WitnessKey witness_ = WitnessKeyFromSeed('\x5a');
  std::vector<std::string> codes_;
};

}  // namespace regulation::services::testing

#endif  // SERVICES_INSPECTION_TESTING_INSPECTION_FIXTURE_H_
