#include "scheduler/visit_rules.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "scheduler/canonical_record.h"
#include "scheduler/canonical_time.h"
#include "scheduler/field_checks.h"

namespace regulation::scheduler {

const char* RepeatScopeName(RepeatScope scope) {
  return scope == RepeatScope::kAllDepartments ? "all" : "department";
}

absl::StatusOr<RepeatScope> ParseRepeatScope(absl::string_view name) {
  if (name == "department") return RepeatScope::kDepartment;
  if (name == "all") return RepeatScope::kAllDepartments;
  return absl::InvalidArgumentError(
      absl::StrFormat("\"%s\" is not a scope (department, all)", name));
}

absl::Status ValidateNoRepeatRule(const NoRepeatRule& rule) {
  if (rule.window_days < 1 || rule.window_days > 366) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "plan.no_repeat.window_days: must be 1 to 366, got %d", rule.window_days));
  }
  std::set<std::string> digests;
  for (size_t i = 0; i < rule.considered.size(); ++i) {
    const EarlierRound& r = rule.considered[i];
    const std::string field = absl::StrFormat("plan.no_repeat.considered[%d]", i);
    REG_RETURN_IF_ERROR(CheckDigestHex(field + ".bundle_digest", r.bundle_digest));
    REG_RETURN_IF_ERROR(CheckText(field + ".plan_id", r.plan_id, 128));
    if (r.round < 0) {
      return absl::InvalidArgumentError(field + ".round: must not be negative");
    }
    REG_RETURN_IF_ERROR(ParseCanonicalTime(field + ".committed_at", r.committed_at).status());
    if (!digests.insert(r.bundle_digest).second) {
      return absl::InvalidArgumentError(field + ".bundle_digest: listed twice");
    }
  }
  std::set<std::string> codes;
  for (size_t i = 0; i < rule.excluded.size(); ++i) {
    const RepeatExclusion& e = rule.excluded[i];
    const std::string field = absl::StrFormat("plan.no_repeat.excluded[%d]", i);
    REG_RETURN_IF_ERROR(CheckCreditCode(field + ".credit_code", e.credit_code));
    if (!codes.insert(e.credit_code).second) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s.credit_code: \"%s\" is listed twice", field, e.credit_code));
    }
    if (digests.count(e.bundle_digest) == 0) {
      return absl::InvalidArgumentError(
          field + ".bundle_digest: is not one of the considered rounds");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRecusals(const std::vector<GrantedRecusal>& recusals) {
  std::set<std::pair<std::string, std::string>> pairs;
  std::set<std::string> ids;
  for (size_t i = 0; i < recusals.size(); ++i) {
    const GrantedRecusal& r = recusals[i];
    const std::string field = absl::StrFormat("plan.recusals[%d]", i);
    // A request id has the shape of an inspector id: [A-Za-z0-9._-], 1-64.
    REG_RETURN_IF_ERROR(CheckInspectorId(field + ".request_id", r.request_id));
    REG_RETURN_IF_ERROR(CheckCreditCode(field + ".credit_code", r.credit_code));
    REG_RETURN_IF_ERROR(CheckInspectorId(field + ".inspector_id", r.inspector_id));
    if (!ids.insert(r.request_id).second) {
      return absl::InvalidArgumentError(field + ".request_id: listed twice");
    }
    if (!pairs.emplace(r.credit_code, r.inspector_id).second) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: %s and %s are listed twice", field, r.credit_code, r.inspector_id));
    }
  }
  return absl::OkStatus();
}

void CanonicalizeNoRepeatRule(NoRepeatRule* rule) {
  std::sort(rule->considered.begin(), rule->considered.end(),
            [](const EarlierRound& a, const EarlierRound& b) {
              return a.bundle_digest < b.bundle_digest;
            });
  std::sort(rule->excluded.begin(), rule->excluded.end(),
            [](const RepeatExclusion& a, const RepeatExclusion& b) {
              return a.credit_code < b.credit_code;
            });
}

void CanonicalizeRecusals(std::vector<GrantedRecusal>* recusals) {
  std::sort(recusals->begin(), recusals->end(),
            [](const GrantedRecusal& a, const GrantedRecusal& b) {
              return std::tie(a.credit_code, a.inspector_id, a.request_id) <
                     std::tie(b.credit_code, b.inspector_id, b.request_id);
            });
}

void AddNoRepeatFields(const NoRepeatRule& rule, CanonicalRecord* record) {
  record->Add("no_repeat.window_days", static_cast<int64_t>(rule.window_days));
  record->Add("no_repeat.scope", RepeatScopeName(rule.scope));
  record->Add("no_repeat.considered", static_cast<int64_t>(rule.considered.size()));
  for (const EarlierRound& r : rule.considered) {
    record->Add("considered.bundle_digest", r.bundle_digest);
    record->Add("considered.plan_id", r.plan_id);
    record->Add("considered.round", r.round);
    record->Add("considered.committed_at", r.committed_at);
  }
  record->Add("no_repeat.excluded", static_cast<int64_t>(rule.excluded.size()));
  for (const RepeatExclusion& e : rule.excluded) {
    record->Add("excluded.credit_code", e.credit_code);
    record->Add("excluded.bundle_digest", e.bundle_digest);
  }
}

void AddRecusalFields(const std::vector<GrantedRecusal>& recusals, CanonicalRecord* record) {
  record->Add("recusals", static_cast<int64_t>(recusals.size()));
  for (const GrantedRecusal& r : recusals) {
    record->Add("recusal.request_id", r.request_id);
    record->Add("recusal.credit_code", r.credit_code);
    record->Add("recusal.inspector_id", r.inspector_id);
  }
}

absl::flat_hash_set<std::string> ExcludedCodes(const std::optional<NoRepeatRule>& rule) {
  absl::flat_hash_set<std::string> codes;
  if (!rule.has_value()) return codes;
  for (const RepeatExclusion& e : rule->excluded) codes.insert(e.credit_code);
  return codes;
}

bool operator==(const EarlierRound& a, const EarlierRound& b) {
  return a.bundle_digest == b.bundle_digest && a.plan_id == b.plan_id && a.round == b.round &&
         a.committed_at == b.committed_at;
}

bool operator==(const RepeatExclusion& a, const RepeatExclusion& b) {
  return a.credit_code == b.credit_code && a.bundle_digest == b.bundle_digest;
}

bool operator==(const NoRepeatRule& a, const NoRepeatRule& b) {
  return a.window_days == b.window_days && a.scope == b.scope && a.considered == b.considered &&
         a.excluded == b.excluded;
}

bool operator==(const GrantedRecusal& a, const GrantedRecusal& b) {
  return a.request_id == b.request_id && a.credit_code == b.credit_code &&
         a.inspector_id == b.inspector_id;
}

}  // namespace regulation::scheduler
