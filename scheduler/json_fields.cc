#include "scheduler/json_fields.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"

namespace regulation::scheduler {

void Key(std::string* out, absl::string_view key) {
  out->push_back('"');
  out->append(key.data(), key.size());
  out->append("\":");
}

void StringMember(std::string* out, absl::string_view key, absl::string_view value) {
  Key(out, key);
  AppendJsonString(out, value);
}

void IntMember(std::string* out, absl::string_view key, int64_t value) {
  Key(out, key);
  absl::StrAppend(out, value);
}

void StringArray(std::string* out, const std::vector<std::string>& values) {
  out->push_back('[');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(out, values[i]);
  }
  out->push_back(']');
}

absl::Status Bad(absl::string_view where, absl::string_view what) {
  return absl::DataLossError(absl::StrCat(where, ": ", what));
}

absl::Status Recode(absl::string_view where, const absl::Status& status) {
  if (status.ok()) return status;
  return Bad(where, status.message());
}

std::string Path(absl::string_view where, absl::string_view key) {
  return where.empty() ? std::string(key) : absl::StrCat(where, ".", key);
}

absl::Status ExpectObject(const JsonValue& value, absl::string_view where,
                          std::initializer_list<absl::string_view> keys) {
  return ExpectObject(value, where, std::vector<absl::string_view>(keys));
}

absl::Status ExpectObject(const JsonValue& value, absl::string_view where,
                          const std::vector<absl::string_view>& keys) {
  if (!value.is_object()) {
    return Bad(where, absl::StrCat("must be an object, not ", value.TypeName()));
  }
  const auto& members = value.members();
  size_t i = 0;
  for (absl::string_view key : keys) {
    if (i >= members.size()) return Bad(where, absl::StrFormat("member \"%s\" is missing", key));
    if (members[i].first != key) {
      return Bad(where, absl::StrFormat("expected member \"%s\" at position %d, found \"%s\"", key,
                                        i + 1, members[i].first));
    }
    ++i;
  }
  if (i < members.size()) {
    return Bad(where, absl::StrFormat("unexpected member \"%s\"", members[i].first));
  }
  return absl::OkStatus();
}

absl::Status GetString(const JsonValue& object, absl::string_view where, absl::string_view key,
                       std::string* out) {
  const JsonValue* v = object.Find(key);
  if (!v->is_string()) {
    return Bad(Path(where, key), absl::StrCat("must be a string, not ", v->TypeName()));
  }
  *out = v->string();
  return absl::OkStatus();
}

absl::Status GetInt(const JsonValue& object, absl::string_view where, absl::string_view key,
                    int64_t min, int64_t* out) {
  const JsonValue* v = object.Find(key);
  if (!v->is_integer()) {
    return Bad(Path(where, key), absl::StrCat("must be an integer, not ", v->TypeName()));
  }
  if (v->integer() < min) {
    return Bad(Path(where, key), absl::StrFormat("must be at least %d, got %d", min, v->integer()));
  }
  *out = v->integer();
  return absl::OkStatus();
}

absl::Status GetArray(const JsonValue& object, absl::string_view where, absl::string_view key,
                      const std::vector<JsonValue>** out) {
  const JsonValue* v = object.Find(key);
  if (!v->is_array()) {
    return Bad(Path(where, key), absl::StrCat("must be an array, not ", v->TypeName()));
  }
  *out = &v->array();
  return absl::OkStatus();
}

absl::Status GetStringArray(const JsonValue& object, absl::string_view where, absl::string_view key,
                            std::vector<std::string>* out) {
  const std::vector<JsonValue>* array;
  REG_RETURN_IF_ERROR(GetArray(object, where, key, &array));
  out->clear();
  for (size_t i = 0; i < array->size(); ++i) {
    if (!(*array)[i].is_string()) {
      return Bad(absl::StrFormat("%s[%d]", Path(where, key), i), "must be a string");
    }
    out->push_back((*array)[i].string());
  }
  return absl::OkStatus();
}

}  // namespace regulation::scheduler
