#ifndef SERVICES_ACCESS_PARSE_ERRORS_H_
#define SERVICES_ACCESS_PARSE_ERRORS_H_

// What protobuf says about a request it could not parse. gRPC's C++ server parses a
// request before any interceptor sees it and, when parsing fails, sends INTERNAL with an
// empty message; only protobuf's own log says why, and only for one cause: a string field
// holding invalid UTF-8, named in full ("regulation.v1.Enterprise.name"). This captures
// that log line for the thread that parsed, so that the access interceptor can answer
// INVALID_ARGUMENT naming the field (boundary_status.h), and keeps hostile requests from
// writing to the server's log.
//
// Thread safety: Install may be called from any thread, any number of times; Take reads
// and clears a thread-local value.

#include <string>

namespace regulation::access {

// Routes protobuf's log through this capture (process-wide, once); every other protobuf
// log line is passed on to common/log.
void CaptureProtobufParseErrors();

// The full name of the string field whose invalid UTF-8 failed the last parse on this
// thread, or "" when there was none since the last call; clears it.
std::string TakeInvalidUtf8Field();

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_PARSE_ERRORS_H_
