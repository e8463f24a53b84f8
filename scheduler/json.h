#ifndef SCHEDULER_JSON_H_
#define SCHEDULER_JSON_H_

// The small JSON layer of the draw's files (docs/draw-spec.md §9.1):
//
//   AppendJsonString  the canonical string form (common/escaping.h): '"' and '\' escaped
//                     with a backslash; \b \f \n \r \t for those controls; other characters
//                     below U+0020 as \u00xx (lowercase hex); everything else, non-ASCII
//                     included, as is. (The bytes of Python's json.dumps(s, ensure_ascii=False).)
//   ParseJson         a strict RFC 8259 parser: UTF-8 only, no duplicate keys, integers
//                     only (no fractions or exponents; within int64), depth at most 32.
//                     Objects keep their key order, so callers can demand it.
//
// Thread safety: value types and stateless functions.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/escaping.h"  // AppendJsonString, the writing half of this layer

namespace regulation::scheduler {

class JsonValue {
 public:
  enum class Type { kNull, kBool, kInteger, kString, kArray, kObject };
  using Member = std::pair<std::string, JsonValue>;

  JsonValue() = default;

  Type type() const { return type_; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_integer() const { return type_ == Type::kInteger; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  // REQUIRES: the matching type.
  bool bool_value() const { return bool_; }
  int64_t integer() const { return integer_; }
  const std::string& string() const { return string_; }
  const std::vector<JsonValue>& array() const { return array_; }
  const std::vector<Member>& members() const { return members_; }

  // The member named `key`, or nullptr. REQUIRES: is_object().
  const JsonValue* Find(absl::string_view key) const;

  // A short name of the type for messages: "a string", "an array", ...
  absl::string_view TypeName() const;

 private:
  friend class JsonParser;
  Type type_ = Type::kNull;
  bool bool_ = false;
  int64_t integer_ = 0;
  std::string string_;
  std::vector<JsonValue> array_;
  std::vector<Member> members_;
};

// INVALID_ARGUMENT "JSON at byte N: <what>" for anything but one well-formed value
// (surrounded by optional whitespace).
absl::StatusOr<JsonValue> ParseJson(absl::string_view text);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_JSON_H_
