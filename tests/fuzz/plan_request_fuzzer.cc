// Fuzz target: InspectionService.CreatePlan's validation (services/inspection/plan_book.h)
// on an in-memory store holding two inspection items. The input is a
// regulation.v1.CreatePlanRequest (proto_input.h), sent by an admin and by a Hangzhou
// market-regulation agency. Checks:
//   - the answer is OK, INVALID_ARGUMENT naming a "plan." field or the request_id,
//     PERMISSION_DENIED or NOT_FOUND (an unknown item), nothing else;
//   - an accepted plan is a DRAFT with a team of 2-10, reads back equal with Get, and the
//     same request sent again (same request_id) answers the same plan;
//   - a plan the agency creates lies within its jurisdiction and includes its department.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "google/protobuf/util/message_differencer.h"
#include "regulation/v1/inspection_service.pb.h"
#include "services/access/caller.h"
#include "services/inspection/plan_book.h"
#include "services/inspection/roster.h"
#include "storage/memory_store.h"
#include "testing/fake_clock.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/proto_input.h"

namespace regulation::fuzz {
namespace {

access::Caller Admin() {
  access::Caller caller;
  caller.roles = access::RoleSet::All();
  caller.subject = "admin";
  return caller;
}

access::Caller Agency() {
  access::Caller caller;
  caller.roles = {access::Role::kAgency};
  caller.subject = "hz-samr";
  caller.department = "samr";
  caller.region_prefix = "3301";
  return caller;
}

void AddItem(services::Roster* roster, const char* id, const char* department) {
  v1::UpsertInspectionItemRequest request;
  request.mutable_item()->set_item_id(id);
  request.mutable_item()->set_department(department);
  request.mutable_item()->set_title("食品经营许可情况检查");
  request.mutable_item()->set_legal_basis("《食品安全法》第一百一十条");
  request.mutable_item()->set_kind(v1::ITEM_KIND_KEY);
  const absl::Status added = roster->UpsertItem(Admin(), request).status();
  FUZZ_CHECK(added.ok()) << added;
}

void CheckCreate(const access::Caller& caller, const v1::CreatePlanRequest& request) {
  std::unique_ptr<storage::KvStore> store = storage::NewMemoryStore();
  FakeClock clock(absl::FromUnixSeconds(1780000000));  // 2026-05-28
  services::Roster roster(store.get(), &clock);
  AddItem(&roster, "food-1", "samr");
  AddItem(&roster, "fire-1", "fire");
  services::PlanBook book(store.get(), &roster, &clock);

  const absl::StatusOr<v1::Plan> plan = book.Create(caller, request);
  if (!plan.ok()) {
    const absl::Status& s = plan.status();
    switch (s.code()) {
      case absl::StatusCode::kInvalidArgument:
        FUZZ_CHECK(absl::StartsWith(s.message(), "plan.") ||
                   absl::StartsWith(s.message(), "request_id"))
            << s;
        break;
      case absl::StatusCode::kPermissionDenied:
      case absl::StatusCode::kNotFound:
        break;
      default:
        FUZZ_CHECK(false) << "unexpected status " << s;
    }
    return;
  }
  FUZZ_CHECK(plan->state() == v1::PLAN_STATE_DRAFT) << plan->DebugString();
  FUZZ_CHECK(plan->team_size() >= 2 && plan->team_size() <= 10);
  FUZZ_CHECK(!plan->plan_id().empty());
  const absl::StatusOr<v1::Plan> read = book.Get(caller, plan->plan_id());
  FUZZ_CHECK(read.ok()) << read.status();
  FUZZ_CHECK(google::protobuf::util::MessageDifferencer::Equals(*read, *plan))
      << read->DebugString() << " != " << plan->DebugString();
  if (!request.request_id().empty()) {
    const absl::StatusOr<v1::Plan> replay = book.Create(caller, request);
    FUZZ_CHECK(replay.ok()) << replay.status();
    FUZZ_CHECK(google::protobuf::util::MessageDifferencer::Equals(*replay, *plan))
        << "a retried CreatePlan answered another plan";
  }
  if (!caller.region_prefix.empty()) {
    FUZZ_CHECK(absl::StartsWith(plan->population().region_prefix(), caller.region_prefix))
        << plan->population().region_prefix();
    bool own_department = false;
    for (const auto& d : plan->departments()) own_department |= d == caller.department;
    FUZZ_CHECK(own_department);
  }
}

}  // namespace
}  // namespace regulation::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  regulation::v1::CreatePlanRequest request;
  if (!regulation::fuzz::ParseFuzzInput(data, size, &request)) return 0;
  regulation::fuzz::CheckCreate(regulation::fuzz::Admin(), request);
  regulation::fuzz::CheckCreate(regulation::fuzz::Agency(), request);
  return 0;
}
