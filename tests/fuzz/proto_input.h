#ifndef TESTS_FUZZ_PROTO_INPUT_H_
#define TESTS_FUZZ_PROTO_INPUT_H_

// How fuzz targets of request validators read a message from the fuzzer's bytes: as
// protobuf text format (what the seed corpora hold, so that mutations land in field
// values), or, when that fails, as the binary wire format (what a hostile client sends).
// Either way the message is one that survives the wire format, as a request does at the
// gRPC boundary (which refuses strings that are not UTF-8). Libprotobuf's own parsers are
// not under test; the validators behind them are.

#include <cstddef>
#include <cstdint>

#include "google/protobuf/message.h"

namespace regulation::fuzz {

// True when `data` parsed into `message` in either format.
bool ParseFuzzInput(const uint8_t* data, size_t size, google::protobuf::Message* message);

}  // namespace regulation::fuzz

#endif  // TESTS_FUZZ_PROTO_INPUT_H_
