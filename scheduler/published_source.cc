#include "scheduler/published_source.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "scheduler/canonical_time.h"

namespace regulation::scheduler {
namespace {

absl::Status Wrong(absl::string_view source_id, absl::string_view what) {
  return absl::DataLossError(absl::StrCat("sources: ", source_id, ": ", what));
}

}  // namespace

absl::Status CheckSourcesPublished(const RoundCommitment& commitment,
                                   const std::vector<PublishedSource>& registry) {
  std::map<std::string, const PublishedSource*> by_id;
  for (const PublishedSource& s : registry) by_id[s.source_id] = &s;
  absl::StatusOr<absl::Time> committed_at =
      ParseCanonicalTime("commitment.committed_at", commitment.committed_at);
  if (!committed_at.ok()) return absl::DataLossError(committed_at.status().message());
  for (const CommittedSource& c : commitment.sources) {
    auto found = by_id.find(c.source_id);
    if (found == by_id.end()) return Wrong(c.source_id, "not in the published registry");
    const PublishedSource& p = *found->second;
    if (p.kind != c.kind) {
      return Wrong(c.source_id, absl::StrFormat("registered as %s, the bundle says %s",
                                                SourceKindName(p.kind), SourceKindName(c.kind)));
    }
    if (p.department != c.department) {
      return Wrong(c.source_id,
                   absl::StrFormat("registered to department \"%s\", the bundle says \"%s\"",
                                   p.department, c.department));
    }
    if (p.algorithm != c.algorithm || p.public_key != c.public_key ||
        p.certificate_pem != c.certificate_pem || p.rsa_modulus != c.rsa_modulus ||
        p.rsa_exponent != c.rsa_exponent) {
      return Wrong(c.source_id, "the bundle's key is not the registered one");
    }
    if (p.register_time > *committed_at) {
      return Wrong(c.source_id,
                   absl::StrFormat("registered at %s, after the commitment (%s)",
                                   CanonicalTime(p.register_time), commitment.committed_at));
    }
    if (p.retire_time.has_value() && *p.retire_time <= *committed_at) {
      return Wrong(c.source_id,
                   absl::StrFormat("retired at %s, before the commitment (%s)",
                                   CanonicalTime(*p.retire_time), commitment.committed_at));
    }
  }
  return absl::OkStatus();
}

}  // namespace regulation::scheduler
