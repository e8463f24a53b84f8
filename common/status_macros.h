#ifndef COMMON_STATUS_MACROS_H_
#define COMMON_STATUS_MACROS_H_

// Early-return helpers for absl::Status and absl::StatusOr (this Abseil, 2022-06 LTS,
// has none of its own).
//
//   REG_RETURN_IF_ERROR(store.Write(batch));
//   REG_ASSIGN_OR_RETURN(std::string value, store.Get(cf, key));

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define REG_STATUS_MACROS_CONCAT_INNER_(x, y) x##y
#define REG_STATUS_MACROS_CONCAT_(x, y) REG_STATUS_MACROS_CONCAT_INNER_(x, y)

// Evaluates `expr` (an absl::Status) once and returns it from the enclosing function
// when it is not OK.
#define REG_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::absl::Status reg_status_ = (expr);       \
    if (!reg_status_.ok()) return reg_status_; \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>) once; returns its status when not OK,
// otherwise moves the value into `lhs` (a declaration or an existing variable).
#define REG_ASSIGN_OR_RETURN(lhs, rexpr) \
  REG_ASSIGN_OR_RETURN_IMPL_(REG_STATUS_MACROS_CONCAT_(reg_statusor_, __LINE__), lhs, rexpr)

#define REG_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr)   \
  auto statusor = (rexpr);                                 \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // COMMON_STATUS_MACROS_H_
