// The floor the ingestion benchmark measures regulatord against: a server that speaks
// PortraitService.IngestEvents on the same loopback, without TLS as regulatord's
// --insecure_loopback, and does nothing with the events but acknowledge them all as
// applied. What it costs per event is gRPC's and protobuf's own share of ingestion
// (HTTP/2 framing, parsing the request into messages, the acknowledgement) on this
// machine; regulatord's cost above it is ours.
//
//   ingest_floor_server    listens on a free localhost port, prints "(port N)" on
//                          stderr, serves until SIGTERM or SIGINT

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>

#include "regulation/v1/portrait_service.grpc.pb.h"

namespace regulation::bench {
namespace {

class AcknowledgeOnly final : public v1::PortraitService::Service {
  grpc::Status IngestEvents(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<v1::IngestEventsResponse, v1::IngestEventsRequest>* stream)
      override {
    v1::IngestEventsRequest request;
    v1::IngestEventsResponse ack;
    while (stream->Read(&request)) {
      ack.set_batch_number(request.batch_number());
      ack.set_applied_count(request.events_size());
      if (!stream->Write(ack)) break;
    }
    return grpc::Status::OK;
  }
};

int Serve() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  AcknowledgeOnly service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("localhost:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "ingest floor server: cannot listen\n");
    return 1;
  }
  std::fprintf(stderr, "ingest floor server (port %d)\n", port);
  std::fflush(stderr);
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  server->Shutdown();
  return 0;
}

}  // namespace
}  // namespace regulation::bench

int main() { return regulation::bench::Serve(); }
