#ifndef TESTS_TESTING_GENERIC_CALL_H_
#define TESTS_TESTING_GENERIC_CALL_H_

// Calls any gRPC method by name with an empty request message, whatever its kind
// (unary or streaming): sends one empty message, half-closes, drains the responses and
// returns the final status. For tests that sweep every method of an API.

#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace regulation::testing {

grpc::Status CallWithEmptyRequest(const std::shared_ptr<grpc::Channel>& channel,
                                  absl::string_view method, absl::Duration deadline);

// As CallWithEmptyRequest, sending `messages` as they are (any bytes, well-formed or not)
// and collecting the responses' bytes in `responses` (if given). Stops sending at the first
// message the server no longer accepts.
grpc::Status CallWithRequestBytes(const std::shared_ptr<grpc::Channel>& channel,
                                  absl::string_view method,
                                  const std::vector<std::string>& messages,
                                  absl::Duration deadline,
                                  std::vector<std::string>* responses = nullptr);

}  // namespace regulation::testing

#endif  // TESTS_TESTING_GENERIC_CALL_H_
