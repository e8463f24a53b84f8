#ifndef TESTING_STATUS_MATCHERS_H_
#define TESTING_STATUS_MATCHERS_H_

// GoogleTest helpers for absl::Status, absl::StatusOr<T> and grpc::Status (this Abseil,
// the 2022-06 LTS, ships no absl/status/status_matchers.h). Each prints the status it
// got when it fails, so a failing test says why instead of "Value of: s.ok()".
//
//   ASSERT_OK(store->Write(batch));                         // stops the test on error
//   EXPECT_OK(log.Verify()) << "after " << n << " appends";  // may be streamed into
//   ASSERT_OK_AND_ASSIGN(std::string value, store->Get(cf, key));
//   EXPECT_THAT(store->Get(cf, "absent"), StatusIs(absl::StatusCode::kNotFound));
//   EXPECT_THAT(Parse(text), StatusIs(absl::StatusCode::kInvalidArgument,
//                                     HasSubstr("credit_code")));
//   EXPECT_THAT(call_status, IsOk());
//
// grpc::Status is recognised by its error_code()/error_message() members, and protobuf's
// util::Status by code()/message(), so this header needs neither dependency; both share
// absl's code numbering.
//
// The matchers copy the status they match (absl::Status is a cheap reference-counted
// value): they never hold a reference to a temporary.

#include <memory>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace regulation::testing {
namespace internal_status {

inline absl::Status ToStatus(const absl::Status& status) { return status; }

template <typename T>
absl::Status ToStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// grpc::Status and anything shaped like it.
template <typename G, typename = decltype(std::declval<const G&>().error_code()),
          typename = decltype(std::declval<const G&>().error_message())>
absl::Status ToStatus(const G& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(static_cast<int>(status.error_code())),
                      status.error_message());
}

// protobuf's util::Status (JSON conversion's result), and other statuses with absl's code
// numbering and a code()/message() pair.
template <typename P, typename = decltype(std::declval<const P&>().code()),
          typename = decltype(std::declval<const P&>().message()),
          typename = std::enable_if_t<!std::is_convertible<P, absl::Status>::value>>
absl::Status ToStatus(const P& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(static_cast<int>(status.code())),
                      std::string(status.message()));
}

// The predicate-formatter behind ASSERT_OK / EXPECT_OK.
template <typename S>
::testing::AssertionResult IsOkPredicate(const char* expression, const S& value) {
  const absl::Status status = ToStatus(value);
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << expression << " is not OK: " << status;
}

class IsOkMatcher {
 public:
  template <typename S>
  bool MatchAndExplain(const S& value, ::testing::MatchResultListener* listener) const {
    const absl::Status status = ToStatus(value);
    if (!status.ok()) *listener << "whose status is " << status;
    return status.ok();
  }
  void DescribeTo(std::ostream* os) const { *os << "is OK"; }
  void DescribeNegationTo(std::ostream* os) const { *os << "is not OK"; }
};

class StatusIsMatcher {
 public:
  StatusIsMatcher(absl::StatusCode code, ::testing::Matcher<const std::string&> message)
      : code_(code), message_(std::move(message)) {}

  template <typename S>
  bool MatchAndExplain(const S& value, ::testing::MatchResultListener* listener) const {
    const absl::Status status = ToStatus(value);
    *listener << "whose status is " << status;
    if (status.code() != code_) return false;
    ::testing::StringMatchResultListener message_listener;
    const std::string message(status.message());
    if (message_.MatchAndExplain(message, &message_listener)) return true;
    const std::string why = message_listener.str();
    if (!why.empty()) *listener << ", and whose message " << why;
    return false;
  }
  void DescribeTo(std::ostream* os) const {
    *os << "has code " << absl::StatusCodeToString(code_) << " and a message that ";
    message_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "has a code other than " << absl::StatusCodeToString(code_)
        << " or a message that ";
    message_.DescribeNegationTo(os);
  }

 private:
  absl::StatusCode code_;
  ::testing::Matcher<const std::string&> message_;
};

}  // namespace internal_status

// Matches an OK absl::Status, absl::StatusOr<T> or grpc::Status.
inline ::testing::PolymorphicMatcher<internal_status::IsOkMatcher> IsOk() {
  return ::testing::MakePolymorphicMatcher(internal_status::IsOkMatcher());
}

// Matches a status (or a StatusOr's status) with `code` and a message matched by
// `message` (a string matcher, or a string for an exact match). Without `message` any
// message matches.
template <typename MessageMatcher>
::testing::PolymorphicMatcher<internal_status::StatusIsMatcher> StatusIs(
    absl::StatusCode code, MessageMatcher&& message) {
  return ::testing::MakePolymorphicMatcher(internal_status::StatusIsMatcher(
      code, ::testing::SafeMatcherCast<const std::string&>(
                std::forward<MessageMatcher>(message))));
}
inline ::testing::PolymorphicMatcher<internal_status::StatusIsMatcher> StatusIs(
    absl::StatusCode code) {
  return StatusIs(code, ::testing::_);
}

}  // namespace regulation::testing

// Fails the test (ASSERT: and returns) unless `expr` is OK; prints the status.
#define ASSERT_OK(expr) \
  ASSERT_PRED_FORMAT1(::regulation::testing::internal_status::IsOkPredicate, expr)
#define EXPECT_OK(expr) \
  EXPECT_PRED_FORMAT1(::regulation::testing::internal_status::IsOkPredicate, expr)

// Evaluates `rexpr` (an absl::StatusOr<T>) once; fails the test unless it is OK, else
// moves its value into `lhs` (a declaration such as `std::string value`, or a variable).
// Usable only where ASSERT_* is (functions returning void).
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  REG_TESTING_ASSERT_OK_AND_ASSIGN_IMPL_(REG_TESTING_CONCAT_(reg_status_or_, __LINE__), lhs, rexpr)

#define REG_TESTING_ASSERT_OK_AND_ASSIGN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                         \
  ASSERT_OK(statusor);                                             \
  lhs = std::move(statusor).value()

#define REG_TESTING_CONCAT_INNER_(a, b) a##b
#define REG_TESTING_CONCAT_(a, b) REG_TESTING_CONCAT_INNER_(a, b)

#endif  // TESTING_STATUS_MATCHERS_H_
