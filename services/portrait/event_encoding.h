#ifndef SERVICES_PORTRAIT_EVENT_ENCODING_H_
#define SERVICES_PORTRAIT_EVENT_ENCODING_H_

// The two encodings ingestion makes of each event:
//   content: the event as submitted, in deterministic bytes, without ingest_time and
//            without fields this server does not know: what a repeated event id is
//            compared by (through its SHA-256, EventIdRecord.content_digest);
//   stored:  the record under `events`, the same event with the server's ingest_time;
//            exactly Event::SerializeToString of it.
//
// Unknown fields are never stored: they would pass every size limit.
//
// Thread safety: an encoder is immutable after construction.

#include <string>

#include "google/protobuf/timestamp.pb.h"
#include "regulation/v1/event.pb.h"

namespace regulation::services {

class EventEncoder {
 public:
  // `ingest_time` goes into every stored record this encoder makes.
  explicit EventEncoder(const google::protobuf::Timestamp& ingest_time);

  // Overwrites `*content` and `*stored` (their capacity is reused).
  void Encode(const v1::Event& event, std::string* content, std::string* stored) const;

 private:
  google::protobuf::Timestamp ingest_time_;
  // Field ingest_time as serialized: tag, length, the Timestamp's bytes.
  std::string ingest_time_field_;
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_EVENT_ENCODING_H_
