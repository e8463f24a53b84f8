// Fuzz target: ValidateEvent (services/portrait/event_validation.h), the check every
// ingested event passes before storage is read. The input is a regulation.v1.Event
// (proto_input.h). Checks: the answer is the event's time in microseconds, never after
// `now` and the same as EventTimeMicros of its occur_time, or INVALID_ARGUMENT whose
// message names a field under the prefix ("event.<field>: ...").

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "regulation/v1/event.pb.h"
#include "services/common/proto_time.h"
#include "services/portrait/event_validation.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/proto_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regulation;
  v1::Event event;
  if (!fuzz::ParseFuzzInput(data, size, &event)) return 0;
  const absl::Time now = absl::FromUnixSeconds(1780000000);  // 2026-05-28
  const absl::StatusOr<int64_t> micros = services::ValidateEvent(event, "event", now);
  if (micros.ok()) {
    const absl::StatusOr<absl::Time> when = services::FromProtoTimestamp(event.occur_time());
    FUZZ_CHECK(when.ok()) << when.status();
    FUZZ_CHECK(*when <= now);
    FUZZ_CHECK(*micros == services::EventTimeMicros(*when));
    FUZZ_CHECK(*micros <= absl::ToUnixMicros(now));
    FUZZ_CHECK(event.payload_case() != v1::Event::PAYLOAD_NOT_SET);
  } else {
    FUZZ_CHECK(micros.status().code() == absl::StatusCode::kInvalidArgument) << micros.status();
    FUZZ_CHECK(absl::StartsWith(micros.status().message(), "event.")) << micros.status();
  }
  return 0;
}
