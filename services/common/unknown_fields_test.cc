#include "services/common/unknown_fields.h"

#include "gtest/gtest.h"
#include "regulation/v1/event.pb.h"
#include "regulation/v1/portrait_service.pb.h"

namespace regulation::services {
namespace {

TEST(HasUnknownFields, FindsThemAtAnyDepthAndOnlyThere) {
  v1::Event event;
  event.set_event_id("e-1");
  event.mutable_occur_time()->set_seconds(1700000000);
  event.mutable_administrative_penalty()->set_amount_yuan(5000);
  EXPECT_FALSE(HasUnknownFields(event));

  v1::Event top = event;
  top.GetReflection()->MutableUnknownFields(&top)->AddVarint(9999, 1);
  EXPECT_TRUE(HasUnknownFields(top));

  v1::Event in_payload = event;
  in_payload.GetReflection()
      ->MutableUnknownFields(in_payload.mutable_administrative_penalty())
      ->AddVarint(9999, 1);
  EXPECT_TRUE(HasUnknownFields(in_payload));

  v1::Event in_timestamp = event;
  in_timestamp.GetReflection()
      ->MutableUnknownFields(in_timestamp.mutable_occur_time())
      ->AddLengthDelimited(77, "x");
  EXPECT_TRUE(HasUnknownFields(in_timestamp));

  // What discarding leaves has none.
  in_payload.DiscardUnknownFields();
  EXPECT_FALSE(HasUnknownFields(in_payload));
}

TEST(HasUnknownFields, LooksIntoEveryElementOfARepeatedMessageField) {
  v1::IngestEventsRequest request;
  request.add_events()->set_event_id("a");
  request.add_events()->set_event_id("b");
  EXPECT_FALSE(HasUnknownFields(request));
  request.GetReflection()->MutableUnknownFields(request.mutable_events(1))->AddFixed32(500, 7);
  EXPECT_TRUE(HasUnknownFields(request));
}

}  // namespace
}  // namespace regulation::services
