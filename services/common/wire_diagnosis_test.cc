#include "services/common/wire_diagnosis.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/portrait_service.pb.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

// Two well-formed events, the second with a legal basis whose bytes we then corrupt.
std::string TwoEvents(const std::string& legal_basis) {
  v1::IngestEventsRequest request;
  request.add_events()->set_event_id("e-1");
  v1::Event* second = request.add_events();
  second->set_event_id("e-2");
  second->mutable_administrative_penalty()->set_legal_basis(legal_basis);
  request.set_batch_number(7);
  return request.SerializeAsString();
}

TEST(ParseWithDiagnosis, WellFormedBytesParse) {
  v1::IngestEventsRequest parsed;
  ASSERT_OK(ParseWithDiagnosis(TwoEvents("Art. 5"), &parsed, "request"));
  EXPECT_EQ(parsed.events(1).administrative_penalty().legal_basis(), "Art. 5");
}

TEST(ParseWithDiagnosis, InvalidUtf8IsNamedByItsPath) {
  std::string bytes = TwoEvents("Art. XY");
  bytes.replace(bytes.find("XY"), 2, "\xC3\x28");  // a lead byte without its continuation
  v1::IngestEventsRequest parsed;
  const absl::Status status = ParseWithDiagnosis(bytes, &parsed, "request");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(status.message(), "events[1].administrative_penalty.legal_basis: is not valid UTF-8");
  EXPECT_EQ(parsed.events_size(), 0);  // nothing half-parsed is left behind
}

TEST(ParseWithDiagnosis, TruncatedMessageIsMalformedAtItsByte) {
  std::string bytes = TwoEvents("Art. 5");
  bytes.resize(bytes.size() - 6);  // cuts into the second event
  v1::IngestEventsRequest parsed;
  const absl::Status status = ParseWithDiagnosis(bytes, &parsed, "request");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("request: malformed protocol buffer at byte ")));
  EXPECT_THAT(status.message(), HasSubstr("runs past the end of the message"));
}

TEST(ParseWithDiagnosis, DeeplyNestedUnknownGroupsAreNamed) {
  std::string bytes;
  for (int i = 0; i < 5000; ++i) bytes += "\xBB\x3E";  // start group, field 999
  v1::IngestEventsRequest parsed;
  const absl::Status status = ParseWithDiagnosis(bytes, &parsed, "request");
  EXPECT_THAT(
      status,
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("request: nests messages or groups deeper than 100 levels (field number "
                         "999 at byte 201)")));
}

TEST(ParseWithDiagnosis, ShallowUnknownGroupsAndFieldsAreAccepted) {
  std::string bytes = TwoEvents("Art. 5");
  for (int i = 0; i < 50; ++i) bytes += "\xBB\x3E";
  for (int i = 0; i < 50; ++i) bytes += "\xBC\x3E";  // end group, field 999
  v1::IngestEventsRequest parsed;
  EXPECT_OK(ParseWithDiagnosis(bytes, &parsed, "request"));
}

TEST(DiagnoseWireFormat, OtherMalformations) {
  const google::protobuf::Descriptor* type = v1::IngestEventsRequest::descriptor();
  EXPECT_THAT(DiagnoseWireFormat("\x0F", type, "request").message(),
              HasSubstr("wire type 7 does not exist"));
  EXPECT_THAT(DiagnoseWireFormat("\x10\xFF\xFF", type, "request").message(),
              HasSubstr("a varint is cut off"));
  EXPECT_THAT(DiagnoseWireFormat("\xBC\x3E", type, "request").message(),
              HasSubstr("closes no open group"));
  EXPECT_THAT(DiagnoseWireFormat("\xBB\x3E", type, "request").message(),
              HasSubstr("is never closed"));
  EXPECT_THAT(DiagnoseWireFormat(std::string("\x00", 1), type, "request").message(),
              HasSubstr("field number 0 is not allowed"));
}

}  // namespace
}  // namespace regulation::services
