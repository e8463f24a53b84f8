#include "services/portrait/event_encoding.h"

#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"

namespace regulation::services {
namespace {

using google::protobuf::FieldDescriptor;

// What the encoder must produce, the slow and obvious way.
std::string ReferenceContent(const v1::Event& event) {
  v1::Event copy = event;
  copy.DiscardUnknownFields();
  copy.clear_ingest_time();
  std::string bytes;
  google::protobuf::io::StringOutputStream output(&bytes);
  google::protobuf::io::CodedOutputStream coded(&output);
  coded.SetSerializationDeterministic(true);
  copy.SerializeToCodedStream(&coded);
  return bytes;
}

std::string ReferenceStored(const v1::Event& event, const google::protobuf::Timestamp& time) {
  v1::Event copy = event;
  copy.DiscardUnknownFields();
  *copy.mutable_ingest_time() = time;
  return copy.SerializeAsString();
}

v1::Event BaseEvent() {
  v1::Event event;
  event.set_event_id("evt-1");
  event.set_source_department("samr");
  event.set_credit_code("91330106MA27XYZ123");
  event.mutable_occur_time()->set_seconds(1700000000);
  event.mutable_occur_time()->set_nanos(5000);
  return event;
}

// One event per payload kind the schema has (the one numbered above ingest_time
// included), each with a field of the payload set, and one without a payload.
std::vector<v1::Event> EveryPayload() {
  std::vector<v1::Event> events = {BaseEvent()};
  const google::protobuf::OneofDescriptor* payload =
      v1::Event::descriptor()->FindOneofByName("payload");
  for (int i = 0; i < payload->field_count(); ++i) {
    v1::Event event = BaseEvent();
    google::protobuf::Message* body =
        event.GetReflection()->MutableMessage(&event, payload->field(i));
    const google::protobuf::Descriptor* type = body->GetDescriptor();
    for (int f = 0; f < type->field_count(); ++f) {
      const FieldDescriptor* field = type->field(f);
      if (field->is_repeated()) continue;
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        body->GetReflection()->SetString(body, field, "文本");
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_INT64) {
        body->GetReflection()->SetInt64(body, field, 123456789);
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL) {
        body->GetReflection()->SetBool(body, field, true);
      }
    }
    events.push_back(event);
  }
  return events;
}

class EventEncoderTest : public ::testing::Test {
 protected:
  EventEncoderTest() : encoder_(IngestTime()) {}
  static google::protobuf::Timestamp IngestTime() {
    google::protobuf::Timestamp time;
    time.set_seconds(1765000000);
    time.set_nanos(123000);
    return time;
  }
  void ExpectAsReference(const v1::Event& event) {
    std::string content = "left over", stored = "from before";
    encoder_.Encode(event, &content, &stored);
    EXPECT_EQ(content, ReferenceContent(event)) << event.ShortDebugString();
    EXPECT_EQ(stored, ReferenceStored(event, IngestTime())) << event.ShortDebugString();
    v1::Event parsed;
    ASSERT_TRUE(parsed.ParseFromString(stored));
    EXPECT_EQ(parsed.ingest_time().nanos(), 123000);
  }
  EventEncoder encoder_;
};

TEST_F(EventEncoderTest, EveryPayloadKindEncodesAsSerializingTheEventWould) {
  const std::vector<v1::Event> events = EveryPayload();
  ASSERT_GT(events.size(), 10u);
  for (const v1::Event& event : events) ExpectAsReference(event);
}

TEST_F(EventEncoderTest, AClientsIngestTimeIsNeitherContentNorKept) {
  for (v1::Event event : EveryPayload()) {
    event.mutable_ingest_time()->set_seconds(42);
    ExpectAsReference(event);
    std::string content, stored;
    encoder_.Encode(event, &content, &stored);
    v1::Event without = event;
    without.clear_ingest_time();
    std::string content_without, stored_without;
    encoder_.Encode(without, &content_without, &stored_without);
    EXPECT_EQ(content, content_without);
    EXPECT_EQ(stored, stored_without);
  }
}

TEST_F(EventEncoderTest, UnknownFieldsAreNeitherContentNorStored) {
  for (v1::Event event : EveryPayload()) {
    const std::string known_content = ReferenceContent(event);
    event.GetReflection()->MutableUnknownFields(&event)->AddVarint(9999, 1);
    event.GetReflection()
        ->MutableUnknownFields(event.mutable_occur_time())
        ->AddLengthDelimited(88, "extra");
    ExpectAsReference(event);
    std::string content, stored;
    encoder_.Encode(event, &content, &stored);
    EXPECT_EQ(content, known_content);
    v1::Event parsed;
    ASSERT_TRUE(parsed.ParseFromString(stored));
    EXPECT_TRUE(parsed.GetReflection()->GetUnknownFields(parsed).empty());
    EXPECT_TRUE(
        parsed.occur_time().GetReflection()->GetUnknownFields(parsed.occur_time()).empty());
  }
}

}  // namespace
}  // namespace regulation::services
