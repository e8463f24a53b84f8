#ifndef SERVICES_PORTRAIT_EVENT_KEYS_H_
#define SERVICES_PORTRAIT_EVENT_KEYS_H_

// Keys of the event column families (docs/storage.md).

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "storage/key_encoding.h"

namespace regulation::services {

// kEvents: credit code (18 bytes) + occur time (signed micros, order-preserving) +
// event id. One enterprise's events form one range, in (time, id) order.
inline std::string EventKey(absl::string_view credit_code, int64_t micros,
                            absl::string_view event_id) {
  storage::KeyBuilder key;
  key.AppendFixed(credit_code).AppendInt64(micros).AppendString(event_id);
  return key.Release();
}

// The first key after every event of `credit_code` at or before `micros`.
inline std::string EventKeyAfter(absl::string_view credit_code, int64_t micros) {
  storage::KeyBuilder key;
  key.AppendFixed(credit_code).AppendInt64(micros + 1);
  return key.Release();
}

// The first key of the events of `credit_code` at or after `micros`.
inline std::string EventKeyFrom(absl::string_view credit_code, int64_t micros) {
  storage::KeyBuilder key;
  key.AppendFixed(credit_code).AppendInt64(micros);
  return key.Release();
}

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_EVENT_KEYS_H_
