#include "services/common/unknown_fields.h"

#include "google/protobuf/descriptor.h"

namespace regulation::services {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Reflection;

bool HasUnknownFields(const google::protobuf::Message& message) {
  const Reflection* reflection = message.GetReflection();
  if (!reflection->GetUnknownFields(message).empty()) return true;
  // Only the message-typed fields can hold more: checking each one's presence is
  // cheaper than listing the set fields (ListFields sorts and allocates).
  const Descriptor* descriptor = message.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int k = 0, n = reflection->FieldSize(message, field); k < n; ++k) {
        if (HasUnknownFields(reflection->GetRepeatedMessage(message, field, k))) return true;
      }
    } else if (reflection->HasField(message, field) &&
               HasUnknownFields(reflection->GetMessage(message, field))) {
      return true;
    }
  }
  return false;
}

}  // namespace regulation::services
