#ifndef SCHEDULER_ENTROPY_TEST_BEACON_H_
#define SCHEDULER_ENTROPY_TEST_BEACON_H_

// A randomness beacon of our own for tests and the demo (testonly): an RSA-2048 key with
// a self-signed certificate that emits correctly signed, chained pulses in the NIST
// Randomness Beacon 2.0 format (beacon_pulse.h) at the times it is asked for. It is
// registered like any other beacon (its certificate pinned) and checked by the same code;
// nothing about its pulses is faked, only the operator differs.
//
//   REG_ASSIGN_OR_RETURN(TestBeacon beacon, TestBeacon::Create());
//   source.set_certificate_pem(beacon.certificate_pem());
//   REG_ASSIGN_OR_RETURN(std::string pulse_json,
//                        beacon.EmitPulse(absl::FromUnixSeconds(1796371200)));
//
// Chaining: pulseIndex counts up from 1; listValues "previous" is the output of the pulse
// emitted before (64 zero bytes for the first pulse, which has statusCode 1, "start of a
// chain"); "hour", "day", "month", "year" the output of the first pulse emitted in the
// same UTC hour, day, month, year (this pulse's predecessor chain only; zeros when this
// pulse is the first); precommitmentValue is SHA-512 of the next pulse's
// localRandomValue, drawn in advance. external is all zeros with statusCode 0, as NIST
// publishes it. Hex is written in uppercase like NIST's.
//
// Thread safety: not thread-safe (EmitPulse advances the chain); one beacon per thread,
// or guard it.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "scheduler/entropy/beacon_certificate.h"

namespace regulation::scheduler::entropy {

class TestBeacon {
 public:
  struct Options {
    // Each pulse's uri is this prefix followed by its pulseIndex. Default as below.
    std::string uri_prefix = "https://beacon.test.invalid/beacon/2.0/chain/1/pulse/";
    // Default 1.
    int64_t chain_index = 1;
    // Seconds between pulses, written as milliseconds in `period`. Default 60.
    int period_seconds = 60;
    // The certificate's subject and issuer common name. Default "regulation test beacon".
    std::string common_name = "regulation test beacon";
  };

  // A fresh RSA-2048 key and a self-signed certificate (SHA-256, valid ten years from
  // now). INVALID_ARGUMENT for a period below 1 or a negative chain index; INTERNAL if
  // OpenSSL fails.
  static absl::StatusOr<TestBeacon> Create(const Options& options);
  static absl::StatusOr<TestBeacon> Create() { return Create(Options()); }
  // A beacon with a given RSA private key (PKCS#8 PEM, from private_key_pem()), so a demo
  // can keep one identity across runs; the certificate is made anew (its id changes).
  // The chain starts again. INVALID_ARGUMENT when the key is not an RSA PEM key.
  static absl::StatusOr<TestBeacon> FromPrivateKeyPem(absl::string_view pem,
                                                      const Options& options);

  TestBeacon(TestBeacon&&) noexcept;
  TestBeacon& operator=(TestBeacon&&) noexcept;
  ~TestBeacon();

  const std::string& certificate_pem() const { return certificate_pem_; }
  const BeaconCertificate& certificate() const { return certificate_; }
  std::string private_key_pem() const;

  // The JSON text ({"pulse": {...}}, as NIST serves it) of the next pulse, stamped `time`
  // (whole milliseconds are kept). INVALID_ARGUMENT when `time` is not later than the
  // previous pulse's or outside years 2000-9999; INTERNAL if OpenSSL fails.
  absl::StatusOr<std::string> EmitPulse(absl::Time time);

 private:
  struct State;
  TestBeacon(std::string certificate_pem, BeaconCertificate certificate,
             std::unique_ptr<State> state);

  std::string certificate_pem_;
  BeaconCertificate certificate_;
  std::unique_ptr<State> state_;
};

}  // namespace regulation::scheduler::entropy

#endif  // SCHEDULER_ENTROPY_TEST_BEACON_H_
