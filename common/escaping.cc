#include "common/escaping.h"

#include "common/utf8.h"

namespace regulation {
namespace {

constexpr char kReplacementCharacter[] = "\xEF\xBF\xBD";  // U+FFFD

void AppendJsonEscaped(std::string* out, absl::string_view value, bool escape_del) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  // Credit codes, tickets and ids are plain ASCII: their longest such prefix goes in whole
  // (an ASCII byte never continues a UTF-8 sequence, so the rest decodes as before).
  size_t plain = 0;
  while (plain < value.size()) {
    const unsigned char b = static_cast<unsigned char>(value[plain]);
    if (b < 0x20 || b >= 0x7F || b == '"' || b == '\\') break;
    ++plain;
  }
  out->append(value.data(), plain);
  value.remove_prefix(plain);
  for (const Utf8Char c : Utf8Chars(value)) {
    if (!c.valid) {
      out->append("\\ufffd");
      continue;
    }
    if (c.length > 1) {
      out->append(value.data() + c.offset, c.length);
      continue;
    }
    switch (c.code) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c.code < 0x20 || (escape_del && c.code == 0x7F)) {
          out->append("\\u00");
          out->push_back(kHex[c.code >> 4]);
          out->push_back(kHex[c.code & 0xF]);
        } else {
          out->push_back(static_cast<char>(c.code));
        }
    }
  }
  out->push_back('"');
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const Utf8Char c : Utf8Chars(text)) {
    if (!c.valid) {
      out += kReplacementCharacter;
      continue;
    }
    if (c.length > 1) {
      out.append(text.data() + c.offset, c.length);
      continue;
    }
    switch (c.code) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out.push_back(static_cast<char>(c.code));
    }
  }
  return out;
}

void AppendJsonString(std::string* out, absl::string_view value) {
  AppendJsonEscaped(out, value, /*escape_del=*/false);
}

std::string JsonQuote(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  AppendJsonEscaped(&out, text, /*escape_del=*/true);
  return out;
}

}  // namespace regulation
