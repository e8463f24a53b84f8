#ifndef SCORING_JSON_DOCUMENT_H_
#define SCORING_JSON_DOCUMENT_H_

// A JSON document that keeps every number as the text it was written with, for reading
// XGBoost's JSON models exactly.
//
//   REG_ASSIGN_OR_RETURN(JsonValue doc, ParseJson(text));
//   const JsonValue* learner = doc.Find("learner");
//
// Why not protobuf's json_util: it turns every number into a double, and a float that
// XGBoost wrote in its shortest round-trip form and that is read as a double and then
// rounded to float is not always the float XGBoost held (double rounding). Keeping the
// text lets each reader convert once, straight to the type it needs (strtof for float32
// thresholds and leaf values), which gives back XGBoost's float bit for bit.
//
// Scope: RFC 8259 JSON (objects, arrays, strings with escapes, numbers, true, false,
// null), plus the bare NaN, Infinity and -Infinity that XGBoost writes for non-finite
// floats (kept as number text). Objects keep their members in document order; a
// repeated key is refused. Nesting is limited to 64 levels.
//
// Thread safety: a JsonValue is immutable after parsing; const methods may be called from
// any number of threads. Values own their contents (no pointers into the input text).

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::scoring {

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  JsonValue() = default;

  Kind kind() const { return kind_; }
  bool is_object() const { return kind_ == Kind::kObject; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }

  // kBool: the value. Otherwise false.
  bool boolean() const { return boolean_; }
  // kNumber: the number as written ("5E-1", "-0.0123", "NaN"); kString: the string,
  // unescaped (UTF-8). Otherwise empty.
  const std::string& text() const { return text_; }
  // kArray: the elements. Otherwise empty.
  const std::vector<JsonValue>& elements() const { return elements_; }
  // kObject: the members in document order. Otherwise empty.
  const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }
  // kObject: the member named `key`, or nullptr (also for other kinds).
  const JsonValue* Find(absl::string_view key) const;

 private:
  friend class JsonParser;

  Kind kind_ = Kind::kNull;
  bool boolean_ = false;
  std::string text_;
  std::vector<JsonValue> elements_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

// Parses one JSON value filling `text` (surrounding whitespace allowed). INVALID_ARGUMENT
// naming the byte offset for malformed text, a repeated object key, or nesting deeper
// than 64.
absl::StatusOr<JsonValue> ParseJson(absl::string_view text);

}  // namespace regulation::scoring

#endif  // SCORING_JSON_DOCUMENT_H_
