#ifndef SCHEDULER_JSON_FIELDS_H_
#define SCHEDULER_JSON_FIELDS_H_

// Members of the draw's canonical JSON documents (docs/draw-spec.md §9.1), written and
// read one at a time. The writers append canonical bytes; the readers demand exactly the
// listed members in order and the right types, and answer DATA_LOSS "<where>: <what>"
// (the caller prefixes the document, e.g. "bundle: ").
//
//   std::string out = "{";
//   StringMember(&out, "digest", digest);   // "digest":"..."
//   out.push_back('}');
//
//   REG_RETURN_IF_ERROR(ExpectObject(v, "commitment", {"digest", "kind"}));
//   REG_RETURN_IF_ERROR(GetString(v, "commitment", "digest", &digest));
//
// Thread safety: stateless functions.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "scheduler/json.h"

namespace regulation::scheduler {

// ---- Writing ----

// "key": (no value yet).
void Key(std::string* out, absl::string_view key);
void StringMember(std::string* out, absl::string_view key, absl::string_view value);
void IntMember(std::string* out, absl::string_view key, int64_t value);
// ["a","b"].
void StringArray(std::string* out, const std::vector<std::string>& values);

// ---- Reading ----

// DATA_LOSS "<where>: <what>".
absl::Status Bad(absl::string_view where, absl::string_view what);
// `status` (OK or not) as Bad(where, its message).
absl::Status Recode(absl::string_view where, const absl::Status& status);
// "where.key", or "key" when `where` is empty.
std::string Path(absl::string_view where, absl::string_view key);

// OK when `value` is an object with exactly `keys`, in that order.
absl::Status ExpectObject(const JsonValue& value, absl::string_view where,
                          std::initializer_list<absl::string_view> keys);
absl::Status ExpectObject(const JsonValue& value, absl::string_view where,
                          const std::vector<absl::string_view>& keys);
// REQUIRES for the getters: ExpectObject(object, ...) listed `key`.
absl::Status GetString(const JsonValue& object, absl::string_view where, absl::string_view key,
                       std::string* out);
// An integer of at least `min`.
absl::Status GetInt(const JsonValue& object, absl::string_view where, absl::string_view key,
                    int64_t min, int64_t* out);
absl::Status GetArray(const JsonValue& object, absl::string_view where, absl::string_view key,
                      const std::vector<JsonValue>** out);
absl::Status GetStringArray(const JsonValue& object, absl::string_view where, absl::string_view key,
                            std::vector<std::string>* out);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_JSON_FIELDS_H_
