#include "tests/testing/generic_call.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include <string>

#include "absl/time/clock.h"

namespace regulation::testing {
namespace {

// Waits for the completion of the operation tagged `tag`; false when it failed.
bool Await(grpc::CompletionQueue* cq, void* tag) {
  void* got = nullptr;
  bool ok = false;
  while (cq->Next(&got, &ok)) {
    if (got == tag) return ok;
  }
  return false;
}

}  // namespace

grpc::Status CallWithEmptyRequest(const std::shared_ptr<grpc::Channel>& channel,
                                  absl::string_view method, absl::Duration deadline) {
  return CallWithRequestBytes(channel, method, {std::string()}, deadline);
}

grpc::Status CallWithRequestBytes(const std::shared_ptr<grpc::Channel>& channel,
                                  absl::string_view method,
                                  const std::vector<std::string>& messages,
                                  absl::Duration deadline, std::vector<std::string>* responses) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, std::string(method), &cq);
  int start = 0, write = 0, done = 0, read = 0, finish = 0;
  call->StartCall(&start);
  if (Await(&cq, &start)) {
    bool sent = true;
    for (const std::string& message : messages) {
      grpc::Slice slice(message);
      grpc::ByteBuffer request(&slice, 1);
      call->Write(request, &write);
      if (!(sent = Await(&cq, &write))) break;
    }
    if (sent) {
      call->WritesDone(&done);
      Await(&cq, &done);
    }
    grpc::ByteBuffer response;
    for (int i = 0; i < 1000; ++i) {
      call->Read(&response, &read);
      if (!Await(&cq, &read)) break;
      if (responses != nullptr) {
        std::vector<grpc::Slice> slices;
        std::string bytes;
        if (response.Dump(&slices).ok()) {
          for (const grpc::Slice& s : slices) {
            bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
          }
        }
        responses->push_back(std::move(bytes));
      }
    }
  }
  grpc::Status status;
  call->Finish(&status, &finish);
  Await(&cq, &finish);
  cq.Shutdown();
  void* tag;
  bool ok;
  while (cq.Next(&tag, &ok)) {
  }
  return status;
}

}  // namespace regulation::testing
