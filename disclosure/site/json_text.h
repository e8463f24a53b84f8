#ifndef DISCLOSURE_SITE_JSON_TEXT_H_
#define DISCLOSURE_SITE_JSON_TEXT_H_

// The JSON the site writes for itself (index shards, data files, downloads, state),
// and reads back on the next run. Written by hand in a fixed key order; read through
// protobuf's JSON parser into google.protobuf.Value (numbers become doubles: every
// number the site writes is an integer below 2^53).
//
// Thread safety: pure functions.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

namespace regulation::disclosure::site {

// `s` quoted: '"', '\' and control characters escaped, "</" as "<\/" (safe inside
// HTML too), other characters (non-ASCII included) as they are.
std::string JsonString(absl::string_view s);

// INVALID_ARGUMENT naming `what` for text that is not JSON.
absl::StatusOr<google::protobuf::Value> ParseJson(absl::string_view text, absl::string_view what);

// Members of an object value; absent or mistyped members read as empty / 0 / null.
const google::protobuf::Value* Member(const google::protobuf::Value& object, absl::string_view key);
std::string StringMember(const google::protobuf::Value& object, absl::string_view key);
int64_t IntMember(const google::protobuf::Value& object, absl::string_view key);
// A number or a decimal string (protobuf writes int64 fields as strings).
int64_t AsInt(const google::protobuf::Value& value);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_JSON_TEXT_H_
