// The entropy source registry: what an admin may register (checked keys and
// certificates), retirement, idempotency, and the public records of both.

#include "services/inspection/entropy_registry.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scheduler/entropy/test_beacon.h"
#include "scheduler/entropy/witness_key.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using testing::Admin;
using ::testing::HasSubstr;

class EntropyRegistryTest : public testing::InspectionFixture {
 protected:
  static v1::RegisterEntropySourceRequest Witness(const std::string& id,
                                                  const scheduler::entropy::WitnessKey& key) {
    v1::RegisterEntropySourceRequest r;
    v1::RegisteredEntropySource* s = r.mutable_source();
    s->set_source_id(id);
    s->set_kind(v1::ENTROPY_SOURCE_KIND_WITNESS);
    s->set_display_name("拱墅区公证处");
    s->set_department("notary-gs");
    s->set_algorithm(std::string(scheduler::entropy::WitnessAlgorithmName(key.algorithm())));
    s->set_public_key_hex(key.public_key().hex());
    return r;
  }

  absl::Status Register(const v1::RegisterEntropySourceRequest& r) {
    return registry_.Register(Admin(), r).status();
  }
};

void ExpectInvalid(const absl::Status& status, absl::string_view field) {
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(status.message()), HasSubstr(field)) << status;
}

TEST_F(EntropyRegistryTest, RegistersEd25519AndSm2WitnessesAndLogsEach) {
  const size_t logged = log_.entries().size();
  const scheduler::entropy::WitnessKey sm2 = *scheduler::entropy::WitnessKey::FromPrivateBytes(
      scheduler::entropy::WitnessAlgorithm::kSm2Sm3, std::string(32, '\x11'));
  absl::StatusOr<v1::RegisteredEntropySource> stored =
      registry_.Register(Admin(), Witness("notary-sm2", sm2));
  ASSERT_OK(stored);
  EXPECT_EQ(stored->algorithm(), "sm2-sm3");
  EXPECT_TRUE(stored->has_register_time());
  EXPECT_TRUE(stored->logged());
  ASSERT_EQ(log_.entries().size(), logged + 1);
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr("\"kind\":\"ENTROPY_SOURCE\""));
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr("\"key\":\"entropy-source/notary-sm2\""));
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr(sm2.public_key().hex()));
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr("\"event\":\"REGISTERED\""));
  ASSERT_OK(Register(Witness("notary-ed", WitnessKeyFromSeed('\x12'))));

  absl::StatusOr<v1::ListEntropySourcesResponse> list = registry_.List({});
  ASSERT_OK(list);
  ASSERT_EQ(list->sources_size(), 3);  // with the fixture's notary-hz, by id
  EXPECT_EQ(list->sources(0).source_id(), "notary-ed");
  EXPECT_EQ(list->sources(2).source_id(), "notary-sm2");
}

TEST_F(EntropyRegistryTest, RefusesWhatCannotBeChecked) {
  const scheduler::entropy::WitnessKey key = WitnessKeyFromSeed('\x13');
  v1::RegisterEntropySourceRequest r = Witness("bad id!", key);
  ExpectInvalid(Register(r), "source.source_id");
  r = Witness("w1", key);
  r.mutable_source()->set_public_key_hex(key.public_key().hex().substr(2));
  ExpectInvalid(Register(r), "source.public_key_hex");
  r = Witness("w1", key);
  r.mutable_source()->set_algorithm("sm2-sm3");  // an Ed25519 key is no SM2 point
  ExpectInvalid(Register(r), "source.public_key_hex");
  r = Witness("w1", key);
  r.mutable_source()->set_public_key_hex("04" + std::string(128, '1'));
  r.mutable_source()->set_algorithm("sm2-sm3");  // not on the curve
  ExpectInvalid(Register(r), "source.public_key_hex");
  r = Witness("w1", key);
  r.mutable_source()->set_algorithm("rsa");
  ExpectInvalid(Register(r), "source.algorithm");
  r = Witness("w1", key);
  r.mutable_source()->clear_department();
  ExpectInvalid(Register(r), "source.department");
  r = Witness("w1", key);
  r.mutable_source()->set_display_name("line\nbreak");
  ExpectInvalid(Register(r), "source.display_name");
  r = Witness("w1", key);
  r.mutable_source()->set_kind(v1::ENTROPY_SOURCE_KIND_UNSPECIFIED);
  ExpectInvalid(Register(r), "source.kind");
  r = Witness("w1", key);
  r.mutable_source()->set_certificate_pem("-----BEGIN CERTIFICATE-----");
  ExpectInvalid(Register(r), "source.certificate_pem");

  v1::RegisterEntropySourceRequest lottery;
  lottery.mutable_source()->set_source_id("lottery");
  lottery.mutable_source()->set_kind(v1::ENTROPY_SOURCE_KIND_UNCHECKED);
  lottery.mutable_source()->set_display_name("福彩 3D");
  ExpectInvalid(Register(lottery), "source.description");
  lottery.mutable_source()->set_description("televised, 20:30, CCTV");
  EXPECT_OK(Register(lottery));
}

TEST_F(EntropyRegistryTest, ABeaconIsPinnedToItsCertificatesRsaKey) {
  scheduler::entropy::TestBeacon beacon = *scheduler::entropy::TestBeacon::Create();
  v1::RegisterEntropySourceRequest r;
  v1::RegisteredEntropySource* s = r.mutable_source();
  s->set_source_id("test-beacon");
  s->set_kind(v1::ENTROPY_SOURCE_KIND_BEACON);
  s->set_display_name("test beacon");
  s->set_algorithm("rsa-pkcs1-sha512");
  s->set_certificate_pem(beacon.certificate_pem());
  s->set_period_seconds(60);
  absl::StatusOr<v1::RegisteredEntropySource> stored = registry_.Register(Admin(), r);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->rsa_modulus_hex(), beacon.certificate().modulus_hex());
  EXPECT_EQ(stored->rsa_exponent_hex(), "010001");

  s->set_source_id("beacon-2");
  s->set_period_seconds(0);
  ExpectInvalid(Register(r), "source.period_seconds");
  s->set_period_seconds(60);
  s->set_rsa_modulus_hex("00ff");
  ExpectInvalid(Register(r), "source.rsa_modulus_hex");
  s->clear_rsa_modulus_hex();
  s->set_certificate_pem("not a certificate");
  ExpectInvalid(Register(r), "source.certificate_pem");
}

TEST_F(EntropyRegistryTest, IdsAreNeverReusedAndRetriesGetTheFirstAnswer) {
  v1::RegisterEntropySourceRequest r = Witness("w2", WitnessKeyFromSeed('\x14'));
  r.set_request_id("reg-1");
  absl::StatusOr<v1::RegisteredEntropySource> first = registry_.Register(Admin(), r);
  ASSERT_OK(first);
  const size_t logged = log_.entries().size();
  absl::StatusOr<v1::RegisteredEntropySource> again = registry_.Register(Admin(), r);
  ASSERT_OK(again);
  EXPECT_EQ(again->register_time().seconds(), first->register_time().seconds());
  r.clear_request_id();  // the same content without an id: the stored source
  EXPECT_OK(registry_.Register(Admin(), r));
  EXPECT_EQ(log_.entries().size(), logged);
  // Another key under the same id: refused (a new key is a new source).
  v1::RegisterEntropySourceRequest other = Witness("w2", WitnessKeyFromSeed('\x15'));
  const absl::Status status = Register(other);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("never reused")));
}

TEST_F(EntropyRegistryTest, ARetiredSourceIsLoggedAndStaysListed) {
  v1::RetireEntropySourceRequest r;
  r.set_source_id(kWitness);
  ExpectInvalid(registry_.Retire(Admin(), r).status(), "reason");
  r.set_reason("私钥遗失");
  r.set_request_id("retire-1");
  absl::StatusOr<v1::RegisteredEntropySource> retired = registry_.Retire(Admin(), r);
  ASSERT_OK(retired);
  EXPECT_TRUE(retired->has_retire_time());
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr("\"key\":\"entropy-source/notary-hz/retired\""));
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr("私钥遗失"));
  EXPECT_OK(registry_.Retire(Admin(), r));  // a retry: the same answer
  r.set_request_id("retire-2");
  EXPECT_THAT(registry_.Retire(Admin(), r), StatusIs(absl::StatusCode::kFailedPrecondition));
  r.set_source_id("nobody");
  EXPECT_THAT(registry_.Retire(Admin(), r), StatusIs(absl::StatusCode::kNotFound));
  absl::StatusOr<v1::ListEntropySourcesResponse> list = registry_.List({});
  ASSERT_EQ(list->sources_size(), 1);
  EXPECT_TRUE(list->sources(0).has_retire_time());
}

}  // namespace
}  // namespace regulation::services
