#ifndef TESTS_TESTING_GENERIC_CALL_H_
#define TESTS_TESTING_GENERIC_CALL_H_

// Calls any gRPC method by name with an empty request message, whatever its kind
// (unary or streaming): sends one empty message, half-closes, drains the responses and
// returns the final status. For tests that sweep every method of an API.

#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>

#include <memory>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace regulation::testing {

grpc::Status CallWithEmptyRequest(const std::shared_ptr<grpc::Channel>& channel,
                                  absl::string_view method, absl::Duration deadline);

}  // namespace regulation::testing

#endif  // TESTS_TESTING_GENERIC_CALL_H_
