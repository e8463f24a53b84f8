#ifndef SERVICES_COMMON_UNKNOWN_FIELDS_H_
#define SERVICES_COMMON_UNKNOWN_FIELDS_H_

// Whether a message, or any message inside it, carries fields this binary does not
// know (sent by a newer client, or made up). Lets a hot path skip the copy and the
// reflective walk of Message::DiscardUnknownFields when there is nothing to discard.
//
// Thread safety: reads the message only.

#include "google/protobuf/message.h"

namespace regulation::services {

bool HasUnknownFields(const google::protobuf::Message& message);

}  // namespace regulation::services

#endif  // SERVICES_COMMON_UNKNOWN_FIELDS_H_
