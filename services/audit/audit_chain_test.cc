#include "services/audit/audit_chain.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::audit {
namespace {

using ::regulation::testing::StatusIs;

// A valid chain of `n` records, 1..n.
std::vector<v1::AuditRecord> MakeChain(int n) {
  std::vector<v1::AuditRecord> chain;
  std::string previous = GenesisHash();
  for (int i = 1; i <= n; ++i) {
    v1::AuditRecord r;
    r.set_sequence(i);
    r.mutable_time()->set_seconds(1700000000 + i);
    r.set_caller_subject(absl::StrCat("agency-", i % 3));
    r.add_caller_roles("agency");
    r.set_method("/regulation.v1.PortraitService/UpsertEnterprise");
    r.set_request_digest(Sha256(absl::StrCat("request ", i)));
    r.set_request_count(1);
    r.set_previous_hash(previous);
    r.set_record_hash(ComputeRecordHash(r));
    previous = r.record_hash();
    chain.push_back(r);
  }
  return chain;
}

absl::Status VerifyAll(const std::vector<v1::AuditRecord>& records, AuditChainVerifier* verifier) {
  for (const v1::AuditRecord& r : records) {
    absl::Status status = verifier->Add(r);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

std::string Hex(absl::string_view bytes) { return absl::BytesToHexString(bytes); }

TEST(ComputeRecordHash, IsSha256OfPreviousHashAndDeterministicSerialization) {
  v1::AuditRecord r = MakeChain(1)[0];
  v1::AuditRecord cleared = r;
  cleared.clear_record_hash();
  // No maps, so ordinary serialization is the deterministic one here.
  EXPECT_EQ(ComputeRecordHash(r), Sha256(r.previous_hash() + cleared.SerializeAsString()));
  EXPECT_EQ(ComputeRecordHash(r).size(), kAuditHashSize);
}

TEST(ComputeRecordHash, IgnoresTheRecordHashItCarries) {
  v1::AuditRecord r = MakeChain(1)[0];
  const std::string hash = ComputeRecordHash(r);
  r.set_record_hash("anything");
  EXPECT_EQ(ComputeRecordHash(r), hash);
  r.clear_record_hash();
  EXPECT_EQ(ComputeRecordHash(r), hash);
}

TEST(ComputeRecordHash, CoversEveryField) {
  const v1::AuditRecord base = MakeChain(1)[0];
  const std::string hash = ComputeRecordHash(base);
  std::vector<v1::AuditRecord> changed(8, base);
  changed[0].set_sequence(2);
  changed[1].mutable_time()->set_nanos(1);
  changed[2].set_caller_subject("someone else");
  changed[3].add_caller_roles("admin");
  changed[4].set_method("/regulation.v1.PortraitService/BatchUpsertEnterprises");
  changed[5].set_status_code(7);
  changed[6].set_status_message("denied");
  changed[7].set_previous_hash(std::string(32, '\x01'));
  for (size_t i = 0; i < changed.size(); ++i) {
    EXPECT_NE(ComputeRecordHash(changed[i]), hash) << "change " << i;
  }
}

TEST(FormatChainHead, IsSequenceColonLowercaseHex) {
  EXPECT_EQ(FormatChainHead(17, std::string("\x01\xab", 2)), "17:01ab");
}

TEST(AuditChainVerifier, EmptyChainHeadIsGenesis) {
  AuditChainVerifier verifier;
  EXPECT_EQ(verifier.head_sequence(), 0u);
  EXPECT_EQ(verifier.head_hash(), GenesisHash());
  EXPECT_EQ(GenesisHash(), std::string(32, '\0'));
  EXPECT_OK(verifier.CheckHead(0, std::string(64, '0')));
}

TEST(AuditChainVerifier, AcceptsAValidChain) {
  const std::vector<v1::AuditRecord> chain = MakeChain(20);
  AuditChainVerifier verifier;
  ASSERT_OK(VerifyAll(chain, &verifier));
  EXPECT_EQ(verifier.head_sequence(), 20u);
  EXPECT_EQ(verifier.head_hash(), chain.back().record_hash());
}

TEST(AuditChainVerifier, AlteredRecordIsNamed) {
  std::vector<v1::AuditRecord> chain = MakeChain(20);
  chain[16].set_caller_subject("nobody");  // record 17
  AuditChainVerifier verifier;
  const absl::Status status = VerifyAll(chain, &verifier);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(status.message(), "record 17: hash does not match its content (altered)");
  EXPECT_EQ(verifier.head_sequence(), 16u);
}

TEST(AuditChainVerifier, RemovedRecordIsReportedAsAGap) {
  std::vector<v1::AuditRecord> chain = MakeChain(20);
  chain.erase(chain.begin() + 15);  // record 16
  AuditChainVerifier verifier;
  const absl::Status status = VerifyAll(chain, &verifier);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(status.message(), "record 17 follows 15: record 16 is missing");
}

TEST(AuditChainVerifier, SeveralRemovedRecordsAreReportedAsARange) {
  std::vector<v1::AuditRecord> chain = MakeChain(20);
  chain.erase(chain.begin() + 3, chain.begin() + 6);  // records 4, 5, 6
  AuditChainVerifier verifier;
  EXPECT_EQ(VerifyAll(chain, &verifier).message(),
            "record 7 follows 3: records 4 to 6 are missing");
}

TEST(AuditChainVerifier, MissingFirstRecordIsReported) {
  std::vector<v1::AuditRecord> chain = MakeChain(3);
  chain.erase(chain.begin());
  AuditChainVerifier verifier;
  EXPECT_EQ(VerifyAll(chain, &verifier).message(), "record 2 follows 0: record 1 is missing");
}

TEST(AuditChainVerifier, AlteredAndRehashedRecordBreaksTheNextLink) {
  std::vector<v1::AuditRecord> chain = MakeChain(12);
  v1::AuditRecord& eight = chain[7];
  eight.set_status_code(0);
  eight.set_caller_subject("covered up");
  eight.set_record_hash(ComputeRecordHash(eight));
  AuditChainVerifier verifier;
  const absl::Status status = VerifyAll(chain, &verifier);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(status.message(), "record 9: previous_hash does not match record 8");
}

TEST(AuditChainVerifier, FirstRecordMustStartFromZeros) {
  std::vector<v1::AuditRecord> chain = MakeChain(1);
  chain[0].set_previous_hash(std::string(32, '\x07'));
  chain[0].set_record_hash(ComputeRecordHash(chain[0]));
  AuditChainVerifier verifier;
  const absl::Status status = verifier.Add(chain[0]);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(status.message(),
            "record 1: previous_hash is not the start of the chain (32 zero bytes)");
}

TEST(AuditChainVerifier, RepeatedOrReorderedRecordIsReported) {
  std::vector<v1::AuditRecord> chain = MakeChain(5);
  AuditChainVerifier verifier;
  ASSERT_OK(verifier.Add(chain[0]));
  ASSERT_OK(verifier.Add(chain[1]));
  const absl::Status status = verifier.Add(chain[1]);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(status.message(),
            "record 2 follows 2: sequence does not increase (duplicated or reordered)");
}

TEST(AuditChainVerifier, FailureIsSticky) {
  std::vector<v1::AuditRecord> chain = MakeChain(5);
  AuditChainVerifier verifier;
  ASSERT_OK(verifier.Add(chain[0]));
  const absl::Status first = verifier.Add(chain[2]);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(verifier.Add(chain[1]), first);
  EXPECT_EQ(verifier.head_sequence(), 1u);
}

TEST(AuditChainVerifier, CheckHeadAcceptsAnyEarlierHeadInEitherCase) {
  const std::vector<v1::AuditRecord> chain = MakeChain(10);
  AuditChainVerifier verifier;
  ASSERT_OK(VerifyAll(chain, &verifier));
  EXPECT_OK(verifier.CheckHead(4, Hex(chain[3].record_hash())));
  EXPECT_OK(verifier.CheckHead(10, absl::AsciiStrToUpper(Hex(chain[9].record_hash()))));
  EXPECT_OK(verifier.CheckHead(0, std::string(64, '0')));
}

TEST(AuditChainVerifier, CheckHeadDetectsARewrittenChain) {
  const std::vector<v1::AuditRecord> original = MakeChain(10);
  // The same length, but rewritten from record 6 on.
  std::vector<v1::AuditRecord> rewritten(original.begin(), original.begin() + 5);
  std::string previous = rewritten.back().record_hash();
  for (int i = 6; i <= 10; ++i) {
    v1::AuditRecord r = original[i - 1];
    r.set_caller_subject("someone else");
    r.set_previous_hash(previous);
    r.set_record_hash(ComputeRecordHash(r));
    previous = r.record_hash();
    rewritten.push_back(r);
  }
  AuditChainVerifier verifier;
  ASSERT_OK(VerifyAll(rewritten, &verifier));  // consistent in itself
  EXPECT_OK(verifier.CheckHead(5, Hex(original[4].record_hash())));
  const absl::Status status = verifier.CheckHead(8, Hex(original[7].record_hash()));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(status.message(),
            absl::StrCat("record 8 has hash ", Hex(rewritten[7].record_hash()),
                         " but the expected head says ", Hex(original[7].record_hash()),
                         ": the chain was rewritten"));
}

TEST(AuditChainVerifier, CheckHeadDetectsATruncatedChain) {
  const std::vector<v1::AuditRecord> chain = MakeChain(10);
  AuditChainVerifier verifier;
  ASSERT_OK(VerifyAll({chain.begin(), chain.begin() + 7}, &verifier));
  const absl::Status status = verifier.CheckHead(10, Hex(chain[9].record_hash()));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(status.message(),
            "the chain ends at record 7 but the expected head is record 10: records were removed "
            "from the end");
}

TEST(AuditChainVerifier, CheckHeadRejectsMalformedHex) {
  AuditChainVerifier verifier;
  EXPECT_THAT(verifier.CheckHead(0, "abc"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(verifier.CheckHead(0, std::string(64, 'g')),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::audit
