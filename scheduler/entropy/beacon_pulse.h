#ifndef SCHEDULER_ENTROPY_BEACON_PULSE_H_
#define SCHEDULER_ENTROPY_BEACON_PULSE_H_

// A pulse of a NIST Randomness Beacon 2.0 (NISTIR 8213), as served in JSON by
// https://beacon.nist.gov/beacon/2.0/pulse/time/<ms>, and its check against a pinned
// certificate (docs/entropy.md §3).
//
// The signed bytes (what signatureValue signs, RSASSA-PKCS1-v1_5 with SHA-512) are, in
// order, with every integer big-endian and every "bytes" field prefixed by its length as
// a 4-byte big-endian integer:
//
//   uri                    UTF-8 bytes, length-prefixed
//   version                UTF-8 bytes, length-prefixed ("Version 2.0")
//   cipherSuite            4 bytes
//   period                 4 bytes (milliseconds)
//   certificateId          hex-decoded, length-prefixed (SHA-512 of the certificate's DER)
//   chainIndex             8 bytes
//   pulseIndex             8 bytes
//   timeStamp              the JSON string's UTF-8 bytes, length-prefixed
//                          ("2018-08-30T17:44:00.000Z")
//   localRandomValue       hex-decoded, length-prefixed
//   external.sourceId      hex-decoded, length-prefixed
//   external.statusCode    4 bytes
//   external.value         hex-decoded, length-prefixed
//   listValues[i].value    hex-decoded, length-prefixed, in the order given
//                          (previous, hour, day, month, year)
//   precommitmentValue     hex-decoded, length-prefixed
//   statusCode             4 bytes
//
// and outputValue = SHA-512(signed bytes || signatureValue bytes). This layout was
// checked against a real NIST pulse and its certificate (testdata/, see docs).
//
//   REG_ASSIGN_OR_RETURN(BeaconCertificate certificate,
//                        BeaconCertificate::FromPem(source.certificate_pem()));
//   REG_ASSIGN_OR_RETURN(VerifiedPulse pulse,
//                        VerifyBeaconPulse(certificate, statement.beacon_pulse_json()));
//   if (pulse.time != expected_pulse_time) ...
//
// Thread safety: value types and stateless functions.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "scheduler/entropy/beacon_certificate.h"

namespace regulation::scheduler::entropy {

// The one cipher suite defined by Beacon 2.0: SHA-512 hashing, RSA PKCS#1 v1.5 signatures.
inline constexpr int kBeaconCipherSuiteSha512Rsa = 0;

// A parsed pulse. Byte fields hold the hex-decoded bytes.
struct BeaconPulse {
  struct External {
    std::string source_id;
    int64_t status_code = 0;
    std::string value;
  };
  struct ListValue {
    std::string uri;
    std::string type;
    std::string value;
  };

  std::string uri;
  std::string version;
  int64_t cipher_suite = 0;
  // Milliseconds between pulses (NIST: 60000).
  int64_t period = 0;
  std::string certificate_id;
  int64_t chain_index = 0;
  int64_t pulse_index = 0;
  // The timeStamp string exactly as published, and the moment it names.
  std::string time_stamp;
  absl::Time time;
  std::string local_random_value;
  External external;
  // Exactly five: previous, hour, day, month, year, in that order.
  std::vector<ListValue> list_values;
  std::string precommitment_value;
  int64_t status_code = 0;
  std::string signature_value;
  // 64 bytes.
  std::string output_value;
};

// What a verified pulse tells the draw.
struct VerifiedPulse {
  // The pulse's time (timeStamp).
  absl::Time time;
  // outputValue, 128 lowercase hex characters: the randomness.
  std::string output_value_hex;
  std::string uri;
  int64_t chain_index = 0;
  int64_t pulse_index = 0;
  // Milliseconds.
  int64_t period = 0;
  int64_t status_code = 0;
};

// Parses the JSON the beacon serves: either {"pulse": {...}} or the pulse object itself.
// Strict: UTF-8 JSON without duplicate keys (scheduler/json.h); every field above present
// with its type and nothing else; hex fields of even length (either case, as NIST writes
// uppercase); integers in range (4-byte fields below 2^31, indices not negative);
// timeStamp "YYYY-MM-DDTHH:MM:SS.mmmZ" or "YYYY-MM-DDTHH:MM:SSZ"; listValues exactly
// previous, hour, day, month, year; outputValue 64 bytes. INVALID_ARGUMENT
// "beacon_pulse_json: <field>: ..." otherwise.
absl::StatusOr<BeaconPulse> ParseBeaconPulse(absl::string_view json);

// The signed bytes of `pulse` (the layout above).
std::string BeaconPulseSignedBytes(const BeaconPulse& pulse);

// Parses and checks a pulse: cipherSuite 0, certificateId equal to `certificate`'s id,
// signatureValue a valid signature of the signed bytes under the certificate's key, and
// outputValue = SHA-512(signed bytes || signatureValue). INVALID_ARGUMENT as
// ParseBeaconPulse (and for another cipher suite); FAILED_PRECONDITION naming the check
// that failed ("certificateId: ... is not the pinned certificate's ...",
// "signatureValue: does not verify ...", "outputValue: is not SHA-512(...)").
// It does not check the pulse's time or chain: the caller compares `time` with the
// pulse time its commitment named.
absl::StatusOr<VerifiedPulse> VerifyBeaconPulse(const BeaconCertificate& certificate,
                                                absl::string_view json);

}  // namespace regulation::scheduler::entropy

#endif  // SCHEDULER_ENTROPY_BEACON_PULSE_H_
