#ifndef SCHEDULER_ENTROPY_HEX_H_
#define SCHEDULER_ENTROPY_HEX_H_

// Strict hexadecimal for the entropy formats: every key, value and signature is written as
// lowercase hex, and a verifier must refuse any other spelling of the same bytes (a
// second spelling would be a second "canonical" statement). Beacon pulses are the one
// exception: NIST writes them in uppercase, so their fields accept either case.
//
// Thread safety: stateless functions.

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::scheduler::entropy {

enum class HexCase { kLowerOnly, kEither };

// The bytes of `hex`. INVALID_ARGUMENT whose message starts with `field` when `hex` has an
// odd length or a character outside the case allowed, or (when `size` is not 0) does not
// decode to exactly `size` bytes.
absl::StatusOr<std::string> DecodeHex(absl::string_view field, absl::string_view hex,
                                      size_t size = 0, HexCase letter_case = HexCase::kLowerOnly);

// Lowercase hex of `bytes`.
std::string EncodeHex(absl::string_view bytes);

}  // namespace regulation::scheduler::entropy

#endif  // SCHEDULER_ENTROPY_HEX_H_
