#include "scheduler/entropy/test_beacon.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "scheduler/entropy/beacon_pulse.h"
#include "scheduler/entropy/hex.h"
#include "scheduler/entropy/openssl_util.h"
#include "scheduler/json.h"

namespace regulation::scheduler::entropy {
namespace {

constexpr int kRsaBits = 2048;
constexpr size_t kValueBytes = 64;
constexpr int kValidityDays = 3650;

absl::StatusOr<std::string> RandomBytes(size_t size) {
  std::string out(size, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size)) != 1) {
    return OpenSslError("RAND_bytes");
  }
  return out;
}

absl::StatusOr<std::string> Sha512(absl::string_view data) {
  unsigned char digest[64];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha512(), nullptr) != 1) {
    return OpenSslError("SHA-512");
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

// A self-signed certificate for `key`, named `common_name`, as PEM.
absl::StatusOr<std::string> SelfSignedCertificate(EVP_PKEY* key, const std::string& common_name) {
  X509Ptr certificate(X509_new());
  BignumPtr serial(BN_new());
  if (certificate == nullptr || serial == nullptr ||
      BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get())) == nullptr ||
      X509_set_version(certificate.get(), 2) != 1 ||
      X509_gmtime_adj(X509_getm_notBefore(certificate.get()), 0) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 60L * 60 * 24 * kValidityDays) ==
          nullptr) {
    return OpenSslError("X509 setup");
  }
  X509_NAME* name = X509_get_subject_name(certificate.get());
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                 -1, 0) != 1 ||
      X509_set_issuer_name(certificate.get(), name) != 1 ||
      X509_set_pubkey(certificate.get(), key) != 1 ||
      X509_sign(certificate.get(), key, EVP_sha256()) <= 0) {
    return OpenSslError("X509_sign");
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_X509(bio.get(), certificate.get()) != 1) {
    return OpenSslError("PEM_write_bio_X509");
  }
  return BioContents(bio.get());
}

std::string UpperHex(absl::string_view bytes) { return absl::AsciiStrToUpper(EncodeHex(bytes)); }

}  // namespace

struct TestBeacon::State {
  PkeyPtr key;
  Options options;
  int64_t pulse_index = 0;
  absl::Time last_time = absl::InfinitePast();
  std::string last_output;
  std::string last_uri;
  // The first pulse of each UTC hour, day, month and year (keyed by that period's start in
  // the given granularity): its output and uri.
  std::map<std::pair<int, int64_t>, std::pair<std::string, std::string>> first_in_period;
  std::string next_local_random_value;
};

TestBeacon::TestBeacon(std::string certificate_pem, BeaconCertificate certificate,
                       std::unique_ptr<State> state)
    : certificate_pem_(std::move(certificate_pem)),
      certificate_(std::move(certificate)),
      state_(std::move(state)) {}

TestBeacon::TestBeacon(TestBeacon&&) noexcept = default;
TestBeacon& TestBeacon::operator=(TestBeacon&&) noexcept = default;
TestBeacon::~TestBeacon() = default;

absl::StatusOr<TestBeacon> TestBeacon::FromPrivateKeyPem(absl::string_view pem,
                                                         const Options& options) {
  if (options.period_seconds < 1) {
    return absl::InvalidArgumentError("test beacon: period_seconds must be at least 1");
  }
  if (options.chain_index < 0) {
    return absl::InvalidArgumentError("test beacon: chain_index must not be negative");
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return OpenSslError("BIO_new_mem_buf");
  auto state = std::make_unique<State>();
  state->key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (state->key == nullptr || !EVP_PKEY_is_a(state->key.get(), "RSA")) {
    return absl::InvalidArgumentError("test beacon: the key is not a PEM RSA private key");
  }
  state->options = options;
  REG_ASSIGN_OR_RETURN(state->next_local_random_value, RandomBytes(kValueBytes));
  REG_ASSIGN_OR_RETURN(std::string certificate_pem,
                       SelfSignedCertificate(state->key.get(), options.common_name));
  REG_ASSIGN_OR_RETURN(BeaconCertificate certificate, BeaconCertificate::FromPem(certificate_pem));
  return TestBeacon(std::move(certificate_pem), std::move(certificate), std::move(state));
}

absl::StatusOr<TestBeacon> TestBeacon::Create(const Options& options) {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(kRsaBits)));
  if (key == nullptr) return OpenSslError("RSA key generation");
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return OpenSslError("PEM_write_bio_PrivateKey");
  }
  return FromPrivateKeyPem(BioContents(bio.get()), options);
}

std::string TestBeacon::private_key_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PrivateKey(bio.get(), state_->key.get(), nullptr, nullptr,
                                                 0, nullptr, nullptr) != 1) {
    ERR_clear_error();
    return "";
  }
  return BioContents(bio.get());
}

absl::StatusOr<std::string> TestBeacon::EmitPulse(absl::Time time) {
  State& s = *state_;
  time = absl::FromUnixMillis(absl::ToUnixMillis(time));
  const absl::Time earliest = absl::FromCivil(absl::CivilSecond(2000, 1, 1), absl::UTCTimeZone());
  const absl::Time latest =
      absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), absl::UTCTimeZone());
  if (time < earliest || time > latest) {
    return absl::InvalidArgumentError("test beacon: pulse times must be in years 2000-9999");
  }
  if (time <= s.last_time) {
    return absl::InvalidArgumentError("test beacon: each pulse must be later than the last");
  }
  BeaconPulse pulse;
  pulse.pulse_index = s.pulse_index + 1;
  pulse.uri = absl::StrCat(s.options.uri_prefix, pulse.pulse_index);
  pulse.version = "Version 2.0";
  pulse.cipher_suite = kBeaconCipherSuiteSha512Rsa;
  pulse.period = static_cast<int64_t>(s.options.period_seconds) * 1000;
  REG_ASSIGN_OR_RETURN(pulse.certificate_id, DecodeHex("certificate id", certificate_.id_hex()));
  pulse.chain_index = s.options.chain_index;
  pulse.time_stamp = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone());
  pulse.time = time;
  pulse.local_random_value = s.next_local_random_value;
  REG_ASSIGN_OR_RETURN(s.next_local_random_value, RandomBytes(kValueBytes));
  REG_ASSIGN_OR_RETURN(pulse.precommitment_value, Sha512(s.next_local_random_value));
  const std::string zeros(kValueBytes, '\0');
  pulse.external = {zeros, 0, zeros};
  pulse.status_code = s.pulse_index == 0 ? 1 : 0;  // 1: the first pulse of a chain.

  // Periods keyed by granularity (0 hour .. 3 year) and the period's start.
  const absl::CivilSecond civil = absl::ToCivilSecond(time, absl::UTCTimeZone());
  const std::pair<int, int64_t> periods[] = {
      {0, absl::CivilHour(civil) - absl::CivilHour()},
      {1, absl::CivilDay(civil) - absl::CivilDay()},
      {2, absl::CivilMonth(civil) - absl::CivilMonth()},
      {3, absl::CivilYear(civil).year()},
  };
  pulse.list_values.push_back(
      {s.pulse_index == 0 ? pulse.uri : s.last_uri, "previous",
       s.pulse_index == 0 ? zeros : s.last_output});
  const char* kTypes[] = {"hour", "day", "month", "year"};
  for (int i = 0; i < 4; ++i) {
    auto it = s.first_in_period.find(periods[i]);
    if (it == s.first_in_period.end()) {
      pulse.list_values.push_back({pulse.uri, kTypes[i], zeros});
    } else {
      pulse.list_values.push_back({it->second.second, kTypes[i], it->second.first});
    }
  }

  const std::string signed_bytes = BeaconPulseSignedBytes(pulse);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t size = 0;
  if (ctx == nullptr ||
      EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA512", nullptr, nullptr, s.key.get(),
                            nullptr) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(signed_bytes.data()),
                     signed_bytes.size()) != 1) {
    return OpenSslError("RSA signing");
  }
  pulse.signature_value.resize(size);
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(pulse.signature_value.data()),
                     &size, reinterpret_cast<const unsigned char*>(signed_bytes.data()),
                     signed_bytes.size()) != 1) {
    return OpenSslError("RSA signing");
  }
  pulse.signature_value.resize(size);
  REG_ASSIGN_OR_RETURN(pulse.output_value, Sha512(signed_bytes + pulse.signature_value));

  // Advance the chain.
  s.pulse_index = pulse.pulse_index;
  s.last_time = time;
  s.last_output = pulse.output_value;
  s.last_uri = pulse.uri;
  for (const auto& period : periods) {
    s.first_in_period.emplace(period, std::make_pair(pulse.output_value, pulse.uri));
  }

  std::string json = "{\"pulse\":{\"uri\":";
  AppendJsonString(&json, pulse.uri);
  absl::StrAppend(&json, ",\"version\":");
  AppendJsonString(&json, pulse.version);
  absl::StrAppend(&json, ",\"cipherSuite\":", pulse.cipher_suite, ",\"period\":", pulse.period,
                  ",\"certificateId\":\"", UpperHex(pulse.certificate_id),
                  "\",\"chainIndex\":", pulse.chain_index, ",\"pulseIndex\":", pulse.pulse_index,
                  ",\"timeStamp\":\"", pulse.time_stamp, "\",\"localRandomValue\":\"",
                  UpperHex(pulse.local_random_value), "\",\"external\":{\"sourceId\":\"",
                  UpperHex(pulse.external.source_id),
                  "\",\"statusCode\":", pulse.external.status_code, ",\"value\":\"",
                  UpperHex(pulse.external.value), "\"},\"listValues\":[");
  for (size_t i = 0; i < pulse.list_values.size(); ++i) {
    const BeaconPulse::ListValue& v = pulse.list_values[i];
    absl::StrAppend(&json, i == 0 ? "" : ",", "{\"uri\":");
    AppendJsonString(&json, v.uri);
    absl::StrAppend(&json, ",\"type\":\"", v.type, "\",\"value\":\"", UpperHex(v.value), "\"}");
  }
  absl::StrAppend(&json, "],\"precommitmentValue\":\"", UpperHex(pulse.precommitment_value),
                  "\",\"statusCode\":", pulse.status_code, ",\"signatureValue\":\"",
                  UpperHex(pulse.signature_value), "\",\"outputValue\":\"",
                  UpperHex(pulse.output_value), "\"}}");
  return json;
}

}  // namespace regulation::scheduler::entropy
