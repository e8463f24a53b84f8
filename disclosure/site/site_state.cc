#include "disclosure/site/site_state.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "disclosure/site/json_text.h"
#include "disclosure/site/public_entry.h"

namespace regulation::disclosure::site {
namespace {

using google::protobuf::Value;

const google::protobuf::RepeatedPtrField<Value>* List(const Value& object, absl::string_view key) {
  const Value* v = Member(object, key);
  return v != nullptr && v->kind_case() == Value::kListValue ? &v->list_value().values() : nullptr;
}

// A log index member, or -1 when absent.
int64_t IndexOrNone(const Value& object, absl::string_view key) {
  return Member(object, key) == nullptr ? -1 : IntMember(object, key);
}

// What the latest results keep of a withdrawn RESULT or CORRECTION: its leaf's fields.
LatestResult WithdrawnEntry(int64_t index, const std::string& kind, const std::string& publish_time,
                            const std::string& credit_code, int64_t withdrawal_index) {
  LatestResult r;
  r.index = index;
  r.kind = kind;
  r.publish_time = publish_time;
  r.credit_code = credit_code;
  r.withdrawn_by = withdrawal_index;
  return r;
}

// The plan a COMMITMENT or DRAW is about: its title, commit time and rounds.
void AddPlan(const v1::PublicEntry& entry, SiteState* state) {
  const std::string plan_id = PlanIdOf(entry);
  if (plan_id.empty()) return;
  PlanSummary& plan = state->plans[plan_id];
  plan.plan_id = plan_id;
  if (entry.has_commitment()) {
    plan.title = entry.commitment().plan().title();
    plan.commit_time = entry.commitment().commit_time();
  }
  if (entry.has_draw()) {
    plan.rounds = std::max<int64_t>(plan.rounds, entry.draw().round() + 1);
    plan.last_draw_time = entry.draw().draw_time();
  }
}

}  // namespace

absl::StatusOr<SiteState> ParseSiteState(const std::string* json) {
  SiteState state;
  if (json == nullptr) return state;
  absl::StatusOr<Value> parsed = ParseJson(*json, "site-state.json");
  if (!parsed.ok()) return parsed.status();
  if (const int64_t format = IntMember(*parsed, "format"); format != kSiteStateFormat) {
    return absl::FailedPreconditionError(absl::StrCat(
        "site-state.json is of format ", format, ", not ", kSiteStateFormat,
        ": this site was published from a disclosure log whose leaves were the records' JSON "
        "(before leaves committed to salted bodies); that log must be re-created, and its "
        "site published into a new directory (docs/disclosure.md)"));
  }
  if (IntMember(*parsed, "pages") < kSitePagesVersion) return SiteState{};  // rebuilt from record 0
  state.tree_size = IntMember(*parsed, "tree_size");
  state.origin = StringMember(*parsed, "origin");
  if (const Value* counts = Member(*parsed, "counts"); counts != nullptr) {
    for (const auto& [key, value] : counts->struct_value().fields()) state.counts[key] = AsInt(value);
  }
  if (const auto* latest = List(*parsed, "latest"); latest != nullptr) {
    for (const Value& v : *latest) {
      state.latest.push_back({IntMember(v, "index"), StringMember(v, "kind"),
                              StringMember(v, "publish_time"), StringMember(v, "credit_code"),
                              StringMember(v, "enterprise_name"), StringMember(v, "category"),
                              StringMember(v, "category_label"),
                              StringMember(v, "inspection_end_date"), StringMember(v, "findings"),
                              IndexOrNone(v, "superseded_by"), IndexOrNone(v, "withdrawn_by")});
    }
  }
  if (const auto* plans = List(*parsed, "plans"); plans != nullptr) {
    for (const Value& v : *plans) {
      PlanSummary p{StringMember(v, "plan_id"), StringMember(v, "title"),
                    StringMember(v, "commit_time"), IntMember(v, "rounds"),
                    StringMember(v, "last_draw_time")};
      state.plans[p.plan_id] = p;
    }
  }
  if (const auto* chunks = List(*parsed, "download_chunks"); chunks != nullptr) {
    for (const Value& v : *chunks) state.download_chunks.insert(AsInt(v));
  }
  if (const auto* withdrawn = List(*parsed, "withdrawn"); withdrawn != nullptr) {
    for (const Value& v : *withdrawn) {
      state.withdrawn[IntMember(v, "index")] = IntMember(v, "withdrawal_index");
    }
  }
  return state;
}

std::string SerializeSiteState(const SiteState& state) {
  std::string out = absl::StrCat("{\"format\":", kSiteStateFormat, ",\"pages\":", kSitePagesVersion,
                                 ",\"tree_size\":", state.tree_size,
                                 ",\"origin\":", JsonString(state.origin), ",\n\"counts\":{");
  bool first = true;
  for (const auto& [key, n] : state.counts) {
    absl::StrAppend(&out, first ? "" : ",", JsonString(key), ":", n);
    first = false;
  }
  out += "},\n\"latest\":[";
  first = true;
  for (const LatestResult& r : state.latest) {
    absl::StrAppend(&out, first ? "\n" : ",\n", "{\"index\":", r.index, ",\"kind\":", JsonString(r.kind),
                    ",\"publish_time\":", JsonString(r.publish_time),
                    ",\"credit_code\":", JsonString(r.credit_code),
                    ",\"enterprise_name\":", JsonString(r.enterprise_name),
                    ",\"category\":", JsonString(r.category),
                    ",\"category_label\":", JsonString(r.category_label),
                    ",\"inspection_end_date\":", JsonString(r.inspection_end_date),
                    ",\"findings\":", JsonString(r.findings), ",\"superseded_by\":", r.superseded_by,
                    ",\"withdrawn_by\":", r.withdrawn_by, "}");
    first = false;
  }
  out += "],\n\"plans\":[";
  first = true;
  for (const auto& [id, p] : state.plans) {
    absl::StrAppend(&out, first ? "\n" : ",\n", "{\"plan_id\":", JsonString(p.plan_id),
                    ",\"title\":", JsonString(p.title), ",\"commit_time\":", JsonString(p.commit_time),
                    ",\"rounds\":", p.rounds, ",\"last_draw_time\":", JsonString(p.last_draw_time),
                    "}");
    first = false;
  }
  out += "],\n\"download_chunks\":[";
  first = true;
  for (int64_t chunk : state.download_chunks) {
    absl::StrAppend(&out, first ? "" : ",", chunk);
    first = false;
  }
  out += "],\n\"withdrawn\":[";
  first = true;
  for (const auto& [index, by] : state.withdrawn) {
    absl::StrAppend(&out, first ? "" : ",", "{\"index\":", index, ",\"withdrawal_index\":", by, "}");
    first = false;
  }
  out += "]}\n";
  return out;
}

void AddToState(const SiteRecord& record, SiteState* state) {
  const v1::PublicEntry& entry = record.entry;
  if (record.index >= state->tree_size) ++state->counts[entry.kind()];
  if (record.withdrawn) state->withdrawn[record.index] = record.withdrawal_index;
  if (entry.has_withdrawal()) {
    const int64_t gone = entry.withdrawal().withdrawn_index();
    state->withdrawn[gone] = record.index;
    for (LatestResult& r : state->latest) {
      if (r.index == gone) r = WithdrawnEntry(r.index, r.kind, r.publish_time, r.credit_code, record.index);
    }
  }
  if (entry.has_correction()) {
    for (LatestResult& r : state->latest) {
      if (r.index == entry.correction().corrects_index()) r.superseded_by = record.index;
    }
  }
  const v1::PublicResult* result = ResultOf(entry);
  const bool withdrawn_result =
      record.withdrawn && (entry.kind() == "RESULT" || entry.kind() == "CORRECTION");
  if (result == nullptr && !withdrawn_result) return AddPlan(entry, state);
  auto same = [&](const LatestResult& r) { return r.index == record.index; };
  if (std::none_of(state->latest.begin(), state->latest.end(), same)) {
    state->latest.push_back(
        withdrawn_result
            ? WithdrawnEntry(record.index, entry.kind(), entry.publish_time(), entry.subject(),
                             record.withdrawal_index)
            : LatestResult{record.index, entry.kind(), entry.publish_time(), result->credit_code(),
                           result->enterprise_name(), result->category(), result->category_label(),
                           result->inspection_end_date(), result->findings()});
    std::sort(state->latest.begin(), state->latest.end(),
              [](const LatestResult& a, const LatestResult& b) { return a.index > b.index; });
    if (state->latest.size() > kLatestResults) state->latest.resize(kLatestResults);
  }
  AddPlan(entry, state);
}

}  // namespace regulation::disclosure::site
