#ifndef COMMON_NET_ADDRESS_H_
#define COMMON_NET_ADDRESS_H_

// Listen and dial addresses ("host:port", "[v6]:port").

#include "absl/strings/string_view.h"

namespace regulation {

// True when the host part of `host_port` can only be reached from this machine:
// "localhost", 127.0.0.0/8, or ::1. Anything else, including "0.0.0.0", "[::]" and
// host names, is false.
bool IsLoopbackAddress(absl::string_view host_port);

}  // namespace regulation

#endif  // COMMON_NET_ADDRESS_H_
