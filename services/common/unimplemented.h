#ifndef SERVICES_COMMON_UNIMPLEMENTED_H_
#define SERVICES_COMMON_UNIMPLEMENTED_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace regulation::services {

// The answer of an RPC whose capability has not been built yet: UNIMPLEMENTED with a
// message naming the capability that will bring it, e.g.
// "TrainModel is not available yet: it comes with risk scoring (XGBoost models)".
inline absl::Status NotYetAvailable(absl::string_view rpc, absl::string_view capability) {
  return absl::UnimplementedError(
      absl::StrCat(rpc, " is not available yet: it comes with ", capability));
}

}  // namespace regulation::services

#endif  // SERVICES_COMMON_UNIMPLEMENTED_H_
