#include "tools/regctl/plan_format.h"

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
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

}  // namespace

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
  std::vector<std::string> quotas;
  for (const v1::ClassQuota& q : plan.quotas()) quotas.push_back(FormatQuota(q));
  AddField("quotas", quotas.empty() ? "-" : absl::StrJoin(quotas, "; "), &out);
  AddField(
      "teams",
      absl::StrCat(plan.team_size(), " inspectors, at most ", plan.workload_cap(), " targets each"),
      &out);
  AddField("due date", FormatDate(plan.due_date()), &out);
  AddField("created", FormatTimestamp(plan.create_time()), &out);
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
  const v1::EntropySource& source = c.entropy_source();
  AddField("entropy source",
           source.reference().empty() ? source.kind()
                                      : absl::StrCat(source.kind(), " (", source.reference(), ")"),
           &out);
  AddField("log index", c.logged() ? absl::StrCat(c.log_index()) : kQueued, &out);
  return out;
}

std::string FormatDraw(const v1::Draw& draw) {
  std::string out;
  AddField("plan",
           absl::StrCat(draw.plan_id(), "  round ", draw.round(), "  drawn ",
                        FormatTimestamp(draw.draw_time())),
           &out);
  AddField("entropy", draw.entropy_value(), &out);
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
    targets.AddRow(
        {RiskClassLetter(t.risk_class()), absl::StrCat(t.rank()), t.credit_code(), TeamCell(team)});
  }
  out += targets.Render();
  absl::StrAppendFormat(&out, "%d targets: %d staffed, %d unstaffed\n", draw.targets_size(),
                        staffed, draw.targets_size() - staffed);
  return out;
}

std::string FormatAnnouncement(const v1::ReplacementAnnouncement& a) {
  std::string out;
  AddField("plan", absl::StrCat(a.plan_id(), "  replacement round ", a.round(), " announced ",
                                FormatTimestamp(a.announce_time())),
           &out);
  AddField("replaces", absl::StrJoin(a.credit_codes(), ", "), &out);
  AddField("reason", a.reason(), &out);
  AddField("entropy source", absl::StrCat(a.entropy_source().kind(), " ", a.entropy_source().reference()),
           &out);
  AddField("nonce commitment", a.nonce_commitment(), &out);
  AddField("log index", a.logged() ? absl::StrCat(a.log_index()) : kQueued, &out);
  return out;
}

}  // namespace regulation::regctl
