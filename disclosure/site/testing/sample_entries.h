#ifndef DISCLOSURE_SITE_TESTING_SAMPLE_ENTRIES_H_
#define DISCLOSURE_SITE_TESTING_SAMPLE_ENTRIES_H_

// Public entries for site tests, as the server writes them (bodies: PublicEntry JSON with
// the .proto field names), and a standard sample log: two plans, each committed and drawn,
// and inspection results, including untrusted text that must stay escaped.
//
// Thread safety: pure functions but for PopulateSampleLog.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "disclosure/site/testing/log_site_source.h"
#include "regulation/v1/public_record.pb.h"

namespace regulation::disclosure::site::testing {

// A name that would run script if it were not escaped.
inline constexpr char kHostileName[] = "<script>alert(1)</script>恶意\"名称\"有限公司";

// A valid-looking 18-character credit code numbered n.
std::string SampleCreditCode(int n);

// The sample entropy witness (Ed25519, a fixed key), its ENTROPY_SOURCE registration,
// and the commitment digest of a plan's round, which its statements bind to.
inline constexpr char kSampleWitnessId[] = "notary-sample";
std::string EntropySourceBody();
std::string SampleCommitmentDigest(const std::string& plan_id, int round);

// A commitment naming the sample witness (minimum delay 600 s).
std::string CommitmentBody(const std::string& plan_id, const std::string& title);

struct DrawBody {
  std::string body;
  std::string bundle;
};
// A draw round with `targets` (credit codes) and its bundle, whose digest the body names,
// and the sample witness's statement for it (signed 15 minutes after the commitment or
// announcement). `tampered`: the statement's value is changed after it was signed (what
// a server that failed to check it would log). `replaced`: a replacement round's
// replaced targets.
DrawBody MakeDrawBody(const std::string& plan_id, int round, const std::vector<std::string>& targets,
                      bool tampered = false, const std::vector<std::string>& replaced = {});

// Appends round `round` of `plan_id` with `targets` targets (SampleCreditCode(100), ...),
// whose record names its bundle's parts of `part_bytes`, as the server logs a round over
// its inline limit; the log serves the bundle in those parts. Returns its index and sets
// `bundle` (optional) to the whole bundle.
absl::StatusOr<int64_t> AppendDrawInParts(SampleLog* log, const std::string& plan_id, int round,
                                          int targets, int64_t part_bytes,
                                          std::string* bundle = nullptr);

// Replacement round `round` of `plan_id` announced for `replaced` (credit codes), with a
// hostile reason that must stay escaped.
std::string AnnouncementBody(const std::string& plan_id, int round,
                             const std::vector<std::string>& replaced);

v1::PublicResult SampleResult(const std::string& result_id, const std::string& plan_id,
                              const std::string& credit_code, const std::string& name);
std::string ResultBody(const v1::PublicResult& result);
std::string CorrectionBody(int64_t corrects_index, const std::string& reason,
                           const v1::PublicResult& corrected);

// The department's answer to objection "<result id>/1" to record `objected_index` about
// `result`: "UPHELD" naming `correction_key`, or "REJECTED" (empty key).
std::string ObjectionOutcomeBody(int64_t objected_index, const v1::PublicResult& result,
                                 const std::string& outcome, const std::string& correction_key);

// Appends to `log`: the sample witness's registration (record 0); for plans PLAN-A and
// PLAN-B a commitment and a round-0 draw (records 1-4), then
// `results` results spread over both plans (result k about SampleCreditCode(k), named
// "杭州明辉食品<k>有限公司"; result 1 is named kHostileName with findings that contain
// "<img src=x onerror=alert(1)>"). Returns the indices appended, in order.
absl::StatusOr<std::vector<int64_t>> PopulateSampleLog(SampleLog* log, int results);

// The name of sample result k.
std::string SampleName(int k);

}  // namespace regulation::disclosure::site::testing

#endif  // DISCLOSURE_SITE_TESTING_SAMPLE_ENTRIES_H_
