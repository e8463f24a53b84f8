#ifndef TESTS_TESTING_API_METHODS_H_
#define TESTS_TESTING_API_METHODS_H_

#include <string>
#include <vector>

namespace regulation::testing {

// Every method of every regulation.v1 service, as "/regulation.v1.Service/Method",
// read from the generated descriptors (so a new RPC appears here by itself).
std::vector<std::string> AllApiMethods();

// Every method of every regulation.internal.v1 service (the calls between services),
// "/regulation.internal.v1.Service/Method".
std::vector<std::string> AllInternalMethods();

}  // namespace regulation::testing

#endif  // TESTS_TESTING_API_METHODS_H_
