#ifndef TESTS_FUZZ_FUZZ_CHECK_H_
#define TESTS_FUZZ_FUZZ_CHECK_H_

// FUZZ_CHECK(condition) << "what"; for the invariants a fuzz target asserts. A failed
// check prints the condition, the place and the streamed message on stderr and aborts,
// which libFuzzer reports as a crash (and saves the input) and the corpus replay test
// reports as a failure.

#include <sstream>

namespace regulation::fuzz {

// Collects the message of a failed check and aborts in its destructor.
class CheckFailure {
 public:
  CheckFailure(const char* condition, const char* file, int line);
  [[noreturn]] ~CheckFailure();
  std::ostream& stream() { return message_; }

 private:
  std::ostringstream message_;
};

// Lets FUZZ_CHECK be used as an expression statement with a stream after it.
struct Voidify {
  void operator&(std::ostream&) {}
};

}  // namespace regulation::fuzz

#define FUZZ_CHECK(condition)                 \
  (condition) ? (void)0                       \
              : ::regulation::fuzz::Voidify() & \
                    ::regulation::fuzz::CheckFailure(#condition, __FILE__, __LINE__).stream()

#endif  // TESTS_FUZZ_FUZZ_CHECK_H_
