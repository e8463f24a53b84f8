// Test vectors for the entropy verifiers in other languages (entropy_check.py and the
// site's entropy.js), produced by the C++ library.
//
//   make_entropy_vectors NIST_PULSE.json NIST_CERTIFICATE.pem > vectors.json
//
// Writes {"witness_cases": [...], "pulse_cases": [...]}. Each case holds a registered
// source (RegisteredEntropySource in protobuf JSON), the evidence (an EntropyStatement in
// protobuf JSON, or a pulse's JSON text), an optional binding {plan_id, round,
// commitment, not_before}, and what the C++ library decided: ok, the value, and a
// keyword every implementation's reason must contain. Both algorithms, the test beacon
// and a real NIST pulse, valid and tampered. Exits 1, writing nothing, if the library's
// decision is not the one the case intends: then the library, not the vectors, is wrong.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "regulation/v1/entropy.pb.h"
#include "scheduler/entropy/beacon_certificate.h"
#include "scheduler/entropy/beacon_pulse.h"
#include "scheduler/entropy/test_beacon.h"
#include "scheduler/entropy/witness_key.h"
#include "scheduler/entropy/witness_statement.h"
#include "scheduler/json.h"

namespace regulation::scheduler::entropy {
namespace {

constexpr char kCommitment[] = "ae7e565b8cfdb713a642d5c95c901addf6506f513f5846c13e197eb134ce3a5f";

// Private keys of the vectors: RFC 8032's test 1 seed, GB/T 32918's example d, and two
// more for "another witness".
constexpr char kEd25519Seed[] = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr char kEd25519OtherSeed[] =
    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
constexpr char kSm2Private[] = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8";
constexpr char kSm2OtherPrivate[] =
    "128b2fa8bd433c6c068c8d803dff79792a519a55171b1b650c23661d15897263";

struct Binding {
  std::string plan_id;
  int64_t round = 0;
  std::string commitment;
  std::string not_before;  // RFC 3339
};

std::string ToJsonText(const google::protobuf::Message& message) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json);
  return json;
}

std::string Quote(absl::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

[[noreturn]] void Die(absl::string_view what) {
  std::fprintf(stderr, "make_entropy_vectors: %s\n", std::string(what).c_str());
  std::exit(1);
}

template <typename T>
T Must(absl::StatusOr<T> value, absl::string_view what) {
  if (!value.ok()) Die(absl::StrCat(what, ": ", value.status().ToString()));
  return *std::move(value);
}

struct Result {
  bool ok = false;
  std::string value;
  std::string reason;
};

// What the library decides for a witness statement of `source`, as the verifiers in the
// other languages decide it.
Result CheckWitness(const v1::RegisteredEntropySource& source, const v1::EntropyStatement& s,
                    const std::optional<Binding>& binding) {
  if (s.source_id() != source.source_id()) {
    return {false, "", absl::StrCat("source_id: the statement is for \"", s.source_id(), "\"")};
  }
  absl::StatusOr<WitnessStatement> checked = VerifyWitnessStatement(
      RegisteredWitness{source.source_id(), source.algorithm(), source.public_key_hex()},
      s.witness().statement(), s.witness().signature_hex());
  if (!checked.ok()) return {false, "", std::string(checked.status().message())};
  if (binding.has_value()) {
    absl::Time not_before = absl::InfinitePast();
    std::string error;
    if (!binding->not_before.empty() &&
        !absl::ParseTime(absl::RFC3339_full, binding->not_before, &not_before, &error)) {
      Die("bad not_before");
    }
    absl::Status bound = CheckStatementBinding(
        *checked, {binding->plan_id, binding->round, binding->commitment, not_before});
    if (!bound.ok()) return {false, "", std::string(bound.message())};
  }
  return {true, checked->value, ""};
}

Result CheckPulse(const v1::RegisteredEntropySource& source, const std::string& pulse_json) {
  absl::StatusOr<BeaconCertificate> certificate = BeaconCertificate::FromPem(source.certificate_pem());
  if (!certificate.ok()) return {false, "", std::string(certificate.status().message())};
  if (certificate->modulus_hex() != source.rsa_modulus_hex() ||
      certificate->exponent_hex() != source.rsa_exponent_hex()) {
    return {false, "", "rsa_modulus_hex: the registered key is not the certificate's"};
  }
  absl::StatusOr<VerifiedPulse> pulse = VerifyBeaconPulse(*certificate, pulse_json);
  if (!pulse.ok()) return {false, "", std::string(pulse.status().message())};
  return {true, pulse->output_value_hex, ""};
}

class Vectors {
 public:
  void AddWitness(const std::string& name, const v1::RegisteredEntropySource& source,
                  const v1::EntropyStatement& statement, const std::optional<Binding>& binding,
                  bool ok, const std::string& keyword) {
    const Result result = CheckWitness(source, statement, binding);
    Expect(name, result, ok, keyword);
    std::string c = absl::StrCat("{\"name\":", Quote(name), ",\"source\":", ToJsonText(source),
                                 ",\"statement\":", ToJsonText(statement));
    if (binding.has_value()) {
      absl::StrAppend(&c, ",\"binding\":{\"plan_id\":", Quote(binding->plan_id),
                      ",\"round\":", binding->round, ",\"commitment\":", Quote(binding->commitment));
      if (!binding->not_before.empty()) {
        absl::StrAppend(&c, ",\"not_before\":", Quote(binding->not_before));
      }
      c += "}";
    }
    absl::StrAppend(&c, Outcome(result, keyword), "}");
    witness_cases_.push_back(c);
  }

  void AddPulse(const std::string& name, const v1::RegisteredEntropySource& source,
                const std::string& pulse_json, bool ok, const std::string& keyword) {
    const Result result = CheckPulse(source, pulse_json);
    Expect(name, result, ok, keyword);
    pulse_cases_.push_back(absl::StrCat("{\"name\":", Quote(name), ",\"source\":",
                                        ToJsonText(source), ",\"pulse_json\":", Quote(pulse_json),
                                        Outcome(result, keyword), "}"));
  }

  std::string Json() const {
    return absl::StrCat("{\"witness_cases\":[\n", absl::StrJoin(witness_cases_, ",\n"),
                        "\n],\"pulse_cases\":[\n", absl::StrJoin(pulse_cases_, ",\n"), "\n]}\n");
  }

 private:
  static void Expect(const std::string& name, const Result& result, bool ok,
                     const std::string& keyword) {
    if (result.ok != ok || (!ok && !absl::StrContains(result.reason, keyword))) {
      Die(absl::StrCat("case ", name, ": the library says ok=", result.ok, " (", result.reason,
                       "), the case intends ok=", ok, " with \"", keyword, "\""));
    }
  }
  static std::string Outcome(const Result& result, const std::string& keyword) {
    return absl::StrCat(",\"ok\":", result.ok ? "true" : "false", ",\"value\":",
                        Quote(result.value), ",\"reason\":", Quote(keyword),
                        ",\"cpp_reason\":", Quote(result.reason));
  }

  std::vector<std::string> witness_cases_;
  std::vector<std::string> pulse_cases_;
};

v1::RegisteredEntropySource WitnessSource(const std::string& id, const WitnessKey& key) {
  v1::RegisteredEntropySource source;
  source.set_source_id(id);
  source.set_kind(v1::ENTROPY_SOURCE_KIND_WITNESS);
  source.set_display_name("杭州市西湖公证处");
  source.set_department("notary");
  source.set_algorithm(std::string(WitnessAlgorithmName(key.algorithm())));
  source.set_public_key_hex(key.public_key().hex());
  return source;
}

v1::EntropyStatement Signed(const WitnessKey& key, const WitnessStatement& fields,
                            const std::string& file_source_id) {
  SignedWitnessStatement s = Must(SignWitnessStatement(key, fields), "sign");
  v1::EntropyStatement statement;
  statement.set_source_id(file_source_id);
  statement.mutable_witness()->set_statement(s.text);
  statement.mutable_witness()->set_signature_hex(s.signature_hex);
  return statement;
}

void AddWitnessCases(Vectors* v, WitnessAlgorithm algorithm) {
  const bool ed = algorithm == WitnessAlgorithm::kEd25519;
  const std::string tag = ed ? "ed25519" : "sm2";
  const WitnessKey key = Must(WitnessKey::FromPrivateBytes(
                                  algorithm, absl::HexStringToBytes(ed ? kEd25519Seed : kSm2Private)),
                              "key");
  const WitnessKey other = Must(
      WitnessKey::FromPrivateBytes(algorithm,
                                   absl::HexStringToBytes(ed ? kEd25519OtherSeed : kSm2OtherPrivate)),
      "other key");
  const WitnessKey other_algorithm = Must(
      WitnessKey::FromPrivateBytes(ed ? WitnessAlgorithm::kSm2Sm3 : WitnessAlgorithm::kEd25519,
                                   absl::HexStringToBytes(ed ? kSm2Private : kEd25519Seed)),
      "other algorithm key");
  const std::string id = "notary-xihu";
  const v1::RegisteredEntropySource source = WitnessSource(id, key);

  WitnessStatement fields;
  fields.source_id = id;
  fields.plan_id = "PLAN-2026-HZ-007";
  fields.round = 0;
  fields.commitment = kCommitment;
  fields.value = ed ? "5f1c0e8a9b7d3c2e4f60718293a4b5c6d7e8f90112233445566778899aabbccd"
                    : "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";
  fields.signed_at = absl::FromCivil(absl::CivilSecond(2026, 12, 6, 8, 20, 0), absl::UTCTimeZone());
  const v1::EntropyStatement good = Signed(key, fields, id);
  const Binding binding{"PLAN-2026-HZ-007", 0, kCommitment, "2026-12-06T08:10:00Z"};

  v->AddWitness(tag + "_valid", source, good, std::nullopt, true, "");
  v->AddWitness(tag + "_valid_bound", source, good, binding, true, "");
  WitnessStatement attested = fields;
  attested.attested = {{"lottery-fc3d", "3 8 1"}, {"tv-zj", "双色球 03 17 22 28 31 33 + 09"}};
  v->AddWitness(tag + "_valid_attested", source, Signed(key, attested, id), binding, true, "");

  v1::RegisteredEntropySource wrong_key = WitnessSource(id, other);
  v->AddWitness(tag + "_wrong_key", wrong_key, good, std::nullopt, false, "signature:");
  v->AddWitness(tag + "_signed_with_other_algorithm", source,
                Signed(other_algorithm, fields, id), std::nullopt, false, "signature");

  auto edited = [&](const std::string& from, const std::string& to) {
    v1::EntropyStatement s = good;
    s.mutable_witness()->set_statement(absl::StrReplaceAll(s.witness().statement(), {{from, to}}));
    if (s.witness().statement() == good.witness().statement()) Die("edit did not apply");
    return s;
  };
  v->AddWitness(tag + "_edited_value", source, edited(fields.value, std::string(64, '7')),
                std::nullopt, false, "signature:");
  v->AddWitness(tag + "_edited_plan", source, edited("HZ-007", "HZ-008"), std::nullopt, false,
                "signature:");
  v->AddWitness(tag + "_edited_round", source, edited("round=1:0", "round=1:1"), std::nullopt,
                false, "signature:");
  v1::EntropyStatement trailing = good;
  trailing.mutable_witness()->set_statement(good.witness().statement() + "x");
  v->AddWitness(tag + "_not_canonical_trailing_byte", source, trailing, std::nullopt, false,
                "statement: not canonical");
  v->AddWitness(tag + "_not_canonical_uppercase_value", source,
                edited(fields.value, absl::AsciiStrToUpper(fields.value)), std::nullopt, false,
                "statement.value");
  v->AddWitness(tag + "_not_canonical_round_leading_zero", source,
                edited("round=1:0", "round=2:00"), std::nullopt, false, "statement.round");

  v1::EntropyStatement truncated = good;
  truncated.mutable_witness()->set_signature_hex(good.witness().signature_hex().substr(0, 126));
  v->AddWitness(tag + "_truncated_signature", source, truncated, std::nullopt, false,
                "signature_hex");
  v1::EntropyStatement upper = good;
  upper.mutable_witness()->set_signature_hex(absl::AsciiStrToUpper(good.witness().signature_hex()));
  v->AddWitness(tag + "_uppercase_signature", source, upper, std::nullopt, false, "signature_hex");
  WitnessStatement round1 = fields;
  round1.round = 1;
  v1::EntropyStatement borrowed = good;
  borrowed.mutable_witness()->set_signature_hex(Signed(key, round1, id).witness().signature_hex());
  v->AddWitness(tag + "_another_statements_signature", source, borrowed, std::nullopt, false,
                "signature:");

  v1::EntropyStatement other_file_id = good;
  other_file_id.set_source_id("notary-gongshu");
  v->AddWitness(tag + "_statement_of_another_source", source, other_file_id, std::nullopt, false,
                "source_id");
  WitnessStatement renamed = fields;
  renamed.source_id = "notary-gongshu";
  v->AddWitness(tag + "_signed_as_another_source", source, Signed(key, renamed, id), std::nullopt,
                false, "statement.source_id");

  v->AddWitness(tag + "_wrong_plan", source, good,
                Binding{"PLAN-2026-HZ-008", 0, kCommitment, ""}, false, "statement.plan_id");
  v->AddWitness(tag + "_wrong_round", source, good, Binding{"PLAN-2026-HZ-007", 1, kCommitment, ""},
                false, "statement.round");
  v->AddWitness(tag + "_wrong_commitment", source, good,
                Binding{"PLAN-2026-HZ-007", 0, std::string(64, '0'), ""}, false,
                "statement.commitment");
  v->AddWitness(tag + "_signed_too_early", source, good,
                Binding{"PLAN-2026-HZ-007", 0, kCommitment, "2026-12-06T08:20:01Z"}, false,
                "statement.signed_at");

  if (!ed) {
    // r = n: out of range.
    v1::EntropyStatement high_r = good;
    high_r.mutable_witness()->set_signature_hex(
        "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123" +
        good.witness().signature_hex().substr(64));
    v->AddWitness(tag + "_r_out_of_range", source, high_r, std::nullopt, false, "signature");
  } else {
    v1::RegisteredEntropySource small_order = source;
    small_order.set_public_key_hex("01" + std::string(62, '0'));
    v->AddWitness(tag + "_small_order_key", small_order, good, std::nullopt, false,
                  "public_key_hex");
  }
}

v1::RegisteredEntropySource BeaconSource(const std::string& id, const std::string& pem) {
  const BeaconCertificate certificate = Must(BeaconCertificate::FromPem(pem), "certificate");
  v1::RegisteredEntropySource source;
  source.set_source_id(id);
  source.set_kind(v1::ENTROPY_SOURCE_KIND_BEACON);
  source.set_display_name("NIST Randomness Beacon 2.0");
  source.set_algorithm(kBeaconAlgorithmName);
  source.set_certificate_pem(pem);
  source.set_period_seconds(60);
  source.set_beacon_uri("https://beacon.nist.gov/beacon/2.0/chain/");
  source.set_rsa_modulus_hex(certificate.modulus_hex());
  source.set_rsa_exponent_hex(certificate.exponent_hex());
  return source;
}

void AddPulseCases(Vectors* v, const std::string& nist_pulse, const std::string& nist_pem) {
  const v1::RegisteredEntropySource nist = BeaconSource("nist-beacon", nist_pem);
  v->AddPulse("nist_real_pulse", nist, nist_pulse, true, "");
  std::string lower = nist_pulse;
  for (const char* field : {"localRandomValue", "signatureValue", "outputValue"}) {
    const size_t at = lower.find(absl::StrCat("\"", field, "\": \""));
    if (at == std::string::npos) Die("NIST pulse layout");
    const size_t start = lower.find('"', lower.find(':', at)) + 1;
    const size_t end = lower.find('"', start);
    for (size_t i = start; i < end; ++i) lower[i] = absl::ascii_tolower(lower[i]);
  }
  v->AddPulse("nist_lowercase_hex", nist, lower, true, "");
  const std::string edited = absl::StrReplaceAll(nist_pulse, {{"F6F8318BED4A", "F6F8318BED4B"}});
  v->AddPulse("nist_edited_local_random_value", nist, edited, false, "signatureValue");
  v->AddPulse("nist_edited_time", nist,
              absl::StrReplaceAll(nist_pulse, {{"17:44:00.000Z", "17:45:00.000Z"}}), false,
              "signatureValue");
  v->AddPulse("nist_wrong_output_value", nist,
              absl::StrReplaceAll(nist_pulse, {{"274E031530B2", "274E031530B3"}}), false,
              "outputValue");

  TestBeacon beacon = Must(TestBeacon::Create(), "test beacon");
  const v1::RegisteredEntropySource test = BeaconSource("test-beacon", beacon.certificate_pem());
  const absl::Time t0 = absl::FromCivil(absl::CivilSecond(2026, 12, 6, 8, 30, 0), absl::UTCTimeZone());
  const std::string first = Must(beacon.EmitPulse(t0), "pulse");
  const std::string second = Must(beacon.EmitPulse(t0 + absl::Minutes(1)), "pulse");
  v->AddPulse("test_beacon_first_pulse", test, first, true, "");
  v->AddPulse("test_beacon_second_pulse", test, second, true, "");
  v->AddPulse("nist_pulse_against_test_beacon_certificate", test, nist_pulse, false,
              "certificateId");
  v->AddPulse("test_beacon_pulse_against_nist_certificate", nist, second, false,
              "certificateId");
  v1::RegisteredEntropySource wrong_modulus = test;
  wrong_modulus.set_rsa_modulus_hex(nist.rsa_modulus_hex());
  v->AddPulse("registered_modulus_not_the_certificates", wrong_modulus, second, false,
              "rsa_modulus_hex");
  v->AddPulse("unknown_field", test,
              absl::StrReplaceAll(second, {{"\"period\":", "\"extra\":1,\"period\":"}}), false,
              "unknown field");
  v->AddPulse("duplicate_key", test,
              absl::StrReplaceAll(second, {{"\"period\":", "\"cipherSuite\":0,\"period\":"}}),
              false, "appears twice");
  v->AddPulse("cipher_suite_1", test,
              absl::StrReplaceAll(second, {{"\"cipherSuite\":0", "\"cipherSuite\":1"}}), false,
              "cipherSuite");
  v->AddPulse("list_values_out_of_order", test,
              absl::StrReplaceAll(second, {{"\"type\":\"hour\"", "\"type\":\"day\""}}), false,
              "listValues[1].type");
  v->AddPulse("time_not_utc", test,
              absl::StrReplaceAll(second, {{":00.000Z\"", ":00.000+00:00\""}}), false,
              "timeStamp");
}

}  // namespace
}  // namespace regulation::scheduler::entropy

int main(int argc, char** argv) {
  using namespace regulation::scheduler::entropy;  // NOLINT: a small tool
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_entropy_vectors NIST_PULSE.json NIST_CERTIFICATE.pem\n");
    return 2;
  }
  auto read = [](const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) Die(absl::StrCat("cannot read ", path));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  };
  const std::string pulse = read(argv[1]);
  const std::string pem = read(argv[2]);
  Vectors vectors;
  AddWitnessCases(&vectors, WitnessAlgorithm::kEd25519);
  AddWitnessCases(&vectors, WitnessAlgorithm::kSm2Sm3);
  AddPulseCases(&vectors, pulse, pem);
  std::fputs(vectors.Json().c_str(), stdout);
  return 0;
}
