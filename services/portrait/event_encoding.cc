#include "services/portrait/event_encoding.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "services/common/unknown_fields.h"

namespace regulation::services {
namespace {

using google::protobuf::internal::WireFormatLite;

void SerializeDeterministic(const v1::Event& event, std::string* out) {
  out->clear();
  google::protobuf::io::StringOutputStream output(out);
  google::protobuf::io::CodedOutputStream coded(&output);
  coded.SetSerializationDeterministic(true);
  event.SerializeToCodedStream(&coded);
}

}  // namespace

EventEncoder::EventEncoder(const google::protobuf::Timestamp& ingest_time)
    : ingest_time_(ingest_time) {
  google::protobuf::io::StringOutputStream output(&ingest_time_field_);
  google::protobuf::io::CodedOutputStream coded(&output);
  const std::string bytes = ingest_time_.SerializeAsString();
  coded.WriteTag(WireFormatLite::MakeTag(v1::Event::kIngestTimeFieldNumber,
                                         WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  coded.WriteVarint32(static_cast<uint32_t>(bytes.size()));
  coded.WriteString(bytes);
}

void EventEncoder::Encode(const v1::Event& event, std::string* content,
                          std::string* stored) const {
  // Fields serialize in the order of their numbers, so when ingest_time's is the
  // highest set, the stored record is the content with that one field appended: one
  // serialization, no copy of the event. (A payload numbered above it, an
  // ingest_time sent by the client, or unknown fields take the general way.)
  if (!event.has_ingest_time() &&
      static_cast<int>(event.payload_case()) < v1::Event::kIngestTimeFieldNumber &&
      !HasUnknownFields(event)) {
    SerializeDeterministic(event, content);
    stored->reserve(content->size() + ingest_time_field_.size());
    stored->assign(*content);
    stored->append(ingest_time_field_);
    return;
  }
  v1::Event copy = event;
  copy.DiscardUnknownFields();
  copy.clear_ingest_time();
  SerializeDeterministic(copy, content);
  *copy.mutable_ingest_time() = ingest_time_;
  copy.SerializeToString(stored);
}

}  // namespace regulation::services
