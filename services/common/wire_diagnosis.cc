#include "services/common/wire_diagnosis.h"

#include <cstdint>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/utf8.h"

namespace regulation::services {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

constexpr int kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kStartGroup = 3, kEndGroup = 4,
              kFixed32 = 5;

class Walker {
 public:
  Walker(absl::string_view bytes, absl::string_view what) : bytes_(bytes), what_(what) {}

  // Walks the fields in [pos_, end) as a message of `type` (null: unknown) whose fields are
  // named `path`.field. `group_number` > 0: the message is a group, ended by its end tag.
  absl::Status Message(size_t end, const Descriptor* type, const std::string& path, int depth,
                       int group_number) {
    std::map<int, int> seen;  // field number -> occurrences so far (for indexes)
    while (pos_ < end) {
      const size_t at = pos_;
      uint64_t tag = 0;
      if (!Varint(end, &tag)) return Malformed(at, "a field tag is cut off or too long");
      const int number = static_cast<int>(tag >> 3);
      const int wire = static_cast<int>(tag & 7);
      if ((tag >> 3) > 536870911 || number == 0) {
        return Malformed(at, absl::StrCat("field number ", tag >> 3, " is not allowed"));
      }
      const FieldDescriptor* field = type == nullptr ? nullptr : type->FindFieldByNumber(number);
      const std::string name = Name(path, field, number, seen[number]++);
      switch (wire) {
        case kVarint: {
          uint64_t ignored;
          if (!Varint(end, &ignored)) return Malformed(at, "a varint is cut off or too long");
          break;
        }
        case kFixed64:
        case kFixed32: {
          const size_t size = wire == kFixed64 ? 8 : 4;
          if (end - pos_ < size) return Malformed(at, "a fixed-width field is cut off");
          pos_ += size;
          break;
        }
        case kLengthDelimited: {
          uint64_t length = 0;
          if (!Varint(end, &length)) return Malformed(at, "a length is cut off or too long");
          if (length > end - pos_) {
            return Malformed(at, absl::StrCat("a length-delimited field (number ", number,
                                              ") runs past the end of the message"));
          }
          const size_t value_end = pos_ + static_cast<size_t>(length);
          if (field != nullptr && field->type() == FieldDescriptor::TYPE_STRING &&
              !IsValidUtf8(bytes_.substr(pos_, value_end - pos_))) {
            return absl::InvalidArgumentError(absl::StrCat(name, ": is not valid UTF-8"));
          }
          if (field != nullptr && field->type() == FieldDescriptor::TYPE_MESSAGE) {
            if (depth + 1 > kMaxMessageNesting) return TooDeep(at, number);
            if (absl::Status inner =
                    Message(value_end, field->message_type(), name, depth + 1, /*group=*/0);
                !inner.ok()) {
              return inner;
            }
          }
          pos_ = value_end;
          break;
        }
        case kStartGroup: {
          if (depth + 1 > kMaxMessageNesting) return TooDeep(at, number);
          const Descriptor* inner_type =
              field != nullptr && field->type() == FieldDescriptor::TYPE_GROUP
                  ? field->message_type()
                  : nullptr;
          if (absl::Status inner = Message(end, inner_type, name, depth + 1, number);
              !inner.ok()) {
            return inner;
          }
          break;
        }
        case kEndGroup:
          if (number != group_number) {
            return Malformed(at, absl::StrCat("an end-group tag (number ", number,
                                              ") closes no open group"));
          }
          return absl::OkStatus();
        default:
          return Malformed(at, absl::StrCat("wire type ", wire, " does not exist"));
      }
    }
    if (group_number > 0) {
      return Malformed(end, absl::StrCat("the group of field number ", group_number,
                                         " is never closed"));
    }
    return absl::OkStatus();
  }

 private:
  bool Varint(size_t end, uint64_t* value) {
    *value = 0;
    for (int shift = 0; shift < 64 && pos_ < end; shift += 7) {
      const uint8_t byte = static_cast<uint8_t>(bytes_[pos_++]);
      *value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }

  std::string Name(const std::string& path, const FieldDescriptor* field, int number,
                   int index) const {
    std::string name = field != nullptr ? field->name() : absl::StrCat("<field ", number, ">");
    if (field != nullptr && field->is_repeated()) absl::StrAppend(&name, "[", index, "]");
    return path.empty() ? name : absl::StrCat(path, ".", name);
  }

  absl::Status Malformed(size_t at, absl::string_view why) const {
    return absl::InvalidArgumentError(
        absl::StrCat(what_, ": malformed protocol buffer at byte ", at + 1, ": ", why));
  }

  absl::Status TooDeep(size_t at, int number) const {
    return absl::InvalidArgumentError(absl::StrCat(
        what_, ": nests messages or groups deeper than ", kMaxMessageNesting,
        " levels (field number ", number, " at byte ", at + 1, ")"));
  }

  const absl::string_view bytes_;
  const absl::string_view what_;
  size_t pos_ = 0;
};

}  // namespace

absl::Status DiagnoseWireFormat(absl::string_view bytes, const Descriptor* type,
                                absl::string_view what) {
  Walker walker(bytes, what);
  return walker.Message(bytes.size(), type, "", 0, 0);
}

absl::Status ParseWithDiagnosis(absl::string_view bytes, google::protobuf::Message* message,
                                absl::string_view what) {
  message->Clear();
  if (message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::OkStatus();
  }
  absl::Status diagnosis = DiagnoseWireFormat(bytes, message->GetDescriptor(), what);
  message->Clear();
  if (!diagnosis.ok()) return diagnosis;
  return absl::InvalidArgumentError(absl::StrCat(
      what, ": cannot be parsed as ", message->GetDescriptor()->full_name()));
}

}  // namespace regulation::services
