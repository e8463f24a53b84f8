#ifndef SERVICES_ACCESS_PARSING_STREAM_H_
#define SERVICES_ACCESS_PARSING_STREAM_H_

// A stream of requests whose handler parses them itself. When gRPC's sync server cannot
// parse a message of a client stream, the handler's Read just returns false, as at the
// end of the stream: a malformed message would silently end an IngestEvents stream with
// OK. So that method is registered to receive raw bytes (see
// PortraitServiceImpl's constructor), and this adapter parses each message with
// ParseWithDiagnosis: a message that cannot be parsed ends reading, and error() says why,
// naming the message and the field (INVALID_ARGUMENT).
//
// The access interceptor hashes such a method's requests from their bytes
// (ReadsRawRequests), as the client sent them.
//
// Thread safety: as the underlying stream: one thread may Read while another Writes.

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/sync_stream.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/wire_diagnosis.h"

namespace regulation::access {

// Whether `method`'s handler receives its requests as bytes: today only IngestEvents.
inline bool ReadsRawRequests(absl::string_view method) {
  return method == "/regulation.v1.PortraitService/IngestEvents";
}

// The bytes of `buffer`, in one string.
std::string ByteBufferBytes(const grpc::ByteBuffer& buffer);

template <class W, class R>
class ParsingStream : public grpc::ServerReaderWriterInterface<W, R> {
 public:
  // `raw` must outlive the adapter.
  explicit ParsingStream(grpc::ServerReaderWriterInterface<W, grpc::ByteBuffer>* raw)
      : raw_(raw) {}

  bool Read(R* message) override {
    if (!error_.ok()) return false;
    grpc::ByteBuffer buffer;
    if (!raw_->Read(&buffer)) return false;
    ++count_;
    absl::Status parsed =
        services::ParseWithDiagnosis(ByteBufferBytes(buffer), message, "request");
    if (!parsed.ok()) {
      error_ = absl::InvalidArgumentError(absl::StrCat(
          parsed.message(), " (message ", count_,
          " of the stream; the messages before it were processed)"));
      return false;
    }
    return true;
  }
  bool NextMessageSize(uint32_t* size) override { return raw_->NextMessageSize(size); }
  bool Write(const W& message, grpc::WriteOptions options) override {
    return raw_->Write(message, options);
  }
  void SendInitialMetadata() override { raw_->SendInitialMetadata(); }

  // OK, or why the last Read failed on a message that could not be parsed.
  const absl::Status& error() const { return error_; }

 private:
  grpc::ServerReaderWriterInterface<W, grpc::ByteBuffer>* const raw_;
  int64_t count_ = 0;
  absl::Status error_;
};

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_PARSING_STREAM_H_
