#include "scheduler/entropy/beacon_pulse.h"

#include <openssl/evp.h>

#include <cstdint>
#include <initializer_list>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "scheduler/entropy/hex.h"
#include "scheduler/entropy/openssl_util.h"
#include "scheduler/json.h"

namespace regulation::scheduler::entropy {
namespace {

constexpr size_t kOutputValueBytes = 64;
constexpr int64_t kMaxInt32 = 0x7FFFFFFF;
constexpr const char* kListValueTypes[] = {"previous", "hour", "day", "month", "year"};

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("beacon_pulse_json: ", field, ": ", reason));
}

// `object`'s members must be exactly `names` (in any order).
absl::Status CheckMembers(absl::string_view where, const JsonValue& object,
                          std::initializer_list<absl::string_view> names) {
  for (const JsonValue::Member& member : object.members()) {
    bool known = false;
    for (absl::string_view name : names) known = known || member.first == name;
    if (!known) {
      return Invalid(where, absl::StrCat("unknown field \"", absl::CHexEscape(member.first),
                                         "\" (a pulse carries only the fields its signature "
                                         "covers, and outputValue and signatureValue)"));
    }
  }
  for (absl::string_view name : names) {
    if (object.Find(name) == nullptr) return Invalid(where, absl::StrCat("\"", name, "\" is missing"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> StringField(const JsonValue& object, absl::string_view field,
                                        absl::string_view name) {
  const JsonValue* value = object.Find(name);
  if (!value->is_string()) {
    return Invalid(field, absl::StrCat("must be a string, not ", value->TypeName()));
  }
  return value->string();
}

absl::StatusOr<std::string> HexField(const JsonValue& object, absl::string_view field,
                                     absl::string_view name, size_t size = 0) {
  REG_ASSIGN_OR_RETURN(std::string hex, StringField(object, field, name));
  absl::StatusOr<std::string> bytes =
      DecodeHex(absl::StrCat("beacon_pulse_json: ", field), hex, size, HexCase::kEither);
  return bytes;
}

// An integer in [0, max].
absl::StatusOr<int64_t> IntegerField(const JsonValue& object, absl::string_view field,
                                     absl::string_view name, int64_t max) {
  const JsonValue* value = object.Find(name);
  if (!value->is_integer()) {
    return Invalid(field, absl::StrCat("must be an integer, not ", value->TypeName()));
  }
  if (value->integer() < 0 || value->integer() > max) {
    return Invalid(field, absl::StrCat("must be from 0 to ", max, ", got ", value->integer()));
  }
  return value->integer();
}

// "YYYY-MM-DDTHH:MM:SS.mmmZ" (NIST's form) or "YYYY-MM-DDTHH:MM:SSZ", a real UTC time.
absl::StatusOr<absl::Time> ParseTimeStamp(absl::string_view text) {
  absl::Time time;
  std::string error;
  const bool with_millis = text.size() == 24;
  const char* format = with_millis ? "%Y-%m-%dT%H:%M:%E3SZ" : "%Y-%m-%dT%H:%M:%SZ";
  if ((text.size() != 20 && !with_millis) ||
      !absl::ParseTime("%Y-%m-%dT%H:%M:%E*SZ", text, absl::UTCTimeZone(), &time, &error) ||
      absl::FormatTime(format, time, absl::UTCTimeZone()) != text) {
    return Invalid("timeStamp", absl::StrCat("must be YYYY-MM-DDTHH:MM:SS.mmmZ, got \"",
                                             absl::CHexEscape(text), "\""));
  }
  return time;
}

void AppendUint32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

void AppendUint64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

void AppendPrefixed(std::string* out, absl::string_view bytes) {
  AppendUint32(out, static_cast<uint32_t>(bytes.size()));
  out->append(bytes.data(), bytes.size());
}

absl::StatusOr<std::string> Sha512(absl::string_view a, absl::string_view b) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  unsigned char digest[64];
  unsigned int size = 0;
  if (ctx == nullptr || EVP_DigestInit_ex(ctx.get(), EVP_sha512(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &size) != 1) {
    return OpenSslError("SHA-512");
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

}  // namespace

absl::StatusOr<BeaconPulse> ParseBeaconPulse(absl::string_view json) {
  absl::StatusOr<JsonValue> document = ParseJson(json);
  if (!document.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("beacon_pulse_json: ", document.status().message()));
  }
  const JsonValue* object = &*document;
  if (!object->is_object()) return Invalid("pulse", "must be a JSON object");
  // The API's answer wraps the pulse: {"pulse": {...}}.
  if (object->members().size() == 1 && object->members()[0].first == "pulse") {
    object = &object->members()[0].second;
    if (!object->is_object()) return Invalid("pulse", "must be a JSON object");
  }
  REG_RETURN_IF_ERROR(CheckMembers(
      "pulse", *object,
      {"uri", "version", "cipherSuite", "period", "certificateId", "chainIndex", "pulseIndex",
       "timeStamp", "localRandomValue", "external", "listValues", "precommitmentValue",
       "statusCode", "signatureValue", "outputValue"}));
  const JsonValue& o = *object;
  BeaconPulse pulse;
  REG_ASSIGN_OR_RETURN(pulse.uri, StringField(o, "uri", "uri"));
  REG_ASSIGN_OR_RETURN(pulse.version, StringField(o, "version", "version"));
  REG_ASSIGN_OR_RETURN(pulse.cipher_suite, IntegerField(o, "cipherSuite", "cipherSuite", kMaxInt32));
  REG_ASSIGN_OR_RETURN(pulse.period, IntegerField(o, "period", "period", kMaxInt32));
  REG_ASSIGN_OR_RETURN(pulse.certificate_id, HexField(o, "certificateId", "certificateId"));
  REG_ASSIGN_OR_RETURN(pulse.chain_index,
                       IntegerField(o, "chainIndex", "chainIndex", INT64_MAX));
  REG_ASSIGN_OR_RETURN(pulse.pulse_index,
                       IntegerField(o, "pulseIndex", "pulseIndex", INT64_MAX));
  REG_ASSIGN_OR_RETURN(pulse.time_stamp, StringField(o, "timeStamp", "timeStamp"));
  REG_ASSIGN_OR_RETURN(pulse.time, ParseTimeStamp(pulse.time_stamp));
  REG_ASSIGN_OR_RETURN(pulse.local_random_value,
                       HexField(o, "localRandomValue", "localRandomValue"));

  const JsonValue& external = *o.Find("external");
  if (!external.is_object()) return Invalid("external", "must be an object");
  REG_RETURN_IF_ERROR(CheckMembers("external", external, {"sourceId", "statusCode", "value"}));
  REG_ASSIGN_OR_RETURN(pulse.external.source_id,
                       HexField(external, "external.sourceId", "sourceId"));
  REG_ASSIGN_OR_RETURN(pulse.external.status_code,
                       IntegerField(external, "external.statusCode", "statusCode", kMaxInt32));
  REG_ASSIGN_OR_RETURN(pulse.external.value, HexField(external, "external.value", "value"));

  const JsonValue& list = *o.Find("listValues");
  if (!list.is_array() || list.array().size() != std::size(kListValueTypes)) {
    return Invalid("listValues", "must be an array of five: previous, hour, day, month, year");
  }
  for (size_t i = 0; i < list.array().size(); ++i) {
    const JsonValue& item = list.array()[i];
    const std::string where = absl::StrCat("listValues[", i, "]");
    if (!item.is_object()) return Invalid(where, "must be an object");
    REG_RETURN_IF_ERROR(CheckMembers(where, item, {"uri", "type", "value"}));
    BeaconPulse::ListValue value;
    REG_ASSIGN_OR_RETURN(value.uri, StringField(item, absl::StrCat(where, ".uri"), "uri"));
    REG_ASSIGN_OR_RETURN(value.type, StringField(item, absl::StrCat(where, ".type"), "type"));
    if (value.type != kListValueTypes[i]) {
      return Invalid(absl::StrCat(where, ".type"),
                     absl::StrCat("must be \"", kListValueTypes[i], "\" (the order is ",
                                  absl::StrJoin(kListValueTypes, ", "), "), got \"",
                                  absl::CHexEscape(value.type), "\""));
    }
    REG_ASSIGN_OR_RETURN(value.value, HexField(item, absl::StrCat(where, ".value"), "value"));
    pulse.list_values.push_back(std::move(value));
  }
  REG_ASSIGN_OR_RETURN(pulse.precommitment_value,
                       HexField(o, "precommitmentValue", "precommitmentValue"));
  REG_ASSIGN_OR_RETURN(pulse.status_code, IntegerField(o, "statusCode", "statusCode", kMaxInt32));
  REG_ASSIGN_OR_RETURN(pulse.signature_value, HexField(o, "signatureValue", "signatureValue"));
  REG_ASSIGN_OR_RETURN(pulse.output_value,
                       HexField(o, "outputValue", "outputValue", kOutputValueBytes));
  return pulse;
}

std::string BeaconPulseSignedBytes(const BeaconPulse& pulse) {
  std::string out;
  AppendPrefixed(&out, pulse.uri);
  AppendPrefixed(&out, pulse.version);
  AppendUint32(&out, static_cast<uint32_t>(pulse.cipher_suite));
  AppendUint32(&out, static_cast<uint32_t>(pulse.period));
  AppendPrefixed(&out, pulse.certificate_id);
  AppendUint64(&out, static_cast<uint64_t>(pulse.chain_index));
  AppendUint64(&out, static_cast<uint64_t>(pulse.pulse_index));
  AppendPrefixed(&out, pulse.time_stamp);
  AppendPrefixed(&out, pulse.local_random_value);
  AppendPrefixed(&out, pulse.external.source_id);
  AppendUint32(&out, static_cast<uint32_t>(pulse.external.status_code));
  AppendPrefixed(&out, pulse.external.value);
  for (const BeaconPulse::ListValue& value : pulse.list_values) AppendPrefixed(&out, value.value);
  AppendPrefixed(&out, pulse.precommitment_value);
  AppendUint32(&out, static_cast<uint32_t>(pulse.status_code));
  return out;
}

absl::StatusOr<VerifiedPulse> VerifyBeaconPulse(const BeaconCertificate& certificate,
                                                absl::string_view json) {
  REG_ASSIGN_OR_RETURN(BeaconPulse pulse, ParseBeaconPulse(json));
  if (pulse.cipher_suite != kBeaconCipherSuiteSha512Rsa) {
    return Invalid("cipherSuite", absl::StrCat("only cipher suite 0 (SHA-512, RSA PKCS#1 v1.5) "
                                               "is supported, got ", pulse.cipher_suite));
  }
  if (EncodeHex(pulse.certificate_id) != certificate.id_hex()) {
    return absl::FailedPreconditionError(
        absl::StrCat("certificateId: ", EncodeHex(pulse.certificate_id).substr(0, 16),
                     "... is not the pinned certificate's ", certificate.id_hex().substr(0, 16),
                     "... (SHA-512 of its DER bytes)"));
  }
  const std::string signed_bytes = BeaconPulseSignedBytes(pulse);
  REG_RETURN_IF_ERROR(certificate.VerifySha512(signed_bytes, pulse.signature_value));
  REG_ASSIGN_OR_RETURN(std::string output, Sha512(signed_bytes, pulse.signature_value));
  if (output != pulse.output_value) {
    return absl::FailedPreconditionError(
        "outputValue: is not SHA-512(the signed fields || signatureValue)");
  }
  VerifiedPulse verified;
  verified.time = pulse.time;
  verified.output_value_hex = EncodeHex(pulse.output_value);
  verified.uri = std::move(pulse.uri);
  verified.chain_index = pulse.chain_index;
  verified.pulse_index = pulse.pulse_index;
  verified.period = pulse.period;
  verified.status_code = pulse.status_code;
  return verified;
}

}  // namespace regulation::scheduler::entropy
