#include "disclosure/site/entropy_view.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "disclosure/site/html.h"
#include "disclosure/site/local_time.h"
#include "disclosure/site/result_view.h"
#include "google/protobuf/util/time_util.h"
#include "scheduler/entropy/beacon_pulse.h"
#include "scheduler/entropy/hex.h"
#include "scheduler/entropy/witness_statement.h"

namespace regulation::disclosure::site {
namespace {

struct ShownValue {
  std::string value;
  std::string time;
};

// What the statement itself says (checked in the page by plan_checks.js; a statement
// that cannot be read shows nothing, and the page's check fails on it).
ShownValue ValueOf(const v1::EntropyStatement& s) {
  if (s.has_witness()) {
    absl::StatusOr<scheduler::entropy::WitnessStatement> parsed =
        scheduler::entropy::ParseWitnessStatementText(s.witness().statement());
    if (!parsed.ok()) return {};
    return {parsed->value, scheduler::entropy::FormatStatementTime(parsed->signed_at)};
  }
  if (!s.beacon_pulse_json().empty()) {
    absl::StatusOr<scheduler::entropy::BeaconPulse> pulse =
        scheduler::entropy::ParseBeaconPulse(s.beacon_pulse_json());
    if (!pulse.ok()) return {};
    return {scheduler::entropy::EncodeHex(pulse->output_value), pulse->time_stamp};
  }
  return {s.unchecked_value(), ""};
}

}  // namespace

std::string NamedSourcesText(const google::protobuf::RepeatedPtrField<v1::EntropySourceRef>& sources) {
  std::vector<std::string> named;
  for (const v1::EntropySourceRef& ref : sources) {
    named.push_back(ref.has_pulse_time()
                        ? absl::StrCat(ref.source_id(), " @ ",
                                       google::protobuf::util::TimeUtil::ToString(ref.pulse_time()))
                        : ref.source_id());
  }
  return absl::StrJoin(named, "; ");
}

std::string RenderStatements(int64_t round,
                             const google::protobuf::RepeatedPtrField<v1::EntropyStatement>& statements,
                             const SourceRegistry& registry) {
  if (statements.empty()) return "";
  std::string out = absl::StrCat("<h3>", Label("外部随机值声明", "Entropy statements"),
                                 "</h3>\n", TableStart("statements", RoundLabel("外部随机值声明", "Entropy statements", round)),
                                 "<tr><th>", Label("随机源", "Source"),
                                 "</th><th>", Label("签名方", "Signer"), "</th><th>",
                                 Label("随机值", "Value"), "</th><th>", Label("签名时间", "Signed at"),
                                 "</th></tr>\n");
  for (const v1::EntropyStatement& s : statements) {
    auto source = registry.find(s.source_id());
    const ShownValue shown = ValueOf(s);
    absl::StrAppend(&out, "<tr><td><code>", HtmlEscape(s.source_id()), "</code></td><td>",
                    HtmlEscape(source == registry.end() ? "" : source->second.display_name()),
                    "</td><td><code>", HtmlEscape(shown.value), "</code></td><td>",
                    TimeHtml(shown.time), "</td></tr>\n");
  }
  return out + TableEnd();
}

}  // namespace regulation::disclosure::site
