#ifndef DISCLOSURE_SITE_ENTROPY_VIEW_H_
#define DISCLOSURE_SITE_ENTROPY_VIEW_H_

// The entropy a plan page shows (docs/draw-spec.md §4): the sources a commitment or an
// announcement names, and each draw round's statements, one row per statement: the
// source, its signer (the registered source's name), the value and when it was signed
// (a beacon pulse's timeStamp). assets/plan_checks.js checks each statement against
// the source's ENTROPY_SOURCE record and expects exactly these lines: keep them in step.
//
// Thread safety: pure functions.

#include <map>
#include <string>

#include "google/protobuf/repeated_field.h"
#include "regulation/v1/entropy.pb.h"

namespace regulation::disclosure::site {

// Registered sources by id, as the log's ENTROPY_SOURCE records say.
using SourceRegistry = std::map<std::string, v1::RegisteredEntropySource>;

// "notary-xihu; beacon-nist @ 2026-03-01T08:20:00Z": the named sources, in order.
std::string NamedSourcesText(const google::protobuf::RepeatedPtrField<v1::EntropySourceRef>& sources);

// The statements table (heading and rows) of draw round `round`, placed after the round's
// bundle tables.
std::string RenderStatements(int64_t round,
                             const google::protobuf::RepeatedPtrField<v1::EntropyStatement>& statements,
                             const SourceRegistry& registry);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_ENTROPY_VIEW_H_
