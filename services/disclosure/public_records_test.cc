// The public side of the log through PublicRecords, over a real transparency log: records
// with their subjects and draw bundles, proofs that verify against the checkpoint
// returned with them, and a tile export that an offline verifier accepts.

#include "services/disclosure/public_records.h"

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "disclosure/log_verifier.h"
#include "disclosure/merkle.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "disclosure/transparency_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "services/seams/draw_bundles.h"
#include "services/seams/draw_bundles_client.h"
#include "services/seams/inspection_feed_client.h"
#include "services/seams/inspection_feed_service.h"
#include "services/seams/local_inspection_feed.h"
#include "services/seams/peer_channel.h"
#include "services/seams/testing/loopback_server.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

// The inspection fixture's plans and draws, but published into a real signed log.
class PublicRecordsTest : public testing::InspectionFixture {
 protected:
  PublicRecordsTest()
      : key_(*disclosure::SigningKey::Generate("regulation.test/log")),
        log_store_(storage::NewMemoryStore()),
        real_log_(*disclosure::TransparencyLog::Open(log_store_.get(), key_,
                                                     {/*origin=*/"", /*sync=*/false})),
        writer_(disclosure::WriterFor(real_log_.get())),
        queue_(*disclosure::PublicationQueue::Open(store_.get(), writer_.get())),
        desk_with_log_(store_.get(), &plans_, &board_, queue_.get(), &registry_, &clock_, {}),
        desk_in_parts_(store_.get(), &plans_, &board_, queue_.get(), &registry_, &clock_,
                       InParts()),
        records_(store_.get(), real_log_.get(), queue_.get()) {}

  // A desk that keeps every round in parts of 1 KiB.
  static DrawDesk::Options InParts() {
    DrawDesk::Options options;
    options.archive.inline_bundle_bytes = 0;
    options.archive.bundle_part_bytes = 1024;
    return options;
  }

  // Commits and draws a plan through the real log (`in_parts`: kept in parts).
  v1::Draw CommitAndDraw(bool in_parts = false) {
    DrawDesk& desk = in_parts ? desk_in_parts_ : desk_with_log_;
    v1::Plan plan = CreatePlan();
    v1::CommitPlanRequest commit;
    commit.set_plan_id(plan.plan_id());
    commit.add_entropy_sources()->set_source_id(kWitness);
    EXPECT_OK(desk.Commit(testing::Agency(), commit));
    WaitForEntropy();
    v1::DrawPlanRequest draw;
    draw.set_plan_id(plan.plan_id());
    *draw.add_statements() = Statement(plan, 0, "07 12 19 23 31 + 05", witness_);
    absl::StatusOr<v1::Draw> result = desk.Draw(testing::Agency(), draw);
    EXPECT_OK(result);
    return *result;
  }

  disclosure::SigningKey key_;
  std::unique_ptr<storage::KvStore> log_store_;
  std::unique_ptr<disclosure::TransparencyLog> real_log_;
  std::unique_ptr<disclosure::LogWriter> writer_;
  std::unique_ptr<disclosure::PublicationQueue> queue_;
  DrawDesk desk_with_log_;
  DrawDesk desk_in_parts_;
  PublicRecords records_;
};

TEST_F(PublicRecordsTest, ADrawInPartsComesWithItsPartCountAndEachPartIsServed) {
  const v1::Draw d = CommitAndDraw(/*in_parts=*/true);
  ASSERT_GT(d.bundle_parts_size(), 2);
  absl::StatusOr<v1::PublicRecord> record = records_.Get(1);
  ASSERT_OK(record);
  EXPECT_TRUE(record->attachment().empty());
  EXPECT_EQ(record->attachment_parts(), d.bundle_parts_size());
  EXPECT_THAT(record->body_json(), HasSubstr(d.bundle_parts(1).sha256()));

  std::string joined;
  v1::GetPublicAttachmentPartRequest request;
  request.set_log_index(1);
  for (int i = 0; i < d.bundle_parts_size(); ++i) {
    request.set_part(i);
    absl::StatusOr<v1::PublicAttachmentPart> part = records_.AttachmentPart(request);
    ASSERT_OK(part);
    EXPECT_EQ(Sha256Hex(part->data()), d.bundle_parts(i).sha256());
    joined += part->data();
  }
  EXPECT_EQ(Sha256Hex(joined), d.bundle_digest());

  request.set_part(d.bundle_parts_size());
  EXPECT_THAT(records_.AttachmentPart(request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("part:")));
  request.set_log_index(0);  // the commitment
  request.set_part(0);
  EXPECT_THAT(records_.AttachmentPart(request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no draw published in parts")));
  request.set_log_index(2);
  EXPECT_THAT(records_.AttachmentPart(request), StatusIs(absl::StatusCode::kNotFound));
}

// disclosured: the log in its own store, the rounds and bundles asked of the inspection
// service over gRPC. The records and every part are those read in one process.
TEST_F(PublicRecordsTest, DrawRecordsReadFromTheInspectionServiceAreTheOneProcessRecords) {
  const v1::Draw whole = CommitAndDraw();
  const v1::Draw in_parts = CommitAndDraw(/*in_parts=*/true);
  ASSERT_GT(in_parts.bundle_parts_size(), 2);
  LocalInspectionFeed feed(&plans_, &board_);
  LocalDrawBundles bundles(store_.get());
  InspectionFeedServiceImpl service(&feed, &bundles);
  testing::LoopbackServer server({&service});
  ASSERT_TRUE(server.up());
  GrpcDrawBundles remote(*server.Channel(InspectionFeedServiceConfig()), absl::Seconds(5));
  PublicRecords apart(store_.get(), real_log_.get(), queue_.get(), &remote);

  for (int64_t index = 0; index < static_cast<int64_t>(real_log_->size()); ++index) {
    ASSERT_OK_AND_ASSIGN(v1::PublicRecord here, records_.Get(index));
    ASSERT_OK_AND_ASSIGN(v1::PublicRecord there, apart.Get(index));
    EXPECT_EQ(there.SerializeAsString(), here.SerializeAsString()) << index;
  }
  ASSERT_OK_AND_ASSIGN(v1::PublicRecord first_draw, apart.Get(1));
  EXPECT_EQ(Sha256Hex(first_draw.attachment()), whole.bundle_digest());
  v1::GetPublicAttachmentPartRequest request;
  request.set_log_index(3);  // the second plan's draw, in parts
  for (int i = 0; i < in_parts.bundle_parts_size(); ++i) {
    request.set_part(i);
    ASSERT_OK_AND_ASSIGN(v1::PublicAttachmentPart part, apart.AttachmentPart(request));
    EXPECT_EQ(Sha256Hex(part.data()), in_parts.bundle_parts(i).sha256());
  }
  request.set_part(in_parts.bundle_parts_size());
  EXPECT_THAT(apart.AttachmentPart(request), StatusIs(absl::StatusCode::kInvalidArgument));

  // The inspection service down: a draw record cannot be served, and says why.
  server.Stop();
  EXPECT_THAT(apart.Get(1), StatusIs(absl::StatusCode::kUnavailable,
                                     HasSubstr("inspection service")));
}

TEST_F(PublicRecordsTest, RecordsComeWithKindSubjectAndTheDrawBundle) {
  const v1::Draw first = CommitAndDraw();
  const v1::Draw second = CommitAndDraw();
  ASSERT_EQ(real_log_->size(), 4u);
  absl::StatusOr<v1::PublicRecord> draw = records_.Get(1);
  ASSERT_OK(draw);
  EXPECT_EQ(draw->kind(), v1::PUBLIC_RECORD_KIND_DRAW);
  EXPECT_EQ(draw->subject(), first.plan_id());
  EXPECT_EQ(draw->attachment(), first.bundle_json());
  EXPECT_THAT(draw->body_json(), HasSubstr(first.bundle_digest()));
  EXPECT_TRUE(draw->has_publish_time());
  // The leaf is the log's entry, and commits to the body and salt served beside it.
  EXPECT_EQ(draw->leaf(), *real_log_->Entry(1));
  absl::StatusOr<disclosure::PublicLeaf> leaf = disclosure::ParsePublicLeaf(draw->leaf());
  ASSERT_OK(leaf);
  EXPECT_EQ(leaf->key, absl::StrCat("draw/", first.plan_id(), "/0"));
  EXPECT_OK(disclosure::CheckBody(*leaf, draw->body_json(), draw->salt()));
  EXPECT_THAT(draw->leaf(), Not(HasSubstr(first.bundle_digest())));
  EXPECT_THAT(records_.Get(4), StatusIs(absl::StatusCode::kNotFound));

  v1::ListPublicRecordsRequest by_plan;
  by_plan.set_subject(second.plan_id());
  absl::StatusOr<v1::ListPublicRecordsResponse> list = records_.List(by_plan);
  ASSERT_OK(list);
  ASSERT_EQ(list->records_size(), 2);
  EXPECT_EQ(list->records(0).log_index(), 2);
  EXPECT_EQ(list->records(0).kind(), v1::PUBLIC_RECORD_KIND_COMMITMENT);

  v1::ListPublicRecordsRequest paged;
  paged.set_page_size(3);
  paged.set_from_index(1);
  list = records_.List(paged);
  ASSERT_EQ(list->records_size(), 3);
  paged.set_page_size(2);
  list = records_.List(paged);
  ASSERT_EQ(list->records_size(), 2);
  paged.set_page_token(list->next_page_token());
  list = records_.List(paged);
  ASSERT_EQ(list->records_size(), 1);
  EXPECT_EQ(list->records(0).log_index(), 3);
  EXPECT_TRUE(list->next_page_token().empty());
}

TEST_F(PublicRecordsTest, AnInclusionProofVerifiesAgainstTheCheckpointReturnedWithIt) {
  CommitAndDraw();
  CommitAndDraw();
  v1::GetInclusionProofRequest request;
  request.set_leaf_index(2);
  absl::StatusOr<v1::GetInclusionProofResponse> proof = records_.InclusionProof(request);
  ASSERT_OK(proof);
  EXPECT_EQ(proof->checkpoint().tree_size(), 4);
  EXPECT_EQ(proof->checkpoint().verifier_key(), key_.VerifierKey());
  const std::string leaf = records_.Get(2)->leaf();
  std::vector<std::string> hashes(proof->proof().hashes().begin(), proof->proof().hashes().end());
  EXPECT_OK(disclosure::VerifyInclusion(2, 4, disclosure::LeafHash(leaf), hashes,
                                        proof->checkpoint().root_hash()));
  request.set_leaf_index(4);
  EXPECT_THAT(records_.InclusionProof(request), StatusIs(absl::StatusCode::kInvalidArgument));
}

// A body that no longer matches its leaf (a corrupted or altered store) is never served.
TEST_F(PublicRecordsTest, ABodyThatDoesNotMatchItsLeafIsDataLoss) {
  const v1::Draw draw = CommitAndDraw();
  const std::string key = absl::StrCat("commitment/", draw.plan_id());
  absl::StatusOr<disclosure::StoredBody> stored = disclosure::ReadPublicBody(store_.get(), key);
  ASSERT_OK(stored);
  std::string altered = stored->body;
  altered.replace(altered.find("notary-hz"), 9, "forged-hz");  // the named source
  storage::WriteBatch batch;
  disclosure::StagePublicBody(key, altered, stored->salt, &batch);
  ASSERT_OK(store_->Write(batch));
  absl::StatusOr<v1::PublicRecord> record = records_.Get(0);
  EXPECT_THAT(record,
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not hash to the digest")));
}

TEST_F(PublicRecordsTest, TheExportedTilesVerifyOffline) {
  CommitAndDraw();
  const ::regulation::testing::TempDir temp("public_records_test");
  const std::string dir = temp.Path("tiles");
  auto write_all = [&](int64_t from) {
    return records_.ExportFiles(from, [&](const v1::LogFile& file) {
      const std::filesystem::path path = std::filesystem::path(dir) / file.path();
      std::filesystem::create_directories(path.parent_path());
      std::ofstream(path, std::ios::binary) << file.content();
      return true;
    });
  };
  ASSERT_OK(write_all(0));
  CommitAndDraw();
  ASSERT_OK(write_all(2));  // incremental: only what changed
  absl::StatusOr<disclosure::NoteVerifier> verifier =
      disclosure::NoteVerifier::Parse(key_.VerifierKey());
  ASSERT_OK(verifier);
  absl::StatusOr<disclosure::VerifiedLog> verified =
      disclosure::VerifyLogDirectory(dir, *verifier, nullptr);
  ASSERT_OK(verified);
  EXPECT_EQ(verified->entries, 4u);
}

}  // namespace
}  // namespace regulation::services
