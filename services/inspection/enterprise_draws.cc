#include "services/inspection/enterprise_draws.h"

#include "absl/strings/str_cat.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "regulation/internal/inspection_state.pb.h"
#include "scheduler/round_commitment.h"
#include "services/common/scan_page.h"
#include "services/inspection/plan_freezer.h"
#include "services/inspection/public_entries.h"
#include "services/inspection/recusal_desk.h"
#include "services/inspection/round_inputs.h"

namespace regulation::services {

absl::StatusOr<v1::ListMyDrawsResponse> EnterpriseDraws::List(
    const access::Caller& caller, const v1::ListMyDrawsRequest& request) {
  const std::string code = ActsAsEnterprise(caller) ? caller.credit_code : request.credit_code();
  if (code.empty()) return InvalidField("credit_code", "is required");
  if (!IsValidCreditCode(code)) {
    return InvalidField("credit_code", "is not a valid unified social credit code");
  }
  v1::ListMyDrawsResponse response;
  PageRequest page{request.page_size(), request.page_token(), absl::StrCat("draws|", code)};
  auto visit = [&](absl::string_view key, absl::string_view value) -> absl::StatusOr<bool> {
    internal::PlanRecord record;
    if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return absl::DataLossError(absl::StrCat("the stored plan ", key, " is corrupt"));
    }
    if (record.draws().empty()) return false;
    // Never drawn unless it was in the frozen population: one point read skips the rest.
    absl::Status eligible = FrozenPopulationRow(store_, record.plan().plan_id(), code).status();
    if (absl::IsNotFound(eligible)) return false;
    REG_RETURN_IF_ERROR(eligible);
    bool taken = false;
    for (const v1::Draw& draw : record.draws()) {
      REG_RETURN_IF_ERROR(archive_->ForEachSlice(draw, [&](const internal::DrawSlice& slice) {
        for (int i = 0; i < slice.targets_size(); ++i) {
          const v1::DrawnTarget& t = slice.targets(i);
          if (t.credit_code() != code) continue;
          v1::EnterpriseDraw* d = response.add_draws();
          d->set_plan_id(record.plan().plan_id());
          d->set_round(draw.round());
          absl::StatusOr<scheduler::RoundCommitment> c = RoundCommitmentOf(record, draw.round());
          if (c.ok()) d->set_round_kind(std::string(scheduler::RoundKindName(c->kind)));
          d->set_bundle_digest(draw.bundle_digest());
          d->set_ticket(t.ticket());
          d->set_rank(t.rank());
          d->set_reason(t.reason());
          if (i < slice.teams_size()) {
            d->set_staffing(slice.teams(i).staffing());
            *d->mutable_inspector_ids() = slice.teams(i).inspector_ids();
          }
          *d->mutable_draw_time() = draw.draw_time();
          absl::StatusOr<uint64_t> index =
              publications_->IndexOf(DrawRecordKey(record.plan().plan_id(), draw.round()));
          if (index.ok()) d->set_log_index(static_cast<int64_t>(*index));
          taken = true;
        }
        return absl::OkStatus();
      }));
    }
    return taken;
  };
  REG_ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                       ScanPage(store_, storage::ColumnFamily::kPlans, storage::IteratorOptions(),
                                page, visit));
  return response;
}

}  // namespace regulation::services
