#include "scoring/json_document.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "common/utf8.h"

namespace regulation::scoring {

const JsonValue* JsonValue::Find(absl::string_view key) const {
  for (const auto& [name, value] : members_) {
    if (name == key) return &value;
  }
  return nullptr;
}

// A recursive-descent parser over the input text.
class JsonParser {
 public:
  explicit JsonParser(absl::string_view text) : text_(text) {}

  absl::StatusOr<JsonValue> ParseDocument() {
    JsonValue value;
    if (absl::Status s = ParseValue(0, &value); !s.ok()) return s;
    SkipWhitespace();
    if (pos_ != text_.size()) return Error("text after the JSON value");
    return value;
  }

 private:
  static constexpr int kMaxDepth = 64;

  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrFormat("JSON at byte %d: %s", pos_, what));
  }

  void SkipWhitespace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }

  bool Consume(absl::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  absl::Status ParseValue(int depth, JsonValue* out) {
    if (depth > kMaxDepth) return Error("nested deeper than 64 levels");
    SkipWhitespace();
    if (pos_ >= text_.size()) return Error("a value is missing");
    const char c = text_[pos_];
    if (c == '{') return ParseObject(depth, out);
    if (c == '[') return ParseArray(depth, out);
    if (c == '"') {
      out->kind_ = JsonValue::Kind::kString;
      return ParseString(&out->text_);
    }
    if (Consume("true")) {
      out->kind_ = JsonValue::Kind::kBool;
      out->boolean_ = true;
      return absl::OkStatus();
    }
    if (Consume("false")) {
      out->kind_ = JsonValue::Kind::kBool;
      return absl::OkStatus();
    }
    if (Consume("null")) {
      out->kind_ = JsonValue::Kind::kNull;
      return absl::OkStatus();
    }
    return ParseNumber(out);
  }

  // RFC 8259 numbers, and XGBoost's NaN, Infinity and -Infinity.
  absl::Status ParseNumber(JsonValue* out) {
    const size_t begin = pos_;
    if (Consume("NaN") || Consume("Infinity") || Consume("-Infinity")) {
      out->kind_ = JsonValue::Kind::kNumber;
      out->text_ = std::string(text_.substr(begin, pos_ - begin));
      return absl::OkStatus();
    }
    auto digits = [&] {
      const size_t first = pos_;
      while (pos_ < text_.size() && absl::ascii_isdigit(text_[pos_])) ++pos_;
      return pos_ > first;
    };
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return Error("not a JSON value");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return Error("a number has no digits after its decimal point");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return Error("a number has no digits in its exponent");
    }
    out->kind_ = JsonValue::Kind::kNumber;
    out->text_ = std::string(text_.substr(begin, pos_ - begin));
    return absl::OkStatus();
  }

  absl::Status ParseHex4(uint32_t* out) {
    if (text_.size() - pos_ < 4) return Error("a \\u escape is cut short");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return Error("a \\u escape has a character that is not hexadecimal");
      }
    }
    *out = v;
    return absl::OkStatus();
  }

  absl::Status ParseString(std::string* out) {
    ++pos_;  // the opening quote
    while (true) {
      if (pos_ >= text_.size()) return Error("a string is not closed");
      const char c = text_[pos_++];
      if (c == '"') return absl::OkStatus();
      if (static_cast<unsigned char>(c) < 0x20) return Error("a control character in a string");
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return Error("a string ends in an escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out->push_back(e);
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          if (absl::Status s = ParseHex4(&cp); !s.ok()) return s;
          if (cp >= 0xD800 && cp < 0xDC00) {
            uint32_t low = 0;
            if (!Consume("\\u")) return Error("a high surrogate without its low half");
            if (absl::Status s = ParseHex4(&low); !s.ok()) return s;
            if (low < 0xDC00 || low >= 0xE000) return Error("a high surrogate without its low half");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            return Error("a low surrogate without its high half");
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return Error("an unknown escape in a string");
      }
    }
  }

  absl::Status ParseArray(int depth, JsonValue* out) {
    ++pos_;  // '['
    out->kind_ = JsonValue::Kind::kArray;
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return absl::OkStatus();
    }
    while (true) {
      out->elements_.emplace_back();
      if (absl::Status s = ParseValue(depth + 1, &out->elements_.back()); !s.ok()) return s;
      SkipWhitespace();
      if (pos_ >= text_.size()) return Error("an array is not closed");
      if (text_[pos_] == ']') {
        ++pos_;
        return absl::OkStatus();
      }
      if (text_[pos_] != ',') return Error("expected ',' or ']' in an array");
      ++pos_;
    }
  }

  absl::Status ParseObject(int depth, JsonValue* out) {
    ++pos_;  // '{'
    out->kind_ = JsonValue::Kind::kObject;
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return absl::OkStatus();
    }
    while (true) {
      SkipWhitespace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Error("expected a member name");
      std::string key;
      if (absl::Status s = ParseString(&key); !s.ok()) return s;
      SkipWhitespace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Error("expected ':' after a name");
      ++pos_;
      out->members_.emplace_back(std::move(key), JsonValue());
      if (absl::Status s = ParseValue(depth + 1, &out->members_.back().second); !s.ok()) return s;
      SkipWhitespace();
      if (pos_ >= text_.size()) return Error("an object is not closed");
      if (text_[pos_] == '}') {
        ++pos_;
        return CheckUniqueKeys(*out);
      }
      if (text_[pos_] != ',') return Error("expected ',' or '}' in an object");
      ++pos_;
    }
  }

  absl::Status CheckUniqueKeys(const JsonValue& object) const {
    std::vector<absl::string_view> keys;
    keys.reserve(object.members_.size());
    for (const auto& member : object.members_) keys.push_back(member.first);
    std::sort(keys.begin(), keys.end());
    const auto repeated = std::adjacent_find(keys.begin(), keys.end());
    if (repeated != keys.end()) {
      return Error(absl::StrFormat("the key \"%s\" is repeated in an object", *repeated));
    }
    return absl::OkStatus();
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

absl::StatusOr<JsonValue> ParseJson(absl::string_view text) {
  return JsonParser(text).ParseDocument();
}

}  // namespace regulation::scoring
