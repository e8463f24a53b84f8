#include "services/access/boundary_status.h"

#include <google/protobuf/descriptor.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/quote.h"
#include "common/utf8.h"

namespace regulation::access {
namespace {

// gRPC's own message when no thread is free for a new call (sync server, 1.51).
constexpr absl::string_view kGrpcThreadpoolExhausted = "Server Threadpool Exhausted";

// "regulation.v1.PortraitService.GetEnterprise"'s request type, or null.
const google::protobuf::Descriptor* RequestType(absl::string_view method) {
  if (absl::StartsWith(method, "/")) method.remove_prefix(1);
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          absl::StrReplaceAll(method, {{"/", "."}}));
  return descriptor == nullptr ? nullptr : descriptor->input_type();
}

// `full_name` ("regulation.v1.ListEnterprisesRequest.region_prefix") as the API names
// fields: relative to the request when it is one of the request's own fields, in full
// otherwise (protobuf does not say where in the request a nested message sits).
std::string FieldName(const google::protobuf::Descriptor* request, absl::string_view full_name) {
  if (request != nullptr) {
    const std::string prefix = absl::StrCat(request->full_name(), ".");
    if (absl::StartsWith(full_name, prefix)) return std::string(full_name.substr(prefix.size()));
  }
  return std::string(full_name);
}

// At most kMaxStatusMessageBytes bytes, cut at a character boundary.
std::string Capped(const std::string& message) {
  if (message.size() <= kMaxStatusMessageBytes) return message;
  return absl::StrCat(Utf8Prefix(message, kMaxStatusMessageBytes - 32), "… (", message.size(),
                      " bytes)");
}

}  // namespace

std::string UnparseableRequestMessage(const CallFacts& facts) {
  const google::protobuf::Descriptor* request = RequestType(facts.method);
  if (!facts.invalid_utf8_field.empty()) {
    return absl::StrCat(FieldName(request, facts.invalid_utf8_field),
                        ": is not valid UTF-8 (string fields carry UTF-8 text only)");
  }
  const std::string type =
      request != nullptr ? request->full_name() : Bounded(facts.method.substr(0, 200));
  return absl::StrCat("request: cannot be parsed as ", type,
                      ": it is not well-formed protocol buffer wire format, or it nests "
                      "messages or groups deeper than 100 levels");
}

grpc::Status StatusForCaller(const grpc::Status& status, const CallFacts& facts) {
  if (facts.request_unparsed && status.error_code() == grpc::StatusCode::INTERNAL) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, UnparseableRequestMessage(facts));
  }
  if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
      status.error_message() == kGrpcThreadpoolExhausted) {
    return grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        facts.max_threads > 0
            ? absl::StrCat("the server is busy: all ", facts.max_threads,
                           " of its threads (--max_threads) are serving calls; retry later")
            : std::string("the server is busy: all its threads (--max_threads) are serving "
                          "calls; retry later"));
  }
  if (status.error_message().size() > kMaxStatusMessageBytes) {
    return grpc::Status(status.error_code(), Capped(status.error_message()),
                        status.error_details());
  }
  return status;
}

}  // namespace regulation::access
