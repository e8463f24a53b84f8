#include "tests/fuzz/proto_input.h"

#include <string>

#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"

namespace regulation::fuzz {

namespace {

// Text-format errors would otherwise be logged for nearly every input.
class SilentErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
};

}  // namespace

bool ParseFuzzInput(const uint8_t* data, size_t size, google::protobuf::Message* message) {
  // The UTF-8 refusals below would be logged for many inputs.
  google::protobuf::LogSilencer quiet;
  google::protobuf::TextFormat::Parser parser;
  SilentErrors errors;
  parser.RecordErrorsTo(&errors);
  google::protobuf::io::ArrayInputStream stream(data, static_cast<int>(size));
  if (size <= (1 << 20) && parser.Parse(&stream, message)) {
    // Text format takes any bytes in a string field; the wire format, as gRPC parses a
    // request, refuses invalid UTF-8. Only what could arrive through the API goes on.
    const std::string wire = message->SerializeAsString();
    message->Clear();
    return message->ParseFromString(wire);
  }
  message->Clear();
  return message->ParseFromArray(data, static_cast<int>(size));
}

}  // namespace regulation::fuzz
