#ifndef SERVICES_COMMON_WIRE_DIAGNOSIS_H_
#define SERVICES_COMMON_WIRE_DIAGNOSIS_H_

// Why bytes that protobuf refused to parse as a message are not one, in the API's words.
// Protobuf's parser only says yes or no; this walks the wire format with the message's
// descriptor and names the first problem and, where the wire format knows it, the field:
//   "events[3].administrative_penalty.legal_basis: is not valid UTF-8"
//   "request: malformed protocol buffer: a length-delimited field (number 2) at byte 17
//    runs past the end of the message"
//   "request: nests messages or groups deeper than 100 levels (field number 999 at byte 201)"
// Fields are named by their path from the top message, repeated ones indexed by their
// position among the fields of that number; unknown fields by their number.
//
// Thread safety: stateless functions.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace regulation::services {

// Protobuf's default recursion limit for parsing, which the diagnosis applies too.
inline constexpr int kMaxMessageNesting = 100;

// INVALID_ARGUMENT naming the first problem in `bytes` read as a `type`; OK when the walk
// finds none (then protobuf refused the bytes for a reason the walk does not model).
// `what` names the top message in messages without a field ("request", "message 5").
absl::Status DiagnoseWireFormat(absl::string_view bytes, const google::protobuf::Descriptor* type,
                                absl::string_view what);

// Parses `bytes` into `message`: OK, or INVALID_ARGUMENT as DiagnoseWireFormat says (or a
// general "cannot be parsed" when it finds nothing). The message is cleared first.
absl::Status ParseWithDiagnosis(absl::string_view bytes, google::protobuf::Message* message,
                                absl::string_view what);

}  // namespace regulation::services

#endif  // SERVICES_COMMON_WIRE_DIAGNOSIS_H_
