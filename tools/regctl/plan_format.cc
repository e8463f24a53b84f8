#include "tools/regctl/plan_format.h"

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "regulation/v1/enterprise.pb.h"
#include "tools/regctl/output.h"
#include "tools/regctl/proto_text.h"

namespace regulation::regctl {
namespace {

// What a record accepted while the log could not take it shows instead of its index.
constexpr char kQueued[] = "queued (not in the log yet)";

constexpr int kTicketDigits = 16;

// "key         value\n", keys padded to one column.
void AddField(absl::string_view key, absl::string_view value, std::string* out) {
  absl::StrAppendFormat(out, "%-18s %s\n", key, value);
}

std::string JoinOr(const google::protobuf::RepeatedPtrField<std::string>& list,
                   absl::string_view none) {
  return list.empty() ? std::string(none) : absl::StrJoin(list, ", ");
}

std::string FormatPopulation(const v1::PopulationFilter& p) {
  std::vector<std::string> statuses;
  for (int s : p.statuses()) {
    statuses.push_back(ShortEnumName(
        v1::EnterpriseStatus_Name(static_cast<v1::EnterpriseStatus>(s)), "ENTERPRISE_STATUS_"));
  }
  return absl::StrCat("region ", p.region_prefix().empty() ? "(all)" : p.region_prefix(),
                      ", industries ", JoinOr(p.industry_codes(), "(all)"), ", statuses ",
                      statuses.empty() ? "OPERATING (default)" : absl::StrJoin(statuses, ", "));
}

std::string FormatQuota(const v1::ClassQuota& q) {
  const std::string letter = RiskClassLetter(q.risk_class());
  switch (q.amount_case()) {
    case v1::ClassQuota::kRatio:
      return absl::StrFormat("%s ratio %g", letter, q.ratio());
    case v1::ClassQuota::kCount:
      return absl::StrFormat("%s count %d", letter, q.count());
    default:
      return absl::StrCat(letter, " (no amount)");
  }
}

std::string StateName(v1::PlanState state) {
  return ShortEnumName(v1::PlanState_Name(state), "PLAN_STATE_");
}

std::string TeamCell(const v1::Team* team) {
  if (team == nullptr) return "-";
  if (team->staffing() == v1::STAFFING_STATUS_STAFFED) {
    return absl::StrJoin(team->inspector_ids(), ", ");
  }
  return team->unstaffed_reason().empty() ? "UNSTAFFED"
                                          : absl::StrCat("UNSTAFFED: ", team->unstaffed_reason());
}

std::string YesNo(bool b) { return b ? "yes" : "no"; }

std::string Millis(int64_t millis) {
  return absl::StrFormat("%d.%03d", millis / 1000, millis % 1000);
}

// "expected 43 targets, 86 seats; 12 eligible inspectors take 96".
std::string FormatStaffing(const v1::StaffingForecast& f) {
  std::string out = absl::StrFormat("expected %d targets, %d seats; %d eligible inspectors take %d",
                                    f.expected_targets(), f.seats_needed(), f.eligible_inspectors(),
                                    f.capacity());
  if (f.unstaffable_expected_millis() > 0) {
    absl::StrAppend(&out, "; ", Millis(f.unstaffable_expected_millis()),
                    " expected in regions no team covers (", JoinOr(f.unstaffable_regions(), "-"),
                    ")");
  }
  if (!f.short_departments().empty()) {
    absl::StrAppend(&out, "; short: ", absl::StrJoin(f.short_departments(), ", "));
  }
  return out;
}

std::string EvidenceName(const v1::EntropyStatement& s) {
  switch (s.evidence_case()) {
    case v1::EntropyStatement::kWitness:
      return "signed statement";
    case v1::EntropyStatement::kBeaconPulseJson:
      return "beacon pulse";
    case v1::EntropyStatement::kUncheckedValue:
      return absl::StrCat("unchecked value \"", s.unchecked_value(), "\"");
    default:
      return "no evidence";
  }
}

}  // namespace

std::string FormatSourceRefs(const google::protobuf::RepeatedPtrField<v1::EntropySourceRef>& refs) {
  std::vector<std::string> parts;
  for (const v1::EntropySourceRef& ref : refs) {
    parts.push_back(ref.has_pulse_time() ? absl::StrCat(ref.source_id(), " (pulse ",
                                                        FormatTimestamp(ref.pulse_time()), ")")
                                         : ref.source_id());
  }
  return parts.empty() ? "-" : absl::StrJoin(parts, ", ");
}

absl::StatusOr<std::vector<v1::EntropySourceRef>> ParseSourceRefs(
    absl::string_view flag, const std::vector<std::string>& entries) {
  std::vector<v1::EntropySourceRef> refs;
  for (const std::string& entry : entries) {
    v1::EntropySourceRef& ref = refs.emplace_back();
    const size_t at = entry.find('@');
    ref.set_source_id(entry.substr(0, at));
    if (ref.source_id().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(flag, ": empty source id in \"", entry, "\""));
    }
    if (at == std::string::npos) continue;
    absl::Time pulse;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, entry.substr(at + 1), &pulse, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, ": \"", entry.substr(at + 1),
                       "\" is not an RFC 3339 time (e.g. 2026-12-01T10:15:00Z): ", error));
    }
    ref.mutable_pulse_time()->set_seconds(absl::ToUnixSeconds(pulse));
    ref.mutable_pulse_time()->set_nanos(static_cast<int32_t>(
        (pulse - absl::FromUnixSeconds(absl::ToUnixSeconds(pulse))) / absl::Nanoseconds(1)));
  }
  if (refs.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": name at least one registered source"));
  }
  return refs;
}

std::string FormatEntropySource(const v1::RegisteredEntropySource& s) {
  std::string out;
  AddField("source",
           absl::StrCat(s.source_id(), "  ",
                        ShortEnumName(v1::EntropySourceKind_Name(s.kind()), "ENTROPY_SOURCE_KIND_"),
                        s.has_retire_time() ? "  RETIRED" : ""),
           &out);
  AddField("name", s.display_name(), &out);
  AddField("department", s.department().empty() ? "-" : s.department(), &out);
  if (!s.algorithm().empty()) AddField("algorithm", s.algorithm(), &out);
  if (!s.public_key_hex().empty()) AddField("public key", s.public_key_hex(), &out);
  if (!s.rsa_modulus_hex().empty()) {
    AddField("rsa key",
             absl::StrCat(s.rsa_modulus_hex().size() * 4, "-bit modulus ",
                          s.rsa_modulus_hex().substr(0, 16), "…, exponent ", s.rsa_exponent_hex()),
             &out);
    AddField("period", absl::StrCat(s.period_seconds(), " s"), &out);
  }
  if (!s.beacon_uri().empty()) AddField("uri", s.beacon_uri(), &out);
  if (!s.description().empty()) AddField("description", s.description(), &out);
  AddField("registered", FormatTimestamp(s.register_time()), &out);
  if (s.has_retire_time()) {
    AddField("retired",
             absl::StrCat(FormatTimestamp(s.retire_time()), " (", s.retire_reason(), ")"), &out);
  }
  AddField("log index", s.logged() ? absl::StrCat(s.log_index()) : kQueued, &out);
  return out;
}

std::string FormatEntropySourceTable(
    const google::protobuf::RepeatedPtrField<v1::RegisteredEntropySource>& sources) {
  Table table({"ID", "KIND", "DEPARTMENT", "ALGORITHM", "STATE", "NAME"});
  for (const v1::RegisteredEntropySource& s : sources) {
    table.AddRow(
        {s.source_id(), ShortEnumName(v1::EntropySourceKind_Name(s.kind()), "ENTROPY_SOURCE_KIND_"),
         s.department().empty() ? "-" : s.department(), s.algorithm().empty() ? "-" : s.algorithm(),
         s.has_retire_time() ? "RETIRED" : "ACTIVE", s.display_name()});
  }
  return table.Render();
}

absl::StatusOr<std::vector<std::string>> ParseCodeList(absl::string_view flag,
                                                       absl::string_view text) {
  std::vector<std::string> codes;
  std::set<std::string> seen;
  if (absl::StripAsciiWhitespace(text).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": at least one credit code"));
  }
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    const std::string code(absl::StripAsciiWhitespace(part));
    if (code.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, ": empty entry in \"", text, "\" (codes separated by commas)"));
    }
    if (!seen.insert(code).second) {
      return absl::InvalidArgumentError(absl::StrCat(flag, ": ", code, " appears twice"));
    }
    codes.push_back(code);
  }
  return codes;
}

std::string AbbreviateTicket(absl::string_view ticket) {
  if (ticket.size() <= 2 + kTicketDigits) return std::string(ticket);
  return absl::StrCat(ticket.substr(0, 2 + kTicketDigits), "…");
}

std::string FormatPlan(const v1::Plan& plan) {
  std::string out;
  AddField("plan",
           absl::StrCat(plan.plan_id(), "  ", StateName(plan.state()), "  (version ",
                        plan.version(), ")"),
           &out);
  AddField("title", plan.title(), &out);
  AddField("departments", JoinOr(plan.departments(), "-"), &out);
  AddField("items", JoinOr(plan.item_ids(), "-"), &out);
  AddField("population", FormatPopulation(plan.population()), &out);
  if (plan.kind() == v1::PLAN_KIND_TARGETED) {
    // The agency's own view: the case references are shown here, never published.
    AddField("kind", "TARGETED (targets listed, teams drawn)", &out);
    std::vector<std::string> targets;
    for (const v1::TargetedEnterprise& t : plan.targets()) {
      std::string reason = v1::TargetReason_Name(t.reason());
      if (absl::StartsWith(reason, "TARGET_REASON_")) reason = reason.substr(14);
      targets.push_back(absl::StrCat(t.credit_code(), " ", reason, " ", t.reference()));
    }
    AddField("targets", absl::StrJoin(targets, "; "), &out);
  }
  std::vector<std::string> quotas;
  for (const v1::ClassQuota& q : plan.quotas()) quotas.push_back(FormatQuota(q));
  AddField("quotas", quotas.empty() ? "-" : absl::StrJoin(quotas, "; "), &out);
  AddField(
      "teams",
      absl::StrCat(plan.team_size(), " inspectors, at most ", plan.workload_cap(), " targets each"),
      &out);
  AddField("due date", FormatDate(plan.due_date()), &out);
  AddField("created", FormatTimestamp(plan.create_time()), &out);
  if (plan.has_awaiting_entropy()) {
    const v1::PendingEntropy& p = plan.awaiting_entropy();
    AddField("awaiting entropy",
             absl::StrCat("round ", p.round(), " from ", FormatSourceRefs(p.entropy_sources())),
             &out);
    AddField("commitment digest", p.commitment_digest(), &out);
    AddField("statements from", FormatTimestamp(p.earliest_statement_time()), &out);
  }
  return out;
}

std::string FormatPlanTable(const google::protobuf::RepeatedPtrField<v1::Plan>& plans) {
  Table table({"ID", "STATE", "DEPARTMENTS", "REGION", "DUE", "TITLE"});
  for (const v1::Plan& p : plans) {
    table.AddRow({p.plan_id(), StateName(p.state()), absl::StrJoin(p.departments(), ","),
                  p.population().region_prefix().empty() ? "-" : p.population().region_prefix(),
                  FormatDate(p.due_date()), p.title()});
  }
  return table.Render();
}

std::string FormatCommitment(const v1::Commitment& c) {
  std::string out;
  AddField("plan", absl::StrCat(c.plan_id(), "  COMMITTED ", FormatTimestamp(c.commit_time())),
           &out);
  AddField("plan digest", c.plan_digest(), &out);
  AddField("population digest", c.population_digest(), &out);
  std::vector<std::string> sizes;
  for (const char* letter : {"A", "B", "C", "D"}) {
    auto found = c.class_sizes().find(letter);
    sizes.push_back(absl::StrCat(
        letter, " ", found == c.class_sizes().end() ? "-" : absl::StrCat(found->second)));
  }
  AddField("class sizes", absl::StrJoin(sizes, "  "), &out);
  AddField("roster digest", c.roster_digest(), &out);
  AddField("nonce commitment", c.nonce_commitment(), &out);
  AddField("entropy sources", FormatSourceRefs(c.entropy_sources()), &out);
  AddField("commitment digest", c.commitment_digest(), &out);
  AddField(
      "statements from",
      absl::StrCat(c.min_entropy_delay_seconds(), " s after the commit (minimum entropy delay)"),
      &out);
  AddField("staffing", FormatStaffing(c.staffing()), &out);
  if (c.allow_unstaffed()) AddField("allow unstaffed", YesNo(true), &out);
  AddField("log index", c.logged() ? absl::StrCat(c.log_index()) : kQueued, &out);
  return out;
}

std::string FormatDraw(const v1::Draw& draw) {
  std::string out;
  AddField("plan",
           absl::StrCat(draw.plan_id(), "  round ", draw.round(), "  drawn ",
                        FormatTimestamp(draw.draw_time())),
           &out);
  AddField("commitment digest", draw.commitment_digest(), &out);
  for (const v1::EntropyStatement& s : draw.statements()) {
    AddField("statement", absl::StrCat(s.source_id(), ": ", EvidenceName(s), ", checked"), &out);
  }
  AddField("nonce", draw.nonce(), &out);
  AddField("seed", draw.seed(), &out);
  AddField("bundle digest", draw.bundle_digest(), &out);
  out += "\n";

  Table classes({"CLASS", "POPULATION", "SELECTED", "CUTOFF"});
  for (const v1::ClassCutoff& c : draw.cutoffs()) {
    classes.AddRow({RiskClassLetter(c.risk_class()), absl::StrCat(c.population()),
                    absl::StrCat(c.selected()),
                    c.cutoff_ticket().empty() ? "-" : AbbreviateTicket(c.cutoff_ticket())});
  }
  out += classes.Render();
  out += "\n";

  std::map<std::string, const v1::Team*> team_of;
  for (const v1::Team& team : draw.teams()) team_of[team.credit_code()] = &team;
  Table targets({"CLASS", "RANK", "CREDIT CODE", "TEAM"});
  int staffed = 0;
  for (const v1::DrawnTarget& t : draw.targets()) {
    auto found = team_of.find(t.credit_code());
    const v1::Team* team = found == team_of.end() ? nullptr : found->second;
    if (team != nullptr && team->staffing() == v1::STAFFING_STATUS_STAFFED) ++staffed;
    // A targeted plan's target has a reason instead of a class.
    std::string reason = v1::TargetReason_Name(t.reason());
    if (absl::StartsWith(reason, "TARGET_REASON_")) reason = reason.substr(14);
    targets.AddRow({t.reason() != v1::TARGET_REASON_UNSPECIFIED ? reason
                                                                 : RiskClassLetter(t.risk_class()),
                    absl::StrCat(t.rank()), t.credit_code(), TeamCell(team)});
  }
  if (draw.bundle_parts_size() > 0) {
    // A large round comes without its targets: they are paged by ListDrawTargets.
    absl::StrAppendFormat(&out,
                          "%d targets: %d staffed, %d unstaffed (a large round, kept in %d "
                          "bundle parts: --bundle_out writes them, `regctl assignments list "
                          "--plan=%s` lists the teams)\n",
                          draw.target_count(), draw.target_count() - draw.unstaffed_count(),
                          draw.unstaffed_count(), draw.bundle_parts_size(), draw.plan_id());
    return out;
  }
  out += targets.Render();
  absl::StrAppendFormat(&out, "%d targets: %d staffed, %d unstaffed\n", draw.targets_size(),
                        staffed, draw.targets_size() - staffed);
  return out;
}

std::string FormatAnnouncement(const v1::ReplacementAnnouncement& a) {
  std::string out;
  AddField("plan",
           absl::StrCat(a.plan_id(), a.restaff() ? "  re-staffing round " : "  replacement round ",
                        a.round(), " announced ", FormatTimestamp(a.announce_time())),
           &out);
  AddField(a.restaff() ? "re-staffs" : "replaces", absl::StrJoin(a.credit_codes(), ", "), &out);
  AddField("reason", a.reason(), &out);
  if (a.restaff()) AddField("roster digest", a.roster_digest(), &out);
  AddField("entropy sources", FormatSourceRefs(a.entropy_sources()), &out);
  AddField("commitment digest", a.commitment_digest(), &out);
  AddField("nonce commitment", a.nonce_commitment(), &out);
  AddField("log index", a.logged() ? absl::StrCat(a.log_index()) : kQueued, &out);
  return out;
}

}  // namespace regulation::regctl
