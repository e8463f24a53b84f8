#include "services/inspection/assignment_board.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "services/common/scan_page.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

std::string ByInspector(const v1::Assignment& a) {
  return absl::StrCat("i/", a.inspector_id(), "/", a.plan_id(), "/", a.credit_code());
}
std::string ByPlan(const v1::Assignment& a) {
  return absl::StrCat("p/", a.plan_id(), "/", a.credit_code(), "/", a.inspector_id());
}

absl::StatusOr<v1::Assignment> Parse(absl::string_view bytes) {
  v1::Assignment a;
  if (!a.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("a stored assignment is corrupt");
  }
  return a;
}

}  // namespace

void AssignmentBoard::Stage(const std::vector<v1::Assignment>& assignments,
                            storage::WriteBatch* batch) {
  for (const v1::Assignment& a : assignments) {
    const std::string value = a.SerializeAsString();
    batch->Put(ColumnFamily::kAssignments, ByInspector(a), value);
    batch->Put(ColumnFamily::kAssignments, ByPlan(a), value);
  }
}

void AssignmentBoard::StageWithdrawal(const std::vector<v1::Assignment>& assignments,
                                      storage::WriteBatch* batch) {
  for (const v1::Assignment& a : assignments) {
    batch->Delete(ColumnFamily::kAssignments, ByInspector(a));
    batch->Delete(ColumnFamily::kAssignments, ByPlan(a));
  }
}

void AssignmentBoard::Publish(const std::vector<v1::Assignment>& assignments) {
  absl::MutexLock lock(&mu_);
  for (Watcher* w : watchers_) {
    for (const v1::Assignment& a : assignments) {
      if (a.inspector_id() == w->inspector_id) w->pending.push_back(a);
    }
  }
}

absl::StatusOr<v1::ListMyAssignmentsResponse> AssignmentBoard::ListMine(
    const access::Caller& caller, const v1::ListMyAssignmentsRequest& request) {
  if (caller.inspector_id.empty()) {
    return absl::PermissionDeniedError("only an inspector has assignments of its own");
  }
  // Keys are i/INSPECTOR/PLAN/CODE: a plan narrows the prefix, never widens it.
  if (request.plan_id().find('/') != std::string::npos) {
    return absl::InvalidArgumentError("plan_id: a plan id has no '/'");
  }
  const std::string prefix =
      request.plan_id().empty()
          ? absl::StrCat("i/", caller.inspector_id, "/")
          : absl::StrCat("i/", caller.inspector_id, "/", request.plan_id(), "/");
  v1::ListMyAssignmentsResponse response;
  PageRequest page{request.page_size(), request.page_token(), prefix};
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage(store_, ColumnFamily::kAssignments, storage::PrefixBounds(prefix), page,
               [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
                 REG_ASSIGN_OR_RETURN(*response.add_assignments(), Parse(value));
                 return true;
               }));
  return response;
}

absl::StatusOr<v1::Assignment> AssignmentBoard::Find(absl::string_view inspector_id,
                                                     absl::string_view plan_id,
                                                     absl::string_view credit_code) {
  v1::Assignment key;
  key.set_inspector_id(std::string(inspector_id));
  key.set_plan_id(std::string(plan_id));
  key.set_credit_code(std::string(credit_code));
  REG_ASSIGN_OR_RETURN(std::string bytes, store_->Get(ColumnFamily::kAssignments, ByInspector(key)));
  return Parse(bytes);
}

absl::StatusOr<std::vector<std::string>> AssignmentBoard::JointPlansOf(
    absl::string_view plan_id, absl::string_view credit_code) {
  const std::string prefix = absl::StrCat("p/", plan_id, "/", credit_code, "/");
  std::set<std::string> plans;
  std::unique_ptr<storage::Iterator> it =
      store_->NewIterator(ColumnFamily::kAssignments, storage::PrefixBounds(prefix));
  for (it->Seek(prefix); it->Valid() && absl::StartsWith(it->key(), prefix); it->Next()) {
    REG_ASSIGN_OR_RETURN(const v1::Assignment a, Parse(it->value()));
    if (a.has_joint_partner()) plans.insert(a.joint_partner().visit().plan_id());
    for (const v1::JointPartner& p : a.joined_by()) plans.insert(p.visit().plan_id());
  }
  REG_RETURN_IF_ERROR(it->status());
  return std::vector<std::string>(plans.begin(), plans.end());
}

absl::StatusOr<v1::ListPlanAssignmentsResponse> AssignmentBoard::ListForPlan(
    const v1::ListPlanAssignmentsRequest& request) {
  const std::string prefix = absl::StrCat("p/", request.plan_id(), "/");
  v1::ListPlanAssignmentsResponse response;
  PageRequest page{request.page_size(), request.page_token(), prefix};
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage(store_, ColumnFamily::kAssignments, storage::PrefixBounds(prefix), page,
               [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
                 REG_ASSIGN_OR_RETURN(*response.add_assignments(), Parse(value));
                 return true;
               }));
  return response;
}

absl::Status AssignmentBoard::Watch(const access::Caller& caller,
                                    const std::function<bool(const v1::Assignment&)>& emit,
                                    const std::function<absl::Status()>& keep_going) {
  if (caller.inspector_id.empty()) {
    return absl::PermissionDeniedError("only an inspector has assignments of its own");
  }
  Watcher watcher{caller.inspector_id, {}};
  {
    absl::MutexLock lock(&mu_);
    watchers_.push_back(&watcher);
  }
  absl::Status status;
  while ((status = keep_going()).ok()) {
    std::deque<v1::Assignment> ready;
    {
      absl::MutexLock lock(&mu_);
      auto has_news = [&watcher]() { return !watcher.pending.empty(); };
      mu_.AwaitWithTimeout(absl::Condition(&has_news), absl::Seconds(1));
      ready.swap(watcher.pending);
    }
    bool open = true;
    for (const v1::Assignment& a : ready) {
      if (!(open = emit(a))) break;
    }
    if (!open) break;
  }
  absl::MutexLock lock(&mu_);
  watchers_.erase(std::remove(watchers_.begin(), watchers_.end(), &watcher), watchers_.end());
  return status;
}

}  // namespace regulation::services
