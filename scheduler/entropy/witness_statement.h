#ifndef SCHEDULER_ENTROPY_WITNESS_STATEMENT_H_
#define SCHEDULER_ENTROPY_WITNESS_STATEMENT_H_

// A witness's signed statement (docs/entropy.md §2): "for round R of plan P, whose
// commitment is C, my value is V; I signed at T; and I saw these values of unchecked
// sources". The text is the draw's canonical record encoding (canonical_record.h,
// `name=len:value\n`), fields in this order:
//
//   domain=31:regulation.entropy-statement.v1
//   source_id=...      the witness's registered source
//   plan_id=...
//   round=...          decimal, no leading zeros
//   commitment=64:...  the round's commitment digest, lowercase hex
//   value=64:...       the witness's own value: 32 bytes from the CSPRNG, lowercase hex
//   signed_at=20:2026-12-06T08:00:00Z
//   attested=...       how many values of unchecked sources follow (decimal)
//   attested.source_id=...   } once per attested value, source ids strictly increasing
//   attested.value=...       }
//
// The signature is over these bytes exactly (Ed25519, or SM2 with SM3 and the default ID;
// witness_key.h), published as 64 bytes of lowercase hex. A text that is not exactly the
// canonical text of its own fields is refused, so one statement has one spelling.
//
//   WitnessStatement s;
//   s.source_id = "notary-xihu"; s.plan_id = "P-2026-07"; s.round = 0;
//   s.commitment = commitment_hex;
//   REG_ASSIGN_OR_RETURN(s.value, FreshWitnessValue());
//   s.signed_at = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
//   REG_ASSIGN_OR_RETURN(SignedWitnessStatement signed_statement,
//                        SignWitnessStatement(key, s));
//
//   // Anyone, later, with the registered source:
//   REG_ASSIGN_OR_RETURN(WitnessStatement checked,
//       VerifyWitnessStatement({"notary-xihu", "sm2-sm3", public_key_hex},
//                              signed_statement.text, signed_statement.signature_hex));
//   REG_RETURN_IF_ERROR(CheckStatementBinding(checked, {"P-2026-07", 0, commitment_hex,
//                                                       not_before}));
//
// Status codes: INVALID_ARGUMENT for anything malformed (bad hex, wrong length, a field
// out of range, text that is not canonical); FAILED_PRECONDITION for a well-formed
// statement that does not verify or is not bound to what the caller expects. Messages
// start with the part that failed ("statement: ...", "signature_hex: ...",
// "statement.commitment: ...").
//
// Thread safety: value types and stateless functions.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "scheduler/entropy/witness_key.h"

namespace regulation::scheduler::entropy {

inline constexpr char kWitnessStatementDomain[] = "regulation.entropy-statement.v1";
// The witness's value: 32 bytes, 64 lowercase hex characters.
inline constexpr size_t kWitnessValueBytes = 32;
// Most attested values one statement may carry, and the longest attested value (bytes).
inline constexpr int kMaxAttestedValues = 16;
inline constexpr int kMaxAttestedValueBytes = 256;

// A value of an UNCHECKED source (e.g. a televised lottery's numbers) that the witness
// saw announced and vouches for.
struct AttestedValue {
  // The unchecked source's registered id: 1-64 characters from [A-Za-z0-9._-].
  std::string source_id;
  // The value as announced: 1-256 bytes of UTF-8 without control characters.
  std::string value;
};

struct WitnessStatement {
  // The witness's registered source id: 1-64 characters from [A-Za-z0-9._-].
  std::string source_id;
  // The plan: 1-128 bytes of UTF-8 without control characters.
  std::string plan_id;
  // The round: 0 the original draw, 1, 2, ... replacement rounds. Not negative.
  int64_t round = 0;
  // The round's commitment digest: 64 lowercase hex characters.
  std::string commitment;
  // The witness's own random value: 64 lowercase hex characters (32 bytes).
  std::string value;
  // When the witness signed: whole seconds, years 2000-9999, written in UTC.
  absl::Time signed_at = absl::UnixEpoch();
  // At most 16, source ids strictly increasing (so one set has one spelling), none equal
  // to `source_id`.
  std::vector<AttestedValue> attested;
};

// What a statement must be bound to, for CheckStatementBinding.
struct StatementBinding {
  std::string plan_id;
  int64_t round = 0;
  std::string commitment;
  // The statement must be signed at or after this moment (the commitment's log entry
  // plus the minimum delay). Default: no bound.
  absl::Time not_before = absl::InfinitePast();
};

// A witness as registered (RegisteredEntropySource's source_id, algorithm and
// public_key_hex).
struct RegisteredWitness {
  std::string source_id;
  // "ed25519" or "sm2-sm3".
  std::string algorithm;
  std::string public_key_hex;
};

struct SignedWitnessStatement {
  // The canonical statement text (WitnessSignature.statement).
  std::string text;
  // The 64-byte signature, lowercase hex (WitnessSignature.signature_hex).
  std::string signature_hex;
};

// OK, or INVALID_ARGUMENT naming the first field out of range ("statement.round: ...").
absl::Status ValidateWitnessStatement(const WitnessStatement& statement);

// The canonical text of `statement`. INVALID_ARGUMENT as ValidateWitnessStatement.
absl::StatusOr<std::string> CanonicalWitnessStatementText(const WitnessStatement& statement);

// The statement whose canonical text is exactly `text`. INVALID_ARGUMENT "statement: not
// canonical: ..." for anything else (fields missing, out of order, repeated or unknown;
// a length that does not match; trailing bytes; a number with leading zeros), or naming
// the field out of range.
absl::StatusOr<WitnessStatement> ParseWitnessStatementText(absl::string_view text);

// A fresh witness value: 32 bytes from OpenSSL's CSPRNG, as 64 lowercase hex characters.
// INTERNAL if the CSPRNG fails.
absl::StatusOr<std::string> FreshWitnessValue();

// The canonical text of `statement` and `key`'s signature of it. INVALID_ARGUMENT as
// ValidateWitnessStatement; INTERNAL if OpenSSL fails.
absl::StatusOr<SignedWitnessStatement> SignWitnessStatement(const WitnessKey& key,
                                                            const WitnessStatement& statement);

// Checks a statement against its witness's registered key and returns its fields.
// INVALID_ARGUMENT: an unknown algorithm or malformed public key ("public_key_hex: ..."),
// a signature that is not 64 bytes of lowercase hex ("signature_hex: ..."), a text that
// is not canonical ("statement: ..."). FAILED_PRECONDITION: the signature does not verify
// ("signature: does not verify ..."), or the statement names another source than
// `witness.source_id` ("statement.source_id: ...").
// It does not check the plan, round, commitment or time: see CheckStatementBinding.
absl::StatusOr<WitnessStatement> VerifyWitnessStatement(const RegisteredWitness& witness,
                                                        absl::string_view text,
                                                        absl::string_view signature_hex);
// The same with a parsed key; the source id is not checked.
absl::StatusOr<WitnessStatement> VerifyWitnessStatement(const WitnessPublicKey& key,
                                                        absl::string_view text,
                                                        absl::string_view signature_hex);

// OK when `statement` names the plan, round and commitment of `binding` and was signed
// at or after binding.not_before; FAILED_PRECONDITION naming the first field that
// differs ("statement.plan_id: signed for plan \"P-1\", not \"P-2\"", "statement.signed_at:
// 2026-12-06T08:00:00Z is before 2026-12-06T08:10:00Z, the earliest allowed").
absl::Status CheckStatementBinding(const WitnessStatement& statement,
                                   const StatementBinding& binding);

// `time` in the statement's form, RFC 3339 UTC to the second: "2026-12-06T08:00:00Z".
std::string FormatStatementTime(absl::Time time);

}  // namespace regulation::scheduler::entropy

#endif  // SCHEDULER_ENTROPY_WITNESS_STATEMENT_H_
