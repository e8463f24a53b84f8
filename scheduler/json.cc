#include "scheduler/json.h"

#include <limits>

#include "absl/strings/str_format.h"
#include "common/utf8.h"
#include "scheduler/field_checks.h"

namespace regulation::scheduler {

const JsonValue* JsonValue::Find(absl::string_view key) const {
  for (const Member& member : members_) {
    if (member.first == key) return &member.second;
  }
  return nullptr;
}

absl::string_view JsonValue::TypeName() const {
  switch (type_) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "a boolean";
    case Type::kInteger:
      return "an integer";
    case Type::kString:
      return "a string";
    case Type::kArray:
      return "an array";
    case Type::kObject:
      return "an object";
  }
  return "unknown";
}

class JsonParser {
 public:
  explicit JsonParser(absl::string_view text) : text_(text) {}

  absl::StatusOr<JsonValue> Parse() {
    JsonValue value;
    SkipSpace();
    if (!ParseValue(&value, 0)) return Error();
    SkipSpace();
    if (pos_ != text_.size()) {
      Fail("unexpected text after the value");
      return Error();
    }
    return value;
  }

 private:
  static constexpr int kMaxDepth = 32;

  absl::Status Error() const {
    return absl::InvalidArgumentError(absl::StrFormat("JSON at byte %d: %s", error_pos_, error_));
  }

  bool Fail(absl::string_view what) {
    if (error_.empty()) {
      error_ = std::string(what);
      error_pos_ = pos_;
    }
    return false;
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Literal(absl::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return Fail("unexpected character");
    pos_ += word.size();
    return true;
  }

  bool ParseValue(JsonValue* value, int depth) {
    if (depth > kMaxDepth) return Fail("nested too deeply");
    if (pos_ >= text_.size()) return Fail("unexpected end of text");
    const char c = text_[pos_];
    switch (c) {
      case '{':
        return ParseObject(value, depth);
      case '[':
        return ParseArray(value, depth);
      case '"':
        value->type_ = JsonValue::Type::kString;
        return ParseString(&value->string_);
      case 't':
        value->type_ = JsonValue::Type::kBool;
        value->bool_ = true;
        return Literal("true");
      case 'f':
        value->type_ = JsonValue::Type::kBool;
        value->bool_ = false;
        return Literal("false");
      case 'n':
        value->type_ = JsonValue::Type::kNull;
        return Literal("null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return ParseInteger(value);
        return Fail("unexpected character");
    }
  }

  bool ParseObject(JsonValue* value, int depth) {
    value->type_ = JsonValue::Type::kObject;
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Fail("expected a member name");
      const size_t key_pos = pos_;
      std::string key;
      if (!ParseString(&key)) return false;
      if (value->Find(key) != nullptr) {
        pos_ = key_pos;
        return Fail(absl::StrFormat("member \"%s\" appears twice", key));
      }
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Fail("expected ':'");
      ++pos_;
      SkipSpace();
      value->members_.emplace_back(std::move(key), JsonValue());
      if (!ParseValue(&value->members_.back().second, depth + 1)) return false;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return Fail("expected ',' or '}'");
    }
  }

  bool ParseArray(JsonValue* value, int depth) {
    value->type_ = JsonValue::Type::kArray;
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      value->array_.emplace_back();
      if (!ParseValue(&value->array_.back(), depth + 1)) return false;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return true;
      }
      return Fail("expected ',' or ']'");
    }
  }

  bool ParseInteger(JsonValue* value) {
    const size_t start = pos_;
    bool negative = false;
    if (text_[pos_] == '-') {
      negative = true;
      ++pos_;
    }
    if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') {
      return Fail("expected a digit");
    }
    if (text_[pos_] == '0' && pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' &&
        text_[pos_ + 1] <= '9') {
      return Fail("numbers must not have leading zeros");
    }
    // Accumulate negatively so that INT64_MIN fits.
    int64_t n = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      const int digit = text_[pos_] - '0';
      if (n < (std::numeric_limits<int64_t>::min() + digit) / 10) {
        pos_ = start;
        return Fail("integer out of range");
      }
      n = n * 10 - digit;
      ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E')) {
      return Fail("numbers must be integers");
    }
    if (!negative) {
      if (n == std::numeric_limits<int64_t>::min()) {
        pos_ = start;
        return Fail("integer out of range");
      }
      n = -n;
    }
    value->type_ = JsonValue::Type::kInteger;
    value->integer_ = n;
    return true;
  }

  static int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool ParseHex4(uint32_t* out) {
    if (pos_ + 4 > text_.size()) return Fail("truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = HexValue(text_[pos_ + i]);
      if (h < 0) return Fail("bad \\u escape");
      v = v * 16 + h;
    }
    pos_ += 4;
    *out = v;
    return true;
  }

  bool ParseString(std::string* out) {
    ++pos_;  // the opening quote
    const size_t start = pos_;
    // Fast path: a run without escapes.
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        const absl::string_view run = text_.substr(start, pos_ - start);
        if (!IsValidUtf8(run)) {
          pos_ = start;
          return Fail("string is not valid UTF-8");
        }
        out->assign(run.data(), run.size());
        ++pos_;
        return true;
      }
      if (c == '\\' || static_cast<unsigned char>(c) < 0x20) break;
      ++pos_;
    }
    pos_ = start;
    std::string value;
    while (true) {
      if (pos_ >= text_.size()) return Fail("unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        break;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail("control character in a string");
      if (c != '\\') {
        value.push_back(c);
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) return Fail("unterminated string");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          value.push_back(e);
          break;
        case 'b':
          value.push_back('\b');
          break;
        case 'f':
          value.push_back('\f');
          break;
        case 'n':
          value.push_back('\n');
          break;
        case 'r':
          value.push_back('\r');
          break;
        case 't':
          value.push_back('\t');
          break;
        case 'u': {
          uint32_t code = 0;
          if (!ParseHex4(&code)) return false;
          if (code >= 0xDC00 && code <= 0xDFFF) return Fail("unpaired surrogate");
          if (code >= 0xD800 && code <= 0xDBFF) {
            uint32_t low = 0;
            if (text_.substr(pos_, 2) != "\\u") return Fail("unpaired surrogate");
            pos_ += 2;
            if (!ParseHex4(&low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return Fail("unpaired surrogate");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(code, &value);
          break;
        }
        default:
          --pos_;
          return Fail("bad escape");
      }
    }
    if (!IsValidUtf8(value)) return Fail("string is not valid UTF-8");
    *out = std::move(value);
    return true;
  }

  absl::string_view text_;
  size_t pos_ = 0;
  std::string error_;
  size_t error_pos_ = 0;
};

absl::StatusOr<JsonValue> ParseJson(absl::string_view text) { return JsonParser(text).Parse(); }

}  // namespace regulation::scheduler
